//! The wasmtime harness: loads the connector component once and runs each activity in a
//! fresh store, under limits and an egress allowlist, returning the result with what the
//! call logged.

mod capture;
mod credentials;
mod egress;
mod engine;
mod limits;
mod logging;
mod observe;
mod query;
mod store;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

pub use capture::{Capture, Level, LogRecord};
pub use credentials::{CredentialStore, MemoryCredentials};
pub use egress::{AllowList, DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL, Origin};
pub use limits::{LimitExceeded, LimitKind, Limits};
pub use observe::{Observer, observe_every_call};
pub use query::QueryRun;

use crate::wit::{
    AccountInfo, Checkpoint, ConnectionConfig, Contact, ContactRef, ContactUpdate, CreateOptions,
    DeleteOptions, Error, Outcome, PluginPre, QueryRequest, Schemas, UpdateOptions, V2Contact,
    V2Update,
};
use capture::Redactor;
use store::{Call, HostState};

/// How to load the harness.
#[derive(Debug, Clone)]
pub struct HarnessOptions {
    /// The component file.
    pub wasm: PathBuf,
    /// Where compiled artifacts are cached; default: a `cwasm` directory beside `wasm`.
    pub cache_dir: Option<PathBuf>,
    /// Bounds for every call.
    pub limits: Limits,
}

impl Default for HarnessOptions {
    /// The component `host-test`'s build script produced.
    fn default() -> Self {
        HarnessOptions {
            wasm: PathBuf::from(env!("GUEST_WASM")),
            cache_dir: None,
            limits: Limits::default(),
        }
    }
}

/// A value a call returned, with what the call left behind.
#[derive(Debug, Clone)]
pub struct Run<T> {
    pub value: T,
    pub capture: Capture,
}

struct Loaded {
    pre: PluginPre<HostState>,
    limits: Limits,
}

/// The loaded connector. Cheap to clone; every call runs in its own store, so clones may be
/// used concurrently.
#[derive(Clone)]
pub struct Harness {
    loaded: Arc<Loaded>,
    echo: bool,
    credentials: Arc<dyn CredentialStore>,
}

impl Harness {
    /// Loads the component (from the compiled cache when possible) and links it.
    pub fn load(options: HarnessOptions) -> anyhow::Result<Harness> {
        let engine = engine::new_engine()?;
        let cache_dir = options
            .cache_dir
            .clone()
            .unwrap_or_else(|| engine::default_cache_dir(&options.wasm));
        let component = engine::load_component(&engine, &options.wasm, &cache_dir)?;
        let pre = engine::pre_instantiate(&engine, &component)?;
        Ok(Harness {
            loaded: Arc::new(Loaded {
                pre,
                limits: options.limits,
            }),
            echo: true,
            credentials: Arc::new(MemoryCredentials::default()),
        })
    }

    /// Where renewed credentials go (default: kept in memory). A store that cannot keep
    /// them makes the connector stop with `credentials-not-saved`.
    pub fn with_credentials(mut self, store: Arc<dyn CredentialStore>) -> Harness {
        self.credentials = store;
        self
    }

