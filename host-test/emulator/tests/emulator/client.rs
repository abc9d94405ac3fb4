//! A tiny HTTP/1.1 test client: writes request bytes on a socket and parses the response, so
//! tests see exactly what went over the wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use cc_emulator::{DEFAULT_TOKEN, Emulator};
use serde_json::Value;

/// One response as received.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One client connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).expect("connect to emulator");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set read timeout");
        let reader = BufReader::new(stream.try_clone().expect("clone stream"));
        Conn {
            reader,
            writer: stream,
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write request");
    }

    /// Sends a request with the default token; `body` goes with `Content-Type:
    /// application/json` unless `headers` names another type.
    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\n");
        let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        if !has("authorization") {
            head.push_str(&format!("Authorization: Bearer {DEFAULT_TOKEN}\r\n"));
        }
        if body.is_some() && !has("content-type") {
            head.push_str("Content-Type: application/json\r\n");
        }
        for (name, value) in headers {
            if !value.is_empty() {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body.unwrap_or(&[]));
        self.send_raw(&bytes);
        self.read_reply()
    }

    pub fn read_reply(&mut self) -> Reply {
        let status_line = self.line();
        let mut parts = status_line.splitn(3, ' ');
        assert_eq!(
            parts.next(),
            Some("HTTP/1.1"),
            "status line {status_line:?}"
        );
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let mut headers = Vec::new();
        loop {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header line has a colon");
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
        };
        if status != 204 && status >= 200 {
            let len: usize = reply
                .header("content-length")
                .expect("every response with a body has Content-Length")
                .parse()
                .expect("numeric Content-Length");
            reply.body = vec![0; len];
            self.reader.read_exact(&mut reply.body).expect("read body");
        }
        reply
    }

    /// Everything the server sends until it closes the connection.
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        let _ = self.reader.read_to_end(&mut rest);
        rest
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read line");
        assert!(line.ends_with("\r\n"), "line not ended by CR LF: {line:?}");
        line.truncate(line.len() - 2);
        line
    }
}

/// A request with the default token on a fresh connection.
pub fn call(emulator: &Emulator, method: &str, target: &str, body: Option<&Value>) -> Reply {
    let bytes = body.map(|b| serde_json::to_vec(b).expect("serialise body"));
    Conn::open(emulator.addr()).request(method, target, &[], bytes.as_deref())
}

pub fn get(emulator: &Emulator, target: &str) -> Reply {
    call(emulator, "GET", target, None)
}

/// Starts an emulator with the default configuration.
pub fn emulator() -> Emulator {
    Emulator::start(Default::default()).expect("start emulator")
}

/// Asserts an array error body whose first entry has `key` and a message containing `part`.
pub fn assert_error(reply: &Reply, status: u16, key: &str, part: &str) {
    assert_eq!(reply.status, status, "body: {}", reply.text());
    let body = reply.json();
    let entries = body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {body}"));
    assert!(
        entries.iter().any(|e| e["error_key"] == key
            && e["error_message"]
                .as_str()
                .is_some_and(|m| m.contains(part))),
        "no {key} entry containing {part:?} in {body}"
    );
}
