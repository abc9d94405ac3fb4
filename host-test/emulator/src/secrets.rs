//! Every secret the emulators of this process handed out or were configured with: bearer
//! tokens, refresh tokens, authorization and device codes, client secrets. Tests scan what
//! the connector produced for any of them.

use std::sync::Mutex;

static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Shorter values (test stand-ins like "x") would match ordinary text.
const SHORTEST: usize = 8;
/// A long-running standalone emulator keeps only the newest secrets.
const KEPT: usize = 10_000;

/// Notes a secret.
pub(crate) fn remember(value: &str) {
    if value.len() < SHORTEST {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    if !secrets.iter().any(|s| s == value) {
        if secrets.len() >= KEPT {
            secrets.remove(0);
        }
        secrets.push(value.to_owned());
    }
}

/// Every secret any emulator in this process issued or was configured with so far.
pub fn issued_secrets() -> Vec<String> {
    SECRETS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_each_secret_once_and_ignores_stand_ins() {
        remember("a-long-enough-secret");
        remember("a-long-enough-secret");
        remember("x");
        let all = issued_secrets();
        assert_eq!(
            all.iter().filter(|s| *s == "a-long-enough-secret").count(),
            1
        );
        assert!(!all.iter().any(|s| s == "x"));
    }
}
