//! Query strings: split into parameters, with names and values percent-decoded on demand and
//! the raw value kept for parameters (like `cursor`) that are matched byte for byte.

/// One `name=value` pair of a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The decoded name.
    pub name: String,
    /// The value exactly as sent.
    pub raw: String,
}

/// The parameters of a query string, in order.
#[derive(Debug, Clone, Default)]
pub struct Query {
    params: Vec<Param>,
}

impl Query {
    /// Splits a raw query string (without the `?`).
    pub fn parse(raw: Option<&str>) -> Query {
        let params = raw
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                Param {
                    name: decode(name).unwrap_or_else(|| name.to_string()),
                    raw: value.to_string(),
                }
            })
            .collect();
        Query { params }
    }

    /// The raw value of the first parameter called `name`.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.raw.as_str())
    }

    /// The decoded value of the first parameter called `name`; `Err` carries the name when
    /// the value is not valid percent-encoded UTF-8.
    pub fn get(&self, name: &str) -> Result<Option<String>, String> {
        match self.raw(name) {
            None => Ok(None),
            Some(raw) => decode(raw).map(Some).ok_or_else(|| name.to_string()),
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` text: `%XX` escapes and `+` as a space.
pub fn decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_decodes() {
        let query = Query::parse(Some("email=a%2Bb%40x.com&cursor=ab+/c==&flag&x=%ZZ"));
        assert_eq!(query.get("email").unwrap().as_deref(), Some("a+b@x.com"));
        assert_eq!(query.raw("cursor"), Some("ab+/c=="));
        assert_eq!(query.get("cursor").unwrap().as_deref(), Some("ab /c=="));
        assert_eq!(query.raw("flag"), Some(""));
        assert_eq!(query.get("x"), Err("x".to_string()));
        assert_eq!(query.get("missing"), Ok(None));
    }
}
