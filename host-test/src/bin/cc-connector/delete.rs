//! `cc-connector delete`: soft-deletes contacts named by `{"id": ..}` / `{"email": ..}`
//! lines or an `id`/`email` CSV.

use clap::Args;
use host_test::Harness;
use host_test::records::read_refs;

use crate::connection::ConnectionArgs;
use crate::exit::{CmdResult, Exit, OrExit};
use crate::files::{InputArgs, OutputArgs};
use crate::writes::{BatchArgs, run_batches};

#[derive(Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

impl DeleteArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let (text, format) = self.input.read()?;
        let records = read_refs(&text, format).or_exit(Exit::Usage)?;
        run_batches(
            "delete",
            &records,
            &self.batch,
            &self.output,
            verbose,
            async |chunk| {
                harness
                    .delete(&self.connection.current(&config), chunk)
                    .await
            },
        )
        .await
    }
}
