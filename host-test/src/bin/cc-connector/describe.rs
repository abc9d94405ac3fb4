//! `cc-connector describe`: prints the connector's JSON Schemas, for any account or, with
//! `--account`, made for the connection's account (its lists, tags and custom fields by
//! name).

use clap::{Args, ValueEnum};
use host_test::Harness;
use host_test::records::json::error_summary;
use host_test::wit::Schemas;
use serde_json::Value;

use crate::connection::ConnectionArgs;
use crate::exit::{CmdResult, Exit, OrExit, say, stopped_by};
use crate::report::{for_terminal, print_capture};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    ConnectionConfig,
    QueryInput,
    QueryOutput,
    CreateInput,
    UpdateInput,
    DeleteInput,
    WriteOutput,
    CreateV2Input,
    UpdateV2Input,
}

#[derive(Args)]
pub struct DescribeArgs {
    /// Print only this schema
    #[arg(long, value_enum)]
    schema: Option<Which>,

    /// Make the schemas for the connection's account: its lists and tags as names to choose
    /// from, its custom fields as typed properties of `custom` (needs the connection flags)
    #[arg(long)]
    account: bool,

    #[command(flatten)]
    connection: ConnectionArgs,
}

impl DescribeArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let schemas = if self.account {
            let config = self.connection.resolve()?;
            let harness = &self.connection.harness(harness);
            let run = harness
                .describe_account(&config)
                .await
                .or_exit(Exit::Harness)?;
            print_capture(&run.capture, verbose);
            match run.value {
                Ok(schemas) => schemas,
                Err(error) => {
                    eprintln!(
                        "error: failed to describe the account: {}",
                        for_terminal(&error_summary(&error))
                    );
                    return Ok(stopped_by(&error));
                }
            }
        } else {
            let run = harness.describe().await.or_exit(Exit::Harness)?;
            print_capture(&run.capture, verbose);
            run.value
        };

        let mut out = serde_json::Map::new();
        for (name, which, text) in named(&schemas) {
            if self.schema.is_some_and(|wanted| wanted != which) {
                continue;
            }
            let schema: Value = serde_json::from_str(text)
                .map_err(|e| anyhow::anyhow!("failed to read the {name} schema: {e}"))
                .or_exit(Exit::Stopped)?;
            if self.schema.is_some() {
                say(&pretty(&schema))?;
                return Ok(Exit::Success);
            }
            out.insert(name.to_owned(), schema);
        }
        say(&pretty(&Value::Object(out)))?;
        Ok(Exit::Success)
    }
}

/// Every schema with its written name, in the WIT's order.
fn named(s: &Schemas) -> [(&'static str, Which, &String); 9] {
    [
        (
            "connection_config",
            Which::ConnectionConfig,
            &s.connection_config,
        ),
        ("query_input", Which::QueryInput, &s.query_input),
        ("query_output", Which::QueryOutput, &s.query_output),
        ("create_input", Which::CreateInput, &s.create_input),
        ("update_input", Which::UpdateInput, &s.update_input),
        ("delete_input", Which::DeleteInput, &s.delete_input),
        ("write_output", Which::WriteOutput, &s.write_output),
        ("create_v2_input", Which::CreateV2Input, &s.create_v2_input),
        ("update_v2_input", Which::UpdateV2Input, &s.update_v2_input),
    ]
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        describe: DescribeArgs,
    }

    #[test]
    fn the_v2_schemas_can_be_chosen_and_account_needs_no_token_to_parse() {
        let cli = Cli::try_parse_from(["describe", "--schema", "create-v2-input"]).unwrap();
        assert!(cli.describe.schema == Some(Which::CreateV2Input));
        assert!(!cli.describe.account);
        let cli = Cli::try_parse_from(["describe", "--account", "--access-token", "t"]).unwrap();
        assert!(cli.describe.account);
    }
}
