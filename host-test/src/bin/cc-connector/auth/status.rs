//! `cc-connector auth status`: what a credentials file allows (expiry, refresh token,
//! scopes), never a secret.

use std::path::PathBuf;

use clap::Args;

use super::common::print_summary;
use super::file::Credentials;
use crate::exit::{CmdResult, Exit, OrExit, say};

#[derive(Args)]
pub struct StatusArgs {
    /// The credentials file to read
    #[arg(long, env = "CC_CREDENTIALS", value_name = "PATH")]
    credentials: PathBuf,
}

impl StatusArgs {
    pub async fn run(self) -> CmdResult {
        let credentials = Credentials::read(&self.credentials).or_exit(Exit::Usage)?;
        say(&format!(
            "credentials in \"{}\"",
            self.credentials.display()
        ))?;
        print_summary(&credentials)?;
        Ok(Exit::Success)
    }
}
