//! The real transport: a small HTTP client written directly over the wasi-http 0.2
//! bindings of the `wasi` crate.
//!
//! waki 0.5.1 is not used because it fails three requirements of this connector: it sets only
//! the connect timeout (first-byte and between-bytes stay at the host's defaults); its errors
//! are strings, so the wasi-http `ErrorCode` cannot be mapped to a typed transport failure;
//! and with `Content-Length` set it fails intermittently with `StreamError::Closed`, because
//! it flushes and checks the body stream after the last write, when the host has already
//! dropped the body pipe because every announced byte arrived.
//!
//! Request bodies are sent with `Content-Length` (gateways refuse chunked uploads) in chunks
//! of at most 4096 bytes; `Closed` once every byte is written counts as success. A response
//! body shorter (or longer) than its `Content-Length` is reported as a `connection-reset`
//! transport failure: the connection ended before the response was complete.
//!
//! wasmtime 48 reports a failed response body read without an `ErrorCode` the guest can
//! retrieve, so such a failure is classified by time instead: when the body made no progress
//! for the whole between-bytes timeout it is a `timeout`, otherwise a `connection-reset`.
//! Likewise wasmtime answers `HttpProtocolError` when the server closes the connection
//! without answering, which is reported as `connection-reset`.

use ::wasi::clocks::monotonic_clock;
use ::wasi::http::outgoing_handler;
use ::wasi::http::types::{
    ErrorCode, Fields, FutureIncomingResponse, IncomingBody, IncomingResponse, Method as WMethod,
    OutgoingBody, OutgoingRequest, RequestOptions, Scheme as WScheme,
};
use ::wasi::io::streams::{InputStream, StreamError};

use super::{Method, Request, Response, Timeouts, Transport, TransportError};
use crate::url::Scheme;
use crate::wit::TransportKind;

/// Longest response body accepted; a full page of 500 contacts with every subresource stays
/// well below it.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Largest write `blocking_write_and_flush` accepts in one call.
const WRITE_CHUNK: usize = 4096;
/// How much one read asks for.
const READ_CHUNK: u64 = 64 * 1024;
const NANOS_PER_MILLI: u64 = 1_000_000;

/// The wasi-http client.
pub struct WasiTransport;

impl Transport for WasiTransport {
    fn send(&self, request: &Request, timeouts: &Timeouts) -> Result<Response, TransportError> {
        let outgoing = build_request(request)?;
        let body = match request.body {
            Some(_) => Some(
                outgoing
                    .body()
                    .map_err(|()| other("the request body could not be opened"))?,
            ),
            None => None,
        };

        let future = outgoing_handler::handle(outgoing, Some(options(timeouts)))
            .map_err(|code| from_code(&code))?;

        // A failed write usually means the server stopped reading; it may still have
        // answered (for example with a 4xx), so the response decides what happened.
        let write_failure = match (body, &request.body) {
            (Some(body), Some(bytes)) => write_body(body, bytes).err(),
            _ => None,
        };

        match wait_for_response(&future) {
            Ok(response) => read_response(response, timeouts),
            Err(error) => Err(write_failure.unwrap_or(error)),
        }
    }
}

fn build_request(request: &Request) -> Result<OutgoingRequest, TransportError> {
    let entries: Vec<(String, Vec<u8>)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), value.as_bytes().to_vec()))
        .collect();
    let headers = Fields::from_list(&entries)
        .map_err(|e| other(&format!("a request header was refused: {e:?}")))?;
    let outgoing = OutgoingRequest::new(headers);

    let method = match request.method {
        Method::Get => WMethod::Get,
        Method::Post => WMethod::Post,
        Method::Put => WMethod::Put,
        Method::Delete => WMethod::Delete,
    };
    let scheme = match request.target.scheme {
        Scheme::Http => WScheme::Http,
        Scheme::Https => WScheme::Https,
    };
    let set = [
        outgoing.set_method(&method),
        outgoing.set_scheme(Some(&scheme)),
        outgoing.set_authority(Some(&request.target.authority)),
        outgoing.set_path_with_query(Some(&request.target.path_and_query)),
    ];
    if set.iter().any(Result::is_err) {
        return Err(other("the request line was refused by the host"));
    }
    Ok(outgoing)
}

