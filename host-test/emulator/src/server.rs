//! The network side: a `TcpListener` accept loop, one thread per connection with keep-alive,
//! scripted answers before the API or the authorization server, the request log, and
//! shutdown.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use serde_json::json;

use crate::api;
use crate::faults::InjectedFault;
use crate::http::request::{self, Malformed, ReadError, Request};
use crate::http::response::{self, Response};
use crate::oauth;
use crate::recorded::{RecordedRequest, redact_headers};
use crate::script::{self, Fault};
use crate::state::State;

/// How long an idle keep-alive connection stays open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// What the accept loop and the connection threads share with the handle.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<State>,
    stopping: AtomicBool,
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
}

impl Shared {
    pub fn new(state: State) -> Shared {
        Shared {
            state: Mutex::new(state),
            stopping: AtomicBool::new(false),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
        }
    }

    /// The state; a panic in another thread never makes it unusable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn connections(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.connections.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers one parsed request: a matching script (with its fault, if any), else the API;
    /// logs it either way.
    pub fn respond(&self, request: &Request) -> (Response, Option<Fault>) {
        let mut state = self.lock();
        let canned = script::take_match(&mut state.scripts, &request.method, &request.path);
        let scripted = canned.is_some();
        let mut fault = None;
        let mut injected = None;
        let response = match canned {
            Some((canned, scripted_fault)) => {
                fault = scripted_fault;
                Response {
                    status: canned.status,
                    content_type: canned.content_type,
                    headers: canned.headers,
                    body: canned.body,
                }
            }
            None => {
                if !oauth::serves(&request.path) {
                    injected = state.faults.draw(&request.method, &request.path);
                }
                match injected {
                    Some(InjectedFault::ResetBeforeApply) => {
                        fault = Some(Fault::Drop);
                        Response::empty(0)
                    }
                    Some(status @ InjectedFault::Status { .. }) => {
                        status.status_response().unwrap_or_else(internal_error)
                    }
                    _ => {
                        let outcome = catch_unwind(AssertUnwindSafe(|| {
                            if oauth::serves(&request.path) {
                                oauth::handle(&mut state.oauth, request)
                            } else {
                                api::handle(&mut state, request)
                            }
                        }));
                        let response = outcome.unwrap_or_else(|_| internal_error());
                        fault = injected.and_then(|f| f.delivery(&response));
                        response
                    }
                }
            }
        };
        // A lost answer is logged with status 0 unless the request was applied first.
        let lost =
            fault == Some(Fault::Drop) && !injected.is_some_and(InjectedFault::applies_request);
        state.requests.push(RecordedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: redact_query(&request.path, request.query.as_deref()),
            headers: redact_headers(&request.headers),
            body: oauth::redact_for_log(&request.path, &request.body),
            status: if lost { 0 } else { response.status },
            scripted,
        });
        (response, fault)
    }

    fn record_malformed(&self, malformed: &Malformed) {
        self.lock().requests.push(RecordedRequest {
            method: malformed.method.clone(),
            path: malformed.path.clone(),
            query: redact_query(&malformed.path, malformed.query.as_deref()),
            headers: redact_headers(&malformed.headers),
            body: Vec::new(),
            status: malformed.status,
            scripted: false,
        });
    }
}

/// The query string as the log keeps it: credentials sent to the authorization server are
/// redacted.
fn redact_query(path: &str, query: Option<&str>) -> Option<String> {
    let raw = query?;
    let kept = oauth::redact_for_log(path, raw.as_bytes());
    Some(String::from_utf8_lossy(&kept).into_owned())
}

fn internal_error() -> Response {
    Response::json(
        500,
        &json!([{"error_key": "internal_error", "error_message": "The emulator failed to handle the request."}]),
    )
}

/// Starts the accept loop on its own thread.
pub fn spawn_acceptor(
    listener: TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("cc-emulator-accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else {
                    // Out of descriptors or similar: back off instead of spinning.
                    thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
                if let Ok(clone) = stream.try_clone() {
                    shared.connections().insert(id, clone);
                }
                let worker = Arc::clone(&shared);
                let spawned = thread::Builder::new()
                    .name("cc-emulator-conn".into())
                    .spawn(move || {
                        serve_connection(&worker, stream);
                        worker.connections().remove(&id);
                    });
                let orphan = spawned.err().and_then(|_| shared.connections().remove(&id));
                if let Some(stream) = orphan {
                    let _ = stream.shutdown(Shutdown::Both);
                }
            }
        })
}

/// Stops accepting, wakes the accept loop, and closes every open connection.
pub fn stop(shared: &Shared, addr: SocketAddr, acceptor: Option<JoinHandle<()>>) {
    shared.stopping.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    if let Some(acceptor) = acceptor {
        let _ = acceptor.join();
    }
    for (_, stream) in shared.connections().drain() {
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// Writes a response the way a fault says; `Ok(false)` when the connection must close.
fn deliver_badly(
    writer: &mut TcpStream,
    response: &Response,
    close: bool,
    fault: Fault,
) -> std::io::Result<bool> {
    let mut bytes = Vec::new();
    response::write_response(&mut bytes, response, close)?;
    let body_start = bytes.len() - response.body.len().min(bytes.len());
    match fault {
        Fault::Delay(pause) => {
            thread::sleep(pause);
            writer.write_all(&bytes)?;
            Ok(true)
        }
        Fault::StallBody { after_bytes, pause } => {
            let split = (body_start + after_bytes).min(bytes.len());
            writer.write_all(&bytes[..split])?;
            writer.flush()?;
            thread::sleep(pause);
            writer.write_all(&bytes[split..])?;
            Ok(true)
        }
        Fault::Drop => Ok(false),
        Fault::Truncate { after_bytes } => {
            let split = (body_start + after_bytes).min(bytes.len());
            writer.write_all(&bytes[..split])?;
            writer.flush()?;
            Ok(false)
        }
    }
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match request::read_request(&mut reader, &mut writer) {
            Ok(None) | Err(ReadError::Io(_)) => return,
            Ok(Some(request)) => {
                let close = request.wants_close();
                let (response, fault) = shared.respond(&request);
                let written = match fault {
                    None => response::write_response(&mut writer, &response, close).map(|_| true),
                    Some(fault) => deliver_badly(&mut writer, &response, close, fault),
                };
                if !matches!(written, Ok(true)) || close {
                    let _ = writer.shutdown(Shutdown::Both);
                    return;
                }
            }
            Err(ReadError::Malformed(malformed)) => {
                shared.record_malformed(&malformed);
                let body = json!([{"error_key": "bad_request", "error_message": malformed.reason}]);
                let _ = response::write_response(
                    &mut writer,
                    &Response::json(malformed.status, &body),
                    true,
                );
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
        }
    }
}
