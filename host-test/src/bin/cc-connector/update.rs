//! `cc-connector update`: updates contacts from NDJSON (`{target, changes, clear}`) or CSV
//! (`id` or `email` target plus the changed columns) records.

use clap::Args;
use host_test::Harness;
use host_test::records::read_updates;
use host_test::wit::{Source, UpdateMode, UpdateOptions};

use crate::connection::ConnectionArgs;
use crate::create::parse_enum;
use crate::exit::{CmdResult, Exit, OrExit};
use crate::files::{InputArgs, OutputArgs};
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

    /// merge: change only what a record gives; replace: the record is the whole contact [default: merge]
    #[arg(long, value_name = "merge|replace", value_parser = parse_enum::<UpdateMode>)]
    mode: Option<UpdateMode>,

    /// Who is recorded as updating the contacts [default: account]
    #[arg(long, value_name = "account|contact", value_parser = parse_enum::<Source>)]
    update_source: Option<Source>,
}

impl UpdateArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let (text, format) = self.input.read()?;
        let records = read_updates(&text, format).or_exit(Exit::Usage)?;
        let options = UpdateOptions {
            mode: self.mode,
            update_source: self.update_source,
        };
        run_batches(
            "update",
            &records,
            &self.batch,
            &self.output,
            verbose,
            async |chunk| {
                harness
                    .update(&self.connection.current(&config), chunk, &options)
                    .await
            },
        )
        .await
    }
}
