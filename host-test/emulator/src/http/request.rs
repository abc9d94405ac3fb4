//! Reading one HTTP/1.1 request from a connection: request line, headers, and a body framed by
//! `Content-Length` or the chunked transfer coding.

use std::io::{self, BufRead, Read, Write};

/// Longest request line or header line accepted.
const MAX_LINE: usize = 16 * 1024;
/// Most header lines accepted in one request.
const MAX_HEADERS: usize = 100;
/// Largest request body accepted.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// The protocol version a request named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

/// One parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Method, as sent (methods are case-sensitive).
    pub method: String,
    /// Path part of the target, raw (not percent-decoded).
    pub path: String,
    /// Query part of the target without the `?`, raw.
    pub query: Option<String>,
    pub version: Version,
    /// Headers in arrival order, names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body after removing any transfer coding.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the connection must close after this request's response.
    pub fn wants_close(&self) -> bool {
        let tokens = self.connection_tokens();
        match self.version {
            Version::Http11 => tokens.iter().any(|t| t == "close"),
            Version::Http10 => !tokens.iter().any(|t| t == "keep-alive"),
        }
    }

    fn connection_tokens(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "connection")
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_ascii_lowercase())
            .collect()
    }
}

/// A request that cannot be served; answered with `status` and the connection closed.
#[derive(Debug, Clone)]
pub struct Malformed {
    pub status: u16,
    pub reason: String,
    /// Method and path, when the request line was readable.
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The bytes were not a request we accept; answer and close.
    Malformed(Box<Malformed>),
    /// The connection failed or timed out; close without answering.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// Reads the next request. `Ok(None)` means the peer closed the connection between requests.
/// `interim` receives the `100 Continue` answer when a client asks for one.
pub fn read_request<R: BufRead, W: Write>(
    reader: &mut R,
    interim: &mut W,
) -> Result<Option<Request>, ReadError> {
    // Request line, skipping a few stray empty lines between requests.
    let mut line = None;
    for _ in 0..4 {
        match read_line(reader)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => {
                line = Some(l);
                break;
            }
        }
    }
    let mut partial = Malformed {
        status: 400,
        reason: String::new(),
        method: String::new(),
        path: String::new(),
        query: None,
        headers: Vec::new(),
    };
    let Some(line) = line else {
        return Err(partial.fail(400, "the request line is missing"));
    };
    let (method, target, version) = parse_request_line(&line).map_err(|r| partial.fail(400, r))?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.clone(), None),
    };
    partial.method = method.clone();
    partial.path = path.clone();
    partial.query = query.clone();

    // Header section.
    let headers = read_headers(reader).map_err(|e| partial.absorb(e))?;
    partial.headers = headers.clone();
    let mut request = Request {
        method,
        path,
        query,
        version,
        headers,
        body: Vec::new(),
    };

    // Body, framed by Transfer-Encoding or Content-Length.
    let framing = body_framing(&request).map_err(|(s, r)| partial.fail(s, r))?;
    if framing != Framing::None && expects_continue(&request) {
        interim.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        interim.flush()?;
    }
    request.body = match framing {
        Framing::None => Vec::new(),
        Framing::Length(len) => {
            let mut body = vec![0; len];
            reader
                .read_exact(&mut body)
                .map_err(|e| partial.absorb(e.into()))?;
            body
        }
        Framing::Chunked => read_chunked(reader).map_err(|e| partial.absorb(e))?,
    };
    Ok(Some(request))
}

impl Malformed {
    fn fail(&mut self, status: u16, reason: impl Into<String>) -> ReadError {
        let mut failure = self.clone();
        failure.status = status;
        failure.reason = reason.into();
        ReadError::Malformed(Box::new(failure))
    }

