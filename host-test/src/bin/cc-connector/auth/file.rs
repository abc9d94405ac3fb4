//! The credentials file: the tokens `auth login`/`auth device` obtained and every renewal
//! since, as JSON readable only by its owner (0600), rewritten atomically (temporary file,
//! fsync, rename) so a crash never leaves a half-written or lost refresh token.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context as _;
use host_test::harness::CredentialStore;
use host_test::wit::{ConnectionConfig, TokenSet};
use serde::{Deserialize, Serialize};

/// What the file holds. No `Debug`: it would show the tokens.
#[derive(Serialize, Deserialize, Clone, Default)]
pub struct Credentials {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_expires_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Granted scopes, space-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Credentials {
    /// Reads the file; errors name the file, never its content.
    pub fn read(path: &Path) -> anyhow::Result<Credentials> {
        let shown = path.display();
        let text = fs::read_to_string(path)
            .with_context(|| format!("failed to read the credentials file \"{shown}\""))?;
        serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "failed to read the credentials file \"{shown}\": invalid JSON at line {} \
                 column {}",
                e.line(),
                e.column()
            )
        })
    }

    /// Replaces the file atomically with these credentials, mode 0600.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let shown = path.display();
        let text = serde_json::to_string_pretty(self)
            .with_context(|| format!("failed to encode the credentials for \"{shown}\""))?;
        let temp = temp_path(path);
        let result = write_private(&temp, text.as_bytes()).and_then(|()| {
            fs::rename(&temp, path).with_context(|| {
                format!("failed to move the new credentials into place at \"{shown}\"")
            })
        });
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result?;
        // Make the rename itself durable.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Takes in a renewed set; a missing refresh token keeps the one held.
    pub fn renew(&mut self, tokens: &TokenSet) {
        self.access_token = tokens.access_token.clone();
        self.access_token_expires_at = tokens.access_token_expires_at;
        if let Some(refresh) = &tokens.refresh_token {
            self.refresh_token = Some(refresh.clone());
        }
        if tokens.scope.is_some() {
            self.scope = tokens.scope.clone();
        }
    }

    /// Puts these credentials into a connection config.
    pub fn apply(&self, config: &mut ConnectionConfig) {
        if self.api_base_url.is_some() {
            config.api_base_url = self.api_base_url.clone();
        }
        if self.auth_base_url.is_some() {
            config.auth_base_url = self.auth_base_url.clone();
        }
        if self.client_id.is_some() {
            config.client_id = self.client_id.clone();
        }
        config.access_token = self.access_token.clone();
        config.access_token_expires_at = self.access_token_expires_at;
        config.refresh_token = self.refresh_token.clone();
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "credentials".into());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = path.display();
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("failed to create \"{shown}\""))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("failed to write \"{shown}\""))
}

/// The harness's credential store for a credentials file: each renewal rewrites it.
pub struct FileCredentials {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileCredentials {
    pub fn new(path: PathBuf) -> FileCredentials {
        FileCredentials {
            path,
            lock: Mutex::new(()),
        }
    }
}

impl CredentialStore for FileCredentials {
    fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        let _held = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut held = Credentials::read(&self.path).map_err(|e| format!("{e:#}"))?;
        held.renew(tokens);
        held.write(&self.path).map_err(|e| format!("{e:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cc-credentials-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_renewal_rewrites_the_file_privately_and_keeps_a_missing_refresh_token() {
        let path = temp_dir().join("creds.json");
        let first = Credentials {
            client_id: Some("app".into()),
            access_token: "at-1".into(),
            refresh_token: Some("rt-1".into()),
            ..Credentials::default()
        };
        first.write(&path).unwrap();
        let store = FileCredentials::new(path.clone());
        store
            .save(&TokenSet {
                access_token: "at-2".into(),
                access_token_expires_at: Some(99),
                refresh_token: None,
                scope: Some("contact_data".into()),
            })
            .unwrap();

        let read = Credentials::read(&path).unwrap();
        assert_eq!(read.access_token, "at-2");
        assert_eq!(read.refresh_token.as_deref(), Some("rt-1"));
        assert_eq!(read.access_token_expires_at, Some(99));
        assert_eq!(read.client_id.as_deref(), Some("app"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn an_unreadable_file_refuses_the_save() {
        let store = FileCredentials::new(temp_dir().join("missing.json"));
        let refused = store
            .save(&TokenSet {
                access_token: "at-secret-value".into(),
                access_token_expires_at: None,
                refresh_token: None,
                scope: None,
            })
            .unwrap_err();
        assert!(refused.contains("failed to read the credentials file"));
        assert!(!refused.contains("at-secret-value"));
    }
}
