//! Bootstrap exports so the component links while the connector is written; every call
//! answers that the connector is not built yet.

wit_bindgen::generate!({ path: "wit", world: "plugin", generate_all });

use exports::constantcontact::connector::connector::{
    AccountInfo, Checkpoint, Contact, ContactRef, ContactUpdate, CreateOptions, Error, Guest,
    GuestConnection, GuestContactStream, Outcome, QueryRequest, Schemas, UpdateOptions,
};
use exports::constantcontact::connector::connector::{Connection, ConnectionBorrow, ContactStream};
use exports::constantcontact::connector::types::ConnectionConfig;

struct Component;

#[cfg(target_family = "wasm")]
export!(Component);

fn unbuilt() -> Error {
    Error::InvalidConfig("failed to run the connector: it is not built yet".into())
}

struct Conn;
struct Stream;

impl GuestConnection for Conn {
    fn open(_config: ConnectionConfig) -> Result<Connection, Error> {
        Err(unbuilt())
    }
    fn test(&self) -> Result<AccountInfo, Error> {
        Err(unbuilt())
    }
}

impl GuestContactStream for Stream {
    fn next_page(&self) -> Result<Option<Vec<Contact>>, Error> {
        Err(unbuilt())
    }
    fn checkpoint(&self) -> Checkpoint {
        Checkpoint { next_page: None, delivered: 0, finished: false }
    }
}

impl Guest for Component {
    type Connection = Conn;
    type ContactStream = Stream;
    fn query(_c: ConnectionBorrow<'_>, _r: QueryRequest) -> Result<ContactStream, Error> {
        Err(unbuilt())
    }
    fn resume_query(
        _c: ConnectionBorrow<'_>,
        _r: QueryRequest,
        _f: Checkpoint,
    ) -> Result<ContactStream, Error> {
        Err(unbuilt())
    }
    fn create(_c: ConnectionBorrow<'_>, r: Vec<Contact>, _o: CreateOptions) -> Vec<Outcome> {
        r.iter().map(|_| Outcome::NotAttempted(unbuilt())).collect()
    }
    fn update(_c: ConnectionBorrow<'_>, r: Vec<ContactUpdate>, _o: UpdateOptions) -> Vec<Outcome> {
        r.iter().map(|_| Outcome::NotAttempted(unbuilt())).collect()
    }
    fn delete(_c: ConnectionBorrow<'_>, r: Vec<ContactRef>) -> Vec<Outcome> {
        r.iter().map(|_| Outcome::NotAttempted(unbuilt())).collect()
    }
    fn describe() -> Schemas {
        let empty = String::from("{}");
        Schemas {
            connection_config: empty.clone(),
            query_input: empty.clone(),
            query_output: empty.clone(),
            create_input: empty.clone(),
            update_input: empty.clone(),
            delete_input: empty.clone(),
            write_output: empty,
        }
    }
}
