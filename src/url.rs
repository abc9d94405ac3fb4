//! The few URL operations the connector needs: parsing a base URL, joining API paths to it,
//! checking that a link stays on its origin, and percent-encoding query values.

use std::fmt;

/// `http` or `https`, the only schemes the connector speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A validated base URL: scheme, host, optional port and a path without a trailing `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    /// Lower-cased host; IPv6 literals keep their brackets.
    host: String,
    port: Option<u16>,
    /// Empty, or starting with `/` and not ending with one.
    path: String,
}

/// Where one request goes: what the HTTP layer needs to address it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub scheme: Scheme,
    /// `host` or `host:port`.
    pub authority: String,
    /// Starts with `/`.
    pub path_and_query: String,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority,
            self.path_and_query
        )
    }
}

impl BaseUrl {
    /// Parses an `http` or `https` URL with a host and no query, fragment or credentials.
    /// Trailing slashes are dropped. Errors are sentences without the value.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("it contains whitespace or control characters".into());
        }
        let (scheme, rest) = split_scheme(text).ok_or("it must start with http:// or https://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if path.contains('?') || path.contains('#') || authority.contains(['?', '#']) {
            return Err("it must not have a query or a fragment".into());
        }
        let (host, port) = parse_authority(authority)?;
        Ok(BaseUrl {
            scheme,
            host,
            port,
            path: path.trim_end_matches('/').to_owned(),
        })
    }

    /// `scheme://host[:port]`, the part every request and link must share.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.authority())
    }

    /// The URL as the connector uses it: origin plus path, no trailing `/`.
    pub fn as_string(&self) -> String {
        format!("{}{}", self.origin(), self.path)
    }

    fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    fn effective_port(&self) -> u16 {
        self.port.unwrap_or(self.scheme.default_port())
    }

    /// The target of an API path such as `/contacts?limit=1`, below the base path.
    pub fn join(&self, api_path: &str) -> Target {
        Target {
            scheme: self.scheme,
            authority: self.authority(),
            path_and_query: format!("{}{api_path}", self.path),
        }
    }

    /// Resolves a link the API returned (or a caller kept), byte for byte: a path below the
    /// base path, or an absolute URL on the same origin. Anything else is refused with a
    /// sentence saying why.
    pub fn resolve_link(&self, href: &str) -> Result<Target, String> {
        if href.is_empty() {
            return Err("the link is empty".into());
        }
        if href
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '#')
        {
            return Err("the link contains characters a URL path cannot hold".into());
        }
        let path_and_query = if href.starts_with("//") {
            return Err("the link names another host".into());
        } else if href.starts_with('/') {
            href.to_owned()
        } else if let Some((scheme, rest)) = split_scheme(href) {
            let (authority, path) = match rest.find(['/', '?']) {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let (host, port) = parse_authority(authority)?;
            let other = BaseUrl {
                scheme,
                host,
                port,
                path: String::new(),
            };
            if other.scheme != self.scheme
                || other.host != self.host
                || other.effective_port() != self.effective_port()
            {
                return Err(format!(
                    "the link leaves the API origin \"{}\"",
                    self.origin()
                ));
            }
            if path.starts_with('/') {
                path.to_owned()
            } else {
                format!("/{path}")
            }
        } else {
            return Err("the link is neither a path nor an http(s) URL".into());
        };
        if !self.path.is_empty() && !is_below(&path_and_query, &self.path) {
            return Err(format!(
                "the link is not below the API base path \"{}\"",
                self.path
            ));
        }
        Ok(Target {
            scheme: self.scheme,
            authority: self.authority(),
            path_and_query,
        })
    }
}

fn is_below(path_and_query: &str, base: &str) -> bool {
    match path_and_query.strip_prefix(base) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'),
        None => false,
    }
}

fn split_scheme(text: &str) -> Option<(Scheme, &str)> {
    let (scheme, rest) = text.split_once("://")?;
    if scheme.eq_ignore_ascii_case("https") {
        Some((Scheme::Https, rest))
    } else if scheme.eq_ignore_ascii_case("http") {
        Some((Scheme::Http, rest))
    } else {
        None
    }
}

