//! The connector's activities, one per file: `test`, `query`, `create`, `update` and
//! `delete`, plus the contact lookups they share and the rule that settles a create whose
//! answer was lost.

pub mod create;
pub mod delete;
pub mod landed;
pub mod lookup;
pub mod query;
pub mod test;
pub mod unsubscribe;
pub mod update;
pub mod upsert;
