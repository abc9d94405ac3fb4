//! Making a list or a tag that records name but the account lacks, for writes that ask for
//! it. The POST is sent once: its caller reads the account again after a failure, because
//! the name may exist by then.

use serde::{Deserialize, Serialize};

use super::{Kind, Named};
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::wit::Error;

#[derive(Serialize)]
struct NewNamed<'a> {
    name: &'a str,
}

#[derive(Deserialize)]
struct Made {
    #[serde(alias = "tag_id")]
    list_id: String,
    #[serde(default)]
    name: Option<String>,
}

/// The path a list or tag is made at, as log lines show it.
pub fn path(kind: Kind) -> &'static str {
    match kind {
        Kind::Lists => "/v3/contact_lists",
        Kind::Tags => "/v3/contact_tags",
    }
}

/// `POST /contact_lists` or `POST /contact_tags` with the name.
pub fn create(client: &Client, kind: Kind, name: &str) -> Result<Named, Error> {
    let (path, access, what) = match kind {
        Kind::Lists => ("/contact_lists", Access::WriteLists, "the created list"),
        Kind::Tags => ("/contact_tags", Access::WriteContacts, "the created tag"),
    };
    let response = client.post_json(path, &NewNamed { name }, access)?;
    let made: Made = client.read_json(&response, what)?;
    client.log().info(
        "cc-connector::catalog",
        &format!("created {} \"{name}\"", kind.noun()),
    );
    Ok(Named {
        id: made.list_id,
        name: made.name.unwrap_or_else(|| name.to_owned()),
    })
}
