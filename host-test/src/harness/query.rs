//! A query in progress: the store, the open connection and the contact stream, read page by
//! page. Each page is its own bounded call; once a call fails for a trap or a limit, the
//! store is never entered again.

use crate::wit::{Checkpoint, ConnectionConfig, Contact, Error, QueryRequest};
use wasmtime::component::ResourceAny;

use super::capture::{self, Capture};
use super::store::Call;

/// One query's instance. Dropping it prints the capture when the harness echoes captures.
pub struct QueryRun {
    call: Call,
    stream: ResourceAny,
    broken: Option<String>,
    echo: bool,
}

impl QueryRun {
    pub(crate) async fn start(
        mut call: Call,
        config: &ConnectionConfig,
        request: &QueryRequest,
        resume: Option<&Checkpoint>,
        echo: bool,
    ) -> anyhow::Result<Result<QueryRun, Error>> {
        let Call {
            store,
            plugin,
            limits,
            ..
        } = &mut call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(limits.wall_clock, async {
            let conn = match api.connection().call_open(&mut *store, config).await? {
                Ok(conn) => conn,
                Err(e) => return Ok(Err(e)),
            };
            match resume {
                Some(checkpoint) => {
                    api.call_resume_query(&mut *store, conn, request, checkpoint)
                        .await
                }
                None => api.call_query(&mut *store, conn, request).await,
            }
        })
        .await;

        let started = match call.settle(result) {
            Ok(started) => started,
            Err(e) => {
                if echo {
                    call.echo();
                }
                return Err(e);
            }
        };
        match started {
            Ok(stream) => Ok(Ok(QueryRun {
                call,
                stream,
                broken: None,
                echo,
            })),
            Err(e) => {
                if echo {
                    call.echo();
                }
                Ok(Err(e))
            }
        }
    }

    /// The next page, `None` once the query is exhausted. A connector error leaves the
    /// stream where it was (calling again retries); a trap or limit ends the run.
    pub async fn next_page(&mut self) -> anyhow::Result<Result<Option<Vec<Contact>>, Error>> {
        self.usable("read the next page")?;
        self.call.prepare();
        let Call {
            store,
            plugin,
            limits,
            ..
        } = &mut self.call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(
            limits.wall_clock,
            api.contact_stream()
                .call_next_page(&mut *store, self.stream),
        )
        .await;
        self.guard(result)
    }

    /// Where the stream stands, for [`Harness::query`](super::Harness::query) with `resume`.
    pub async fn checkpoint(&mut self) -> anyhow::Result<Checkpoint> {
        self.usable("take a checkpoint")?;
        self.call.prepare();
        let Call {
            store,
            plugin,
            limits,
            ..
        } = &mut self.call;
        let api = plugin.constantcontact_connector_connector();
        let result = tokio::time::timeout(
            limits.wall_clock,
            api.contact_stream()
                .call_checkpoint(&mut *store, self.stream),
        )
        .await;
        self.guard(result)
    }

    /// Everything the query's instance left behind so far.
    pub fn capture(&self) -> Capture {
        self.call.capture()
    }

    fn usable(&self, what: &str) -> anyhow::Result<()> {
        match &self.broken {
            Some(cause) => Err(anyhow::anyhow!(
                "failed to {what}: the query stopped earlier: {cause}"
            )),
            None => Ok(()),
        }
    }

    fn guard<T: std::fmt::Debug>(&mut self, result: super::store::Bounded<T>) -> anyhow::Result<T> {
        let settled = self.call.settle(result);
        super::observe::notify(self.call.activity, || self.call.capture(), &settled);
        if let Err(e) = &settled {
            self.broken = Some(format!("{e:#}"));
            if self.echo {
                self.call.echo();
                self.echo = false;
            }
        }
        settled
    }
}

impl Drop for QueryRun {
    fn drop(&mut self) {
        if self.echo {
            capture::echo(self.call.activity, &self.call.capture());
        }
    }
}
