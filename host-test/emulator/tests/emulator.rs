//! Integration tests of the emulator, driven over real loopback HTTP.

#[path = "emulator/client.rs"]
mod client;
#[path = "emulator/oauth_support.rs"]
mod oauth_support;

#[path = "emulator/auth.rs"]
mod auth;
#[path = "emulator/catalog.rs"]
mod catalog;
#[path = "emulator/contacts_query.rs"]
mod contacts_query;
#[path = "emulator/contacts_write.rs"]
mod contacts_write;
#[path = "emulator/custom_field_choices.rs"]
mod custom_field_choices;
#[path = "emulator/faults.rs"]
mod faults;
#[path = "emulator/http_layer.rs"]
mod http_layer;
#[path = "emulator/list_xrefs.rs"]
mod list_xrefs;
#[path = "emulator/oauth_code.rs"]
mod oauth_code;
#[path = "emulator/oauth_device.rs"]
mod oauth_device;
#[path = "emulator/oauth_limits.rs"]
mod oauth_limits;
#[path = "emulator/oauth_refresh.rs"]
mod oauth_refresh;
#[path = "emulator/paging.rs"]
mod paging;
#[path = "emulator/resources.rs"]
mod resources;
#[path = "emulator/scripts.rs"]
mod scripts;
#[path = "emulator/seed.rs"]
mod seed;
#[path = "emulator/sign_up_form.rs"]
mod sign_up_form;
