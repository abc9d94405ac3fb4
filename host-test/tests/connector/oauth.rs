//! A tiny HTTP/1.1 client over std for the authorization server on loopback: it plays the
//! browser at `/authorize` and the application at `/token`, so tests can obtain real issued
//! tokens before handing them to the connector.

use std::io::{Read, Write};
use std::net::TcpStream;

use base64::Engine as _;
use cc_emulator::Emulator;
use serde_json::Value;

/// The scopes the connector's activities need, with `offline_access` for a refresh token.
pub const SCOPES: &str = "contact_data account_read offline_access";
pub const REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// An answer: status, lower-case headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request to an `http://127.0.0.1:PORT/...` URL and reads the whole answer.
pub fn send(method: &str, url: &str, headers: &[(&str, String)], body: &str) -> Answer {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(authority).expect("connect to the emulator");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .expect("write the request");
    stream.write_all(body.as_bytes()).expect("write the body");

    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Tokens issued by an authorization-code exchange.
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

/// Runs the authorization-code flow for a confidential client and returns its tokens.
pub fn issue(emulator: &Emulator, client_id: &str, secret: &str) -> Issued {
    let auth = emulator.auth_base_url();
    let authorize = format!(
        "{auth}/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state=s1",
        encode(client_id),
        encode(REDIRECT_URI),
        encode(SCOPES)
    );
    let answer = send("GET", &authorize, &[], "");
    assert_eq!(answer.status, 302, "{}", answer.body);
    let location = answer.header("location").expect("a redirect").to_owned();
    let code = location
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .expect("a code in the redirect")
        .to_owned();

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let form = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}",
        encode(&code),
        encode(REDIRECT_URI)
    );
    let answer = send(
        "POST",
        &format!("{auth}/token"),
        &[
            ("Authorization", format!("Basic {basic}")),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ],
        &form,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let json: Value = serde_json::from_str(&answer.body).expect("a token answer");
    Issued {
        access_token: json["access_token"].as_str().expect("access_token").into(),
        refresh_token: json["refresh_token"]
            .as_str()
            .expect("refresh_token")
            .into(),
        expires_in: json["expires_in"].as_u64().expect("expires_in"),
    }
}
