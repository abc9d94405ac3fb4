//! The common loop of `create`, `update` and `delete`: send the records in batches (each a
//! fresh connector call), write each batch's outcomes as soon as it returns, and end with a
//! summary and the exit code.

use clap::Args;
use host_test::Run;
use host_test::records::OutcomeWriter;
use host_test::wit::Outcome;

use crate::exit::{CmdResult, Exit, Failure, OrExit};
use crate::files::OutputArgs;
use crate::report::{Tally, print_capture};

/// The largest batch. Each call runs under the harness's CPU and wall-clock limits; a call
/// that hits one loses the outcomes of every record it had already written, so a batch must
/// finish well within them: at the API's 4 requests a second, 500 updates (two requests
/// each) take about 250 s of the 600 s wall clock.
const MAX_BATCH: u32 = 500;

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Records per connector call, 1 to 500; each call runs under the harness's time limits
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH as i64))]
    pub batch_size: u32,
}

/// Runs `call` on each batch of `records` and reports. `activity` names the command.
pub async fn run_batches<R, F>(
    activity: &str,
    records: &[R],
    batch: &BatchArgs,
    output: &OutputArgs,
    verbose: u8,
    mut call: F,
) -> CmdResult
where
    F: AsyncFnMut(&[R]) -> anyhow::Result<Run<Vec<Outcome>>>,
{
    let format = output.format_for("--output-format")?;
    let (out, _) = output.open(false)?;
    let mut writer = OutcomeWriter::new(out, format).or_exit(Exit::Usage)?;
    let mut tally = Tally::default();

    for chunk in records.chunks(batch.batch_size as usize) {
        let first = tally.records + 1;
        let run = match call(chunk).await {
            Ok(run) => run,
            Err(error) => {
                tally.print(activity, 20);
                let unsent = records.len() - tally.records;
                return Err(Failure {
                    exit: Exit::Harness,
                    error: error.context(format!(
                        "stopped with {unsent} records from record {first} on without outcomes; \
                         records {first} to {last} may have been written, so send them again \
                         in a way that tolerates that (e.g. create with --on-conflict skip)",
                        last = first + chunk.len() - 1
                    )),
                });
            }
        };
        print_capture(&run.capture, verbose);
        writer.write_all(first, &run.value).or_exit(Exit::Usage)?;
        tally.add(first, &run.value);
    }

    tally.print(activity, 20);
    Ok(if tally.all_succeeded() {
        Exit::Success
    } else {
        Exit::SomeFailed
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        batch: BatchArgs,
    }

    #[test]
    fn batches_stay_within_the_call_limits() {
        let parsed = |size: &str| Cli::try_parse_from(["cli", "--batch-size", size]);
        assert_eq!(parsed("500").unwrap().batch.batch_size, 500);
        assert_eq!(Cli::try_parse_from(["cli"]).unwrap().batch.batch_size, 100);
        assert!(parsed("501").is_err());
        assert!(parsed("0").is_err());
    }
}
