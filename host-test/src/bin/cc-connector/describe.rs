//! `cc-connector describe`: prints the connector's JSON Schemas.

use clap::{Args, ValueEnum};
use host_test::Harness;
use serde_json::Value;

use crate::exit::{CmdResult, Exit, OrExit, say};
use crate::report::print_capture;

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    ConnectionConfig,
    QueryInput,
    QueryOutput,
    CreateInput,
    UpdateInput,
    DeleteInput,
    WriteOutput,
}

#[derive(Args)]
pub struct DescribeArgs {
    /// Print only this schema
    #[arg(long, value_enum)]
    schema: Option<Which>,
}

impl DescribeArgs {
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let run = harness.describe().await.or_exit(Exit::Harness)?;
        print_capture(&run.capture, verbose);
        let s = run.value;
        let all = [
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
        ];

        let mut out = serde_json::Map::new();
        for (name, which, text) in all {
            if self
                .schema
                .is_some_and(|wanted| wanted as u8 != which as u8)
            {
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

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
