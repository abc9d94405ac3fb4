//! The `test` activity: reads the account summary to say which account the token reaches,
//! proves contact access with one tiny contacts read, and turns every failure into a
//! sentence a person can act on. A 403 is told apart (missing scope or missing user
//! privilege) by reading the user's privileges, which needs no scope.

use serde::Deserialize;

use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::{AccountSummary, ContactsPage};
use crate::errors::{bad_response, summary};
use crate::wit::{
    AccountInfo, ApiFailure, Error, ForbiddenFailure, TransportFailure, TransportKind,
};

const CONTEXT: &str = "cc-connector::test";
const SUMMARY_PATH: &str = "/account/summary";
const CONTACTS_PATH: &str = "/contacts?limit=1";
const PRIVILEGES_PATH: &str = "/account/user/privileges";

const NO_REFRESH_TOKEN: &str = "the connection has no refresh token, so it cannot renew itself: \
    it stops working when the access token expires; authorize with the offline_access scope to \
    get one";
const NO_CLIENT_ID: &str = "the connection has a refresh token but no client_id, so it cannot \
    renew itself; give the application's API key as client_id";
const NO_ACCOUNT_READ_SCOPE: &str = "the token is not granted the account_read scope, so the \
    account's name, owner email and id are not shown; authorize again with account_read to see \
    them";
const NO_ACCOUNT_READ_PRIVILEGE: &str = "the user lacks the account:read privilege, so the \
    account's name, owner email and id are not shown; an account owner can grant it";

/// One entry of `GET /account/user/privileges`.
#[derive(Deserialize)]
struct Privilege {
    privilege_name: Option<String>,
}

/// What the user's privileges say about a 403.
enum Cause {
    Scope,
    Privilege,
    Unknown,
}

const NO_ACCOUNT_READ: &str = "the token is not granted the account_read scope (or the user \
    lacks the account:read privilege), so the account's name, owner email and id are not \
    shown; authorize again with account_read to see them";

pub fn run(client: &Client) -> Result<AccountInfo, Error> {
    let result = check(client);
    match &result {
        Ok(info) => client.log().info(
            CONTEXT,
            &format!(
                "test: reached account {}; contacts are readable",
                info.organization_name
                    .as_deref()
                    .map(|n| format!("\"{n}\""))
                    .unwrap_or_else(|| "(name not readable)".into())
            ),
        ),
        Err(error) => client
            .log()
            .info(CONTEXT, &format!("test: failed: {}", summary(error))),
    }
    result
}

fn check(client: &Client) -> Result<AccountInfo, Error> {
    let mut info = AccountInfo {
        organization_name: None,
        contact_email: None,
        encoded_account_id: None,
        contacts_readable: false,
        notes: Vec::new(),
    };
    if client.config().refresh_token.is_none() {
        info.notes.push(NO_REFRESH_TOKEN.to_owned());
    } else if !client.auth().can_refresh() {
        info.notes.push(NO_CLIENT_ID.to_owned());
    }

    match client.get(SUMMARY_PATH, Access::ReadAccount) {
        Ok(response) => {
            let account: AccountSummary = client
                .read_json(&response, "the account summary")
                .map_err(|e| diagnose(client, SUMMARY_PATH, e))?;
            info.organization_name = account.organization_name;
            info.contact_email = account.contact_email;
            info.encoded_account_id = account.encoded_account_id;
        }
        Err(Error::Forbidden(_)) => info.notes.push(
            match cause_of_403(client, Access::ReadAccount) {
                Cause::Scope => NO_ACCOUNT_READ_SCOPE,
                Cause::Privilege => NO_ACCOUNT_READ_PRIVILEGE,
                Cause::Unknown => NO_ACCOUNT_READ,
            }
            .to_owned(),
        ),
        Err(error) => return Err(diagnose(client, SUMMARY_PATH, error)),
    }

    let response = match client.get(CONTACTS_PATH, Access::ReadContacts) {
        Ok(response) => response,
        Err(Error::Forbidden(f)) => return Err(forbidden(client, f)),
        Err(error) => return Err(diagnose(client, CONTACTS_PATH, error)),
    };
    let _: ContactsPage = client
        .read_json(&response, "the contacts")
        .map_err(|e| diagnose(client, CONTACTS_PATH, e))?;
    info.contacts_readable = true;
    Ok(info)
}

