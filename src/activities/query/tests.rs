//! Query validation, URL building and paging.

use serde_json::{Value, json};

use super::*;
use crate::http::Method;
use crate::testing::{Harness, resource};

const A: &str = "af73e650-96f0-11ef-b2a0-fa163eafb85e";
const B: &str = "07936f78-662a-11eb-af0a-fa163e56c9b0";
const CURSOR_LINK: &str = "/v3/contacts?cursor=bGltaXQ9MSZuZXh0PTI/+ab==&limit=2";

fn request() -> QueryRequest {
    QueryRequest {
        email: None,
        status: vec![],
        lists: vec![],
        tags: vec![],
        created_after: None,
        created_before: None,
        updated_after: None,
        updated_before: None,
        subresources: vec![],
        page_size: None,
        max_records: None,
        with_names: false,
    }
}

fn page(ids: &[&str], next: Option<&str>) -> Value {
    let contacts: Vec<Value> = ids
        .iter()
        .map(|id| resource(id, &format!("{}@example.com", &id[..4])))
        .collect();
    match next {
        Some(href) => json!({"contacts": contacts, "_links": {"next": {"href": href}}}),
        None => json!({"contacts": contacts, "_links": {}}),
    }
}

fn ids(contacts: &[Contact]) -> Vec<String> {
    contacts
        .iter()
        .filter_map(|c| c.contact_id.clone())
        .collect()
}

fn refused_fields(h: &Harness, request: QueryRequest) -> Vec<String> {
    match QueryStream::start(h.client.clone(), Rc::default(), request) {
        Err(Error::Validation(v)) => {
            assert_eq!(v.status, None);
            v.fields.into_iter().map(|f| f.field).collect()
        }
        Err(other) => panic!("expected validation, got {other:?}"),
        Ok(_) => panic!("expected validation, got a stream"),
    }
}

#[test]
fn the_first_request_carries_every_filter_encoded() {
    let h = Harness::new();
    let mut r = request();
    r.email = Some("  Ann+Tag@Example.COM ".into());
    r.status = vec![
        ContactStatus::All,
        ContactStatus::NotSet,
        ContactStatus::All,
    ];
    r.lists = vec![A.into(), B.into()];
    r.tags = vec![B.into()];
    r.created_after = Some("2024-01-01T00:00:00Z".into());
    r.updated_before = Some("2024-02-01T00:00:00.000+01:00".into());
    r.subresources = vec![Subresource::CustomFields, Subresource::ListMemberships];
    r.page_size = Some(25);
    h.expect_json(
        Method::Get,
        &format!(
            "/v3/contacts?limit=25&status=all,not_set&email=ann%2Btag%40example.com\
             &lists={A},{B}&tags={B}&created_after=2024-01-01T00%3A00%3A00Z\
             &updated_before=2024-02-01T00%3A00%3A00.000%2B01%3A00\
             &include=custom_fields,list_memberships"
        ),
        200,
        page(&[], None),
    );
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert_eq!(stream.next_page().unwrap(), None);
}

#[test]
fn defaults_ask_for_500_per_page_and_nothing_else() {
    let h = Harness::new();
    h.expect_json(Method::Get, "/v3/contacts?limit=500", 200, page(&[A], None));
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    assert_eq!(ids(&stream.next_page().unwrap().unwrap()), vec![A]);
    assert_eq!(stream.next_page().unwrap(), None);
    assert_eq!(
        stream.checkpoint(),
        Checkpoint {
            next_page: None,
            delivered: 1,
            finished: true
        }
    );
    assert_eq!(
        h.info_lines(),
        vec!["query: finished: 1 contacts delivered"]
    );
}

#[test]
fn bad_requests_are_refused_before_any_request() {
    let h = Harness::new();
    for size in [0, 501, 1000] {
        let mut r = request();
        r.page_size = Some(size);
        assert_eq!(refused_fields(&h, r), vec!["page_size"]);
    }
    let mut r = request();
    r.lists = vec![A.to_owned(); 26];
    r.tags = vec!["tag-1".into()];
    r.created_before = Some(" ".into());
    r.email = Some("nope".into());
    assert_eq!(
        refused_fields(&h, r),
        vec!["email", "lists", "tags[0]", "created_before"]
    );
    assert!(h.requests().is_empty());
}

