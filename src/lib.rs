//! The Constant Contact v3 contacts connector as a WASI 0.2 component: the WIT bindings, the
//! exported resources, and thin glue that hands every call to the module doing the work.

wit_bindgen::generate!({
    path: "wit",
    world: "plugin",
    generate_all,
    additional_derives: [PartialEq],
});

mod activities;
mod api;
mod auth;
mod budget;
mod clock;
mod config;
mod convert;
mod describe;
mod errors;
mod http;
mod log;
mod merge;
mod outcomes;
mod pacing;
mod platform;
mod secret;
mod url;
mod uuid;
mod validate;

#[cfg(test)]
mod testing;

use std::cell::RefCell;
use std::rc::Rc;

use exports::constantcontact::connector::connector::{
    Connection, ConnectionBorrow, ContactStream, Guest, GuestConnection, GuestContactStream,
};
pub(crate) use exports::constantcontact::connector::types as wit;

use activities::query::QueryStream;
use api::client::Client;

/// The exported component.
struct Component;

#[cfg(target_family = "wasm")]
export!(Component);

/// The `connection` resource: one validated configuration and the client that uses it.
struct Conn {
    client: Rc<Client>,
}

impl GuestConnection for Conn {
    fn open(config: wit::ConnectionConfig) -> Result<Connection, wit::Error> {
        let retry = api::retry::RetryPolicy::from_wit(config.retry)?;
        let budget = budget::Budget::from_wit(config.time_budget_ms)?;
        let config = config::Config::from_wit(config)?;
        let client = Client::new(config, platform::environment()).with_retry(retry, budget);
        Ok(Connection::new(Conn {
            client: Rc::new(client),
        }))
    }

    fn test(&self) -> Result<wit::AccountInfo, wit::Error> {
        activities::test::run(&self.client)
    }
}

/// The `contact-stream` resource: a query's position, owned by the stream.
struct Stream {
    inner: RefCell<QueryStream>,
}

impl GuestContactStream for Stream {
    fn next_page(&self) -> Result<Option<Vec<wit::Contact>>, wit::Error> {
        match self.inner.try_borrow_mut() {
            Ok(mut stream) => stream.next_page(),
            Err(_) => Err(errors::invalid_config(
                "failed to read the next page: the stream is already busy",
            )),
        }
    }

    fn checkpoint(&self) -> wit::Checkpoint {
        match self.inner.try_borrow() {
            Ok(stream) => stream.checkpoint(),
            Err(_) => wit::Checkpoint {
                next_page: None,
                delivered: 0,
                finished: false,
            },
        }
    }
}

fn conn(borrow: &ConnectionBorrow<'_>) -> Rc<Client> {
    Rc::clone(&borrow.get::<Conn>().client)
}

fn stream(query: QueryStream) -> ContactStream {
    ContactStream::new(Stream {
        inner: RefCell::new(query),
    })
}

impl Guest for Component {
    type Connection = Conn;
    type ContactStream = Stream;

    fn query(
        conn_ref: ConnectionBorrow<'_>,
        request: wit::QueryRequest,
    ) -> Result<ContactStream, wit::Error> {
        QueryStream::start(conn(&conn_ref), request).map(stream)
    }

    fn resume_query(
        conn_ref: ConnectionBorrow<'_>,
        request: wit::QueryRequest,
        resume_from: wit::Checkpoint,
    ) -> Result<ContactStream, wit::Error> {
        QueryStream::resume(conn(&conn_ref), request, resume_from).map(stream)
    }

    fn create(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::Contact>,
        options: wit::CreateOptions,
    ) -> Vec<wit::Outcome> {
        activities::create::run(&conn(&conn_ref), records, &options)
    }

    fn update(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::ContactUpdate>,
        options: wit::UpdateOptions,
    ) -> Vec<wit::Outcome> {
        activities::update::run(&conn(&conn_ref), records, &options)
    }

    fn delete(conn_ref: ConnectionBorrow<'_>, records: Vec<wit::ContactRef>) -> Vec<wit::Outcome> {
        activities::delete::run(&conn(&conn_ref), records)
    }

    fn describe() -> wit::Schemas {
        describe::schemas()
    }
}
