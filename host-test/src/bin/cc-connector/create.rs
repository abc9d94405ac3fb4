//! `cc-connector create`: creates contacts from NDJSON or CSV records, v3 or v2, plainly or
//! as upserts through the sign-up form.

use clap::Args;
use host_test::Harness;
use host_test::records::names::EnumName;
use host_test::records::{Model, read_contacts, read_v2_contacts};
use host_test::wit::{ConflictPolicy, CreateMode, CreateOptions, Source};

use crate::connection::ConnectionArgs;
use crate::exit::{CmdResult, Exit, OrExit};
use crate::files::{InputArgs, OutputArgs};
use crate::model::ModelArgs;
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
    #[command(flatten)]
    model: ModelArgs,

    /// What to do when an email address already belongs to a contact [default: fail]
    #[arg(long, value_name = "fail|skip|update", value_parser = parse_enum::<ConflictPolicy>)]
    on_conflict: Option<ConflictPolicy>,

    /// Who is recorded as creating the contacts [default: account]
    #[arg(long, value_name = "account|contact", value_parser = parse_enum::<Source>)]
    create_source: Option<Source>,

    /// Create or update through the sign-up form, adding to lists and custom fields; needs
    /// --consent and a list on every record, and leaves unsubscribed contacts alone
    #[arg(long, conflicts_with_all = ["on_conflict", "create_source"])]
    upsert: bool,

    /// State that every contact in the input gave explicit permission to be emailed
    /// (required by --upsert)
    #[arg(long)]
    consent: bool,

    /// Create the lists and tags that records name but the account lacks, instead of
    /// refusing those records
    #[arg(long)]
    create_missing: bool,
}

/// Reads a WIT enum name for clap.
pub fn parse_enum<E: EnumName + Send + Sync>(text: &str) -> Result<E, String> {
    E::parse(text).ok_or_else(|| format!("expected {}, found \"{text}\"", E::expected()))
}

impl CreateArgs {
    fn options(&self) -> CreateOptions {
        CreateOptions {
            create_source: self.create_source,
            on_conflict: self.on_conflict,
            mode: self.upsert.then_some(CreateMode::Upsert),
            contacts_gave_consent: self.consent.then_some(true),
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

        match self.model.choose(&text, format, false)? {
            Model::V3 => {
                let records = read_contacts(&text, format).or_exit(Exit::Usage)?;
                run_batches("create", &records, batch, output, verbose, async |chunk| {
                    harness.create(&current(), chunk, &options).await
                })
                .await
            }
            Model::V2 => {
                let records = read_v2_contacts(&text, format).or_exit(Exit::Usage)?;
                eprintln!("create: the records are v2 contacts; sending them to create-v2");
                run_batches("create", &records, batch, output, verbose, async |chunk| {
                    harness.create_v2(&current(), chunk, &options).await
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
        create: CreateArgs,
    }

    fn parse(args: &[&str]) -> Result<CreateArgs, clap::Error> {
        let base = ["create", "--input", "-", "--access-token", "t"];
        Cli::try_parse_from(base.iter().chain(args)).map(|cli| cli.create)
    }

    #[test]
    fn flags_become_create_options() {
        let options = parse(&["--upsert", "--consent", "--create-missing"])
            .unwrap()
            .options();
        assert!(options.mode == Some(CreateMode::Upsert));
        assert_eq!(options.contacts_gave_consent, Some(true));
        assert_eq!(options.create_missing, Some(true));
        assert!(options.on_conflict.is_none());

        let plain = parse(&["--on-conflict", "skip"]).unwrap().options();
        assert!(plain.mode.is_none(), "create is the connector's default");
        assert!(plain.contacts_gave_consent.is_none());
        assert!(plain.create_missing.is_none());
        assert!(plain.on_conflict == Some(ConflictPolicy::Skip));
    }

    #[tokio::test]
    async fn a_file_of_v2_contacts_goes_to_create_v2() {
        let emulator = cc_emulator::Emulator::start_default().unwrap();
        let dir = std::env::temp_dir();
        let tag = std::process::id();
        let (input, output) = (
            dir.join(format!("cc-create-v2-{tag}.ndjson")),
            dir.join(format!("cc-create-v2-{tag}-out.ndjson")),
        );
        std::fs::write(
            &input,
            "{\"email_addresses\": [{\"email_address\": \"fax@example.com\", \"status\": \"ACTIVE\"}], \"fax\": \"555-0100\"}\n",
        )
        .unwrap();
        let args = Cli::try_parse_from([
            "create",
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
        ])
        .unwrap()
        .create;
        let harness = Harness::load(host_test::HarnessOptions::default())
            .unwrap()
            .echo_captures(false);

        let exit = args.run(&harness, 0).await.unwrap();
        assert_eq!(exit, Exit::Success);
        let text = std::fs::read_to_string(&output).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["outcome"], "created", "{line}");
        assert_eq!(line["losses"][0]["field"], "fax", "{line}");
        let id = line["contact_id"].as_str().unwrap();
        let stored = emulator.contact(id).unwrap();
        assert_eq!(stored["email_address"]["address"], "fax@example.com");

        std::fs::remove_file(&input).unwrap();
        std::fs::remove_file(&output).unwrap();
    }

    #[test]
    fn upsert_refuses_the_options_it_would_ignore() {
        assert!(parse(&["--upsert", "--on-conflict", "skip"]).is_err());
        assert!(parse(&["--upsert", "--create-source", "contact"]).is_err());
    }
}
