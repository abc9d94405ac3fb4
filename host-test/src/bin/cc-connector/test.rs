//! `cc-connector test`: opens a connection, tests it and shows the account it reaches.

use clap::Args;
use host_test::Harness;
use host_test::records::json::{account_info_to_json, error_summary, error_to_json};

use crate::connection::ConnectionArgs;
use crate::exit::{CmdResult, Exit, OrExit, say, stopped_by};
use crate::report::{for_terminal, print_capture};

#[derive(Args)]
pub struct TestArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// Print the account (or the error) as JSON on stdout
    #[arg(long)]
    json: bool,
}

impl TestArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let run = harness.test(&config).await.or_exit(Exit::Harness)?;
        print_capture(&run.capture, verbose);

        match run.value {
            Ok(info) => {
                if self.json {
                    say(&account_info_to_json(&info).to_string())?;
                } else {
                    let shown =
                        |v: &Option<String>| v.clone().unwrap_or_else(|| "(not readable)".into());
                    say("connection works")?;
                    say(&format!(
                        "  organization:   {}",
                        shown(&info.organization_name)
                    ))?;
                    say(&format!("  contact email:  {}", shown(&info.contact_email)))?;
                    say(&format!(
                        "  account id:     {}",
                        shown(&info.encoded_account_id)
                    ))?;
                    say(&format!(
                        "  contacts:       {}",
                        if info.contacts_readable {
                            "readable"
                        } else {
                            "not readable"
                        }
                    ))?;
                    for note in &info.notes {
                        say(&format!("  note: {note}"))?;
                    }
                }
                Ok(Exit::Success)
            }
            Err(error) => {
                if self.json {
                    say(&error_to_json(&error).to_string())?;
                }
                eprintln!("error: {}", for_terminal(&error_summary(&error)));
                Ok(stopped_by(&error))
            }
        }
    }
}
