//! Integration tests: the real component, loaded by the harness exactly as a platform loads
//! it, against the embedded v3 emulator on loopback.

mod support;

mod auth;
mod cli_auth;
mod diagnoses;
mod leaks;
mod oauth;

mod connection;
mod create;
mod delete;
mod demo;
mod errors;
mod faults;
mod limits;
mod query;
mod update;
