//! `cc-connector demo`: the guided tour against a seeded emulator (the logic is in
//! `host_test::demo`, so tests run the same thing).

use clap::Args;
use host_test::Harness;
use host_test::demo::{DemoOptions, run};

use crate::exit::{CmdResult, Exit, OrExit};

#[derive(Args)]
pub struct DemoArgs {
    /// Contacts to seed the emulator with (the bundled CRM export expects 2000)
    #[arg(long, default_value_t = 2000)]
    contacts: usize,

    /// Seed of the generated data (the bundled CRM export expects 7)
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

impl DemoArgs {
    /// Exits 0 once every step ran: the records that fail do so on purpose (invalid emails,
    /// addresses already taken) and the report says why.
    pub async fn run(self, harness: &Harness, verbose: u8) -> CmdResult {
        // With -v each call's full capture goes to stderr as it ends.
        let harness = harness.clone().echo_captures(verbose > 0);
        let options = DemoOptions {
            contacts: self.contacts,
            seed: self.seed,
        };
        let mut out = std::io::stdout().lock();
        run(&harness, options, &mut out)
            .await
            .or_exit(Exit::Stopped)?;
        Ok(Exit::Success)
    }
}