    /// Whether each call's capture is printed to stderr when the call ends (the default,
    /// so failing tests show it). A CLI turns this off and prints captures itself.
    pub fn echo_captures(mut self, echo: bool) -> Harness {
        self.echo = echo;
        self
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> Limits {
        self.loaded.limits
    }

    /// Opens a connection and tests it.
    pub async fn test(
        &self,
        config: &ConnectionConfig,
    ) -> anyhow::Result<Run<Result<AccountInfo, Error>>> {
        let mut call = self.start("test", Some(config)).await?;
        let Call { store, plugin, .. } = &mut call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(self.loaded.limits.wall_clock, async {
            let conn = match api.connection().call_open(&mut *store, config).await? {
                Ok(conn) => conn,
                Err(e) => return Ok(Err(e)),
            };
            api.connection().call_test(&mut *store, conn).await
        })
        .await;
        self.finish(call, result)
    }

    /// The connector's JSON Schemas.
    pub async fn describe(&self) -> anyhow::Result<Run<Schemas>> {
        let mut call = self.start("describe", None).await?;
        let Call { store, plugin, .. } = &mut call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(
            self.loaded.limits.wall_clock,
            api.call_describe(&mut *store),
        )
        .await;
        self.finish(call, result)
    }

    /// Opens a connection and asks for the schemas made for its account (its lists, tags
    /// and custom fields by name). A connection that cannot open is the inner error.
    pub async fn describe_account(
        &self,
        config: &ConnectionConfig,
    ) -> anyhow::Result<Run<Result<Schemas, Error>>> {
        let mut call = self.start("describe-account", Some(config)).await?;
        let Call { store, plugin, .. } = &mut call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(self.loaded.limits.wall_clock, async {
            let conn = match api.connection().call_open(&mut *store, config).await? {
                Ok(conn) => conn,
                Err(e) => return Ok(Err(e)),
            };
            api.connection()
                .call_describe_account(&mut *store, conn)
                .await
        })
        .await;
        self.finish(call, result)
    }

    /// Creates contacts: one outcome per record, in order.
    pub async fn create(
        &self,
        config: &ConnectionConfig,
        records: &[Contact],
        options: &CreateOptions,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        self.write(config, Batch::Create(records, options)).await
    }

    /// Updates contacts: one outcome per record, in order.
    pub async fn update(
        &self,
        config: &ConnectionConfig,
        records: &[ContactUpdate],
        options: &UpdateOptions,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        self.write(config, Batch::Update(records, options)).await
    }

    /// Creates contacts given in the v2 model: one outcome per record, in order, each
    /// naming the fields v3 holds only approximately or not at all.
    pub async fn create_v2(
        &self,
        config: &ConnectionConfig,
        records: &[V2Contact],
        options: &CreateOptions,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        self.write(config, Batch::CreateV2(records, options)).await
    }

    /// Updates contacts from v2-shaped changes: one outcome per record, in order.
    pub async fn update_v2(
        &self,
        config: &ConnectionConfig,
        records: &[V2Update],
        options: &UpdateOptions,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        self.write(config, Batch::UpdateV2(records, options)).await
    }

    /// Soft-deletes or unsubscribes contacts, as `options` say: one outcome per record, in
    /// order.
    pub async fn delete(
        &self,
        config: &ConnectionConfig,
        records: &[ContactRef],
        options: &DeleteOptions,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        self.write(config, Batch::Delete(records, options)).await
    }

    /// Runs one write activity in a fresh store. When the connection cannot open, every
    /// record is `not-attempted` with the reason, so none is unaccounted for.
    async fn write(
        &self,
        config: &ConnectionConfig,
        batch: Batch<'_>,
    ) -> anyhow::Result<Run<Vec<Outcome>>> {
        let (activity, count) = (batch.activity(), batch.len());
        let mut call = self.start(activity, Some(config)).await?;
        let Call { store, plugin, .. } = &mut call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(self.loaded.limits.wall_clock, async {
            let conn = match api.connection().call_open(&mut *store, config).await? {
                Ok(conn) => conn,
                Err(e) => return Ok(not_attempted(count, e)),
            };
            match batch {
                Batch::Create(records, options) => {
                    api.call_create(&mut *store, conn, records, *options).await
                }
                Batch::Update(records, options) => {
                    api.call_update(&mut *store, conn, records, *options).await
                }
                Batch::CreateV2(records, options) => {
                    api.call_create_v2(&mut *store, conn, records, *options)
                        .await
                }
                Batch::UpdateV2(records, options) => {
                    api.call_update_v2(&mut *store, conn, records, *options)
                        .await
                }
                Batch::Delete(records, options) => {
                    api.call_delete(&mut *store, conn, records, options).await
                }
            }
        })
        .await;
        let run = self.finish(call, result)?;
        one_outcome_per_record(activity, run, count)
    }

    /// Starts a query, or resumes one from a checkpoint. The stream's pages are read with
    /// [`QueryRun::next_page`].
    pub async fn query(
        &self,
        config: &ConnectionConfig,
        request: &QueryRequest,
        resume: Option<&Checkpoint>,
    ) -> anyhow::Result<Result<QueryRun, Error>> {
        let call = self.start("query", Some(config)).await?;
        QueryRun::start(call, config, request, resume, self.echo).await
    }

    async fn start(
        &self,
        activity: &'static str,
        config: Option<&ConnectionConfig>,
    ) -> anyhow::Result<Call> {
        let (allow, redactor) = match config {
            Some(config) => (
                AllowList::for_connection(
                    config.api_base_url.as_deref(),
                    config.auth_base_url.as_deref(),
                ),
                secrets_of(config),
            ),
            None => (AllowList::none(), Redactor::default()),
        };
        Call::start(
            &self.loaded.pre,
            activity,
            allow,
            redactor,
            self.loaded.limits,
            self.credentials.clone(),
        )
        .await
    }

    fn finish<T: std::fmt::Debug>(
        &self,
        call: Call,
        result: store::Bounded<T>,
    ) -> anyhow::Result<Run<T>> {
        let capture = call.capture();
        if self.echo {
            capture::echo(call.activity, &capture);
        }
        let settled = call.settle(result);
        observe::notify(call.activity, || capture.clone(), &settled);
        Ok(Run {
            value: settled?,
            capture,
        })
    }
}

/// The records of one write activity, with its options.
enum Batch<'a> {
    Create(&'a [Contact], &'a CreateOptions),
    Update(&'a [ContactUpdate], &'a UpdateOptions),
    CreateV2(&'a [V2Contact], &'a CreateOptions),
    UpdateV2(&'a [V2Update], &'a UpdateOptions),
    Delete(&'a [ContactRef], &'a DeleteOptions),
}

