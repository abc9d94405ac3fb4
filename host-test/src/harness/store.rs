//! One store per connector call: its host state (WASI with no files, no sockets and no
//! environment; wasi-http behind the egress hooks; limits; capture), the instantiated
//! component, and the classification of what stopped a call.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use wasmtime::Store;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use super::capture::{self, Capture, CaptureSink, Redactor};
use super::credentials::CredentialStore;
use super::egress::{AllowList, EgressHooks};
use super::limits::{CpuMeter, GuestLimiter, LimitExceeded, Limits};
use crate::wit::{Plugin, PluginPre};

/// The data of a connector store.
pub(crate) struct HostState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: EgressHooks,
    limiter: GuestLimiter,
    cpu: CpuMeter,
    pub(crate) capture: CaptureSink,
    pub(crate) credentials: Arc<dyn CredentialStore>,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// A fresh instance of the component in its own store, for one activity (or one query).
pub(crate) struct Call {
    pub(crate) activity: &'static str,
    pub(crate) store: Store<HostState>,
    pub(crate) plugin: Plugin,
    pub(crate) limits: Limits,
}

impl Call {
    /// Builds the store for one call and instantiates the component in it.
    pub(crate) async fn start(
        pre: &PluginPre<HostState>,
        activity: &'static str,
        allow: AllowList,
        redactor: Redactor,
        limits: Limits,
        credentials: Arc<dyn CredentialStore>,
    ) -> anyhow::Result<Call> {
        let capture = CaptureSink::new(redactor);
        let wasi = WasiCtx::builder()
            .stdout(capture.stdout_pipe())
            .stderr(capture.stderr_pipe())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        let state = HostState {
            wasi,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: EgressHooks::new(allow, limits, capture.clone()),
            limiter: GuestLimiter::new(limits.memory_bytes),
            cpu: CpuMeter::new(limits.cpu),
            capture,
            credentials,
        };

        let mut store = Store::new(pre.engine(), state);
        store.limiter(|state| &mut state.limiter);
        store.epoch_deadline_callback(|mut ctx| ctx.data_mut().cpu.tick());
        store.set_epoch_deadline(1);

        let instantiated =
            tokio::time::timeout(limits.wall_clock, pre.instantiate_async(&mut store)).await;
        let plugin = unbounded(&store, limits.wall_clock, instantiated)
            .with_context(|| format!("failed to instantiate the connector for {activity}"))?;

        let mut call = Call {
            activity,
            store,
            plugin,
            limits,
        };
        call.prepare();
        Ok(call)
    }

    /// Gives the next call into this store a full CPU budget.
    pub(crate) fn prepare(&mut self) {
        self.store.data_mut().cpu.reset();
        self.store.set_epoch_deadline(1);
    }

    /// Everything captured so far.
    pub(crate) fn capture(&self) -> Capture {
        self.store.data().capture.snapshot()
    }

    /// Turns the bounded result of a call into the caller's result, naming the limit that
    /// stopped it, if one did. After an error the store must not be used again.
    pub(crate) fn settle<T>(&self, result: Bounded<T>) -> anyhow::Result<T> {
        let activity = self.activity;
        unbounded(&self.store, self.limits.wall_clock, result)
            .with_context(|| format!("failed to run {activity}"))
    }

    /// Prints the capture so far under the activity's name.
    pub(crate) fn echo(&self) {
        capture::echo(self.activity, &self.capture());
    }
}

/// What a call under `tokio::time::timeout` returns.
pub(crate) type Bounded<T> = Result<wasmtime::Result<T>, tokio::time::error::Elapsed>;

/// The value of a bounded call, or the error that stopped it: the limit that was hit if
/// any, else the trap itself; a timeout is the wall-clock limit.
fn unbounded<T>(
    store: &Store<HostState>,
    wall_clock: Duration,
    result: Bounded<T>,
) -> anyhow::Result<T> {
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(trap)) => {
            let state = store.data();
            let exceeded = state
                .limiter
                .exceeded
                .clone()
                .or_else(|| state.cpu.exceeded.clone());
            match exceeded {
                Some(limit) => Err(anyhow::Error::new(limit)),
                None => Err(anyhow::Error::from(trap).context("the connector trapped")),
            }
        }
        Err(_) => Err(anyhow::Error::new(LimitExceeded::wall_clock(wall_clock))),
    }
}
