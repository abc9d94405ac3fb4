//! The command's exit codes and the error that carries one.

use std::process::ExitCode;

/// Exit codes, as documented in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every record succeeded (skips count as success), or the command did what it said.
    Success = 0,
    /// Some records failed or were not attempted.
    SomeFailed = 1,
    /// Bad usage or configuration.
    Usage = 2,
    /// A connection or API failure stopped the command (e.g. `test` failed, a query error).
    Stopped = 3,
    /// The harness failed: the connector trapped or hit a limit.
    Harness = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// The text shown at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  every record succeeded (skips count as success)
  1  some records failed or were not attempted
  2  usage or configuration error
  3  a connection or API failure stopped the command (e.g. test failed, query error)
  4  harness failure (the connector trapped or hit a limit)";

/// An error with the exit code it ends the command with.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub error: anyhow::Error,
}

pub type CmdResult = Result<Exit, Failure>;

/// Tags an error with the exit code it should end the command with.
pub trait OrExit<T> {
    fn or_exit(self, exit: Exit) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> OrExit<T> for Result<T, E> {
    fn or_exit(self, exit: Exit) -> Result<T, Failure> {
        self.map_err(|e| Failure {
            exit,
            error: e.into(),
        })
    }
}

/// Whether the error is a closed stdout (e.g. `cc-connector query | head`): the reader has
/// what it wanted, so the command ends quietly.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints a line on stdout, failing (instead of panicking) when stdout is closed.
pub fn say(line: &str) -> Result<(), Failure> {
    use std::io::Write;
    writeln!(std::io::stdout(), "{line}")
        .map_err(|e| anyhow::Error::new(e).context("failed to write to stdout"))
        .or_exit(Exit::Usage)
}

/// How a command stopped by a connector error ends: an unusable connection config is a
/// configuration error (2), anything else a connection or API failure (3).
pub fn stopped_by(error: &host_test::wit::Error) -> Exit {
    match error {
        host_test::wit::Error::InvalidConfig(_) => Exit::Usage,
        _ => Exit::Stopped,
    }
}

/// A usage error with a message.
pub fn usage(message: String) -> Failure {
    Failure {
        exit: Exit::Usage,
        error: anyhow::anyhow!(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use host_test::wit::{ApiFailure, Error};

    #[test]
    fn an_unusable_config_ends_as_a_configuration_error() {
        assert_eq!(
            stopped_by(&Error::InvalidConfig("bad url".into())),
            Exit::Usage
        );
        let refused = Error::Unauthorized(ApiFailure {
            status: 401,
            error_key: None,
            message: "failed to test the connection: the token was rejected".into(),
        });
        assert_eq!(stopped_by(&refused), Exit::Stopped);
    }
}
