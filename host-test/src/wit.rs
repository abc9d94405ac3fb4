//! Host bindings of the connector's WIT world (`constantcontact:connector/plugin`), and the
//! one place the rest of the crate takes the generated types from.

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
        imports: { default: async },
        exports: { default: async },
        additional_derives: [PartialEq],
    });
}

pub use bindings::Plugin;
pub use bindings::PluginPre;
pub use bindings::constantcontact::connector::credentials::{Host as CredentialsHost, TokenSet};
pub use bindings::exports::constantcontact::connector::types::{
    AccountInfo, AddressKind, ApiFailure, BadResponseFailure, Birthday, Checkpoint, ConfirmStatus,
    ConflictFailure, ConflictPolicy, ConnectionConfig, Contact, ContactField, ContactRef,
    ContactStatus, ContactUpdate, CreateMode, CreateOptions, CustomEntry, CustomFieldValue,
    CustomValue, DeleteMode, DeleteOptions, Deletion, EmailAddress, Error, FieldError, FieldLoss,
    ForbiddenFailure, LossKind, Note, Outcome, Pacing, Permission, PhoneKind, PhoneNumber,
    QueryRequest, RetryPolicy, Schemas, Skip, Source, StreetAddress, Subresource, Timeouts,
    TransportFailure, TransportKind, Unsubscription, UpdateMode, UpdateOptions, V2ActionBy,
    V2Address, V2AddressType, V2Contact, V2CustomField, V2EmailAddress, V2List, V2Note, V2Status,
    V2Update, ValidationFailure, Written,
};
pub use bindings::wasi::logging::logging::{Host as LoggingHost, Level as WitLevel};
