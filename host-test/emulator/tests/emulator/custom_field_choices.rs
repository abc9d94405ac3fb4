//! Select custom fields: creating them with choices, their `CustomField` shape, and the
//! checks of `choice_ids` and `value` in contact writes and sign-up forms.

use serde_json::{Value, json};

use crate::client::{assert_error, call, emulator, get};

const VALIDATION: &str = "contacts.api.validation.error";

fn post_field(emulator: &cc_emulator::Emulator, body: Value) -> crate::client::Reply {
    call(emulator, "POST", "/v3/contact_custom_fields", Some(&body))
}

#[test]
fn select_fields_are_created_with_choices_in_the_spec_shape() {
    let emulator = emulator();
    let reply = post_field(
        &emulator,
        json!({"label": "Favorite Fruit", "type": "multi_select", "choices": [
            {"choice_label": "Apple"}, {"choice_label": "Pear", "display_order": 5}
        ]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let field = reply.json();
    let id = field["custom_field_id"].as_str().unwrap().to_string();
    assert_eq!(field["name"], "Favorite_Fruit");
    assert_eq!(field["metadata"], json!({"display_type": "dropdown"}));
    let choices = field["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 2);
    assert!(choices[0]["choice_id"].is_u64(), "{field}");
    assert_ne!(choices[0]["choice_id"], choices[1]["choice_id"]);
    assert_eq!(choices[0]["choice_label"], "Apple");
    assert_eq!(choices[0]["display_order"], 1);
    assert_eq!(choices[1]["display_order"], 5);
    assert_eq!(choices[1]["custom_field_id"], id.as_str());
    assert!(choices[1]["created_at"].is_string() && choices[1]["updated_at"].is_string());

    // Read back by id and through the test API.
    let fetched = get(&emulator, &format!("/v3/contact_custom_fields/{id}")).json();
    assert_eq!(fetched["choices"], field["choices"]);
    let pear = emulator.custom_field_choice_id(&id, "Pear").unwrap();
    assert_eq!(pear, choices[1]["choice_id"].to_string());
    assert_eq!(emulator.custom_field_choice_id(&id, "Plum"), None);

    let radio = post_field(
        &emulator,
        json!({"label": "Size", "type": "single_select", "metadata": {"display_type": "radio"},
               "choices": [{"choice_label": "S"}, {"choice_label": "M"}]}),
    );
    assert_eq!(radio.status, 201, "{}", radio.text());
    assert_eq!(radio.json()["metadata"]["display_type"], "radio");
    let plain = post_field(&emulator, json!({"label": "Nickname", "type": "string"}));
    assert!(plain.json().get("choices").is_none());
}

#[test]
fn bad_choices_are_refused() {
    let emulator = emulator();
    let labels = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"choice_label": format!("Choice {i}")}))
            .collect()
    };
    let none = post_field(&emulator, json!({"label": "A", "type": "single_select"}));
    assert_error(&none, 400, VALIDATION, "choices is required");
    let empty = post_field(
        &emulator,
        json!({"label": "A", "type": "multi_select", "choices": []}),
    );
    assert_error(&empty, 400, VALIDATION, "choices is required");
    let misplaced = post_field(
        &emulator,
        json!({"label": "A", "type": "number", "choices": labels(2)}),
    );
    assert_error(&misplaced, 400, VALIDATION, "choices is only allowed");
    let repeated = post_field(
        &emulator,
        json!({"label": "A", "type": "single_select",
               "choices": [{"choice_label": "Gold"}, {"choice_label": "gold"}]}),
    );
    assert_error(&repeated, 400, VALIDATION, "choices[1].choice_label");
    let too_many = post_field(
        &emulator,
        json!({"label": "A", "type": "multi_select", "choices": labels(101)}),
    );
    assert_error(&too_many, 400, VALIDATION, "maximum of 100");
    let too_many_boxes = post_field(
        &emulator,
        json!({"label": "A", "type": "multi_select", "choices": labels(21),
               "metadata": {"display_type": "checkbox"}}),
    );
    assert_error(&too_many_boxes, 400, VALIDATION, "maximum of 20");
    assert!(emulator.custom_fields().is_empty(), "nothing was created");

    let hundred = post_field(
        &emulator,
        json!({"label": "A", "type": "multi_select", "choices": labels(100)}),
    );
    assert_eq!(hundred.status, 201, "{}", hundred.text());
}

