//! The emulated v3 API: authentication, scope checks and routing to the handlers. The router
//! is a plain function over the state, so handlers can be driven without a socket.

pub mod account;
pub mod contact_checks;
pub mod contact_create;
pub mod contact_custom_fields;
pub mod contact_input;
pub mod contact_item;
pub mod contact_update;
pub mod contacts_query;
pub mod custom_field_choices;
pub mod custom_fields;
pub mod error;
pub mod list_xrefs;
pub mod lists;
pub mod paging;
pub mod params;
pub mod rate;
pub mod sign_up_form;
pub mod sign_up_input;
pub mod subresources;
pub mod tags;

use crate::config::TokenGrant;
use crate::http::query::Query;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::state::State;
use error::ApiError;

/// Scope of the contacts, lists, custom fields and tags endpoints.
pub const CONTACT_DATA: &str = "contact_data";
/// Scope of the account endpoints.
pub const ACCOUNT_READ: &str = "account_read";

/// Answers one request from the emulated API.
pub fn handle(state: &mut State, request: &Request) -> Response {
    match route(state, request) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn route(state: &mut State, request: &Request) -> Result<Response, ApiError> {
    let path = request.path.as_str();
    let Some(rest) = path.strip_prefix("/v3/") else {
        return Err(ApiError::unknown_path(path));
    };

    // Authentication, then the optional rate limit, both before routing.
    let (grant, rate_key) = authenticate(state, request)?;
    if let Some(limit) = state.behaviour.rate_limit {
        state.rate.admit(&rate_key, limit)?;
    }

    let segments: Vec<&str> = rest.split('/').collect();
    let method = request.method.as_str();
    let query = Query::parse(request.query.as_deref());
    let not_allowed = || ApiError::method_not_allowed(method, path);
    match segments.as_slice() {
        ["account", "summary"] => {
            require(&grant, ACCOUNT_READ)?;
            match method {
                "GET" => Ok(account::summary()),
                _ => Err(not_allowed()),
            }
        }
        ["account", "user", "privileges"] => match method {
            "GET" => Ok(account::privileges()),
            _ => Err(not_allowed()),
        },
        ["contacts"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => contacts_query::list(state, &query),
                "POST" => contact_create::create(state, request),
                _ => Err(not_allowed()),
            }
        }
        ["contacts", "sign_up_form"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "POST" => sign_up_form::sign_up(state, request),
                _ => Err(not_allowed()),
            }
        }
        ["contacts", id] if !id.is_empty() => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => contact_item::get(state, id, &query),
                "PUT" => contact_update::update(state, id, request),
                "DELETE" => contact_item::delete(state, id),
                _ => Err(not_allowed()),
            }
        }
        ["contact_lists"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => lists::list(state, &query),
                "POST" => lists::create(state, request),
                _ => Err(not_allowed()),
            }
        }
        ["contact_lists", "list_id_xrefs"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => list_xrefs::list_xrefs(state, &query),
                _ => Err(not_allowed()),
            }
        }
        ["contact_lists", id] if !id.is_empty() => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => lists::get(state, id, &query),
                _ => Err(not_allowed()),
            }
        }
        ["contact_custom_fields"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => custom_fields::list(state, &query),
                "POST" => custom_fields::create(state, request),
                _ => Err(not_allowed()),
            }
        }
        ["contact_custom_fields", id] if !id.is_empty() => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => custom_fields::get(state, id),
                _ => Err(not_allowed()),
            }
        }
        ["contact_tags"] => {
            require(&grant, CONTACT_DATA)?;
            match method {
                "GET" => tags::list(state, &query),
                "POST" => tags::create(state, request),
                _ => Err(not_allowed()),
            }
        }
        _ => Err(ApiError::unknown_path(path)),
    }
}

/// The grant whose token the request carries as `Authorization: Bearer <token>` (a
/// configured one, or an unexpired one from the authorization server), and the key its
/// requests are rate-limited under: the token itself, or the client an issued token
/// belongs to, so that refreshing does not reset the limits.
fn authenticate(state: &State, request: &Request) -> Result<(TokenGrant, String), ApiError> {
    let header = request.header("authorization").unwrap_or("");
    let token = match header.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => return Err(ApiError::unauthorized()),
    };
    if let Some(grant) = state.tokens.iter().find(|grant| grant.token == token) {
        return Ok((grant.clone(), grant.token.clone()));
    }

    // Tokens the authorization server issued are good until they expire.
    let (scopes, client_id) = state
        .oauth
        .access_grant(token)
        .ok_or_else(ApiError::unauthorized)?;
    let grant = TokenGrant {
        token: token.to_string(),
        scopes,
    };
    Ok((grant, format!("client:{client_id}")))
}

fn require(grant: &TokenGrant, scope: &str) -> Result<(), ApiError> {
    if grant.has_scope(scope) {
        Ok(())
    } else {
        Err(ApiError::forbidden(scope))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::handle;
    use crate::config::EmulatorConfig;
    use crate::http::request::{Request, Version};
    use crate::state::State;

    fn request(method: &str, target: &str, token: Option<&str>, body: Option<Value>) -> Request {
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        let mut headers = Vec::new();
        if let Some(token) = token {
            headers.push(("authorization".to_string(), format!("Bearer {token}")));
        }
        if body.is_some() {
            headers.push(("content-type".to_string(), "application/json".to_string()));
        }
        Request {
            method: method.to_string(),
            path,
            query,
            version: Version::Http11,
            headers,
            body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
        }
    }

    fn json(body: &[u8]) -> Value {
        serde_json::from_slice(body).unwrap()
    }

    #[test]
    fn the_router_runs_in_process() {
        let mut state = State::new(&EmulatorConfig::default(), 1);
        let refused = handle(&mut state, &request("GET", "/v3/contacts", None, None));
        assert_eq!(refused.status, 401);

        let body = json!({"first_name": "In", "create_source": "Account"});
        let token = Some("emulator-token");
        let created = handle(
            &mut state,
            &request("POST", "/v3/contacts", token, Some(body)),
        );
        assert_eq!(created.status, 201);
        let id = json(&created.body)["contact_id"]
            .as_str()
            .unwrap()
            .to_string();

        let listed = handle(
            &mut state,
            &request("GET", "/v3/contacts?limit=1", token, None),
        );
        assert_eq!(json(&listed.body)["contacts"][0]["contact_id"], id.as_str());
        let deleted = handle(
            &mut state,
            &request("DELETE", &format!("/v3/contacts/{id}"), token, None),
        );
        assert_eq!(
            (deleted.status, deleted.content_type, deleted.body.len()),
            (204, None, 0)
        );
        assert!(state.contacts[0].is_deleted());
    }
}