/// Reads the user's privileges to tell whether a 403 means a missing scope (the user holds
/// the privilege) or a missing privilege.
fn cause_of_403(client: &Client, access: Access) -> Cause {
    let privileges: Vec<Privilege> = match client
        .get(PRIVILEGES_PATH, Access::ReadAccount)
        .and_then(|r| client.read_json(&r, "the user's privileges"))
    {
        Ok(list) => list,
        Err(error) => {
            client.log().debug(
                CONTEXT,
                &format!("failed to read the user's privileges: {}", summary(&error)),
            );
            return Cause::Unknown;
        }
    };
    let held = privileges
        .iter()
        .any(|p| p.privilege_name.as_deref() == Some(access.privilege()));
    if held { Cause::Scope } else { Cause::Privilege }
}

/// The advice for a 403 on the contacts read.
fn forbidden(client: &Client, f: ForbiddenFailure) -> Error {
    let access = Access::ReadContacts;
    let (message, scope, privilege) = match cause_of_403(client, access) {
        Cause::Scope => (
            format!(
                "failed to test the connection: the token is not granted the {} scope, which \
                 reading contacts needs; authorize the connection again and grant {}",
                access.scope(),
                access.scope()
            ),
            Some(access.scope().to_owned()),
            None,
        ),
        Cause::Privilege => (
            format!(
                "failed to test the connection: the user who authorized the connection lacks \
                 the {} privilege; an account owner must grant it to that user",
                access.privilege()
            ),
            None,
            Some(access.privilege().to_owned()),
        ),
        Cause::Unknown => {
            return diagnose(client, CONTACTS_PATH, Error::Forbidden(f));
        }
    };
    Error::Forbidden(ForbiddenFailure {
        failure: ApiFailure {
            message: format!("{message}; the API said \"{}\"", f.failure.message),
            ..f.failure
        },
        required_scope: scope,
        required_privilege: privilege,
    })
}

/// Rewrites an error of the connection test into advice.
fn diagnose(client: &Client, path: &str, error: Error) -> Error {
    let base = client.config().api_base.as_string();
    let wrong_base = |status: u16, what: &str| {
        bad_response(
            status,
            format!(
                "failed to test the connection: GET {path} {what}, so the API base URL \
                 \"{base}\" looks wrong; the usual one is \"https://api.cc.email/v3\""
            ),
        )
    };
    match error {
        Error::Unauthorized(f) => Error::Unauthorized(ApiFailure {
            message: "failed to test the connection: the access token was rejected: it is \
                      invalid, expired or revoked; authorize the connection again"
                .into(),
            ..f
        }),
        Error::Forbidden(f) => Error::Forbidden(ForbiddenFailure {
            failure: ApiFailure {
                message: format!(
                    "failed to test the connection: the token may not read contacts: grant the \
                     {} scope, make sure the user holds the {} privilege, and check that the \
                     application is active; the API said \"{}\"",
                    f.required_scope.as_deref().unwrap_or("contact_data"),
                    f.required_privilege.as_deref().unwrap_or("contacts:read"),
                    f.failure.message
                ),
                ..f.failure
            },
            ..f
        }),
        Error::ReauthorizationRequired(m) => Error::ReauthorizationRequired(format!(
            "failed to test the connection: the access token is invalid, expired or revoked \
             and could not be renewed; authorize the connection again ({m})"
        )),
        Error::NotFound(_) => wrong_base(404, "answered 404"),
        Error::BadResponse(b) => wrong_base(
            b.status,
            &format!(
                "answered {} with something that is not the v3 API",
                b.status
            ),
        ),
        Error::Transport(t) => Error::Transport(TransportFailure {
            message: format!(
                "failed to test the connection: {}: {}",
                advice(t.kind, &base),
                t.message
            ),
            kind: t.kind,
        }),
        other => other,
    }
}

fn advice(kind: TransportKind, base: &str) -> String {
    match kind {
        TransportKind::Timeout => {
            format!("\"{base}\" did not answer in time; check the network, or raise the timeouts")
        }
        TransportKind::ConnectionRefused => {
            format!("\"{base}\" refused the connection; check the API base URL")
        }
        TransportKind::ConnectionReset => format!(
            "the connection to \"{base}\" broke off; try again, and check any proxy in between"
        ),
        TransportKind::Dns => {
            format!("the host of \"{base}\" does not resolve; check the API base URL")
        }
        TransportKind::Tls => format!(
            "the TLS handshake with \"{base}\" failed; check the URL's scheme and the \
             machine's certificates and clock"
        ),
        TransportKind::Denied => format!(
            "the host running the connector does not allow requests to \"{base}\"; allow that \
             destination in its settings"
        ),
        TransportKind::Other => format!("the request to \"{base}\" failed below HTTP"),
    }
}

#[cfg(test)]
mod tests;
