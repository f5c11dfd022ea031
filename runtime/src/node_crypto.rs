//! The digests behind the `crypto` built-in's `createHash` and `createHmac`:
//! pure functions of their input, so they need no crossing.

use deno_core::op2;
use deno_error::JsErrorBox;
use hmac::{Hmac, Mac};
use sha2::Digest;

/// The digest of `data` with `algorithm` (Node.js's names), keyed with HMAC when `key` is given.
#[op2]
#[buffer]
pub fn op_node_hash(
    #[string] algorithm: String,
    #[buffer] data: &[u8],
    #[buffer] key: Option<&[u8]>,
) -> Result<Vec<u8>, JsErrorBox> {
    macro_rules! digest {
        ($hash:ty) => {
            match key {
                None => <$hash>::digest(data).to_vec(),
                Some(key) => {
                    let mut mac = <Hmac<$hash> as Mac>::new_from_slice(key)
                        .map_err(|error| JsErrorBox::type_error(error.to_string()))?;
                    mac.update(data);
                    mac.finalize().into_bytes().to_vec()
                }
            }
        };
    }
    Ok(match algorithm.to_ascii_lowercase().as_str() {
        "md5" => digest!(md5::Md5),
        "sha1" => digest!(sha1::Sha1),
        "sha224" => digest!(sha2::Sha224),
        "sha256" => digest!(sha2::Sha256),
        "sha384" => digest!(sha2::Sha384),
        "sha512" => digest!(sha2::Sha512),
        other => {
            return Err(JsErrorBox::new(
                "Error",
                format!(
                    "Digest method not supported: '{other}' (Unfold provides md5, sha1, sha224, sha256, sha384, sha512)"
                ),
            ));
        }
    })
}
