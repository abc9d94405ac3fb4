//! The query activity: filters, paging by cursor, limits, checkpoints.

use std::collections::HashSet;

use cc_emulator::{Canned, Script};
use host_test::harness::QueryRun;
use host_test::wit::{Contact, ContactStatus, Error, QueryRequest, Subresource};
use serde_json::json;

use crate::support::{assert_no_secret, config, emulator, harness};

fn request() -> QueryRequest {
    host_test::records::json::empty_query()
}

/// Starts `req` against `emu`; the query itself must be accepted.
async fn start(emu: &cc_emulator::Emulator, req: &QueryRequest) -> QueryRun {
    harness()
        .query(&config(emu), req, None)
        .await
        .expect("no trap")
        .expect("query")
}

async fn drain(run: &mut QueryRun) -> Vec<Contact> {
    let mut all = Vec::new();
    while let Some(page) = run.next_page().await.expect("no trap").expect("page") {
        all.extend(page);
    }
    all
}

fn insert_many(emu: &cc_emulator::Emulator, n: usize) -> HashSet<String> {
    (0..n)
        .map(|i| {
            emu.insert_contact(json!({
                "email_address": {"address": format!("person{i:04}@example.com"), "permission_to_send": "implicit"},
                "first_name": format!("Person {i}"),
            }))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_of_500_return_every_contact_once_in_three_requests() {
    let emu = emulator();
    let ids = insert_many(&emu, 1203);
    let mut req = request();
    req.page_size = Some(500);

    let mut run = start(&emu, &req).await;
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = run.next_page().await.expect("no trap").expect("page") {
        sizes.push(page.len());
        seen.extend(page.into_iter().map(|c| c.contact_id.expect("id")));
    }

    assert_eq!(sizes, vec![500, 500, 203]);
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a contact came back twice");
    assert_eq!(unique, ids);

    let requests = emu.requests();
    assert_eq!(
        requests.len(),
        3,
        "{:?}",
        crate::support::request_lines(&emu)
    );
    assert!(requests.iter().all(|r| r.status == 200));
    for later in &requests[1..] {
        let query = later.query.clone().unwrap_or_default();
        assert!(query.starts_with("cursor="), "{query}");
        for c in ['/', '+', '='] {
            assert!(query.contains(c), "cursor {query} lost {c:?}");
        }
    }
    let checkpoint = run.checkpoint().await.expect("checkpoint");
    assert!(checkpoint.finished);
    assert_eq!(checkpoint.delivered, 1203);
    assert_no_secret(&run.capture());
}

#[tokio::test(flavor = "multi_thread")]
async fn page_size_over_500_is_refused_before_any_request() {
    let emu = emulator();
    insert_many(&emu, 3);
    let mut req = request();
    req.page_size = Some(1000);

    let outcome = harness()
        .query(&config(&emu), &req, None)
        .await
        .expect("no trap");
    let error = match outcome {
        Err(e) => e,
        Ok(mut run) => run
            .next_page()
            .await
            .expect("no trap")
            .expect_err("refused"),
    };
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert!(emu.requests().is_empty(), "a request was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_and_subresources_reach_the_api() {
    let emu = emulator();
    let list = emu.create_list("Newsletter");
    let on_list = emu.insert_contact(json!({
        "email_address": {"address": "on.list@example.com", "permission_to_send": "explicit"},
        "first_name": "On", "list_memberships": [list],
        "phone_numbers": [{"phone_number": "+1 555 0100", "kind": "mobile"}],
    }));
    emu.insert_contact(json!({
        "email_address": {"address": "off.list@example.com", "permission_to_send": "explicit"},
        "first_name": "Off",
    }));
    let mut req = request();
    req.lists = vec![list.clone()];
    req.subresources = vec![Subresource::ListMemberships, Subresource::PhoneNumbers];

    let mut run = start(&emu, &req).await;
    let found = drain(&mut run).await;

    assert_eq!(found.len(), 1);
    assert_eq!(found[0].contact_id.as_deref(), Some(on_list.as_str()));
    assert_eq!(found[0].list_memberships.as_deref(), Some(&[list][..]));
    let phones = found[0].phone_numbers.as_ref().expect("phones included");
    assert_eq!(phones[0].phone_number, "+1 555 0100");
}

#[tokio::test(flavor = "multi_thread")]
async fn email_and_status_filters() {
    let emu = emulator();
    emu.insert_contact(json!({
        "email_address": {"address": "gone@example.com", "permission_to_send": "implicit"},
        "first_name": "Gone", "deleted_at": "2026-01-02",
    }));
    emu.insert_contact(json!({
        "email_address": {"address": "here@example.com", "permission_to_send": "implicit"},
        "first_name": "Here",
    }));

    let mut req = request();
    req.email = Some("  GONE@Example.com ".into());
    let mut run = start(&emu, &req).await;
    assert!(
        drain(&mut run).await.is_empty(),
        "deleted contacts are hidden by default"
    );

    req.status = vec![ContactStatus::All];
    let mut run = start(&emu, &req).await;
    let found = drain(&mut run).await;
    assert_eq!(found.len(), 1);
    assert!(found[0].deleted_at.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn max_records_stops_early() {
    let emu = emulator();
    insert_many(&emu, 30);
    let mut req = request();
    req.page_size = Some(10);
    req.max_records = Some(15);

    let mut run = start(&emu, &req).await;
    let found = drain(&mut run).await;
    assert_eq!(found.len(), 15);
    assert_eq!(emu.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkpoint_resumes_in_a_new_instance_without_loss_or_repeat() {
    let emu = emulator();
    let ids = insert_many(&emu, 25);
    let mut req = request();
    req.page_size = Some(10);

    let mut first = start(&emu, &req).await;
    let page = first
        .next_page()
        .await
        .expect("no trap")
        .expect("page")
        .expect("a page");
    let checkpoint = first.checkpoint().await.expect("checkpoint");
    drop(first);
    assert_eq!(checkpoint.delivered, 10);
    assert!(!checkpoint.finished);

    let mut second = harness()
        .query(&config(&emu), &req, Some(&checkpoint))
        .await
        .expect("no trap")
        .expect("resume");
    let rest = drain(&mut second).await;

    let mut all: Vec<String> = page
        .into_iter()
        .chain(rest)
        .map(|c| c.contact_id.unwrap())
        .collect();
    assert_eq!(all.len(), 25);
    all.sort();
    all.dedup();
    assert_eq!(all.into_iter().collect::<HashSet<_>>(), ids);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_next_link_to_another_origin_is_refused() {
    let emu = emulator();
    emu.script(Script {
        method: Some("GET".into()),
        path_prefix: "/v3/contacts".into(),
        times: 1,
        response: Canned::json(
            200,
            json!({"contacts": [], "_links": {"next": {"href": "http://elsewhere.invalid/v3/contacts?cursor=abc"}}}),
        ),
    });

    let mut run = start(&emu, &request()).await;
    // The empty first page may be delivered before the link is refused; either way the
    // stream must end in an error without following the link.
    let mut error = None;
    for _ in 0..2 {
        match run.next_page().await.expect("no trap") {
            Ok(Some(page)) => assert!(page.is_empty()),
            Ok(None) => panic!("the stream ended as if the link were the last page"),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let error = error.expect("the foreign link is refused");
    assert!(matches!(error, Error::BadResponse(_)), "{error:?}");
    assert_eq!(emu.requests().len(), 1);
    assert!(
        run.capture().denied.is_empty(),
        "the guest itself must refuse the link"
    );
}
