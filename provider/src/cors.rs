//! An HttpApi's CORS declaration: which web origins may call it from a
//! browser. The local server refuses state-changing requests from other
//! origins (see `server::guard`); an API that declares CORS lets the origins
//! it names through and tells the browser so (`Access-Control-Allow-*`),
//! answering preflights itself.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Headers a page may send when the API names none.
const DEFAULT_ALLOW_HEADERS: &[&str] = &["content-type"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Cors {
    /// `scheme://host[:port]` origins, or `*` for any.
    pub(crate) allow_origins: Vec<String>,
    /// Request headers a page may send (lower case).
    #[serde(default)]
    pub(crate) allow_headers: Vec<String>,
    /// Seconds a browser may cache a preflight's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_age: Option<u64>,
}

impl Cors {
    /// Reads and checks the `cors` input; the error names what is wrong.
    pub(crate) fn from_input(value: &Value) -> Result<Cors, String> {
        let mut cors: Cors = serde_json::from_value(value.clone()).map_err(|error| {
            format!("'corsConfiguration' must be {{allowOrigins: string[], allowHeaders?: string[], maxAge?: number}}: {error}")
        })?;
        if cors.allow_origins.is_empty() {
            return Err("'corsConfiguration.allowOrigins' must name at least one origin".into());
        }
        for origin in &cors.allow_origins {
            if origin != "*" && !is_origin(origin) {
                return Err(format!(
                    "'corsConfiguration.allowOrigins': {origin:?} is not an origin; write scheme://host[:port] \
                     (no path, no trailing slash), e.g. https://app.example.com, or *"
                ));
            }
        }
        for header in &mut cors.allow_headers {
            if header.is_empty() || !header.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(format!(
                    "'corsConfiguration.allowHeaders': {header:?} is not a header name"
                ));
            }
            header.make_ascii_lowercase();
        }
        Ok(cors)
    }

    pub(crate) fn allows(&self, origin: &str) -> bool {
        self.allow_origins.iter().any(|allowed| allowed == "*" || allowed == origin)
    }

    /// The headers a preflight may name: the API's, or content-type.
    pub(crate) fn allowed_headers(&self) -> Vec<String> {
        if self.allow_headers.is_empty() {
            DEFAULT_ALLOW_HEADERS.iter().map(|h| h.to_string()).collect()
        } else {
            self.allow_headers.clone()
        }
    }
}

fn is_origin(text: &str) -> bool {
    let Some((scheme, authority)) = text.split_once("://") else { return false };
    matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && !authority.contains(['/', '?', '#', '@', ' '])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn origins_are_checked_and_matched_exactly() {
        let cors = Cors::from_input(
            &json!({"allowOrigins": ["https://app.example"], "allowHeaders": ["X-Token"]}),
        )
        .unwrap();
        assert!(cors.allows("https://app.example"));
        assert!(!cors.allows("https://app.example.evil"));
        assert!(!cors.allows("http://app.example"));
        assert_eq!(cors.allowed_headers(), ["x-token"]);
        let any = Cors::from_input(&json!({"allowOrigins": ["*"]})).unwrap();
        assert!(any.allows("https://anything.example"));
        assert_eq!(any.allowed_headers(), ["content-type"]);
        for bad in ["app.example", "https://app.example/", "ftp://x", "https://"] {
            let error = Cors::from_input(&json!({"allowOrigins": [bad]})).unwrap_err();
            assert!(error.contains("not an origin"), "{bad}: {error}");
        }
        assert!(Cors::from_input(&json!({"allowOrigins": []})).is_err());
        assert!(Cors::from_input(&json!({"origins": ["*"]})).is_err());
    }
}
