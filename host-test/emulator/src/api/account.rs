//! `GET /account/summary` and `GET /account/user/privileges`: a fixed emulated account.

use serde_json::json;

use crate::http::response::Response;

/// The account summary (`Customer`).
pub fn summary() -> Response {
    Response::json(
        200,
        &json!({
            "contact_email": "owner@emulated.example",
            "contact_phone": "5555550100",
            "country_code": "US",
            "encoded_account_id": "e7ul4t3dacc0nt",
            "first_name": "Emma",
            "last_name": "Ulator",
            "organization_name": "Emulated Organization",
            "organization_phone": "555-555-0101",
            "state_code": "MA",
            "time_zone_id": "US/Eastern",
            "website": "https://emulated.example",
        }),
    )
}

/// The user's privileges (`UserPrivilegesResource`).
pub fn privileges() -> Response {
    let names = [
        "account:read",
        "account:update",
        "contacts:read",
        "contacts:write",
        "contacts:lists:read",
        "contacts:lists:write",
    ];
    let items: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"privilege_id": 10 + i, "privilege_name": name}))
        .collect();
    Response::json(200, &json!(items))
}
