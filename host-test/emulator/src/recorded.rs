//! The request log: every request the emulator answered, with credentials redacted.

/// One request as the emulator received it, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path, raw.
    pub path: String,
    /// Query string without the `?`, raw and undecoded.
    pub query: Option<String>,
    /// Headers with lower-case names; credentials in `authorization` are replaced by
    /// `<redacted>` after the scheme (`Bearer <redacted>`).
    pub headers: Vec<(String, String)>,
    /// The body after removing any transfer coding.
    pub body: Vec<u8>,
    /// The status answered.
    pub status: u16,
    /// Whether a [`crate::Script`] answered instead of the emulated API.
    pub scripted: bool,
}

impl RecordedRequest {
    /// The first value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Copies headers for the log, hiding credentials.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            if name == "authorization" || name == "proxy-authorization" {
                // Keep the scheme only when a credential follows it.
                let mut words = value.split_whitespace();
                let redacted = match (words.next(), words.next()) {
                    (Some(scheme), Some(_)) => format!("{scheme} <redacted>"),
                    _ => "<redacted>".to_string(),
                };
                (name.clone(), redacted)
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_credentials_only() {
        let headers = vec![
            ("authorization".to_string(), "Bearer s3cret".to_string()),
            ("accept".to_string(), "application/json".to_string()),
            ("proxy-authorization".to_string(), "s3cret".to_string()),
        ];
        let redacted = redact_headers(&headers);
        assert_eq!(redacted[0].1, "Bearer <redacted>");
        assert_eq!(redacted[1].1, "application/json");
        assert_eq!(redacted[2].1, "<redacted>");
    }
}
