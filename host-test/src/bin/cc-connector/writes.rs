//! The common loop of `create`, `update` and `delete`, for v3 and v2 records alike: send the
//! records in batches (each a fresh connector call), write each batch's outcomes as soon as
//! it returns, and end with a summary and the exit code.

use clap::Args;
use host_test::Run;
use host_test::records::OutcomeWriter;
use host_test::records::json::{
    contact_ref_to_json, contact_to_json, contact_update_to_json, v2_contact_to_json,
    v2_update_to_json,
};
use host_test::wit::{Contact, ContactRef, ContactUpdate, Error, Outcome, V2Contact, V2Update};

use crate::exit::{CmdResult, Exit, Failure, OrExit};
use crate::files::OutputArgs;
use crate::report::{Tally, print_capture};

/// The largest batch. Each call runs under the harness's CPU and wall-clock limits; a call
/// that hits one loses the outcomes of every record it had already written, so a batch must
/// finish well within them: at the API's 4 requests a second, 500 updates (two requests
/// each) take about 250 s of the 600 s wall clock.
const MAX_BATCH: u32 = 500;

/// The most record data one call takes, in bytes of the records' JSON form. The records are
/// copied into the component, whose memory is bounded (64 MiB), and it builds request bodies
/// from them; a batch of many large records (long notes, say) would exhaust that memory and
/// lose every outcome of the batch.
const MAX_BATCH_BYTES: usize = 8 << 20;

/// The size of a record in its JSON form, to keep batches within `MAX_BATCH_BYTES`.
pub trait RecordSize {
    fn json_bytes(&self) -> usize;
}

impl RecordSize for Contact {
    fn json_bytes(&self) -> usize {
        contact_to_json(self).to_string().len()
    }
}

impl RecordSize for ContactUpdate {
    fn json_bytes(&self) -> usize {
        contact_update_to_json(self).to_string().len()
    }
}

impl RecordSize for V2Contact {
    fn json_bytes(&self) -> usize {
        v2_contact_to_json(self).to_string().len()
    }
}

impl RecordSize for V2Update {
    fn json_bytes(&self) -> usize {
        v2_update_to_json(self).to_string().len()
    }
}

impl RecordSize for ContactRef {
    fn json_bytes(&self) -> usize {
        contact_ref_to_json(self).to_string().len()
    }
}