#[test]
fn cursors_are_followed_byte_for_byte() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=2",
        200,
        page(&[A, B], Some(CURSOR_LINK)),
    );
    h.expect_json(Method::Get, CURSOR_LINK, 200, page(&[A], None));
    let mut r = request();
    r.page_size = Some(2);
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert_eq!(stream.checkpoint().next_page, None);

    assert_eq!(stream.next_page().unwrap().unwrap().len(), 2);
    assert_eq!(
        stream.checkpoint(),
        Checkpoint {
            next_page: Some(CURSOR_LINK.into()),
            delivered: 2,
            finished: false
        }
    );
    assert_eq!(stream.next_page().unwrap().unwrap().len(), 1);
    assert_eq!(stream.next_page().unwrap(), None);
    assert!(stream.checkpoint().finished);
    assert_eq!(h.requests()[1].target.path_and_query, CURSOR_LINK);
}

#[test]
fn a_link_to_another_origin_is_refused_without_a_request() {
    let h = Harness::new();
    let evil = "https://evil.example/v3/contacts?cursor=abc";
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=500",
        200,
        page(&[A], Some(evil)),
    );
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    assert_eq!(stream.next_page().unwrap().unwrap().len(), 1);
    let Err(Error::BadResponse(b)) = stream.next_page() else {
        panic!("expected bad-response");
    };
    assert!(b.message.contains("leaves the API origin"), "{}", b.message);
    assert_eq!(h.requests().len(), 1);
    assert!(!stream.checkpoint().finished);
}

#[test]
fn an_absolute_link_on_the_same_origin_is_followed() {
    let h = Harness::new();
    let link = "http://127.0.0.1:4010/v3/contacts?cursor=x/y";
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=500",
        200,
        page(&[A], Some(link)),
    );
    h.expect_json(Method::Get, "/v3/contacts?cursor=x/y", 200, page(&[], None));
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    stream.next_page().unwrap();
    assert_eq!(stream.next_page().unwrap(), None);
}

#[test]
fn max_records_truncates_and_ends() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=2",
        200,
        page(&[A, B], Some(CURSOR_LINK)),
    );
    h.expect_json(
        Method::Get,
        CURSOR_LINK,
        200,
        page(&[A, B], Some("/v3/contacts?cursor=3")),
    );
    let mut r = request();
    r.page_size = Some(2);
    r.max_records = Some(3);
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert_eq!(stream.next_page().unwrap().unwrap().len(), 2);
    assert_eq!(stream.next_page().unwrap().unwrap().len(), 1);
    assert_eq!(stream.next_page().unwrap(), None);
    assert_eq!(
        stream.checkpoint(),
        Checkpoint {
            next_page: None,
            delivered: 3,
            finished: true
        }
    );
}

#[test]
fn a_small_max_records_asks_for_a_page_no_bigger() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=1",
        200,
        page(&[A], Some(CURSOR_LINK)),
    );
    let mut r = request();
    r.max_records = Some(1);
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert_eq!(ids(&stream.next_page().unwrap().unwrap()), vec![A]);
    assert_eq!(stream.next_page().unwrap(), None);
}

#[test]
fn zero_max_records_sends_nothing() {
    let h = Harness::new();
    let mut r = request();
    r.max_records = Some(0);
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert_eq!(stream.next_page().unwrap(), None);
    assert!(stream.checkpoint().finished);
}

#[test]
fn after_an_error_the_same_page_is_fetched_again() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=500",
        200,
        page(&[A], Some(CURSOR_LINK)),
    );
    h.expect(Method::Get, CURSOR_LINK, 503, "");
    h.expect(Method::Get, CURSOR_LINK, 200, "<html>oops</html>");
    h.expect_json(Method::Get, CURSOR_LINK, 200, page(&[B], None));
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    stream.next_page().unwrap();
    assert!(matches!(stream.next_page(), Err(Error::ServerError(_))));
    assert_eq!(stream.checkpoint().next_page.as_deref(), Some(CURSOR_LINK));
    assert!(matches!(stream.next_page(), Err(Error::BadResponse(_))));
    assert_eq!(stream.checkpoint().delivered, 1);
    assert_eq!(ids(&stream.next_page().unwrap().unwrap()), vec![B]);
}

#[test]
fn a_page_linking_to_itself_is_an_error() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=500",
        200,
        page(&[A], Some(CURSOR_LINK)),
    );
    h.expect_json(Method::Get, CURSOR_LINK, 200, page(&[B], Some(CURSOR_LINK)));
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    stream.next_page().unwrap();
    let Err(Error::BadResponse(b)) = stream.next_page() else {
        panic!("expected bad-response");
    };
    assert!(b.message.contains("leads back to a page"), "{}", b.message);
}

