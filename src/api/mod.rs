//! Talking to the v3 API: the client that sends requests, when to retry them, the mapping
//! of refusals to WIT errors, and the JSON shapes on the wire.

pub mod client;
pub mod errors;
pub mod retry;
pub mod wire;
