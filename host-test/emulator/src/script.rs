//! Canned answers: a test scripts a response for matching requests, which then bypass the
//! emulated API entirely (nothing is applied), optionally delivered with a transport fault.

use std::time::Duration;

/// A canned response for requests matching a method and a path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The method to match, e.g. `GET`; `None` matches any method.
    pub method: Option<String>,
    /// Matches any request whose path starts with this, e.g. `/v3/contacts`.
    pub path_prefix: String,
    /// How many matching requests this answers before it is used up.
    pub times: usize,
    /// The answer.
    pub response: Canned,
}

impl Script {
    /// A script answering the next `times` requests under `path_prefix`, any method.
    pub fn new(path_prefix: &str, times: usize, response: Canned) -> Script {
        Script {
            method: None,
            path_prefix: path_prefix.to_string(),
            times,
            response,
        }
    }

    /// The same script restricted to one method.
    pub fn with_method(mut self, method: &str) -> Script {
        self.method = Some(method.to_string());
        self
    }

    /// Whether this script answers a request.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self.method.as_deref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
    }
}

/// A response given verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canned {
    pub status: u16,
    /// The `Content-Type` value, if any.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Extra headers, e.g. `Retry-After`.
    pub headers: Vec<(String, String)>,
}

impl Canned {
    /// A JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> Canned {
        Canned {
            status,
            content_type: Some("application/json".to_string()),
            body: serde_json::to_vec(&body).unwrap_or_default(),
            headers: Vec::new(),
        }
    }

    /// An HTML body, as a proxy or gateway might send.
    pub fn html(status: u16, body: &str) -> Canned {
        Canned {
            status,
            content_type: Some("text/html; charset=utf-8".to_string()),
            body: body.as_bytes().to_vec(),
            headers: Vec::new(),
        }
    }

    /// No body and no content type.
    pub fn empty(status: u16) -> Canned {
        Canned {
            status,
            content_type: None,
            body: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Canned {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A way of delivering a scripted answer badly, for transport-failure tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long before sending anything (a first-byte timeout).
    Delay(Duration),
    /// Send the head and the first `after_bytes` of the body, then pause before the rest (a
    /// between-bytes timeout).
    StallBody { after_bytes: usize, pause: Duration },
    /// Close the connection without answering (logged with status 0).
    Drop,
    /// Send the head and the first `after_bytes` of the body, then close the connection.
    Truncate { after_bytes: usize },
}

/// A pending script and the fault it is delivered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripted {
    pub script: Script,
    pub fault: Option<Fault>,
}

/// Takes the first script matching the request, decrementing its count, and returns its
/// response and fault. Used-up scripts are removed.
pub fn take_match(
    scripts: &mut Vec<Scripted>,
    method: &str,
    path: &str,
) -> Option<(Canned, Option<Fault>)> {
    let index = scripts
        .iter()
        .position(|s| s.script.matches(method, path))?;
    let entry = &mut scripts[index];
    entry.script.times -= 1;
    let answer = (entry.script.response.clone(), entry.fault);
    if entry.script.times == 0 {
        scripts.remove(index);
    }
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_in_order_and_runs_out() {
        let mut scripts = vec![
            Scripted {
                script: Script::new("/v3/contacts", 1, Canned::empty(500)).with_method("POST"),
                fault: None,
            },
            Scripted {
                script: Script::new("/v3", 2, Canned::empty(503)),
                fault: Some(Fault::Drop),
            },
        ];
        let status = |answer: Option<(Canned, Option<Fault>)>| answer.map(|a| a.0.status);
        let first = take_match(&mut scripts, "GET", "/v3/contacts").unwrap();
        assert_eq!((first.0.status, first.1), (503, Some(Fault::Drop)));
        assert_eq!(
            status(take_match(&mut scripts, "POST", "/v3/contacts")),
            Some(500)
        );
        assert_eq!(
            status(take_match(&mut scripts, "POST", "/v3/contacts")),
            Some(503)
        );
        assert_eq!(
            status(take_match(&mut scripts, "POST", "/v3/contacts")),
            None
        );
        assert!(scripts.is_empty());
    }
}
