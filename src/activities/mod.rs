//! The connector's activities, one per file: `test`, `query`, `create`, `update` and
//! `delete`, plus the contact lookups they share.

pub mod create;
pub mod delete;
pub mod lookup;
pub mod query;
pub mod test;
pub mod update;
