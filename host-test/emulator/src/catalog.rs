//! The named catalog seed: a small account structure with known names (three lists, two
//! tags, three custom fields of which one is a `single_select` with choices) whose ids are
//! handed back, for integration tests that need lists, tags and typed custom fields.

use anyhow::bail;
use serde_json::Value;

use crate::api::custom_field_choices::{DEFAULT_DISPLAY_TYPE, NewChoice, choices_of};
use crate::clock;
use crate::state::State;

/// The lists the catalog creates, in creation order.
pub const LISTS: [&str; 3] = ["Newsletter", "Customers", "Events"];
/// The tags the catalog creates, in creation order.
pub const TAGS: [&str; 2] = ["VIP", "Webinar 2026"];
/// The choices of the catalog's `Tier` field, in display order.
pub const TIERS: [&str; 3] = ["Gold", "Silver", "Bronze"];

/// The ids of what [`crate::Emulator::seed_catalog`] created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// List "Newsletter".
    pub newsletter_list: String,
    /// List "Customers".
    pub customers_list: String,
    /// List "Events".
    pub events_list: String,
    /// Tag "VIP".
    pub vip_tag: String,
    /// Tag "Webinar 2026".
    pub webinar_tag: String,
    /// Custom field "Tier" (`single_select`, name `Tier`).
    pub tier_field: String,
    /// The id of choice "Gold" of "Tier", as contacts carry it in `choice_ids`.
    pub tier_gold: String,
    /// The id of choice "Silver" of "Tier".
    pub tier_silver: String,
    /// The id of choice "Bronze" of "Tier".
    pub tier_bronze: String,
    /// Custom field "Signup Date" (`date`, name `Signup_Date`).
    pub signup_date_field: String,
    /// Custom field "Lifetime Value" (`currency`, name `Lifetime_Value`).
    pub lifetime_value_field: String,
}

/// Creates the catalog in `state`; refuses, changing nothing, when one of its names is
/// already taken (a live list, a tag, or a custom field label in any case).
pub fn seed(state: &mut State) -> anyhow::Result<Catalog> {
    let taken = |items: &[serde_json::Map<String, Value>], key: &str, name: &str| {
        items.iter().any(|item| {
            !item.contains_key("deleted_at")
                && item
                    .get(key)
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case(name))
        })
    };
    for name in LISTS {
        if taken(&state.lists, "name", name) {
            bail!("failed to seed the catalog: a list named \"{name}\" already exists");
        }
    }
    for name in TAGS {
        if taken(&state.tags, "name", name) {
            bail!("failed to seed the catalog: a tag named \"{name}\" already exists");
        }
    }
    for label in ["Tier", "Signup Date", "Lifetime Value"] {
        if taken(&state.custom_fields, "label", label) {
            bail!("failed to seed the catalog: a custom field labelled \"{label}\" already exists");
        }
    }

    // Lists and tags.
    let now = clock::now_secs();
    let [newsletter_list, customers_list, events_list] =
        LISTS.map(|name| state.add_list(name, None, false, now));
    let [vip_tag, webinar_tag] = TAGS.map(|name| state.add_tag(name, now));

    // Custom fields; the tier choices keep their display order.
    let tiers: Vec<NewChoice> = TIERS
        .iter()
        .map(|label| NewChoice {
            label: label.to_string(),
            display_order: None,
        })
        .collect();
    let tier_field =
        state.add_select_field("Tier", "single_select", DEFAULT_DISPLAY_TYPE, &tiers, now);
    let signup_date_field = state.add_custom_field("Signup Date", "date", now);
    let lifetime_value_field = state.add_custom_field("Lifetime Value", "currency", now);
    let choice = |label: &str| {
        state
            .custom_field(&tier_field)
            .map(choices_of)
            .and_then(|choices| choices.into_iter().find(|(_, l)| *l == label))
            .map(|(id, _)| id.to_string())
            .expect("the tier choices were just created")
    };
    let [tier_gold, tier_silver, tier_bronze] = TIERS.map(choice);

    Ok(Catalog {
        newsletter_list,
        customers_list,
        events_list,
        vip_tag,
        webinar_tag,
        tier_field,
        tier_gold,
        tier_silver,
        tier_bronze,
        signup_date_field,
        lifetime_value_field,
    })
}
