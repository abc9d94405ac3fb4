//! Host side of the Constant Contact connector: a wasmtime harness that runs the component
//! under limits and an egress allowlist, the JSON and CSV forms of its records, and the demo.

pub mod demo;
pub mod harness;
pub mod records;
pub mod wit;

pub use harness::{
    Capture, Harness, HarnessOptions, Level, LimitExceeded, LimitKind, Limits, LogRecord, QueryRun,
    Run, default_config,
};
