//! The host side of `wasi:logging/logging`: the guest's records go into the call's capture,
//! scrubbed of known secrets.

use super::capture::Level;
use super::store::HostState;
use crate::wit::{LoggingHost, WitLevel};

impl From<WitLevel> for Level {
    fn from(level: WitLevel) -> Self {
        match level {
            WitLevel::Trace => Level::Trace,
            WitLevel::Debug => Level::Debug,
            WitLevel::Info => Level::Info,
            WitLevel::Warn => Level::Warn,
            WitLevel::Error => Level::Error,
            WitLevel::Critical => Level::Critical,
        }
    }
}

impl LoggingHost for HostState {
    async fn log(&mut self, level: WitLevel, context: String, message: String) {
        self.capture.log(level.into(), &context, &message);
    }
}
