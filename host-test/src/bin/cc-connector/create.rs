//! `cc-connector create`: creates contacts from NDJSON or CSV records.

use clap::Args;
use host_test::Harness;
use host_test::records::names::EnumName;
use host_test::records::read_contacts;
use host_test::wit::{ConflictPolicy, CreateOptions, Source};

use crate::connection::ConnectionArgs;
use crate::exit::{CmdResult, Exit, OrExit};
use crate::files::{InputArgs, OutputArgs};
use crate::writes::{BatchArgs, run_batches};

#[derive(Args)]
pub struct CreateArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    batch: BatchArgs,

    /// What to do when an email address already belongs to a contact [default: fail]
    #[arg(long, value_name = "fail|skip|update", value_parser = parse_enum::<ConflictPolicy>)]
    on_conflict: Option<ConflictPolicy>,

    /// Who is recorded as creating the contacts [default: account]
    #[arg(long, value_name = "account|contact", value_parser = parse_enum::<Source>)]
    create_source: Option<Source>,
}

/// Reads a WIT enum name for clap.
pub fn parse_enum<E: EnumName + Send + Sync>(text: &str) -> Result<E, String> {
    E::parse(text).ok_or_else(|| format!("expected {}, found \"{text}\"", E::expected()))
}

impl CreateArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let (text, format) = self.input.read()?;
        let records = read_contacts(&text, format).or_exit(Exit::Usage)?;
        let options = CreateOptions {
            create_source: self.create_source,
            on_conflict: self.on_conflict,
        };
        run_batches(
            "create",
            &records,
            &self.batch,
            &self.output,
            verbose,
            async |chunk| {
                harness
                    .create(&self.connection.current(&config), chunk, &options)
                    .await
            },
        )
        .await
    }
}
