//! `cc-connector query`: reads contacts page by page and writes them as NDJSON or CSV,
//! saving a checkpoint after every page so `--resume` can go on after a failure.

use std::path::{Path, PathBuf};

use clap::Args;
use host_test::records::json::{
    checkpoint_from_json, checkpoint_to_json, error_summary, query_request_from_json,
    query_request_to_json,
};
use host_test::records::{ContactWriter, Format};
use host_test::wit::{Checkpoint, ContactStatus, QueryRequest, Subresource};
use host_test::{Harness, QueryRun};
use serde_json::{Value, json};

use crate::connection::ConnectionArgs;
use crate::create::parse_enum;
use crate::exit::{CmdResult, Exit, Failure, OrExit, stopped_by, usage};
use crate::files::{OutputArgs, parse_format};
use crate::report::{for_terminal, print_capture};

#[derive(Args)]
pub struct QueryArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// Statuses to return (repeat or separate with commas) [default: every contact not deleted]
    #[arg(long, value_delimiter = ',', value_parser = parse_enum::<ContactStatus>)]
    status: Vec<ContactStatus>,

    /// Only the contact with this email address
    #[arg(long)]
    email: Option<String>,

    /// Only contacts on any of these list ids (repeat or separate with commas)
    #[arg(long, value_delimiter = ',')]
    list: Vec<String>,

    /// Only contacts with any of these tag ids (repeat or separate with commas)
    #[arg(long, value_delimiter = ',')]
    tag: Vec<String>,

    /// Only contacts updated after this ISO-8601 date-time
    #[arg(long, value_name = "DATETIME")]
    updated_after: Option<String>,

    /// Only contacts updated before this ISO-8601 date-time
    #[arg(long, value_name = "DATETIME")]
    updated_before: Option<String>,

    /// Only contacts created after this ISO-8601 date-time
    #[arg(long, value_name = "DATETIME")]
    created_after: Option<String>,

    /// Only contacts created before this ISO-8601 date-time
    #[arg(long, value_name = "DATETIME")]
    created_before: Option<String>,

    /// Subresources to include: custom_fields, list_memberships, phone_numbers,
    /// street_addresses, taggings, notes (repeat or separate with commas)
    #[arg(long, value_delimiter = ',', value_parser = parse_enum::<Subresource>)]
    include: Vec<Subresource>,

    /// Contacts per page, 1 to 500 [default: 500]
    #[arg(long)]
    page_size: Option<u16>,

    /// Stop after this many contacts
    #[arg(long, value_name = "N")]
    max: Option<u64>,

    /// Fill each contact's lists, tags and custom with names beside the ids of the included
    /// subresources (one read of the account's lists, tags and custom fields)
    #[arg(long)]
    with_names: bool,

    /// Save the query's checkpoint here after every page
    #[arg(long, value_name = "PATH")]
    checkpoint_file: Option<PathBuf>,

    /// Go on from the checkpoint in --checkpoint-file (appending to --output when a file)
    #[arg(long, requires = "checkpoint_file")]
    resume: bool,

    /// Where to write the contacts: a file, or `-` for stdout
    #[arg(long, short, value_name = "FILE|-", default_value = "-")]
    output: PathBuf,

    /// Format of the contacts [default: from the extension; ndjson for stdout]
    #[arg(long, value_name = "ndjson|csv", value_parser = parse_format)]
    format: Option<Format>,
}

impl QueryArgs {
    fn request(&self) -> QueryRequest {
        QueryRequest {
            email: self.email.clone(),
            status: self.status.clone(),
            lists: self.list.clone(),
            tags: self.tag.clone(),
            created_after: self.created_after.clone(),
            created_before: self.created_before.clone(),
            updated_after: self.updated_after.clone(),
            updated_before: self.updated_before.clone(),
            subresources: self.include.clone(),
            page_size: self.page_size,
            max_records: self.max,
            with_names: self.with_names,
        }
    }

    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        let config = self.connection.resolve()?;
        let harness = &self.connection.harness(harness);
        let request = self.request();
        let resume = match (&self.checkpoint_file, self.resume) {
            (Some(path), true) => Some(read_checkpoint(path, &request)?),
            _ => None,
        };
        if resume.as_ref().is_some_and(|c| c.finished) {
            eprintln!("query: the checkpoint says the query has finished; nothing to do");
            return Ok(Exit::Success);
        }

