//! `cc-connector auth`: obtains and keeps OAuth2 credentials in a credentials file that the
//! activity subcommands use and update through `--credentials`.

mod common;
mod device;
pub mod file;
mod http;
mod login;
mod pkce;
mod refresh;
mod status;

use clap::{Args, Subcommand};

use crate::exit::CmdResult;

#[derive(Args)]
pub struct AuthArgs {
    #[command(subcommand)]
    command: AuthCommand,
}

#[derive(Subcommand)]
enum AuthCommand {
    /// Sign in with the authorization-code flow and PKCE on a loopback redirect
    Login(login::LoginArgs),
    /// Sign in with the device flow: enter a code on another device
    Device(device::DeviceArgs),
    /// Show a credentials file's expiry and scopes, without secrets
    Status(status::StatusArgs),
    /// Renew the access token of a credentials file now
    Refresh(refresh::RefreshArgs),
}

impl AuthArgs {
    pub async fn run(self) -> CmdResult {
        match self.command {
            AuthCommand::Login(args) => args.run().await,
            AuthCommand::Device(args) => args.run().await,
            AuthCommand::Status(args) => args.run().await,
            AuthCommand::Refresh(args) => args.run().await,
        }
    }
}
