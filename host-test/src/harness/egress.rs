//! Outgoing HTTP control: the guest may reach only the origins of its connection's API and
//! authorization base URLs. Every request is recorded (without headers, sensitive query
//! values redacted), refused ones fail with `HttpRequestDenied` before any socket is opened,
//! and the HTTP timeouts of allowed ones are capped by the call's limits.

use std::fmt;
use std::time::Duration;

use http::Uri;
use http::uri::Scheme;
use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpHooks};

use super::capture::{CaptureSink, Level, REDACTED};
use super::limits::Limits;

/// The API base URL the WIT documents as the default.
pub const DEFAULT_API_BASE_URL: &str = "https://api.cc.email/v3";
/// The authorization base URL the WIT documents as the default.
pub const DEFAULT_AUTH_BASE_URL: &str = "https://authz.constantcontact.com/oauth2/default/v1";

/// Query parameters whose values are credentials and never recorded.
const SENSITIVE_PARAMS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "code",
    "code_verifier",
    "device_code",
    "password",
    "client_assertion",
    "assertion",
    "api_key",
];

/// Scheme, host and port of a URL, with the host lower-cased and the default port filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// The origin of an absolute `http` or `https` URL; `None` for anything else.
    pub fn of_url(url: &str) -> Option<Origin> {
        let uri: Uri = url.trim().parse().ok()?;
        Origin::of_uri(&uri, None)
    }

    /// The origin of a request URI; a URI without a scheme takes `default_scheme`.
    fn of_uri(uri: &Uri, default_scheme: Option<&Scheme>) -> Option<Origin> {
        let scheme = uri.scheme().or(default_scheme)?;
        let scheme = scheme.as_str().to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let host = uri.host()?.to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        let port = uri.port_u16().unwrap_or(default_port);
        Some(Origin { scheme, host, port })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// The origins one call may reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    origins: Vec<Origin>,
}

impl AllowList {
    /// Nothing is allowed (e.g. for `describe`, which needs no network).
    pub fn none() -> Self {
        AllowList::default()
    }

    /// The origins of the given base URLs, each falling back to the WIT default when absent.
    /// A URL that does not parse allows nothing; the connector refuses such a config itself.
    pub fn for_connection(api_base_url: Option<&str>, auth_base_url: Option<&str>) -> Self {
        let urls = [
            api_base_url.unwrap_or(DEFAULT_API_BASE_URL),
            auth_base_url.unwrap_or(DEFAULT_AUTH_BASE_URL),
        ];
        let mut origins = Vec::new();
        for origin in urls.into_iter().filter_map(Origin::of_url) {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        AllowList { origins }
    }

    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    pub fn allows(&self, origin: &Origin) -> bool {
        self.origins.contains(origin)
    }
}

/// The form a request takes in the capture: method, then the URI without user info and with
/// sensitive query values replaced.
pub fn describe_request(method: &str, uri: &Uri) -> String {
    let mut line = format!("{method} ");
    if let Some(scheme) = uri.scheme_str() {
        line.push_str(scheme);
        line.push_str("://");
    }
    if let Some(host) = uri.host() {
        line.push_str(host);
    }
    if let Some(port) = uri.port() {
        line.push(':');
        line.push_str(port.as_str());
    }
    line.push_str(uri.path());
    if let Some(query) = uri.query() {
        line.push('?');
        line.push_str(&redact_query(query));
    }
    line
}

/// Replaces the values of credential-bearing parameters in a query string.
pub fn redact_query(query: &str) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_sensitive(name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    pairs.join("&")
}

fn is_sensitive(name: &str) -> bool {
    SENSITIVE_PARAMS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(name.trim()))
}

/// The lower of the guest's wish and the host's cap.
fn capped(guest: Option<Duration>, cap: Duration) -> Option<Duration> {
    Some(guest.map_or(cap, |wanted| wanted.min(cap)))
}

type IoFuture = Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send + 'static>;
type SendFuture = Box<
    dyn Future<Output = Result<(http::Response<WasiBody>, IoFuture), wasmtime_wasi_http::Error>>
        + Send,
>;

/// The `wasi:http` hooks of one store: allowlist, recording and timeout caps.
pub(crate) struct EgressHooks {
    allow: AllowList,
    limits: Limits,
    capture: CaptureSink,
}

impl EgressHooks {
    pub(crate) fn new(allow: AllowList, limits: Limits, capture: CaptureSink) -> Self {
        EgressHooks {
            allow,
            limits,
            capture,
        }
    }

