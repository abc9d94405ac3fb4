//! What one connector call left behind: its `wasi:logging` records, stdout and stderr, and
//! the HTTP requests it made or was refused. Known secrets are scrubbed before anything
//! leaves the harness.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// Most bytes of stdout or stderr kept per call; writing more traps the guest.
pub(crate) const PIPE_CAPACITY: usize = 4 << 20;

/// Most bytes of log records and request lines kept per call. A guest that logs without end
/// cannot exhaust the host; what comes past the limit is counted, not kept.
pub(crate) const RECORDS_CAPACITY: usize = 4 << 20;

/// What replaces a secret wherever it would have appeared.
pub(crate) const REDACTED: &str = "[redacted]";

/// Severity of a log record, from the most verbose to the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Critical,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One log record. Records the guest wrote carry its context; the harness's own records
/// (e.g. a refused request) use contexts starting with `harness`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    pub level: Level,
    pub context: String,
    pub message: String,
}

impl fmt::Display for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.level, self.context, self.message)
    }
}

/// Everything one call left behind, secrets scrubbed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capture {
    pub logs: Vec<LogRecord>,
    pub stdout: String,
    pub stderr: String,
    /// Requests let through, as `METHOD URI` (sensitive query values redacted).
    pub egress: Vec<String>,
    /// Requests refused by the egress allowlist, in the same form.
    pub denied: Vec<String>,
}

impl Capture {
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty()
            && self.stdout.is_empty()
            && self.stderr.is_empty()
            && self.egress.is_empty()
            && self.denied.is_empty()
    }

    /// The log records at `min` or above.
    pub fn logs_at_least(&self, min: Level) -> impl Iterator<Item = &LogRecord> {
        self.logs.iter().filter(move |r| r.level >= min)
    }
}

impl fmt::Display for Capture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for record in &self.logs {
            writeln!(f, "{record}")?;
        }
        for line in &self.egress {
            writeln!(f, "egress: {line}")?;
        }
        for line in &self.denied {
            writeln!(f, "denied: {line}")?;
        }
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            for line in text.lines() {
                writeln!(f, "{name}: {line}")?;
            }
        }
        Ok(())
    }
}

/// Replaces known secret values in text. Built from the call's connection config.
#[derive(Debug, Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .collect();
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// Adds a secret learned during the call (a renewed token).
    pub(crate) fn learn(&mut self, secret: &str) {
        if secret.trim().is_empty() || self.secrets.iter().any(|s| s == secret) {
            return;
        }
        self.secrets.push(secret.to_owned());
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }
}

#[derive(Default)]
struct Records {
    logs: Vec<LogRecord>,
    egress: Vec<String>,
    denied: Vec<String>,
    bytes: usize,
    dropped: usize,
}

impl Records {
    /// Whether `len` more bytes fit; counts a drop when they do not.
    fn room_for(&mut self, len: usize) -> bool {
        if self.bytes + len > RECORDS_CAPACITY {
            self.dropped += 1;
            return false;
        }
        self.bytes += len;
        true
    }
}

/// The shared, growing capture of one store: the logging host, the egress hooks and the
/// harness all write to it.
#[derive(Clone)]
pub(crate) struct CaptureSink {
    records: Arc<Mutex<Records>>,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
    redactor: Arc<std::sync::RwLock<Redactor>>,
}

impl CaptureSink {
    pub(crate) fn new(redactor: Redactor) -> Self {
        CaptureSink {
            records: Arc::default(),
            stdout: MemoryOutputPipe::new(PIPE_CAPACITY),
            stderr: MemoryOutputPipe::new(PIPE_CAPACITY),
            redactor: Arc::new(std::sync::RwLock::new(redactor)),
        }
    }

    pub(crate) fn stdout_pipe(&self) -> MemoryOutputPipe {
        self.stdout.clone()
    }

    pub(crate) fn stderr_pipe(&self) -> MemoryOutputPipe {
        self.stderr.clone()
    }

