//! `cc-connector`: runs the Constant Contact connector component from the command line
//! (test a connection, query, create, update and delete or unsubscribe contacts, in v3 or v2
//! records, print the schemas), serves the emulator, and runs the demo.

mod auth;
mod connection;
mod create;
mod delete;
mod demo;
mod describe;
mod emulator;
mod exit;
mod files;
mod model;
mod query;
mod report;
mod test;
mod trap;
mod update;
mod writes;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use host_test::{Harness, HarnessOptions};

use exit::{CmdResult, EXIT_CODES_HELP, Exit, OrExit};

/// Run the Constant Contact v3 contacts connector (a WASI 0.2 component) from the command line.
#[derive(Parser)]
#[command(name = "cc-connector", version, after_help = EXIT_CODES_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Show more of what the connector logged: -v info and requests, -vv debug, -vvv trace
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(flatten)]
    harness: HarnessArgs,
}

#[derive(Args)]
struct HarnessArgs {
    /// The connector component [default: the one this binary was built with]
    #[arg(long, global = true, value_name = "PATH")]
    wasm: Option<PathBuf>,

    /// Where compiled components are cached [default: a `cwasm` directory beside the component]
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Test a connection and show the account it reaches
    #[command(after_help = EXIT_CODES_HELP)]
    Test(test::TestArgs),
    /// Read contacts, page by page, as NDJSON or CSV
    #[command(after_help = EXIT_CODES_HELP)]
    Query(Box<query::QueryArgs>),
    /// Create contacts from NDJSON (v3 or v2) or CSV records, or upsert them
    #[command(after_help = EXIT_CODES_HELP)]
    Create(create::CreateArgs),
    /// Update contacts from NDJSON (v3 or v2) or CSV records
    #[command(after_help = EXIT_CODES_HELP)]
    Update(update::UpdateArgs),
    /// Delete or unsubscribe contacts named by id or email
    #[command(after_help = EXIT_CODES_HELP)]
    Delete(delete::DeleteArgs),
    /// Print the connector's JSON Schemas, for any account or (--account) for one
    #[command(after_help = EXIT_CODES_HELP)]
    Describe(describe::DescribeArgs),
    /// Serve the Constant Contact emulator, seeded with realistic contacts, until Ctrl-C
    Emulator(emulator::EmulatorArgs),
    /// Run a guided tour against a seeded emulator: test, query, create, update, delete
    Demo(demo::DemoArgs),
    /// Sign in with OAuth2 and keep the credentials in a file (login, device, status, refresh)
    Auth(auth::AuthArgs),
}

impl HarnessArgs {
    fn load(&self) -> Result<Harness, exit::Failure> {
        let mut options = HarnessOptions::default();
        if let Some(wasm) = &self.wasm {
            options.wasm = wasm.clone();
        }
        options.cache_dir = self.cache_dir.clone();
        Harness::load(options)
            .map(|h| h.echo_captures(false))
            .or_exit(Exit::Harness)
    }
}

async fn run(cli: Cli) -> CmdResult {
    let verbose = cli.verbose;
    match cli.command {
        Command::Emulator(args) => args.run(),
        Command::Test(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Query(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Create(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Update(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Delete(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Describe(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Demo(args) => args.run(&cli.harness.load()?, verbose).await,
        Command::Auth(args) => args.run().await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    trap::keep_guest_stderr();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: failed to start the async runtime: {e}");
            return Exit::Harness.into();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(exit) => exit.into(),
        Err(failure) if exit::is_broken_pipe(&failure.error) => Exit::Success.into(),
        Err(failure) => {
            if failure.exit == Exit::Harness {
                for line in trap::last_words() {
                    eprintln!("{line}");
                }
            }
            eprintln!("error: {:#}", failure.error);
            failure.exit.into()
        }
    }
}
