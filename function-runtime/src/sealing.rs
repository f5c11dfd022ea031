//! Sealing bytes at rest under a key of the machine's user,
//! `$UNFOLD_HOME/record.key` (default `~/.unfold`, 0600, created on first
//! use, never inside a project). What Unfold must keep on disk and use again
//! unattended — a run's record, a Function's secret values — is sealed with
//! it, so no file under a project's `.unfold/` carries a secret, while the
//! same user's processes (the language host, the local server) open it.
//!
//! AES-256-GCM; the nonce is derived from the plaintext (HMAC-SHA256 under
//! the key), so the same bytes seal to the same bytes and identical runs
//! still leave identical files. Sealed: `nonce ‖ ciphertext ‖ tag`.

use std::path::PathBuf;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;

const KEY_LEN: usize = 32;

pub fn seal(plain: &[u8]) -> Result<Vec<u8>, String> {
    let key = user_key(true)?;
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), plain);
    let nonce: [u8; NONCE_LEN] = tag.as_ref()[..NONCE_LEN].try_into().expect("12 of 32 bytes");
    let mut sealed = plain.to_vec();
    cipher(&key)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
        .map_err(|_| "sealing failed".to_string())?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(out)
}

pub fn open(sealed: &[u8]) -> Result<Vec<u8>, String> {
    if sealed.len() < NONCE_LEN {
        return Err("sealed bytes cut short".into());
    }
    let (nonce, sealed) = sealed.split_at(NONCE_LEN);
    let key = user_key(false)?;
    let mut sealed = sealed.to_vec();
    let plain = cipher(&key)
        .open_in_place(
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| "a malformed nonce")?,
            Aad::empty(),
            &mut sealed,
        )
        .map_err(|_| {
            format!(
                "sealed with another key than {} (sealed on another machine or by another user; \
                 copy that key here)",
                key_path().map(|p| p.display().to_string()).unwrap_or_default()
            )
        })?;
    Ok(plain.to_vec())
}

fn cipher(key: &[u8; KEY_LEN]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).expect("a 32-byte key"))
}

fn key_path() -> Result<PathBuf, String> {
    Ok(unfold_wire::home::unfold_home()?.join("record.key"))
}

/// The user's key, created (when `create`) on first use.
fn user_key(create: bool) -> Result<[u8; KEY_LEN], String> {
    let path = key_path()?;
    let read = || -> Result<Option<[u8; KEY_LEN]>, String> {
        match std::fs::read(&path) {
            Ok(bytes) => bytes
                .try_into()
                .map(Some)
                .map_err(|_| format!("{} is not a {KEY_LEN}-byte key", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("reading {}: {e}", path.display())),
        }
    };
    if let Some(key) = read()? {
        return Ok(key);
    }
    if !create {
        return Err(format!(
            "no key at {}: what it opens was sealed on another machine or by another user",
            path.display()
        ));
    }
    let mut key = [0u8; KEY_LEN];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key)
        .map_err(|_| "the system's random source failed".to_string())?;
    unfold_wire::home::create_private(&path, &key)
        .map_err(|e| format!("creating {}: {e}", path.display()))?;
    // Another process may have created it first; theirs is the key.
    read()?.ok_or_else(|| format!("{} vanished", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_to_the_same_bytes_and_seal_the_same_way() {
        let plain = b"a secret: hunter2";
        let sealed = seal(plain).unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(seal(plain).unwrap(), sealed, "deterministic");
        assert_eq!(open(&sealed).unwrap(), plain);
        let mut damaged = sealed.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(open(&damaged).unwrap_err().contains("another key"));
    }
}
