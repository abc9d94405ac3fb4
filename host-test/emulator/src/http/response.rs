//! HTTP responses and how they go on the wire: always with `Content-Length`, except 204,
//! which carries neither a body nor a content type.

use std::io::{self, Write};

/// A response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// The `Content-Type` value, if any.
    pub content_type: Option<String>,
    /// Extra headers, written as given.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: Some("application/json".to_string()),
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A response without a body (204 and the like).
    pub fn empty(status: u16) -> Response {
        Response {
            status,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// Writes `response`; `close` adds `Connection: close`.
pub fn write_response<W: Write>(out: &mut W, response: &Response, close: bool) -> io::Result<()> {
    let bodiless = response.status == 204 || response.status == 304 || response.status < 200;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason_phrase(response.status)
    );
    if !bodiless {
        if let Some(content_type) = &response.content_type {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    for (name, value) in &response.headers {
        let lower = name.to_ascii_lowercase();
        if lower == "content-length" || lower == "transfer-encoding" || lower == "connection" {
            continue;
        }
        if bodiless && lower == "content-type" {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");

    out.write_all(head.as_bytes())?;
    if !bodiless {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// The standard reason phrase of a status code.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(response: &Response, close: bool) -> String {
        let mut out = Vec::new();
        write_response(&mut out, response, close).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_has_length_and_type() {
        let text = written(&Response::json(200, &serde_json::json!({"a": 1})), false);
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        );
    }

    #[test]
    fn no_content_has_neither_body_nor_type() {
        let mut response = Response::json(204, &serde_json::json!({"ignored": true}));
        response
            .headers
            .push(("Content-Type".into(), "text/plain".into()));
        let text = written(&response, true);
        assert_eq!(text, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }
}
