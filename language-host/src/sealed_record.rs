//! Run records at rest. A record holds everything the program saw, secret
//! config and secret outputs included, and replaying it needs those values
//! exactly; so a record holding any is sealed whole under the user's key
//! (`unfold_function_runtime::sealing`), and no file under the project's
//! `.unfold/` carries a secret. A record with no secret stays plain. Replay
//! on another machine needs that key copied there.

use std::borrow::Cow;

use unfold_function_runtime::sealing;
use unfold_wire::signatures::SECRET_SIG;

/// The first line of a sealed record; sealed bytes follow.
pub const SEALED_MAGIC: &[u8] = b"unfold-sealed-record 1\n";

/// True if a record may hold a secret: the run had secret config, or a
/// secret crossed the membrane.
pub fn holds_secrets(secret_config: bool, record: &[u8]) -> bool {
    let marker = SECRET_SIG.as_bytes();
    secret_config || record.windows(marker.len()).any(|w| w == marker)
}

pub fn seal(record: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = SEALED_MAGIC.to_vec();
    out.extend(sealing::seal(record)?);
    Ok(out)
}

/// The record in `bytes`, opened if it was sealed.
pub fn open(bytes: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    match bytes.strip_prefix(SEALED_MAGIC) {
        Some(sealed) => Ok(Cow::Owned(sealing::open(sealed)?)),
        None => Ok(Cow::Borrowed(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_with_a_secret_is_sealed_and_opens_to_the_same_bytes() {
        let record = format!("unfold-snapshot 1\n{{\"v\":{{\"{SECRET_SIG}\":1}}}}\n");
        assert!(holds_secrets(false, record.as_bytes()));
        assert!(!holds_secrets(false, b"unfold-snapshot 1\n{}\n"));
        let sealed = seal(record.as_bytes()).unwrap();
        assert!(sealed.starts_with(SEALED_MAGIC));
        assert!(!sealed.windows(SECRET_SIG.len()).any(|w| w == SECRET_SIG.as_bytes()));
        assert_eq!(&*open(&sealed).unwrap(), record.as_bytes());
        assert_eq!(&*open(b"plain").unwrap(), b"plain");
    }
}
