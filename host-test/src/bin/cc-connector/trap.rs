//! The connector's own last words when a call dies in the harness. A trap (a panic in the
//! guest) loses the call's capture, so the command keeps the guest's stderr of the latest
//! call and shows it beside the harness error: that is where a panic's message is.

use std::sync::Mutex;

use crate::report::for_terminal;

/// Guest stderr lines of the latest call, already scrubbed of secrets by the harness.
static LAST_STDERR: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The prefix the harness gives guest stderr lines when it writes a capture out as text.
const STDERR_PREFIX: &str = "stderr: ";

/// From now on, keeps the guest stderr of every call, each call's replacing the last.
pub fn keep_guest_stderr() {
    host_test::harness::observe_every_call(remember);
}

/// The guest stderr of the latest call, one `[guest stderr]` line each, fit for a terminal.
pub fn last_words() -> Vec<String> {
    let lines = LAST_STDERR.lock().unwrap_or_else(|e| e.into_inner());
    lines
        .iter()
        .map(|line| format!("[guest stderr] {}", for_terminal(line)))
        .collect()
}

fn remember(_activity: &str, text: &str) {
    let lines = guest_stderr(text);
    *LAST_STDERR.lock().unwrap_or_else(|e| e.into_inner()) = lines;
}

/// The guest stderr lines in an observed call's text (its capture, then its value), blank
/// ones left out.
fn guest_stderr(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix(STDERR_PREFIX))
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use host_test::Capture;

    #[test]
    fn only_the_guest_stderr_lines_of_a_capture_are_kept() {
        let capture = Capture {
            stdout: "stdout: not this\nplain output\n".into(),
            stderr: "\nthread '<unnamed>' panicked at src/x.rs:1:2:\nbyte index 10 is not a char \
                     boundary\n"
                .into(),
            egress: vec!["GET http://127.0.0.1:1/v3/contacts".into()],
            ..Capture::default()
        };
        let text = format!("{capture}\nErr(failed to run create)");

        assert_eq!(
            guest_stderr(&text),
            [
                "thread '<unnamed>' panicked at src/x.rs:1:2:",
                "byte index 10 is not a char boundary",
            ]
        );
    }

    #[test]
    fn the_latest_call_replaces_the_previous_one_and_control_characters_are_escaped() {
        remember("create", "stderr: first call\n");
        remember("create", "stderr: second \u{1b}[31mcall\nOk(())");

        assert_eq!(
            last_words(),
            ["[guest stderr] second \\u{1b}[31mcall".to_string()]
        );

        remember("create", "Ok(())");
        assert!(last_words().is_empty());
    }
}
