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
mod blank;
mod budget;
mod catalog;
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
mod v2;
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
use catalog::Catalog;

/// The exported component.
struct Component;

#[cfg(target_family = "wasm")]
export!(Component);

/// The `connection` resource: one validated configuration, the client that uses it, and
/// the account's lists, tags and custom fields once read.
struct Conn {
    client: Rc<Client>,
    catalog: Rc<Catalog>,
}

impl GuestConnection for Conn {
    fn open(config: wit::ConnectionConfig) -> Result<Connection, wit::Error> {
        let retry = api::retry::RetryPolicy::from_wit(config.retry)?;
        let budget = budget::Budget::from_wit(config.time_budget_ms)?;
        let config = config::Config::from_wit(config)?;
        let client = Client::new(config, platform::environment()).with_retry(retry, budget);
        Ok(Connection::new(Conn {
            client: Rc::new(client),
            catalog: Rc::new(Catalog::default()),
        }))
    }

    fn test(&self) -> Result<wit::AccountInfo, wit::Error> {
        activities::test::run(&self.client)
    }

    fn describe_account(&self) -> Result<wit::Schemas, wit::Error> {
        self.client.start_call();
        self.catalog.start_call();
        describe::for_account(&self.client, &self.catalog)
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

fn conn(borrow: &ConnectionBorrow<'_>) -> (Rc<Client>, Rc<Catalog>) {
    let conn = borrow.get::<Conn>();
    (Rc::clone(&conn.client), Rc::clone(&conn.catalog))
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
        let (client, catalog) = conn(&conn_ref);
        QueryStream::start(client, catalog, request).map(stream)
    }

    fn resume_query(
        conn_ref: ConnectionBorrow<'_>,
        request: wit::QueryRequest,
        resume_from: wit::Checkpoint,
    ) -> Result<ContactStream, wit::Error> {
        let (client, catalog) = conn(&conn_ref);
        QueryStream::resume(client, catalog, request, resume_from).map(stream)
    }

    fn create(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::Contact>,
        options: wit::CreateOptions,
    ) -> Vec<wit::Outcome> {
        let (client, catalog) = conn(&conn_ref);
        match options.mode {
            Some(wit::CreateMode::Upsert) => {
                activities::upsert::run(&client, &catalog, records, &options)
            }
            Some(wit::CreateMode::Create) | None => {
                activities::create::run(&client, &catalog, records, &options)
            }
        }
    }

    fn update(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::ContactUpdate>,
        options: wit::UpdateOptions,
    ) -> Vec<wit::Outcome> {
        let (client, catalog) = conn(&conn_ref);
        activities::update::run(&client, &catalog, records, &options)
    }

    fn create_v2(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::V2Contact>,
        options: wit::CreateOptions,
    ) -> Vec<wit::Outcome> {
        let (client, catalog) = conn(&conn_ref);
        v2::create(&client, &catalog, records, &options)
    }

    fn update_v2(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::V2Update>,
        options: wit::UpdateOptions,
    ) -> Vec<wit::Outcome> {
        let (client, catalog) = conn(&conn_ref);
        v2::update(&client, &catalog, records, &options)
    }

    fn delete(
        conn_ref: ConnectionBorrow<'_>,
        records: Vec<wit::ContactRef>,
        options: wit::DeleteOptions,
    ) -> Vec<wit::Outcome> {
        let (client, _) = conn(&conn_ref);
        activities::delete::run(&client, records, &options)
    }

    fn describe() -> wit::Schemas {
        describe::schemas()
    }
}
