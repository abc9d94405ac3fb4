//! The seam between the connector and the network: plain request and response values, typed
//! transport failures, and the [`Transport`] trait that the WASI client (and test fakes)
//! implement.

#[cfg(target_family = "wasm")]
pub mod wasi;

use std::fmt;

use crate::url::Target;
use crate::wit::TransportKind;

/// The HTTP methods the v3 contacts API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One outgoing request. Header names are lower case.
#[derive(Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    pub target: Target,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                if name.eq_ignore_ascii_case("authorization") {
                    (name.as_str(), crate::secret::REDACTED)
                } else {
                    (name.as_str(), value.as_str())
                }
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("target", &self.target.to_string())
            .field("headers", &headers)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A complete response: the body has been read to its end.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[cfg(test)]
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// No usable response arrived.
#[derive(Clone, Debug, PartialEq)]
pub struct TransportError {
    pub kind: TransportKind,
    /// A lower-case description of the cause, without the request (the client adds it).
    pub message: String,
}

/// The three wasi-http timeouts, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub connect_ms: u32,
    pub first_byte_ms: u32,
    pub between_bytes_ms: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect_ms: 10_000,
            first_byte_ms: 30_000,
            between_bytes_ms: 30_000,
        }
    }
}

/// Sends one request and reads the whole response.
pub trait Transport {
    fn send(&self, request: &Request, timeouts: &Timeouts) -> Result<Response, TransportError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::Scheme;

    #[test]
    fn request_debug_redacts_the_authorization_header() {
        let request = Request {
            method: Method::Get,
            target: Target {
                scheme: Scheme::Https,
                authority: "api.cc.email".into(),
                path_and_query: "/v3/contacts".into(),
            },
            headers: vec![
                ("authorization".into(), "Bearer sekrit-token".into()),
                ("accept".into(), "application/json".into()),
            ],
            body: None,
        };
        let text = format!("{request:?}");
        assert!(!text.contains("sekrit-token"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert!(text.contains("application/json"), "{text}");
        assert_eq!(request.header("Accept"), Some("application/json"));
    }
}
