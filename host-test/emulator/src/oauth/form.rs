//! Form parameters of authorization-server requests: read from the query string and an
//! `application/x-www-form-urlencoded` body alike, percent-encoded for redirects, and
//! redacted before a request is logged.

use crate::http::query::decode;
use crate::http::request::Request;
use crate::oauth::error::OAuthError;

/// Parameter names whose values are credentials; the request log shows `<redacted>`.
const SECRET_FIELDS: [&str; 9] = [
    "code",
    "refresh_token",
    "client_secret",
    "code_verifier",
    "device_code",
    "access_token",
    "id_token",
    "token",
    "password",
];

/// The decoded parameters of a request, in order, each marked with where it came from.
#[derive(Debug, Clone, Default)]
pub struct Params {
    items: Vec<(String, String, bool)>,
}

impl Params {
    /// Reads the query string and, when the body is non-empty, a form body. A repeated
    /// parameter, a body of another type or undecodable text is `invalid_request`.
    pub fn read(request: &Request) -> Result<Params, OAuthError> {
        let mut params = Params::default();
        params.add(request.query.as_deref().unwrap_or(""), true)?;
        if !request.body.is_empty() {
            let declared = request
                .header("content-type")
                .and_then(|v| v.split(';').next())
                .map(|v| v.trim().to_ascii_lowercase());
            if declared.as_deref() != Some("application/x-www-form-urlencoded") {
                return Err(OAuthError::invalid_request(
                    "The request body must be application/x-www-form-urlencoded.",
                ));
            }
            let body = std::str::from_utf8(&request.body)
                .map_err(|_| OAuthError::invalid_request("The request body is not valid UTF-8."))?;
            params.add(body, false)?;
        }
        Ok(params)
    }

    /// Parameters of a query string only (for `GET` endpoints).
    pub fn from_query(raw: Option<&str>) -> Result<Params, OAuthError> {
        let mut params = Params::default();
        params.add(raw.unwrap_or(""), true)?;
        Ok(params)
    }

    fn add(&mut self, raw: &str, in_query: bool) -> Result<(), OAuthError> {
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let bad = || OAuthError::invalid_request("A parameter is not valid form encoding.");
            let name = decode(name).ok_or_else(bad)?;
            let value = decode(value).ok_or_else(bad)?;
            if self.items.iter().any(|(n, _, _)| *n == name) {
                return Err(OAuthError::invalid_request(format!(
                    "The parameter \"{name}\" is given more than once."
                )));
            }
            self.items.push((name, value, in_query));
        }
        Ok(())
    }

    /// A parameter's value; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(n, v, _)| n == name && !v.is_empty())
            .map(|(_, v, _)| v.as_str())
    }

    /// A parameter that must be present.
    pub fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name).ok_or_else(|| {
            OAuthError::invalid_request(format!("The \"{name}\" parameter is required."))
        })
    }

    /// Whether any parameter came in the query string.
    pub fn any_in_query(&self) -> bool {
        self.items.iter().any(|(_, _, q)| *q)
    }

    /// The space-separated `scope` parameter, split, without repeats.
    pub fn scopes(&self) -> Vec<String> {
        let mut scopes: Vec<String> = Vec::new();
        for scope in self.get("scope").unwrap_or("").split_whitespace() {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_string());
            }
        }
        scopes
    }
}

/// Percent-encodes a value for a query string (unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Appends `name=value` pairs to a URI's query.
pub fn append_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_string();
    let mut separator = if uri.contains('?') { '&' } else { '?' };
    for (name, value) in pairs {
        out.push(separator);
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
        separator = '&';
    }
    out
}

/// A raw form or query string with the values of credential parameters replaced by
/// `<redacted>`; every other byte is kept.
pub fn redact(raw: &str) -> String {
    raw.split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            let decoded = decode(name).unwrap_or_else(|| name.to_string());
            if pair.contains('=') && SECRET_FIELDS.contains(&decoded.as_str()) {
                format!("{name}=<redacted>")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Version;

    fn request(query: Option<&str>, content_type: Option<&str>, body: &str) -> Request {
        let mut headers = Vec::new();
        if let Some(content_type) = content_type {
            headers.push(("content-type".to_string(), content_type.to_string()));
        }
        Request {
            method: "POST".into(),
            path: "/oauth2/default/v1/token".into(),
            query: query.map(str::to_string),
            version: Version::Http11,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_query_and_body_alike() {
        let form = Some("application/x-www-form-urlencoded; charset=utf-8");
        let both = request(
            Some("grant_type=refresh_token"),
            form,
            "refresh_token=a%2Bb+c",
        );
        let params = Params::read(&both).unwrap();
        assert_eq!(params.get("grant_type"), Some("refresh_token"));
        assert_eq!(params.get("refresh_token"), Some("a+b c"));
        assert!(params.any_in_query());
        let body_only = Params::read(&request(None, form, "grant_type=x")).unwrap();
        assert!(!body_only.any_in_query());

        let repeated = request(Some("code=1"), form, "code=2");
        assert_eq!(Params::read(&repeated).unwrap_err().code, "invalid_request");
        let json = request(None, Some("application/json"), "{}");
        assert_eq!(Params::read(&json).unwrap_err().code, "invalid_request");
        let query_only = request(Some("a=1&scope=x%20y%20x"), Some("application/json"), "");
        assert_eq!(Params::read(&query_only).unwrap().scopes(), ["x", "y"]);
    }

    #[test]
    fn encodes_and_redacts() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            append_query("http://h/cb?x=1", &[("code", "c"), ("state", "s t")]),
            "http://h/cb?x=1&code=c&state=s%20t"
        );
        assert_eq!(
            redact("grant_type=refresh_token&refresh_token=abc&client_secret=s&scope=x"),
            "grant_type=refresh_token&refresh_token=<redacted>&client_secret=<redacted>&scope=x"
        );
        assert_eq!(
            redact("code=1&code_challenge=zz&flag"),
            "code=<redacted>&code_challenge=zz&flag"
        );
    }
}
