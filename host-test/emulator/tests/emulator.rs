//! Integration tests of the emulator, driven over real loopback HTTP.

#[path = "emulator/client.rs"]
mod client;

#[path = "emulator/auth.rs"]
mod auth;
#[path = "emulator/contacts_query.rs"]
mod contacts_query;
#[path = "emulator/contacts_write.rs"]
mod contacts_write;
#[path = "emulator/http_layer.rs"]
mod http_layer;
#[path = "emulator/paging.rs"]
mod paging;
#[path = "emulator/resources.rs"]
mod resources;
#[path = "emulator/scripts.rs"]
mod scripts;
#[path = "emulator/seed.rs"]
mod seed;