fn parse_authority(authority: &str) -> Result<(String, Option<u16>), String> {
    if authority.contains('@') {
        return Err("it must not carry credentials".into());
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or("its IPv6 host lacks a closing bracket")?;
        let host = &authority[..end + 2];
        let after = &rest[end + 1..];
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err("its host is malformed".into()),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err("it has no host".into());
    }
    let host_ok = host.starts_with('[')
        || host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !host_ok {
        return Err("its host has characters a host name cannot hold".into());
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err("its port is not a number from 1 to 65535".into()),
        },
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Percent-encodes a query value: everything but RFC 3986 unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Builds a query string from name/value pairs; values of list parameters are encoded item
/// by item and joined with a literal `,`, as the API's csv parameters expect.
#[derive(Default)]
pub struct QueryString {
    parts: Vec<String>,
}

impl QueryString {
    pub fn push(&mut self, name: &str, value: &str) {
        self.parts.push(format!("{name}={}", encode(value)));
    }

    pub fn push_csv<S: AsRef<str>>(&mut self, name: &str, values: &[S]) {
        if values.is_empty() {
            return;
        }
        let joined: Vec<String> = values.iter().map(|v| encode(v.as_ref())).collect();
        self.parts.push(format!("{name}={}", joined.join(",")));
    }

    /// `?a=1&b=2`, or nothing when empty.
    pub fn finish(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!("?{}", self.parts.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(text: &str) -> BaseUrl {
        BaseUrl::parse(text).expect("valid base URL")
    }

    #[test]
    fn parse_strips_trailing_slashes_and_lowercases_the_host() {
        let url = base("HTTPS://API.CC.Email/v3//");
        assert_eq!(url.as_string(), "https://api.cc.email/v3");
        assert_eq!(
            base("http://127.0.0.1:8080").as_string(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(base("http://[::1]:9/v3").origin(), "http://[::1]:9");
    }

    #[test]
    fn parse_refuses_bad_urls() {
        for bad in [
            "ftp://x/v3",
            "api.cc.email/v3",
            "https:///v3",
            "https://user:pw@host/v3",
            "https://host/v3?x=1",
            "https://host/v3#f",
            "https://host:0/v3",
            "https://host:99999/v3",
            "https://host:abc/v3",
            "https://ho st/v3",
            "https://[::1/v3",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn join_puts_api_paths_below_the_base_path() {
        let target = base("http://127.0.0.1:4000/v3/").join("/contacts?limit=1");
        assert_eq!(target.authority, "127.0.0.1:4000");
        assert_eq!(target.path_and_query, "/v3/contacts?limit=1");
        assert_eq!(
            target.to_string(),
            "http://127.0.0.1:4000/v3/contacts?limit=1"
        );
    }

    #[test]
    fn links_are_kept_byte_for_byte() {
        let url = base("https://api.cc.email/v3");
        let href = "/v3/contacts?cursor=bGltaXQ9MSZuZXh0PTI/+a=%2F==";
        assert_eq!(url.resolve_link(href).unwrap().path_and_query, href);
        let absolute = "https://API.cc.email:443/v3/contacts?cursor=a+b/c=";
        assert_eq!(
            url.resolve_link(absolute).unwrap().path_and_query,
            "/v3/contacts?cursor=a+b/c="
        );
    }

    #[test]
    fn links_off_the_origin_or_base_path_are_refused() {
        let url = base("https://api.cc.email/v3");
        for bad in [
            "https://evil.example/v3/contacts?cursor=x",
            "http://api.cc.email/v3/contacts",
            "https://api.cc.email:8443/v3/contacts",
            "//evil.example/v3/contacts",
            "/v2/contacts?cursor=x",
            "/v3x/contacts",
            "contacts?cursor=x",
            "javascript:alert(1)",
            "/v3/contacts?cursor=a b",
            "",
        ] {
            assert!(url.resolve_link(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn encode_escapes_everything_but_unreserved() {
        assert_eq!(encode("a+b@c.d"), "a%2Bb%40c.d");
        assert_eq!(encode("2024-01-01T00:00:00Z"), "2024-01-01T00%3A00%3A00Z");
        assert_eq!(encode("é /,"), "%C3%A9%20%2F%2C");
    }

    #[test]
    fn query_string_joins_csv_with_literal_commas() {
        let mut q = QueryString::default();
        q.push("limit", "5");
        q.push_csv("status", &["all", "not_set"]);
        q.push_csv::<&str>("lists", &[]);
        q.push("email", "a+b@c.d");
        assert_eq!(q.finish(), "?limit=5&status=all,not_set&email=a%2Bb%40c.d");
        assert_eq!(QueryString::default().finish(), "");
    }
}
