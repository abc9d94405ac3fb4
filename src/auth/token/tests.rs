//! The refresh request's form and authentication, and how each token endpoint answer is
//! read.

use super::*;
use crate::config::Config;
use crate::testing::config as wit_config;
use crate::wit;

fn config(secret: Option<&str>) -> Config {
    let mut given = wit_config("at-original-1234");
    given.auth_base_url = Some("http://127.0.0.1:4011/oauth2/default/v1".into());
    given.client_id = Some("app id".into());
    given.client_secret = secret.map(str::to_owned);
    Config::from_wit(given).unwrap()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn response(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn a_confidential_client_uses_basic_and_a_form_body() {
    let refresh = Secret::new("rt/with+chars".into());
    let request = request(&config(Some("s3cret")), &refresh).unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.target.path_and_query, "/oauth2/default/v1/token");
    let body = String::from_utf8(request.body.clone().unwrap()).unwrap();
    assert_eq!(
        body,
        "grant_type=refresh_token&refresh_token=rt%2Fwith%2Bchars"
    );
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Basic {}", base64::encode(b"app id:s3cret")).as_str())
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&request, "content-length"),
        Some(body.len().to_string().as_str())
    );
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("rt/with"),
        "{shown}"
    );
}

#[test]
fn a_public_client_names_itself_in_the_form() {
    let request = request(&config(None), &Secret::new("rt-1".into())).unwrap();
    let body = String::from_utf8(request.body.clone().unwrap()).unwrap();
    assert_eq!(
        body,
        "grant_type=refresh_token&refresh_token=rt-1&client_id=app%20id"
    );
    assert_eq!(header(&request, "authorization"), None);
}

#[test]
fn without_a_client_id_renewal_is_invalid_config() {
    let mut given = wit_config("at-original-1234");
    given.refresh_token = Some("rt-1".into());
    let config = Config::from_wit(given).unwrap();
    let error = request(&config, &Secret::new("rt-1".into())).unwrap_err();
    assert!(matches!(error, wit::Error::InvalidConfig(m) if m.contains("client_id")));
}

#[test]
fn answers_become_grants_waits_or_typed_errors() {
    let granted = read(&response(
        200,
        r#"{"access_token":"at-2","token_type":"Bearer","expires_in":86400,
            "refresh_token":"rt-2","scope":"contact_data offline_access"}"#,
    ));
    let Answer::Granted(grant) = granted else {
        panic!("expected a grant");
    };
    assert_eq!(grant.access_token.expose(), "at-2");
    assert_eq!(grant.expires_in, Some(86400));
    assert_eq!(grant.refresh_token.unwrap().expose(), "rt-2");

    let mut throttled = response(429, r#"{"error":"rate_limited"}"#);
    throttled.headers.push(("retry-after".into(), "3".into()));
    assert!(matches!(read(&throttled), Answer::Throttled(Some(3))));

    let refused = |status, body| match read(&response(status, body)) {
        Answer::Refused(error) => error,
        _ => panic!("expected a refusal"),
    };
    let grant = refused(
        400,
        r#"{"error":"invalid_grant","error_description":"gone"}"#,
    );
    assert!(
        matches!(&grant, wit::Error::ReauthorizationRequired(m) if m.contains("authorize the connection again")),
        "{grant:?}"
    );
    assert!(matches!(
        refused(401, r#"{"error":"invalid_client"}"#),
        wit::Error::InvalidConfig(m) if m.contains("client_secret")
    ));
    assert!(matches!(
        refused(404, "<html>nope</html>"),
        wit::Error::InvalidConfig(m) if m.contains("auth_base_url looks wrong")
    ));
    assert!(matches!(refused(503, ""), wit::Error::ServerError(_)));
    assert!(matches!(
        refused(200, r#"{"access_token":"x","token_type":"mac"}"#),
        wit::Error::BadResponse(_)
    ));
    assert!(matches!(
        refused(200, r#"{"token_type":"Bearer"}"#),
        wit::Error::BadResponse(_)
    ));
}