/// Splits `records` into batches of at most `max` records and `max_bytes` bytes; a record
/// larger than `max_bytes` goes alone.
fn batches<R: RecordSize>(records: &[R], max: usize, max_bytes: usize) -> Vec<&[R]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, record) in records.iter().enumerate() {
        let size = record.json_bytes();
        if i > start && (i - start == max || bytes + size > max_bytes) {
            out.push(&records[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < records.len() {
        out.push(&records[start..]);
    }
    out
}

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
    R: RecordSize,
    F: AsyncFnMut(&[R]) -> anyhow::Result<Run<Vec<Outcome>>>,
{
    let format = output.format_for("--output-format")?;
    let (out, _) = output.open(false)?;
    let mut writer = OutcomeWriter::new(out, format).or_exit(Exit::Usage)?;
    let mut tally = Tally::default();

    // The error that stopped an earlier batch: it would stop every later one the same way
    // (a rejected token, a missing scope, a spent quota, an unusable config), so their
    // records are not sent either.
    let mut stopped_by: Option<Error> = None;
    let mut config_unusable = false;

    for chunk in batches(records, batch.batch_size as usize, MAX_BATCH_BYTES) {
        let first = tally.records + 1;
        if let Some(error) = &stopped_by {
            let outcomes: Vec<Outcome> = chunk
                .iter()
                .map(|_| Outcome::NotAttempted(error.clone()))
                .collect();
            writer.write_all(first, &outcomes).or_exit(Exit::Usage)?;
            tally.add(first, &outcomes);
            continue;
        }

        let run = match call(chunk).await {
            Ok(run) => run,
            Err(error) => {
                tally.print(activity, 20);
                let unsent = records.len() - tally.records;
                let noun = if unsent == 1 { "record" } else { "records" };
                return Err(Failure {
                    exit: Exit::Harness,
                    error: error.context(format!(
                        "stopped with {unsent} {noun} from record {first} on without outcomes; \
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

        config_unusable |= run.value.iter().any(|o| {
            matches!(
                o,
                Outcome::Failed(Error::InvalidConfig(_))
                    | Outcome::NotAttempted(Error::InvalidConfig(_))
            )
        });
        if let Some(Outcome::NotAttempted(error)) = run.value.last() {
            stopped_by = Some(error.clone());
        }
    }

    tally.print(activity, 20);
    Ok(if config_unusable {
        Exit::Usage
    } else if tally.all_succeeded() {
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

    fn written(id: &str) -> Outcome {
        Outcome::Created(host_test::wit::Written {
            contact_id: id.into(),
            notes: Vec::new(),
            losses: Vec::new(),
        })
    }

    fn outputs(name: &str) -> (OutputArgs, std::path::PathBuf) {
        let path =
            std::env::temp_dir().join(format!("cc-writes-{}-{name}.ndjson", std::process::id()));
        let output = OutputArgs {
            output: path.clone(),
            format: None,
        };
        (output, path)
    }

    fn unauthorized() -> Error {
        Error::Unauthorized(host_test::wit::ApiFailure {
            status: 401,
            error_key: None,
            message: "failed to create the contact: the token was rejected".into(),
        })
    }

    #[tokio::test]
    async fn a_stopping_error_is_not_sent_again_by_later_batches() {
        let (output, path) = outputs("stopped");
        let batch = BatchArgs { batch_size: 2 };
        let records = ["a", "b", "c", "d", "e"];
        let mut calls = 0;
        let exit = run_batches(
            "create",
            &records,
            &batch,
            &output,
            0,
            async |chunk: &[&str]| {
                calls += 1;
                let value = if calls == 1 {
                    vec![written("c-a"), Outcome::Failed(unauthorized())]
                } else {
                    chunk
                        .iter()
                        .map(|_| Outcome::NotAttempted(unauthorized()))
                        .collect()
                };
                Ok(Run {
                    value,
                    capture: Default::default(),
                })
            },
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::SomeFailed);
        assert_eq!(
            calls, 2,
            "a failed record does not stop the next batch; a not_attempted one stops the rest"
        );

        let mut calls = 0;
        let exit = run_batches(
            "create",
            &records,
            &batch,
            &output,
            0,
            async |chunk: &[&str]| {
                calls += 1;
                let mut value = vec![Outcome::Failed(unauthorized())];
                value.extend(
                    chunk[1..]
                        .iter()
                        .map(|_| Outcome::NotAttempted(unauthorized())),
                );
                Ok(Run {
                    value,
                    capture: Default::default(),
                })
            },
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::SomeFailed);
        assert_eq!(calls, 1, "later batches are not sent");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 5, "every record still gets one outcome");
        assert_eq!(lines[4]["record"], 5);
        assert_eq!(lines[4]["outcome"], "not_attempted");
        assert_eq!(lines[4]["error"]["kind"], "unauthorized");
        std::fs::remove_file(&path).unwrap();
    }

    #[tokio::test]
    async fn an_unusable_config_is_a_configuration_error() {
        let (output, path) = outputs("config");
        let batch = BatchArgs { batch_size: 100 };
        let exit = run_batches(
            "delete",
            &["a"],
            &batch,
            &output,
            0,
            async |_: &[&str]| {
                Ok(Run {
                    value: vec![Outcome::NotAttempted(Error::InvalidConfig(
                        "failed to open the connection: api_base_url is not usable".into(),
                    ))],
                    capture: Default::default(),
                })
            },
        )
        .await
        .unwrap();
        assert_eq!(exit, Exit::Usage);
        std::fs::remove_file(&path).unwrap();
    }

    impl RecordSize for &str {
        fn json_bytes(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn batches_are_bounded_in_records_and_bytes() {
        let records = ["aaaa", "bb", "cc", "dddddddd", "e", "f", "g"];
        let sizes: Vec<Vec<&str>> = batches(&records, 3, 6)
            .into_iter()
            .map(<[&str]>::to_vec)
            .collect();
        assert_eq!(
            sizes,
            [
                vec!["aaaa", "bb"],
                vec!["cc"],
                vec!["dddddddd"],
                vec!["e", "f", "g"]
            ]
        );
        assert!(batches::<&str>(&[], 3, 6).is_empty());

        let contact = host_test::records::json::contact_from_json(
            &serde_json::json!({"email_address": "a@b.c", "notes": [{"content": "x".repeat(3 << 20)}]}),
        )
        .unwrap();
        let many = vec![contact; 5];
        let counts: Vec<usize> = batches(&many, 100, MAX_BATCH_BYTES)
            .iter()
            .map(|b| b.len())
            .collect();
        assert_eq!(counts, [2, 2, 1], "3 MiB contacts go two to a call");
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