impl Batch<'_> {
    fn activity(&self) -> &'static str {
        match self {
            Batch::Create(..) => "create",
            Batch::Update(..) => "update",
            Batch::CreateV2(..) => "create-v2",
            Batch::UpdateV2(..) => "update-v2",
            Batch::Delete(..) => "delete",
        }
    }

    fn len(&self) -> usize {
        match self {
            Batch::Create(records, _) => records.len(),
            Batch::Update(records, _) => records.len(),
            Batch::CreateV2(records, _) => records.len(),
            Batch::UpdateV2(records, _) => records.len(),
            Batch::Delete(records, _) => records.len(),
        }
    }
}

/// A connection config for the given base URLs and token, everything else absent.
pub fn default_config(api_base_url: &str, auth_base_url: &str, token: &str) -> ConnectionConfig {
    ConnectionConfig {
        api_base_url: Some(api_base_url.to_owned()),
        auth_base_url: Some(auth_base_url.to_owned()),
        access_token: token.to_owned(),
        access_token_expires_at: None,
        refresh_token: None,
        client_id: None,
        client_secret: None,
        timeouts: None,
        pacing: None,
        refresh_margin_seconds: None,
        retry: None,
        time_budget_ms: None,
    }
}

/// The values a capture must never show.
fn secrets_of(config: &ConnectionConfig) -> Redactor {
    let secrets = [
        Some(config.access_token.as_str()),
        config.refresh_token.as_deref(),
        config.client_secret.as_deref(),
    ];
    Redactor::new(secrets.into_iter().flatten())
}

fn not_attempted(count: usize, error: Error) -> Vec<Outcome> {
    (0..count)
        .map(|_| Outcome::NotAttempted(error.clone()))
        .collect()
}

fn one_outcome_per_record(
    activity: &str,
    run: Run<Vec<Outcome>>,
    records: usize,
) -> anyhow::Result<Run<Vec<Outcome>>> {
    let outcomes = run.value.len();
    if outcomes != records {
        return Err(anyhow::anyhow!(
            "the connector returned {outcomes} outcomes for {records} records"
        ))
        .with_context(|| format!("failed to run {activity}"));
    }
    Ok(run)
}
