//! Token endpoint answer tests.