    fn deny(&self, line: String, origin: Option<&Origin>) -> SendFuture {
        let target = origin.map_or_else(|| "an unknown origin".to_owned(), |o| format!("\"{o}\""));
        let allowed: Vec<String> = self
            .allow
            .origins()
            .iter()
            .map(|o| format!("\"{o}\""))
            .collect();
        let allowed = if allowed.is_empty() {
            "none".to_owned()
        } else {
            allowed.join(", ")
        };
        self.capture.log(
            Level::Warn,
            "harness.egress",
            &format!("refused request \"{line}\": {target} is not allowed (allowed: {allowed})"),
        );
        self.capture.denied(&line);
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

impl WasiHttpHooks for EgressHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _response_errors: IoFuture,
    ) -> SendFuture {
        let line = describe_request(request.method().as_str(), request.uri());
        let origin = Origin::of_uri(request.uri(), Some(&Scheme::HTTPS));
        match &origin {
            Some(o) if self.allow.allows(o) => {}
            _ => return self.deny(line, origin.as_ref()),
        }
        self.capture.egress(&line);

        let wanted = options.unwrap_or_default();
        let options = RequestOptions {
            connect_timeout: capped(wanted.connect_timeout, self.limits.connect_timeout),
            first_byte_timeout: capped(wanted.first_byte_timeout, self.limits.first_byte_timeout),
            between_bytes_timeout: capped(
                wanted.between_bytes_timeout,
                self.limits.between_bytes_timeout,
            ),
        };
        Box::new(async move {
            use http_body_util::BodyExt;

            let (response, io) =
                wasmtime_wasi_http::default_send_request(request, Some(options)).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as IoFuture,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::capture::{CaptureSink, Redactor};
    use http_body_util::BodyExt;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Instant;

    fn empty_body() -> WasiBody {
        http_body_util::Empty::new()
            .map_err(|never| match never {})
            .boxed_unsync()
    }

    fn request(uri: &str) -> http::Request<WasiBody> {
        http::Request::builder()
            .method("GET")
            .uri(uri)
            .header("authorization", "Bearer tok-secret")
            .body(empty_body())
            .unwrap()
    }

    /// A loopback server answering each connection with `response` after `delay`.
    fn server(response: &'static str, delay: Duration) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf);
                    std::thread::sleep(delay);
                    let _ = stream.write_all(response.as_bytes());
                });
            }
        });
        port
    }

    fn hooks(allowed: &str, limits: Limits) -> (EgressHooks, CaptureSink) {
        let capture = CaptureSink::new(Redactor::new(["tok-secret"]));
        let allow = AllowList::for_connection(Some(allowed), Some(allowed));
        (EgressHooks::new(allow, limits, capture.clone()), capture)
    }

    #[tokio::test]
    async fn refused_requests_never_leave_the_host() {
        // The "other" port has a server that would answer; a refusal must not reach it.
        let allowed = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            Duration::ZERO,
        );
        let other = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            Duration::ZERO,
        );
        let (mut hooks, capture) =
            hooks(&format!("http://127.0.0.1:{allowed}/v3"), Limits::default());

        let uri = format!("http://127.0.0.1:{other}/v3/contacts?access_token=tok-secret");
        let sent = hooks.send_request(request(&uri), None, Box::new(async { Ok(()) }));
        let result = Box::into_pin(sent).await;
        assert!(matches!(
            result,
            Err(wasmtime_wasi_http::Error::HttpRequestDenied)
        ));

        let capture = capture.snapshot();
        assert!(capture.egress.is_empty());
        assert_eq!(
            capture.denied,
            [format!(
                "GET http://127.0.0.1:{other}/v3/contacts?access_token=[redacted]"
            )]
        );
        assert_eq!(capture.logs.len(), 1);
        assert_eq!(capture.logs[0].level, Level::Warn);
        assert!(
            capture.logs[0]
                .message
                .contains(&format!("127.0.0.1:{allowed}"))
        );
        assert!(!capture.to_string().contains("tok-secret"));
    }

    #[tokio::test]
    async fn allowed_requests_are_sent_and_recorded_without_headers() {
        let port = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
            Duration::ZERO,
        );
        let (mut hooks, capture) = hooks(&format!("http://127.0.0.1:{port}/v3"), Limits::default());

        let uri = format!("http://127.0.0.1:{port}/v3/account/summary");
        let sent = hooks.send_request(request(&uri), None, Box::new(async { Ok(()) }));
        let (response, _io) = Box::into_pin(sent).await.unwrap();
        assert_eq!(response.status(), 200);

        let capture = capture.snapshot();
        assert_eq!(capture.egress, [format!("GET {uri}")]);
        assert!(capture.denied.is_empty());
        assert!(!capture.to_string().to_lowercase().contains("bearer"));
    }

    #[tokio::test]
    async fn the_host_caps_a_longer_guest_timeout() {
        let port = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            Duration::from_secs(5),
        );
        let limits = Limits {
            first_byte_timeout: Duration::from_millis(300),
            ..Limits::default()
        };
        let (mut hooks, _capture) = hooks(&format!("http://127.0.0.1:{port}"), limits);

        let wanted = RequestOptions {
            first_byte_timeout: Some(Duration::from_secs(600)),
            ..RequestOptions::default()
        };
        let started = Instant::now();
        let uri = format!("http://127.0.0.1:{port}/slow");
        let sent = hooks.send_request(request(&uri), Some(wanted), Box::new(async { Ok(()) }));
        let result = Box::into_pin(sent).await;
        let elapsed = started.elapsed();
        assert!(result.is_err(), "the slow answer must time out");
        assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
        assert!(elapsed >= Duration::from_millis(250), "took {elapsed:?}");
    }

    fn origin(scheme: &str, host: &str, port: u16) -> Origin {
        Origin {
            scheme: scheme.into(),
            host: host.into(),
            port,
        }
    }

    #[test]
    fn default_ports_are_filled_in() {
        assert_eq!(
            Origin::of_url("https://API.cc.email/v3"),
            Some(origin("https", "api.cc.email", 443))
        );
        assert_eq!(
            Origin::of_url("http://127.0.0.1/v3"),
            Some(origin("http", "127.0.0.1", 80))
        );
        assert_eq!(
            Origin::of_url("https://api.cc.email:443"),
            Origin::of_url("https://api.cc.email/")
        );
    }

    #[test]
    fn non_http_and_relative_urls_have_no_origin() {
        assert_eq!(Origin::of_url("ftp://api.cc.email/v3"), None);
        assert_eq!(Origin::of_url("/v3/contacts"), None);
        assert_eq!(Origin::of_url("not a url"), None);
    }

    #[test]
    fn allow_list_uses_the_wit_defaults() {
        let allow = AllowList::for_connection(None, None);
        assert!(allow.allows(&origin("https", "api.cc.email", 443)));
        assert!(allow.allows(&origin("https", "authz.constantcontact.com", 443)));
        assert!(!allow.allows(&origin("http", "api.cc.email", 80)));
        assert_eq!(allow.origins().len(), 2);
    }

    #[test]
    fn allow_list_matches_scheme_host_and_port() {
        let allow = AllowList::for_connection(
            Some("http://127.0.0.1:4000/v3"),
            Some("http://127.0.0.1:4000/oauth2"),
        );
        assert_eq!(allow.origins(), [origin("http", "127.0.0.1", 4000)]);
        assert!(allow.allows(&origin("http", "127.0.0.1", 4000)));
        assert!(!allow.allows(&origin("http", "127.0.0.1", 4001)));
        assert!(!allow.allows(&origin("https", "127.0.0.1", 4000)));
        assert!(!allow.allows(&origin("http", "localhost", 4000)));
    }

    #[test]
    fn request_uris_are_matched_like_config_urls() {
        let allow = AllowList::for_connection(Some("https://api.cc.email/v3"), None);
        let uri: Uri = "https://Api.CC.email:443/v3/contacts?limit=500"
            .parse()
            .unwrap();
        let o = Origin::of_uri(&uri, Some(&Scheme::HTTPS)).unwrap();
        assert!(allow.allows(&o));

        let evil: Uri = "https://api.cc.email.evil.example/v3".parse().unwrap();
        let o = Origin::of_uri(&evil, Some(&Scheme::HTTPS)).unwrap();
        assert!(!allow.allows(&o));

        let userinfo: Uri = "https://api.cc.email@evil.example/v3".parse().unwrap();
        let o = Origin::of_uri(&userinfo, Some(&Scheme::HTTPS)).unwrap();
        assert!(!allow.allows(&o));
    }

    #[test]
    fn an_unparsable_base_url_allows_nothing_for_it() {
        let allow = AllowList::for_connection(Some("::nope::"), Some("http://127.0.0.1:9"));
        assert_eq!(allow.origins(), [origin("http", "127.0.0.1", 9)]);
    }

    #[test]
    fn recorded_requests_hide_credentials() {
        let uri: Uri = "https://user:pw@authz.example/v1/token?grant_type=refresh_token&refresh_token=abc&Code=x"
            .parse()
            .unwrap();
        let line = describe_request("POST", &uri);
        assert_eq!(
            line,
            "POST https://authz.example/v1/token?grant_type=refresh_token&refresh_token=[redacted]&Code=[redacted]"
        );
    }

    #[test]
    fn guest_timeouts_are_honoured_only_below_the_cap() {
        let cap = Duration::from_secs(30);
        assert_eq!(capped(None, cap), Some(cap));
        assert_eq!(
            capped(Some(Duration::from_secs(5)), cap),
            Some(Duration::from_secs(5))
        );
        assert_eq!(capped(Some(Duration::from_secs(600)), cap), Some(cap));
    }
}
