//! Reading the account's lists, tags and custom fields page by page, following the API's
//! next links (which must stay on the API's origin and never repeat), and translating v2
//! list ids through the cross-reference endpoint.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Named;
use super::field::FieldDef;
use crate::api::client::Client;
use crate::api::errors::Access;
use crate::api::wire::Links;
use crate::errors::bad_response;
use crate::url::QueryString;
use crate::wit::Error;

/// The API's cross-reference endpoint takes at most this many ids per call.
const XREFS_PER_CALL: usize = 500;

#[derive(Deserialize)]
struct ListsPage {
    #[serde(default)]
    lists: Vec<ListRow>,
    #[serde(default, rename = "_links")]
    links: Option<Links>,
}

#[derive(Deserialize)]
struct ListRow {
    list_id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Vec<TagRow>,
    #[serde(default, rename = "_links")]
    links: Option<Links>,
}

#[derive(Deserialize)]
struct TagRow {
    tag_id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct FieldsPage {
    /// Read one by one, so a definition the connector cannot read costs only that field.
    #[serde(default)]
    custom_fields: Vec<serde_json::Value>,
    #[serde(default, rename = "_links")]
    links: Option<Links>,
}

#[derive(Deserialize)]
struct Xrefs {
    #[serde(default)]
    xrefs: Vec<Xref>,
}

#[derive(Deserialize)]
struct Xref {
    sequence_id: String,
    list_id: String,
}

fn next(links: Option<Links>) -> Option<String> {
    links?.next.map(|l| l.href)
}

/// Every active list of the account.
pub fn lists(client: &Client) -> Result<Vec<Named>, Error> {
    collect(
        client,
        "/contact_lists?limit=500",
        Access::ReadLists,
        "the contact lists",
        |page: ListsPage| {
            let rows = page
                .lists
                .into_iter()
                .map(|l| Named {
                    id: l.list_id,
                    name: l.name,
                })
                .collect();
            (rows, next(page.links))
        },
    )
}

/// Every tag of the account.
pub fn tags(client: &Client) -> Result<Vec<Named>, Error> {
    collect(
        client,
        "/contact_tags?limit=500",
        Access::ReadContacts,
        "the tags",
        |page: TagsPage| {
            let rows = page
                .tags
                .into_iter()
                .map(|t| Named {
                    id: t.tag_id,
                    name: t.name,
                })
                .collect();
            (rows, next(page.links))
        },
    )
}

/// Every custom field of the account.
pub fn custom_fields(client: &Client) -> Result<Vec<FieldDef>, Error> {
    collect(
        client,
        "/contact_custom_fields?limit=100",
        Access::ReadContacts,
        "the custom fields",
        |page: FieldsPage| {
            let fields = page
                .custom_fields
                .into_iter()
                .filter_map(|f| serde_json::from_value::<FieldDef>(f).ok())
                .collect();
            (fields, next(page.links))
        },
    )
}

/// The v3 list id of each v2 list id the account knows.
pub fn list_xrefs(client: &Client, v2_ids: &[String]) -> Result<HashMap<String, String>, Error> {
    let mut found = HashMap::new();
    for chunk in v2_ids.chunks(XREFS_PER_CALL) {
        let mut query = QueryString::default();
        query.push_csv("sequence_ids", chunk);
        let path = format!("/contact_lists/list_id_xrefs{}", query.finish());
        let response = client.get(&path, Access::ReadLists)?;
        let answer: Xrefs = client.read_json(&response, "the list id cross-references")?;
        found.extend(answer.xrefs.into_iter().map(|x| (x.sequence_id, x.list_id)));
    }
    Ok(found)
}

/// Reads the first page and every page it links to.
fn collect<P: DeserializeOwned, T>(
    client: &Client,
    first: &str,
    access: Access,
    what: &str,
    split: impl Fn(P) -> (Vec<T>, Option<String>),
) -> Result<Vec<T>, Error> {
    let mut rows = Vec::new();
    let mut followed = HashSet::new();
    let mut response = client.get(first, access)?;
    loop {
        let page: P = client.read_json(&response, what)?;
        let (mut page_rows, next) = split(page);
        rows.append(&mut page_rows);
        let Some(href) = next else {
            return Ok(rows);
        };
        if !followed.insert(href.clone()) {
            return Err(bad_response(
                response.status,
                format!(
                    "failed to read {what}: the link \"{href}\" leads back to a page already read"
                ),
            ));
        }
        let target = client
            .config()
            .api_base
            .resolve_link(&href)
            .map_err(|reason| {
                bad_response(
                    response.status,
                    format!("failed to follow the next-page link \"{href}\" of {what}: {reason}"),
                )
            })?;
        response = client.get_target(target, access)?;
    }
}
