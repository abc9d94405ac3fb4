//! Secret strings (access and refresh tokens, client secrets): their `Debug` never shows the
//! value, and a [`Scrubber`] removes them from any text before it leaves the connector.

use std::fmt;

/// What replaces a secret wherever it would have appeared.
pub const REDACTED: &str = "<redacted>";

/// Secrets shorter than this are not scrubbed from text: replacing one or two characters
/// everywhere would garble messages, and real tokens are far longer.
const MIN_SCRUBBED_LEN: usize = 4;

/// A value that must never be printed.
#[derive(Clone, PartialEq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value itself, for the one place that needs it (the `Authorization` header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Replaces every known secret in a text with [`REDACTED`].
#[derive(Clone, Default)]
pub struct Scrubber {
    secrets: Vec<Secret>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scrubber({} secrets)", self.secrets.len())
    }
}

impl Scrubber {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let secrets = secrets
            .into_iter()
            .filter(|s| s.0.len() >= MIN_SCRUBBED_LEN)
            .cloned()
            .collect();
        Scrubber { secrets }
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.expose()) {
                out = out.replace(secret.expose(), REDACTED);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("tok-123456".into());
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{:?}", Some(secret)), "Some(<redacted>)");
    }

    #[test]
    fn scrubber_replaces_every_occurrence() {
        let a = Secret::new("alpha-token".into());
        let b = Secret::new("beta-secret".into());
        let scrubber = Scrubber::new([&a, &b]);
        let text = "x alpha-token y beta-secret z alpha-token";
        assert_eq!(
            scrubber.scrub(text),
            "x <redacted> y <redacted> z <redacted>"
        );
    }

    #[test]
    fn scrubber_skips_trivially_short_secrets() {
        let short = Secret::new("ab".into());
        assert_eq!(Scrubber::new([&short]).scrub("abc"), "abc");
    }
}