    /// Turns an early end of input inside a request into a 400; other errors pass through.
    fn absorb(&mut self, error: ReadError) -> ReadError {
        match error {
            ReadError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.fail(400, "the connection closed inside the request")
            }
            ReadError::Malformed(m) => {
                let mut failure = self.clone();
                failure.status = m.status;
                failure.reason = m.reason;
                ReadError::Malformed(Box::new(failure))
            }
            other => other,
        }
    }
}

fn bad(status: u16, reason: &str) -> ReadError {
    ReadError::Malformed(Box::new(Malformed {
        status,
        reason: reason.to_string(),
        method: String::new(),
        path: String::new(),
        query: None,
        headers: Vec::new(),
    }))
}

/// Reads one line without its CR LF (a bare LF is tolerated). `None` at a clean end of input.
fn read_line<R: BufRead>(reader: &mut R) -> Result<Option<String>, ReadError> {
    let mut buf = Vec::new();
    let read = reader
        .by_ref()
        .take(MAX_LINE as u64 + 2)
        .read_until(b'\n', &mut buf)?;
    if read == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        if buf.len() > MAX_LINE {
            return Err(bad(431, "a request line or header line is too long"));
        }
        return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    if buf.contains(&b'\r') || buf.contains(&0) {
        return Err(bad(400, "a line holds a stray carriage return or NUL"));
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| bad(400, "a line is not valid UTF-8"))
}

fn parse_request_line(line: &str) -> Result<(String, String, Version), &'static str> {
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the request line is not \"METHOD target HTTP/1.1\"");
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err("the method is not a token");
    }
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b >= 0x7f) {
        return Err("the request target is not an origin-form path");
    }
    let version = match version {
        "HTTP/1.1" => Version::Http11,
        "HTTP/1.0" => Version::Http10,
        _ => return Err("the protocol version is not HTTP/1.0 or HTTP/1.1"),
    };
    Ok((method.to_string(), target.to_string(), version))
}

