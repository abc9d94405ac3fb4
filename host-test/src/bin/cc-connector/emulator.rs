//! `cc-connector emulator`: serves the Constant Contact emulator, seeded with realistic
//! contacts, on a loopback port until the process is stopped (Ctrl-C).

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use cc_emulator::{DEFAULT_TOKEN, Emulator, EmulatorConfig};
use clap::Args;

use crate::exit::{CmdResult, Exit, OrExit};

#[derive(Args)]
pub struct EmulatorArgs {
    /// Contacts to seed (a few percent deleted or unsubscribed)
    #[arg(long, default_value_t = 2000)]
    contacts: usize,

    /// Seed of the generated data; the same seed gives the same names, emails and statuses
    #[arg(long, default_value_t = 7)]
    seed: u64,

    /// Port on 127.0.0.1; 0 picks a free one
    #[arg(long, default_value_t = 0)]
    port: u16,
}

impl EmulatorArgs {
    pub fn run(self) -> CmdResult {
        let config = EmulatorConfig {
            bind: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, self.port)),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).or_exit(Exit::Usage)?;
        let seed = emulator.seed_realistic(self.contacts, self.seed);

        println!("Constant Contact emulator on {}", emulator.origin());
        println!(
            "seeded {} contacts ({} deleted, {} unsubscribed) with seed {}",
            seed.contacts, seed.deleted, seed.unsubscribed, self.seed
        );
        let named = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(id, name)| format!("{name} = {id}"))
                .collect::<Vec<_>>()
                .join("\n  ")
        };
        println!("lists:\n  {}", named(&seed.lists));
        println!("custom fields:\n  {}", named(&seed.custom_fields));
        println!("tags:\n  {}", named(&seed.tags));
        println!("sample addresses: {}", seed.sample_emails.join(", "));
        println!();
        println!("Point the connector at it (the token is the emulator's test token):");
        println!("  export CC_API_BASE_URL={}", emulator.base_url());
        println!("  export CC_AUTH_BASE_URL={}", emulator.auth_base_url());
        println!("  export CC_ACCESS_TOKEN={DEFAULT_TOKEN}");
        println!("  cc-connector test");
        println!();
        println!("Serving until Ctrl-C.");

        // The emulator serves from its own threads; this one only keeps it alive.
        loop {
            std::thread::park();
        }
    }
}
