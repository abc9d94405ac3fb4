//! `cc-connector update`: updates contacts from NDJSON (`{target, changes, clear}` in v3, or
//! `{target, changes}` with v2 changes) or CSV (`id` or `email` target plus the changed
//! columns) records.

use clap::Args;
use host_test::Harness;
use host_test::records::{Model, read_updates, read_v2_updates};
use host_test::wit::{Source, UpdateMode, UpdateOptions};

use crate::connection::ConnectionArgs;
use crate::create::parse_enum;
use crate::exit::{CmdResult, Exit, OrExit};
use crate::files::{InputArgs, OutputArgs};
use crate::model::ModelArgs;
use crate::writes::{BatchArgs, run_batches};

#[derive(Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    batch: BatchArgs,
    #[command(flatten)]
    model: ModelArgs,

    /// merge: change only what a record gives; replace: the record is the whole contact [default: merge]
    #[arg(long, value_name = "merge|replace", value_parser = parse_enum::<UpdateMode>)]
    mode: Option<UpdateMode>,

    /// Who is recorded as updating the contacts [default: account]
    #[arg(long, value_name = "account|contact", value_parser = parse_enum::<Source>)]
    update_source: Option<Source>,

    /// Create the lists and tags that records name but the account lacks, instead of
    /// refusing those records
    #[arg(long)]
    create_missing: bool,
}

impl UpdateArgs {
    fn options(&self) -> UpdateOptions {
        UpdateOptions {
            mode: self.mode,
            update_source: self.update_source,
            create_missing: self.create_missing.then_some(true),
        }
    }

    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let (text, format) = self.input.read()?;
        let options = self.options();
        let (batch, output) = (&self.batch, &self.output);
        let current = || self.connection.current(&config);

        match self.model.choose(&text, format, true)? {
            Model::V3 => {
                let records = read_updates(&text, format).or_exit(Exit::Usage)?;
                run_batches("update", &records, batch, output, verbose, async |chunk| {
                    harness.update(&current(), chunk, &options).await
                })
                .await
            }
            Model::V2 => {
                let records = read_v2_updates(&text, format).or_exit(Exit::Usage)?;
                eprintln!("update: the changes are v2 contacts; sending them to update-v2");
                run_batches("update", &records, batch, output, verbose, async |chunk| {
                    harness.update_v2(&current(), chunk, &options).await
                })
                .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        update: UpdateArgs,
    }

    #[test]
    fn flags_become_update_options() {
        let base = ["update", "--input", "-", "--access-token", "t"];
        let parse = |args: &[&str]| {
            Cli::try_parse_from(base.iter().chain(args))
                .unwrap()
                .update
                .options()
        };
        let options = parse(&["--create-missing", "--mode", "replace"]);
        assert_eq!(options.create_missing, Some(true));
        assert!(options.mode == Some(UpdateMode::Replace));
        assert_eq!(parse(&[]).create_missing, None);
    }
}