#[test]
fn contacts_take_only_choices_of_the_field() {
    let emulator = emulator();
    let tier =
        emulator.create_custom_field_with_choices("Tier", "single_select", &["Gold", "Silver"]);
    let topics =
        emulator.create_custom_field_with_choices("Topics", "multi_select", &["A", "B", "C"]);
    let note = emulator.create_custom_field("Note", "string");
    let gold = emulator.custom_field_choice_id(&tier, "Gold").unwrap();
    let silver = emulator.custom_field_choice_id(&tier, "Silver").unwrap();
    let a = emulator.custom_field_choice_id(&topics, "A").unwrap();
    let c = emulator.custom_field_choice_id(&topics, "C").unwrap();
    assert_eq!(
        emulator.custom_fields()[0]["metadata"]["display_type"],
        "dropdown"
    );

    // Good values are stored as sent, repeats once, ids as decimal strings.
    let good = json!({"first_name": "Ada", "create_source": "Account", "custom_fields": [
        {"custom_field_id": tier, "choice_ids": [gold]},
        {"custom_field_id": topics, "choice_ids": [a, c, a]},
        {"custom_field_id": note, "value": "x".repeat(255)},
    ]});
    let created = call(&emulator, "POST", "/v3/contacts", Some(&good));
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["contact_id"].as_str().unwrap().to_string();
    let stored = emulator.contact(&id).unwrap()["custom_fields"].clone();
    assert_eq!(stored[0]["choice_ids"], json!([gold]));
    assert_eq!(stored[1]["choice_ids"], json!([a, c]));

    // Refusals name the item's choice_ids or value.
    let refused = |fields: Value, part: &str| {
        let body = json!({"first_name": "Bo", "create_source": "Account", "custom_fields": fields});
        let reply = call(&emulator, "POST", "/v3/contacts", Some(&body));
        assert_error(&reply, 400, VALIDATION, part);
    };
    refused(
        json!([{"custom_field_id": tier, "choice_ids": [a]}]),
        "custom_fields[0].choice_ids holds",
    );
    refused(
        json!([{"custom_field_id": note, "value": "ok"},
               {"custom_field_id": tier, "choice_ids": [gold, silver]}]),
        "custom_fields[1].choice_ids holds 2 choices",
    );
    refused(
        json!([{"custom_field_id": tier, "choice_ids": ["999999"]}]),
        "custom_fields[0].choice_ids",
    );
    refused(
        json!([{"custom_field_id": note, "choice_ids": [gold]}]),
        "custom_fields[0].choice_ids is only allowed",
    );
    refused(
        json!([{"custom_field_id": note, "value": "x".repeat(256)}]),
        "custom_fields[0].value exceeds",
    );
    assert_eq!(emulator.contacts().len(), 1);
}

#[test]
fn updates_and_sign_ups_check_choices_too() {
    let emulator = emulator();
    let list = emulator.create_list("Newsletter");
    let tier =
        emulator.create_custom_field_with_choices("Tier", "single_select", &["Gold", "Silver"]);
    let other = emulator.create_custom_field_with_choices("Size", "single_select", &["S"]);
    let gold = emulator.custom_field_choice_id(&tier, "Gold").unwrap();
    let small = emulator.custom_field_choice_id(&other, "S").unwrap();
    let id = emulator.insert_contact(json!({"email_address": {"address": "u@example.com"}}));

    // A choice of another field is refused on PUT; a zero-padded id of this one is not.
    let put = |choice: &str| {
        let body = json!({"email_address": {"address": "u@example.com"}, "update_source": "Account",
            "custom_fields": [{"custom_field_id": tier, "choice_ids": [choice]}]});
        call(&emulator, "PUT", &format!("/v3/contacts/{id}"), Some(&body))
    };
    assert_error(&put(&small), 400, VALIDATION, "custom_fields[0].choice_ids");
    let padded = put(&format!("000{gold}"));
    assert_eq!(padded.status, 200, "{}", padded.text());
    let stored = &emulator.contact(&id).unwrap()["custom_fields"];
    assert_eq!(
        stored,
        &json!([{"custom_field_id": tier, "choice_ids": [gold]}])
    );

    let sign_up = |choices: Value| {
        let body = json!({"email_address": "s@example.com", "list_memberships": [list],
            "custom_fields": [{"custom_field_id": tier, "choice_ids": choices}]});
        call(&emulator, "POST", "/v3/contacts/sign_up_form", Some(&body))
    };
    assert_error(
        &sign_up(json!(["x"])),
        400,
        VALIDATION,
        "custom_fields[0].choice_ids",
    );
    assert!(emulator.find_by_email("s@example.com").is_none());
    assert_eq!(sign_up(json!([gold])).status, 201);
}
