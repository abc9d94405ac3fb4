//! JWT-shaped tokens: access tokens and ID tokens are `header.claims.signature` in base64url
//! like the real service's, so clients that read claims such as `exp` can. The signature is
//! random bytes; nothing verifies it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// The audience the real service puts in access tokens.
const API_AUDIENCE: &str = "https://api.cc.email/v3";
/// The emulated user every token is issued for.
pub const SUBJECT: &str = "emulator-user@example.com";

/// What a token says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims<'a> {
    /// `http://127.0.0.1:PORT/oauth2/default`.
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub scopes: &'a [String],
    /// Seconds since the epoch.
    pub issued_at: i64,
    pub expires_at: i64,
    /// A unique value for `jti`.
    pub unique: &'a str,
}

/// An access token carrying the scopes in `scp` and the client in `cid`.
pub fn access_token(claims: &Claims, signature: &[u8]) -> String {
    let body = json!({
        "ver": 1,
        "jti": format!("AT.{}", claims.unique),
        "iss": claims.issuer,
        "aud": API_AUDIENCE,
        "iat": claims.issued_at,
        "exp": claims.expires_at,
        "cid": claims.client_id,
        "uid": "emulator-user",
        "scp": claims.scopes,
        "auth_time": claims.issued_at,
        "sub": SUBJECT,
    });
    encode(&body, signature)
}

/// An ID token for the client, echoing the `nonce` of the authorization request.
pub fn id_token(claims: &Claims, nonce: Option<&str>, signature: &[u8]) -> String {
    let mut body = json!({
        "sub": SUBJECT,
        "ver": 1,
        "iss": claims.issuer,
        "aud": claims.client_id,
        "iat": claims.issued_at,
        "exp": claims.expires_at,
        "jti": format!("ID.{}", claims.unique),
        "amr": ["pwd"],
        "auth_time": claims.issued_at,
    });
    if let Some(nonce) = nonce {
        body["nonce"] = json!(nonce);
    }
    encode(&body, signature)
}

fn encode(claims: &Value, signature: &[u8]) -> String {
    let header = json!({"kid": "cc-emulator", "alg": "RS256"});
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_decode_from_the_middle_part() {
        let scopes = vec!["contact_data".to_string(), "offline_access".to_string()];
        let claims = Claims {
            issuer: "http://127.0.0.1:1/oauth2/default",
            client_id: "c1",
            scopes: &scopes,
            issued_at: 100,
            expires_at: 160,
            unique: "u1",
        };
        let token = access_token(&claims, &[7; 16]);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let decoded: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(decoded["exp"], 160);
        assert_eq!(decoded["cid"], "c1");
        assert_eq!(decoded["scp"], json!(["contact_data", "offline_access"]));

        let id = id_token(&claims, Some("n-1"), &[1; 16]);
        let part = id.split('.').nth(1).unwrap();
        let decoded: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap();
        assert_eq!(
            (decoded["aud"].clone(), decoded["nonce"].clone()),
            (json!("c1"), json!("n-1"))
        );
    }
}
