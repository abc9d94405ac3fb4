//! `cc-connector delete`: soft-deletes (or, with `--unsubscribe`, opts out) contacts named
//! by `{"id": ..}` / `{"email": ..}` lines or an `id`/`email` CSV.

use clap::Args;
use host_test::Harness;
use host_test::records::read_refs;
use host_test::wit::{DeleteMode, DeleteOptions};

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

    /// Opt the contacts' addresses out instead of deleting them, as the v2 API's delete did;
    /// deleted contacts are left alone
    #[arg(long)]
    unsubscribe: bool,

    /// With --unsubscribe: the opt-out reason recorded, up to 255 characters
    #[arg(long, value_name = "TEXT", requires = "unsubscribe")]
    reason: Option<String>,
}

impl DeleteArgs {
    fn options(&self) -> DeleteOptions {
        DeleteOptions {
            mode: self.unsubscribe.then_some(DeleteMode::Unsubscribe),
            opt_out_reason: self.reason.clone(),
        }
    }

    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let (text, format) = self.input.read()?;
        let records = read_refs(&text, format).or_exit(Exit::Usage)?;
        let options = self.options();
        run_batches(
            "delete",
            &records,
            &self.batch,
            &self.output,
            verbose,
            async |chunk| {
                harness
                    .delete(&self.connection.current(&config), chunk, &options)
                    .await
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        delete: DeleteArgs,
    }

    fn parse(args: &[&str]) -> Result<DeleteArgs, clap::Error> {
        let base = ["delete", "--input", "-", "--access-token", "t"];
        Cli::try_parse_from(base.iter().chain(args)).map(|cli| cli.delete)
    }

    #[test]
    fn flags_become_delete_options() {
        let options = parse(&["--unsubscribe", "--reason", "asked by phone"])
            .unwrap()
            .options();
        assert!(options.mode == Some(DeleteMode::Unsubscribe));
        assert_eq!(options.opt_out_reason.as_deref(), Some("asked by phone"));

        let soft = parse(&[]).unwrap().options();
        assert!(
            soft.mode.is_none(),
            "a soft delete is the connector's default"
        );
        assert!(soft.opt_out_reason.is_none());
        assert!(
            parse(&["--reason", "x"]).is_err(),
            "a reason needs --unsubscribe"
        );
    }
}