        let output = OutputArgs {
            output: self.output.clone(),
            format: self.format,
        };
        let format = output.format_for("--format")?;
        let (out, had_content) = output.open(self.resume)?;
        let mut writer = if had_content && format == Format::Csv {
            ContactWriter::continuing(out, format)
        } else {
            ContactWriter::new(out, format)
        }
        .or_exit(Exit::Usage)?;

        let started = harness
            .query(&config, &request, resume.as_ref())
            .await
            .or_exit(Exit::Harness)?;
        let mut run = match started {
            Ok(run) => run,
            Err(error) => {
                eprintln!(
                    "error: failed to start the query: {}",
                    for_terminal(&error_summary(&error))
                );
                return Ok(stopped_by(&error));
            }
        };

        let result = self
            .pages(
                &mut run,
                &request,
                &mut writer,
                resume.map_or(0, |c| c.delivered),
            )
            .await;
        print_capture(&run.capture(), verbose);
        if writer.not_flat() > 0 {
            eprintln!(
                "query: warning: {} did not fit the flat CSV form (a second street address \
                 was left out, several notes were joined, or choices were written as a value); \
                 an update from this file would drop or merge them; use NDJSON to round-trip",
                count(writer.not_flat(), "contact")
            );
        }
        result
    }

    async fn pages<W: std::io::Write>(
        &self,
        run: &mut QueryRun,
        request: &QueryRequest,
        writer: &mut ContactWriter<W>,
        delivered_before: u64,
    ) -> CmdResult {
        let mut contacts = 0usize;
        let mut pages = 0usize;
        loop {
            let page = run.next_page().await.or_exit(Exit::Harness)?;
            match page {
                Ok(Some(page)) => {
                    writer.write_page(&page).or_exit(Exit::Usage)?;
                    contacts += page.len();
                    pages += 1;
                    self.save(run, request).await?;
                }
                Ok(None) => {
                    self.save(run, request).await?;
                    break;
                }
                Err(error) => {
                    eprintln!(
                        "error: failed to read page {}: {}",
                        pages + 1,
                        for_terminal(&error_summary(&error))
                    );
                    eprintln!(
                        "query: {} in {} before the failure",
                        count(contacts, "contact"),
                        count(pages, "page")
                    );
                    if self.checkpoint_file.is_some() {
                        eprintln!("query: run again with --resume to go on from there");
                    }
                    return Ok(stopped_by(&error));
                }
            }
        }
        let total = delivered_before + contacts as u64;
        eprintln!(
            "query: {} in {} ({total} in all)",
            count(contacts, "contact"),
            count(pages, "page")
        );
        Ok(Exit::Success)
    }

    async fn save(&self, run: &mut QueryRun, request: &QueryRequest) -> Result<(), Failure> {
        let Some(path) = &self.checkpoint_file else {
            return Ok(());
        };
        let checkpoint = run.checkpoint().await.or_exit(Exit::Harness)?;
        write_checkpoint(path, request, &checkpoint).or_exit(Exit::Usage)
    }
}

/// `1 page`, `3 pages`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The checkpoint file: the request it belongs to and where the stream stood.
fn write_checkpoint(
    path: &Path,
    request: &QueryRequest,
    checkpoint: &Checkpoint,
) -> anyhow::Result<()> {
    let value = json!({
        "request": query_request_to_json(request),
        "checkpoint": checkpoint_to_json(checkpoint),
    });
    let temp = path.with_extension("tmp");
    let shown = path.display();
    std::fs::write(&temp, format!("{value}\n"))
        .map_err(|e| anyhow::anyhow!("failed to write the checkpoint \"{shown}\": {e}"))?;
    std::fs::rename(&temp, path)
        .map_err(|e| anyhow::anyhow!("failed to write the checkpoint \"{shown}\": {e}"))
}