fn options(timeouts: &Timeouts) -> RequestOptions {
    let options = RequestOptions::new();
    let nanos = |ms: u32| u64::from(ms).saturating_mul(NANOS_PER_MILLI);
    // A host that does not support one of the options keeps its own limit; the request
    // still goes out.
    let _ = options.set_connect_timeout(Some(nanos(timeouts.connect_ms)));
    let _ = options.set_first_byte_timeout(Some(nanos(timeouts.first_byte_ms)));
    let _ = options.set_between_bytes_timeout(Some(nanos(timeouts.between_bytes_ms)));
    options
}

fn write_body(body: OutgoingBody, bytes: &[u8]) -> Result<(), TransportError> {
    let stream = body
        .write()
        .map_err(|()| other("the request body stream could not be opened"))?;
    let mut written = 0;
    let mut failure = None;
    for chunk in bytes.chunks(WRITE_CHUNK) {
        match stream.blocking_write_and_flush(chunk) {
            Ok(()) => written += chunk.len(),
            Err(error) => {
                // The host closes the pipe as soon as the announced length has arrived, so
                // `Closed` after the last chunk means the body was delivered.
                let delivered = written + chunk.len() == bytes.len();
                if !(delivered && matches!(error, StreamError::Closed)) {
                    failure = Some(stream_failure(error, "sending the request body"));
                }
                break;
            }
        }
    }
    drop(stream);

    let finished = OutgoingBody::finish(body, None);
    match (failure, finished) {
        (Some(failure), _) => Err(failure),
        (None, Err(code)) if written < bytes.len() => Err(from_code(&code)),
        _ => Ok(()),
    }
}

fn wait_for_response(future: &FutureIncomingResponse) -> Result<IncomingResponse, TransportError> {
    future.subscribe().block();
    match future.get() {
        Some(Ok(Ok(response))) => Ok(response),
        Some(Ok(Err(code))) => Err(from_code(&code)),
        Some(Err(())) => Err(other("the response was already taken")),
        None => Err(other("the response was not ready after waiting for it")),
    }
}

fn read_response(
    response: IncomingResponse,
    timeouts: &Timeouts,
) -> Result<Response, TransportError> {
    let status = response.status();
    let headers: Vec<(String, String)> = response
        .headers()
        .entries()
        .into_iter()
        .map(|(name, value)| {
            (
                name.to_ascii_lowercase(),
                String::from_utf8_lossy(&value).into_owned(),
            )
        })
        .collect();
    let declared = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }

    let body = response
        .consume()
        .map_err(|()| other("the response body was already taken"))?;
    let bytes = read_body(&body, timeouts)?;
    let _trailers = IncomingBody::finish(body);

    if let Some(expected) = declared
        && expected != bytes.len() as u64
    {
        return Err(TransportError {
            kind: TransportKind::ConnectionReset,
            message: format!(
                "the response body ended after {} of {expected} announced bytes",
                bytes.len()
            ),
        });
    }
    Ok(Response {
        status,
        headers,
        body: bytes,
    })
}

fn read_body(body: &IncomingBody, timeouts: &Timeouts) -> Result<Vec<u8>, TransportError> {
    let stream: InputStream = body
        .stream()
        .map_err(|()| other("the response body stream could not be opened"))?;
    let mut bytes = Vec::new();
    let mut progress = monotonic_clock::now();
    loop {
        match stream.blocking_read(READ_CHUNK) {
            Ok(chunk) => {
                if bytes.len().saturating_add(chunk.len()) > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
                progress = monotonic_clock::now();
            }
            Err(StreamError::Closed) => return Ok(bytes),
            Err(StreamError::LastOperationFailed(io))
                if ::wasi::http::types::http_error_code(&io).is_none() =>
            {
                let stalled = monotonic_clock::now().saturating_sub(progress);
                // Only the first line: hosts may append a whole backtrace.
                let debug = io.to_debug_string();
                let detail: String = debug
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(120)
                    .collect();
                return Err(body_failure(stalled, timeouts, &detail));
            }
            Err(error) => return Err(stream_failure(error, "reading the response body")),
        }
    }
}