fn read_headers<R: BufRead>(reader: &mut R) -> Result<Vec<(String, String)>, ReadError> {
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(reader)? else {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        };
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() == MAX_HEADERS {
            return Err(bad(431, "the request has too many header lines"));
        }
        if line.starts_with([' ', '\t']) {
            return Err(bad(400, "folded header lines are not accepted"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad(400, "a header line has no colon"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(bad(400, "a header name is not a token"));
        }
        headers.push((
            name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[derive(Debug, PartialEq, Eq)]
enum Framing {
    None,
    Length(usize),
    Chunked,
}

fn body_framing(request: &Request) -> Result<Framing, (u16, &'static str)> {
    let codings: Vec<String> = request
        .headers
        .iter()
        .filter(|(n, _)| n == "transfer-encoding")
        .flat_map(|(_, v)| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let lengths: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    if !codings.is_empty() {
        if !lengths.is_empty() {
            return Err((400, "both Transfer-Encoding and Content-Length were sent"));
        }
        if codings != ["chunked"] {
            return Err((501, "only the chunked transfer coding is supported"));
        }
        return Ok(Framing::Chunked);
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::None);
    };
    if lengths.iter().any(|l| l != first) {
        return Err((400, "conflicting Content-Length values"));
    }
    if first.is_empty() || first.len() > 12 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err((400, "Content-Length is not a number"));
    }
    let len: usize = first
        .parse()
        .map_err(|_| (400, "Content-Length is not a number"))?;
    if len > MAX_BODY {
        return Err((413, "the request body is too large"));
    }
    Ok(if len == 0 {
        Framing::None
    } else {
        Framing::Length(len)
    })
}

fn expects_continue(request: &Request) -> bool {
    request.version == Version::Http11
        && request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let Some(line) = read_line(reader)? else {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        };
        let size_text = line
            .split(';')
            .next()
            .unwrap_or("")
            .trim_matches([' ', '\t']);
        if size_text.is_empty()
            || size_text.len() > 8
            || !size_text.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(bad(400, "a chunk size is not hexadecimal"));
        }
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(400, "a chunk size is not hexadecimal"))?;
        if size == 0 {
            // Trailer section: skip lines until the empty one.
            for _ in 0..=MAX_HEADERS {
                match read_line(reader)? {
                    Some(l) if l.is_empty() => return Ok(body),
                    Some(_) => continue,
                    None => return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into())),
                }
            }
            return Err(bad(431, "the chunked trailer is too long"));
        }
        if body.len() + size > MAX_BODY {
            return Err(bad(413, "the request body is too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut end = [0u8; 2];
        reader.read_exact(&mut end)?;
        if &end != b"\r\n" {
            return Err(bad(400, "a chunk does not end with CR LF"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn parse(bytes: &[u8]) -> (Result<Option<Request>, ReadError>, Vec<u8>) {
        let mut reader = Cursor::new(bytes.to_vec());
        let mut interim = Vec::new();
        (read_request(&mut reader, &mut interim), interim)
    }

    fn status_of(result: Result<Option<Request>, ReadError>) -> u16 {
        match result {
            Err(ReadError::Malformed(m)) => m.status,
            other => panic!("expected a malformed request, got {other:?}"),
        }
    }

    #[test]
    fn reads_content_length_body_and_query() {
        let raw =
            b"POST /v3/contacts?limit=5&x=%2B HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd";
        let request = parse(raw).0.unwrap().unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/v3/contacts");
        assert_eq!(request.query.as_deref(), Some("limit=5&x=%2B"));
        assert_eq!(request.header("host"), Some("a"));
        assert_eq!(request.body, b"abcd");
        assert!(!request.wants_close());
    }

    #[test]
    fn reads_chunked_body_with_extensions_and_trailers() {
        let raw = b"PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n";
        let request = parse(raw).0.unwrap().unwrap();
        assert_eq!(request.body, b"abc0123456789");
    }

    #[test]
    fn answers_continue_when_asked() {
        let raw = b"POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz";
        let (result, interim) = parse(raw);
        assert_eq!(result.unwrap().unwrap().body, b"z");
        assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn refuses_garbage() {
        assert_eq!(status_of(parse(b"\x16\x03\x01 garbage\r\n\r\n").0), 400);
        assert_eq!(status_of(parse(b"GET /x HTTP/2.0\r\n\r\n").0), 400);
        assert_eq!(status_of(parse(b"GET x HTTP/1.1\r\n\r\n").0), 400);
        assert_eq!(
            status_of(parse(b"GET /x HTTP/1.1\r\nNo colon\r\n\r\n").0),
            400
        );
        assert_eq!(
            status_of(parse(b"GET /x HTTP/1.1\r\nA: b\r\n c\r\n\r\n").0),
            400
        );
        let both = b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(status_of(parse(both).0), 400);
        let gzip = b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n";
        assert_eq!(status_of(parse(gzip).0), 501);
        let bad_len = b"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
        assert_eq!(status_of(parse(bad_len).0), 400);
        let huge = b"POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n";
        assert_eq!(status_of(parse(huge).0), 413);
        let bad_chunk = b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
        assert_eq!(status_of(parse(bad_chunk).0), 400);
        let short = b"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc";
        assert_eq!(status_of(parse(short).0), 400);
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE + 10));
        assert_eq!(status_of(parse(long_line.as_bytes()).0), 431);
    }

    #[test]
    fn end_of_input_between_requests_is_clean() {
        assert!(parse(b"").0.unwrap().is_none());
        assert!(parse(b"\r\n").0.unwrap().is_none());
    }

    #[test]
    fn connection_close_rules() {
        let close = b"GET /x HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n";
        assert!(parse(close).0.unwrap().unwrap().wants_close());
        let old = b"GET /x HTTP/1.0\r\n\r\n";
        assert!(parse(old).0.unwrap().unwrap().wants_close());
        let old_kept = b"GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        assert!(!parse(old_kept).0.unwrap().unwrap().wants_close());
    }
}