    fn records(&self) -> MutexGuard<'_, Records> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn scrub(&self, text: &str) -> String {
        self.redactor
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .scrub(text)
    }

    /// Makes every later record, and the pipes' text, hide `secret` too.
    pub(crate) fn learn_secret(&self, secret: &str) {
        self.redactor
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .learn(secret);
    }

    pub(crate) fn log(&self, level: Level, context: &str, message: &str) {
        let mut records = self.records();
        if !records.room_for(context.len() + message.len()) {
            return;
        }
        records.logs.push(LogRecord {
            level,
            context: self.scrub(context),
            message: self.scrub(message),
        });
    }

    pub(crate) fn egress(&self, line: &str) {
        let mut records = self.records();
        if records.room_for(line.len()) {
            records.egress.push(self.scrub(line));
        }
    }

    pub(crate) fn denied(&self, line: &str) {
        let mut records = self.records();
        if records.room_for(line.len()) {
            records.denied.push(self.scrub(line));
        }
    }

    /// Everything captured so far.
    pub(crate) fn snapshot(&self) -> Capture {
        let records = self.records();
        let text = |pipe: &MemoryOutputPipe| {
            let bytes = pipe.contents();
            self.scrub(&String::from_utf8_lossy(&bytes))
        };
        let mut logs = records.logs.clone();
        if records.dropped > 0 {
            logs.push(LogRecord {
                level: Level::Warn,
                context: "harness.capture".into(),
                message: format!(
                    "dropped {} records past the capture limit of {RECORDS_CAPACITY} bytes",
                    records.dropped
                ),
            });
        }
        Capture {
            logs,
            stdout: text(&self.stdout),
            stderr: text(&self.stderr),
            egress: records.egress.clone(),
            denied: records.denied.clone(),
        }
    }
}

/// Prints a capture to stderr under a heading naming the activity, so a failing test shows
/// what the connector did (libtest hides it for passing tests).
pub(crate) fn echo(activity: &str, capture: &Capture) {
    if capture.is_empty() {
        return;
    }
    eprintln!("--- connector capture: {activity} ---\n{capture}--- end of capture ---");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_by_severity() {
        assert!(Level::Trace < Level::Debug);
        assert!(Level::Info < Level::Warn);
        assert!(Level::Error < Level::Critical);
    }

    #[test]
    fn secrets_are_scrubbed_from_everything_recorded() {
        let sink = CaptureSink::new(Redactor::new(["tok-123", "", "refresh-9"]));
        sink.log(Level::Info, "auth", "sent Bearer tok-123 and refresh-9");
        sink.egress("POST https://auth.example/token?refresh_token=refresh-9");
        sink.denied("GET https://evil.example/?t=tok-123");

        let capture = sink.snapshot();
        let text = capture.to_string();
        assert!(!text.contains("tok-123"), "{text}");
        assert!(!text.contains("refresh-9"), "{text}");
        assert_eq!(
            capture.logs[0].message,
            "sent Bearer [redacted] and [redacted]"
        );
        assert_eq!(capture.denied.len(), 1);
    }

    #[test]
    fn longer_secrets_are_replaced_whole() {
        let redactor = Redactor::new(["abc", "abcdef"]);
        assert_eq!(
            redactor.scrub("x abcdef y abc"),
            "x [redacted] y [redacted]"
        );
    }

    #[test]
    fn a_guest_that_logs_without_end_is_cut_off() {
        let sink = CaptureSink::new(Redactor::default());
        let message = "x".repeat(1 << 20);
        for _ in 0..10 {
            sink.log(Level::Info, "", &message);
        }
        sink.egress("GET http://127.0.0.1/after-the-limit");
        let capture = sink.snapshot();
        assert_eq!(
            capture.logs.len(),
            4 + 1,
            "four records fill it, then the note"
        );
        let note = capture.logs.last().unwrap();
        assert_eq!(note.context, "harness.capture");
        assert!(
            note.message.starts_with("dropped 7 records"),
            "{}",
            note.message
        );
        assert!(capture.egress.is_empty());
    }

    #[test]
    fn filter_by_level() {
        let sink = CaptureSink::new(Redactor::default());
        sink.log(Level::Debug, "a", "one");
        sink.log(Level::Warn, "a", "two");
        let capture = sink.snapshot();
        let messages: Vec<_> = capture
            .logs_at_least(Level::Info)
            .map(|r| r.message.as_str())
            .collect();
        assert_eq!(messages, ["two"]);
    }
}