/// Classifies a body read failure that carries no error code by how long the body stalled.
fn body_failure(stalled_nanos: u64, timeouts: &Timeouts, detail: &str) -> TransportError {
    let limit = u64::from(timeouts.between_bytes_ms).saturating_mul(NANOS_PER_MILLI);
    // Timers fire a little early or late; nine tenths of the limit counts as reaching it.
    if stalled_nanos >= limit / 10 * 9 {
        TransportError {
            kind: TransportKind::Timeout,
            message: format!(
                "the between-bytes timeout expired while reading the response body ({detail})"
            ),
        }
    } else {
        TransportError {
            kind: TransportKind::ConnectionReset,
            message: format!("the connection broke off while reading the response body ({detail})"),
        }
    }
}

fn stream_failure(error: StreamError, doing: &str) -> TransportError {
    match error {
        StreamError::Closed => TransportError {
            kind: TransportKind::ConnectionReset,
            message: format!("the connection closed while {doing}"),
        },
        StreamError::LastOperationFailed(io) => match ::wasi::http::types::http_error_code(&io) {
            Some(code) => {
                let mut failure = from_code(&code);
                failure.message = format!("{} while {doing}", failure.message);
                failure
            }
            None => other(&format!("the stream failed while {doing}")),
        },
    }
}

fn too_large() -> TransportError {
    other(&format!(
        "the response body is larger than {} MiB",
        MAX_BODY_BYTES / (1024 * 1024)
    ))
}

fn other(message: &str) -> TransportError {
    TransportError {
        kind: TransportKind::Other,
        message: message.to_owned(),
    }
}

/// Maps a wasi-http error code to a transport kind and a lower-case description.
fn from_code(code: &ErrorCode) -> TransportError {
    use TransportKind as K;
    let (kind, message): (TransportKind, String) = match code {
        ErrorCode::DnsTimeout => (K::Dns, "the host name lookup timed out".into()),
        ErrorCode::DnsError(p) => (
            K::Dns,
            match &p.rcode {
                Some(rcode) => format!("the host name did not resolve ({rcode})"),
                None => "the host name did not resolve".into(),
            },
        ),
        ErrorCode::DestinationNotFound => (K::Dns, "the host was not found".into()),
        ErrorCode::DestinationUnavailable => (K::Other, "the host is unavailable".into()),
        ErrorCode::DestinationIpProhibited => (
            K::Denied,
            "the host does not allow connections to this address".into(),
        ),
        ErrorCode::DestinationIpUnroutable => (K::Other, "the address is unroutable".into()),
        ErrorCode::ConnectionRefused => (K::ConnectionRefused, "the connection was refused".into()),
        ErrorCode::ConnectionTerminated => (
            K::ConnectionReset,
            "the connection was closed before the response was complete".into(),
        ),
        ErrorCode::ConnectionTimeout => (K::Timeout, "the connect timeout expired".into()),
        ErrorCode::ConnectionReadTimeout => (K::Timeout, "the first-byte timeout expired".into()),
        ErrorCode::ConnectionWriteTimeout => (K::Timeout, "a write timed out".into()),
        ErrorCode::HttpResponseTimeout => (K::Timeout, "the response timed out".into()),
        ErrorCode::ConnectionLimitReached => {
            (K::Other, "the host's connection limit was reached".into())
        }
        ErrorCode::TlsProtocolError => (K::Tls, "the TLS handshake failed".into()),
        ErrorCode::TlsCertificateError => (K::Tls, "the TLS certificate was refused".into()),
        ErrorCode::TlsAlertReceived(p) => (
            K::Tls,
            match &p.alert_message {
                Some(alert) => format!("the server sent a TLS alert ({alert})"),
                None => "the server sent a TLS alert".into(),
            },
        ),
        ErrorCode::HttpRequestDenied => {
            (K::Denied, "the host does not allow this destination".into())
        }
        ErrorCode::HttpResponseIncomplete => (
            K::ConnectionReset,
            "the response ended before it was complete".into(),
        ),
        ErrorCode::HttpProtocolError => (
            K::ConnectionReset,
            "the connection closed before a valid HTTP response arrived".into(),
        ),
        ErrorCode::InternalError(Some(detail)) => (K::Other, format!("internal error ({detail})")),
        code => (K::Other, format!("the HTTP layer failed ({code:?})")),
    };
    TransportError { kind, message }
}
