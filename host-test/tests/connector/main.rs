//! Integration tests: the real component, loaded by the harness exactly as a platform loads
//! it, against the embedded v3 emulator on loopback.

mod support;

mod account_describe;
mod auth;
mod cli_auth;
mod connection;
mod create;
mod delete;
mod demo;
mod describe;
mod diagnoses;
mod errors;
mod faults;
mod leaks;
mod limits;
mod names;
mod oauth;
mod query;
mod unsubscribe;
mod update;
mod upsert;
mod v2;
