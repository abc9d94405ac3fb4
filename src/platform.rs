//! The imports a connection uses, gathered in one place: the WASI implementations inside a
//! component, and inert stand-ins in a native build (where calling a WASI import would abort).

use std::rc::Rc;

use crate::clock::Clock;
use crate::http::Transport;
use crate::log::Sink;

/// The outside world as one connection sees it.
pub struct Environment {
    pub transport: Box<dyn Transport>,
    pub clock: Rc<dyn Clock>,
    pub sink: Rc<dyn Sink>,
}

/// The WASI transport, clock and logging.
#[cfg(target_family = "wasm")]
pub fn environment() -> Environment {
    Environment {
        transport: Box::new(crate::http::wasi::WasiTransport),
        clock: Rc::new(crate::clock::wasi::WasiClock),
        sink: Rc::new(crate::log::wasi::WasiSink),
    }
}

/// A native build has no WASI host: requests fail with a transport error, the clock is the
/// process's, and log lines are dropped.
#[cfg(not(target_family = "wasm"))]
pub fn environment() -> Environment {
    native::environment()
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    use super::Environment;
    use crate::clock::Clock;
    use crate::http::{Request, Response, Timeouts, Transport, TransportError};
    use crate::log::{Level, Sink};
    use crate::wit::TransportKind;

    struct NoTransport;

    impl Transport for NoTransport {
        fn send(&self, _: &Request, _: &Timeouts) -> Result<Response, TransportError> {
            Err(TransportError {
                kind: TransportKind::Other,
                message: "this build has no HTTP transport; run the connector as a component"
                    .into(),
            })
        }
    }

    struct ProcessClock(Instant);

    impl Clock for ProcessClock {
        fn now_nanos(&self) -> u64 {
            u64::try_from(self.0.elapsed().as_nanos()).unwrap_or(u64::MAX)
        }

        fn sleep_nanos(&self, nanos: u64) {
            std::thread::sleep(Duration::from_nanos(nanos));
        }
    }

    struct NoSink;

    impl Sink for NoSink {
        fn log(&self, _: Level, _: &str, _: &str) {}
    }

    pub fn environment() -> Environment {
        Environment {
            transport: Box::new(NoTransport),
            clock: Rc::new(ProcessClock(Instant::now())),
            sink: Rc::new(NoSink),
        }
    }
}