fn read_checkpoint(path: &Path, request: &QueryRequest) -> Result<Checkpoint, Failure> {
    let shown = path.display();
    let fail = |cause: String| {
        usage(format!(
            "failed to read the checkpoint \"{shown}\": {cause}"
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
    // Compared as requests, not as JSON, so a file that leaves out a default (such as
    // `with_names: false`) still belongs to the same query.
    let saved = value.get("request").map(query_request_from_json);
    if !matches!(saved, Some(Ok(saved)) if saved == *request) {
        return Err(usage(format!(
            "failed to resume the query: the checkpoint \"{shown}\" was written for a \
             different query; give the same filters as then"
        )));
    }
    let checkpoint = value
        .get("checkpoint")
        .ok_or_else(|| fail("it has no `checkpoint`".into()))?;
    checkpoint_from_json(checkpoint).map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cc_emulator::{DEFAULT_TOKEN, Emulator};
    use clap::Parser;
    use host_test::HarnessOptions;
    use host_test::records::json::empty_query;
    use std::collections::HashSet;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        query: QueryArgs,
    }

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("cc-query-{}-{name}", std::process::id()))
    }

    #[test]
    fn checkpoint_files_belong_to_their_query() {
        let path = temp("belong.json");
        let request = QueryRequest {
            page_size: Some(50),
            ..empty_query()
        };
        let checkpoint = Checkpoint {
            next_page: Some("/v3/contacts?cursor=abc".into()),
            delivered: 50,
            finished: false,
        };
        write_checkpoint(&path, &request, &checkpoint).unwrap();

        let back = read_checkpoint(&path, &request).unwrap();
        assert_eq!(back.next_page, checkpoint.next_page);
        assert_eq!(back.delivered, 50);

        let other = QueryRequest {
            page_size: Some(10),
            ..empty_query()
        };
        let named = QueryRequest {
            with_names: true,
            ..request.clone()
        };
        assert!(
            read_checkpoint(&path, &named).is_err(),
            "names change the query"
        );
        let refused = read_checkpoint(&path, &other).unwrap_err();
        assert_eq!(refused.exit, Exit::Usage);
        assert!(
            refused.error.to_string().contains("different query"),
            "{}",
            refused.error
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn checkpoint_files_without_with_names_still_belong() {
        let path = temp("older.json");
        let written = json!({
            "request": {"status": [], "lists": [], "tags": [], "subresources": [], "page_size": 50},
            "checkpoint": {"next_page": "/v3/contacts?cursor=x", "delivered": 50, "finished": false},
        });
        std::fs::write(&path, written.to_string()).unwrap();
        let request = QueryRequest {
            page_size: Some(50),
            ..empty_query()
        };
        assert_eq!(read_checkpoint(&path, &request).unwrap().delivered, 50);
        std::fs::remove_file(&path).unwrap();
    }

    #[tokio::test]
    async fn resume_goes_on_from_the_checkpoint() {
        let emulator = Emulator::start_default().unwrap();
        let seed = emulator.seed_realistic(130, 3);
        let harness = Harness::load(HarnessOptions::default())
            .unwrap()
            .echo_captures(false);
        let (checkpoint, output) = (temp("resume.json"), temp("resume.ndjson"));
        let args = Cli::parse_from([
            "query",
            "--api-base-url",
            &emulator.base_url(),
            "--auth-base-url",
            &emulator.auth_base_url(),
            "--access-token",
            DEFAULT_TOKEN,
            "--page-size",
            "50",
            "--checkpoint-file",
            checkpoint.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--resume",
        ])
        .query;

        // An earlier run got one page out and saved where it stood.
        let config = args.connection.resolve().unwrap();
        let request = args.request();
        let mut run = harness
            .query(&config, &request, None)
            .await
            .unwrap()
            .unwrap();
        let first = run.next_page().await.unwrap().unwrap().unwrap();
        assert_eq!(first.len(), 50);
        let file = std::fs::File::create(&output).unwrap();
        ContactWriter::new(file, Format::Ndjson)
            .unwrap()
            .write_page(&first)
            .unwrap();
        write_checkpoint(&checkpoint, &request, &run.checkpoint().await.unwrap()).unwrap();
        drop(run);

        let exit = args.run(&harness, 0).await.unwrap();
        assert_eq!(exit, Exit::Success);

        let text = std::fs::read_to_string(&output).unwrap();
        let ids: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["contact_id"].to_string())
            .collect();
        assert_eq!(ids.len(), seed.contacts - seed.deleted);
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            ids.len(),
            "no page twice"
        );
        let saved: Value =
            serde_json::from_str(&std::fs::read_to_string(&checkpoint).unwrap()).unwrap();
        assert_eq!(saved["checkpoint"]["finished"], true);
        assert_eq!(saved["checkpoint"]["delivered"], ids.len());

        std::fs::remove_file(&checkpoint).unwrap();
        std::fs::remove_file(&output).unwrap();
    }
}
