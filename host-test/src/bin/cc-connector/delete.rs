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
    #[arg(long, value_name = "TEXT", requires = "unsubscribe", value_parser = parse_reason)]
    reason: Option<String>,
}

/// The API's limit on `opt_out_reason`, in characters.
const MAX_REASON: usize = 255;

/// Refuses a reason the API would refuse before any record is read, since the one reason is
/// sent with every contact: over-long, or holding control characters other than line
/// breaks and tabs.
fn parse_reason(text: &str) -> Result<String, String> {
    let count = text.chars().count();
    if count > MAX_REASON {
        return Err(format!(
            "failed to accept the reason: it has {count} characters, at most {MAX_REASON} are allowed"
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!(
            "failed to accept the reason: it contains the control character U+{:04X}",
            u32::from(c)
        ));
    }
    Ok(text.to_owned())
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

    #[tokio::test]
    async fn unsubscribe_opts_the_contact_out_and_keeps_it() {
        let emulator = cc_emulator::Emulator::start_default().unwrap();
        let id = emulator.insert_contact(serde_json::json!({
            "email_address": {"address": "leave@example.com", "permission_to_send": "implicit"},
        }));
        let dir = std::env::temp_dir();
        let tag = std::process::id();
        let (input, output) = (
            dir.join(format!("cc-unsubscribe-{tag}.ndjson")),
            dir.join(format!("cc-unsubscribe-{tag}-out.ndjson")),
        );
        std::fs::write(&input, "{\"email\": \"leave@example.com\"}\n").unwrap();
        let args = Cli::try_parse_from([
            "delete",
            "--api-base-url",
            &emulator.base_url(),
            "--auth-base-url",
            &emulator.auth_base_url(),
            "--access-token",
            cc_emulator::DEFAULT_TOKEN,
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--unsubscribe",
            "--reason",
            "asked at the desk",
        ])
        .unwrap()
        .delete;
        let harness = Harness::load(host_test::HarnessOptions::default())
            .unwrap()
            .echo_captures(false);

        let exit = args.run(&harness, 0).await.unwrap();
        assert_eq!(exit, Exit::Success);
        let text = std::fs::read_to_string(&output).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["outcome"], "unsubscribed", "{line}");
        assert_eq!(line["contact_id"], id.as_str());
        assert_eq!(line["already_unsubscribed"], false);
        let stored = emulator.contact(&id).unwrap();
        assert_eq!(
            stored["email_address"]["permission_to_send"],
            "unsubscribed"
        );
        assert_eq!(
            stored["email_address"]["opt_out_reason"],
            "asked at the desk"
        );
        assert!(
            stored.get("deleted_at").is_none(),
            "an opt-out is not a delete"
        );

        std::fs::remove_file(&input).unwrap();
        std::fs::remove_file(&output).unwrap();
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

    #[test]
    fn a_reason_the_api_would_refuse_is_a_usage_error() {
        let longest = "é".repeat(MAX_REASON);
        let options = parse(&["--unsubscribe", "--reason", &longest])
            .unwrap()
            .options();
        assert_eq!(options.opt_out_reason.as_deref(), Some(longest.as_str()));

        let long = "r".repeat(MAX_REASON + 1);
        let err = parse(&["--unsubscribe", "--reason", &long]).err().unwrap();
        assert!(err.to_string().contains("256 characters"), "{err}");

        let err = parse(&["--unsubscribe", "--reason", "a\u{1}b"])
            .err()
            .unwrap();
        assert!(err.to_string().contains("U+0001"), "{err}");
        assert!(parse(&["--unsubscribe", "--reason", "line\nbreak\tand tab"]).is_ok());
    }
}