#[test]
fn a_cycle_of_links_is_an_error_before_any_page_repeats() {
    const OTHER_LINK: &str = "/v3/contacts?cursor=b3RoZXI%3D";
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        "/v3/contacts?limit=500",
        200,
        page(&[A], Some(CURSOR_LINK)),
    );
    h.expect_json(Method::Get, CURSOR_LINK, 200, page(&[B], Some(OTHER_LINK)));
    h.expect_json(Method::Get, OTHER_LINK, 200, page(&[A], Some(CURSOR_LINK)));
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), request()).unwrap();
    stream.next_page().unwrap();
    assert_eq!(ids(&stream.next_page().unwrap().unwrap()), vec![B]);
    let Err(Error::BadResponse(b)) = stream.next_page() else {
        panic!("expected bad-response");
    };
    assert!(b.message.contains(CURSOR_LINK), "{}", b.message);
    assert_eq!(stream.checkpoint().delivered, 2);
}

#[test]
fn resume_continues_from_the_checkpoint() {
    let h = Harness::new();
    h.expect_json(
        Method::Get,
        CURSOR_LINK,
        200,
        page(&[A, B], Some("/v3/contacts?cursor=n")),
    );
    let mut r = request();
    r.max_records = Some(3);
    let checkpoint = Checkpoint {
        next_page: Some(CURSOR_LINK.into()),
        delivered: 2,
        finished: false,
    };
    let mut stream = QueryStream::resume(h.client.clone(), Rc::default(), r, checkpoint).unwrap();
    assert_eq!(ids(&stream.next_page().unwrap().unwrap()), vec![A]);
    assert_eq!(stream.next_page().unwrap(), None);
    assert_eq!(stream.checkpoint().delivered, 3);
}

#[test]
fn resume_of_a_finished_stream_sends_nothing() {
    let h = Harness::new();
    let checkpoint = Checkpoint {
        next_page: None,
        delivered: 9,
        finished: true,
    };
    let mut stream =
        QueryStream::resume(h.client.clone(), Rc::default(), request(), checkpoint).unwrap();
    assert_eq!(stream.next_page().unwrap(), None);
}

#[test]
fn resume_refuses_a_link_off_the_base_url() {
    let h = Harness::new();
    for link in [
        "https://evil.example/v3/contacts",
        "/v2/contacts",
        "contacts",
    ] {
        let checkpoint = Checkpoint {
            next_page: Some(link.into()),
            delivered: 0,
            finished: false,
        };
        match QueryStream::resume(h.client.clone(), Rc::default(), request(), checkpoint) {
            Err(Error::Validation(v)) => assert_eq!(v.fields[0].field, "next_page"),
            _ => panic!("expected validation for {link}"),
        }
    }
}

#[test]
fn date_filters_must_be_iso_date_times() {
    let h = Harness::new();
    for good in [
        "2026-01-31",
        "2026-01-31T09:30:00Z",
        "2026-01-31T09:30:00.5+02:00",
    ] {
        let mut r = request();
        r.updated_after = Some(good.into());
        assert!(
            QueryStream::start(h.client.clone(), Rc::default(), r).is_ok(),
            "{good}"
        );
    }
    for bad in ["garbage", "31/01/2026", "2026-01-31 09:30", "2026-01-31T9"] {
        let mut r = request();
        r.updated_after = Some(bad.into());
        let Err(Error::Validation(v)) = QueryStream::start(h.client.clone(), Rc::default(), r)
        else {
            panic!("{bad} was accepted");
        };
        assert_eq!(v.fields[0].field, "updated_after");
    }
}

#[test]
fn a_page_whose_names_could_not_be_read_is_fetched_and_named_again() {
    let h = Harness::new();
    let mut r = request();
    r.with_names = true;
    r.subresources = vec![Subresource::ListMemberships];
    let mut contact = resource(A, "a@example.com");
    contact["list_memberships"] = json!([B]);
    let body = json!({"contacts": [contact], "_links": {}});
    let path = "/v3/contacts?limit=500&include=list_memberships";
    h.expect_json(Method::Get, path, 200, body.clone());
    h.expect(Method::Get, "/v3/contact_lists?limit=500", 503, "");
    h.expect_json(Method::Get, path, 200, body);
    h.expect_json(
        Method::Get,
        "/v3/contact_lists?limit=500",
        200,
        json!({"lists": [{"list_id": B, "name": "Newsletter"}]}),
    );
    let mut stream = QueryStream::start(h.client.clone(), Rc::default(), r).unwrap();
    assert!(matches!(stream.next_page(), Err(Error::ServerError(_))));
    let page = stream.next_page().unwrap().unwrap();
    assert_eq!(page[0].lists, Some(vec!["Newsletter".to_owned()]));
}
