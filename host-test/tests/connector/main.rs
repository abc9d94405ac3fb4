//! Integration tests: the real component, loaded by the harness exactly as a platform loads
//! it, against the embedded v3 emulator on loopback.

mod support;

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
mod oauth;
mod query;
mod update;
