//! The logging seam: leveled lines to the host's `wasi:logging`, with every known secret
//! scrubbed out before a line leaves the connector.

use std::rc::Rc;

use crate::secret::Scrubber;

/// How much a line matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Debug,
    Info,
}

/// Where log lines go.
pub trait Sink {
    fn log(&self, level: Level, context: &str, message: &str);
}

/// The connector's logger: a sink plus the scrubber that keeps secrets out of it.
#[derive(Clone)]
pub struct Log {
    sink: Rc<dyn Sink>,
    scrubber: Scrubber,
}

impl Log {
    pub fn new(sink: Rc<dyn Sink>, scrubber: Scrubber) -> Self {
        Log { sink, scrubber }
    }

    pub fn debug(&self, context: &str, message: &str) {
        self.write(Level::Debug, context, message);
    }

    pub fn info(&self, context: &str, message: &str) {
        self.write(Level::Info, context, message);
    }

    fn write(&self, level: Level, context: &str, message: &str) {
        self.sink.log(level, context, &self.scrubber.scrub(message));
    }
}

#[cfg(target_family = "wasm")]
pub mod wasi {
    use super::Level;
    use crate::wasi::logging::logging::{Level as WasiLevel, log};

    /// The imported `wasi:logging/logging`.
    pub struct WasiSink;

    impl super::Sink for WasiSink {
        fn log(&self, level: Level, context: &str, message: &str) {
            let level = match level {
                Level::Debug => WasiLevel::Debug,
                Level::Info => WasiLevel::Info,
            };
            log(level, context, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::testing::CaptureSink;

    #[test]
    fn lines_are_scrubbed_before_they_reach_the_sink() {
        let sink = Rc::new(CaptureSink::default());
        let token = Secret::new("the-access-token".into());
        let log = Log::new(sink.clone(), Scrubber::new([&token]));
        log.info("cc-connector", "token is the-access-token");
        assert_eq!(
            sink.lines(),
            vec![(
                Level::Info,
                "cc-connector".to_owned(),
                "token is <redacted>".to_owned()
            )]
        );
    }
}
