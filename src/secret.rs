//! Secret strings (access and refresh tokens, client secrets): their `Debug` never shows the
//! value, and a [`Scrubber`] removes them from any text before it leaves the connector.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

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

/// Replaces every known secret in a text with [`REDACTED`]. Clones share one set, so a
/// secret learned later (a renewed token) is scrubbed by every clone.
#[derive(Clone, Default)]
pub struct Scrubber {
    secrets: Rc<RefCell<Vec<Secret>>>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scrubber({} secrets)", self.secrets.borrow().len())
    }
}

impl Scrubber {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let secrets = secrets
            .into_iter()
            .filter(|s| s.0.len() >= MIN_SCRUBBED_LEN)
            .cloned()
            .collect();
        Scrubber {
            secrets: Rc::new(RefCell::new(secrets)),
        }
    }

    /// Adds a secret to the set every clone scrubs.
    pub fn learn(&self, secret: &Secret) {
        if secret.0.len() < MIN_SCRUBBED_LEN {
            return;
        }
        let mut secrets = self.secrets.borrow_mut();
        if !secrets.contains(secret) {
            secrets.push(secret.clone());
            // Longest first, so a secret that contains another is replaced whole.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        }
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.secrets.borrow().iter() {
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
    fn a_learned_secret_is_scrubbed_by_every_clone() {
        let scrubber = Scrubber::default();
        let clone = scrubber.clone();
        scrubber.learn(&Secret::new("renewed-token".into()));
        assert_eq!(clone.scrub("x renewed-token"), "x <redacted>");
    }

    #[test]
    fn scrubber_skips_trivially_short_secrets() {
        let short = Secret::new("ab".into());
        assert_eq!(Scrubber::new([&short]).scrub("abc"), "abc");
    }
}
