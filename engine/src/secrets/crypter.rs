//! The symmetric cipher of Pulumi's passphrase secrets provider, byte for
//! byte: a 32-byte key from PBKDF2-HMAC-SHA256 (1,000,000 iterations) over the
//! passphrase and an 8-byte salt, and AES-256-GCM with a random 12-byte nonce.
//! A ciphertext reads `v1:<nonce, base64>:<sealed bytes and tag, base64>`, so
//! values written here decrypt under `pulumi` and the other way round.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{LazyLock, Mutex};

use anyhow::{Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

/// Pulumi's choice: slow enough to make guessing a passphrase expensive.
const PBKDF2_ITERATIONS: u32 = 1_000_000;
const KEY_LEN: usize = 32;
/// The length of a salt Pulumi mints.
pub(crate) const SALT_LEN: usize = 8;

#[derive(Clone)]
pub struct Crypter {
    key: [u8; KEY_LEN],
}

impl std::fmt::Debug for Crypter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crypter(..)")
    }
}

/// Keys derived in this process, by passphrase digest and salt: a run decrypts
/// its config and its state with the same key, and derivation takes a second.
static DERIVED: LazyLock<Mutex<HashMap<DerivationInput, [u8; KEY_LEN]>>> =
    LazyLock::new(Default::default);

/// The passphrase's SHA-256 and the salt.
type DerivationInput = ([u8; 32], Vec<u8>);

impl Crypter {
    pub fn from_passphrase(passphrase: &str, salt: &[u8]) -> Self {
        let digest: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, passphrase.as_bytes())
            .as_ref()
            .try_into()
            .expect("SHA-256 digests are 32 bytes");
        let cache_key = (digest, salt.to_vec());
        if let Some(key) = DERIVED.lock().expect("key cache").get(&cache_key) {
            return Self { key: *key };
        }
        let mut key = [0u8; KEY_LEN];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            NonZeroU32::new(PBKDF2_ITERATIONS).expect("non-zero"),
            salt,
            passphrase.as_bytes(),
            &mut key,
        );
        DERIVED.lock().expect("key cache").insert(cache_key, key);
        Self { key }
    }

    fn cipher(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.key).expect("a 32-byte AES key"))
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        random_fill(&mut nonce);
        let mut sealed = plaintext.as_bytes().to_vec();
        self.cipher()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .expect("AES-GCM seals any input shorter than 64 GiB");
        format!("v1:{}:{}", BASE64.encode(nonce), BASE64.encode(sealed))
    }

    /// Fails on a malformed ciphertext or one sealed with another key (a
    /// wrong passphrase), never on anything else.
    pub fn decrypt(&self, ciphertext: &str) -> Result<String> {
        let parts: Vec<&str> = ciphertext.split(':').collect();
        let [version, nonce, sealed] = parts[..] else {
            bail!("not a ciphertext (expected v1:<nonce>:<sealed>)");
        };
        if version != "v1" {
            bail!("a ciphertext of unknown version '{version}'");
        }
        let nonce: [u8; NONCE_LEN] = BASE64
            .decode(nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| anyhow::anyhow!("a ciphertext with a malformed nonce"))?;
        let mut sealed = BASE64
            .decode(sealed)
            .map_err(|_| anyhow::anyhow!("a ciphertext that is not base64"))?;
        let plain = self
            .cipher()
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
            .map_err(|_| anyhow::anyhow!("the ciphertext does not open with this passphrase"))?;
        Ok(String::from_utf8(plain.to_vec())?)
    }
}

pub(crate) fn random_fill(bytes: &mut [u8]) {
    SystemRandom::new().fill(bytes).expect("the system's random source works");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_round_trips_and_each_encryption_differs() {
        let crypter = Crypter::from_passphrase("correct horse", b"saltsalt");
        let first = crypter.encrypt("hunter2");
        let second = crypter.encrypt("hunter2");
        assert_ne!(first, second, "a fresh nonce per value");
        assert!(first.starts_with("v1:"));
        assert_eq!(crypter.decrypt(&first).unwrap(), "hunter2");
        assert_eq!(crypter.decrypt(&second).unwrap(), "hunter2");
    }

    #[test]
    fn another_passphrase_or_a_damaged_value_is_refused() {
        let crypter = Crypter::from_passphrase("one", b"saltsalt");
        let sealed = crypter.encrypt("x");
        let error = Crypter::from_passphrase("two", b"saltsalt").decrypt(&sealed).unwrap_err();
        assert!(error.to_string().contains("does not open"), "{error}");
        assert!(crypter.decrypt("v2:a:b").unwrap_err().to_string().contains("unknown version"));
        assert!(crypter.decrypt("plain").is_err());
    }

    /// The check message of a stack salt minted by Pulumi's CLI (passphrase
    /// "password") opens here: key derivation and sealing agree with Go's.
    #[test]
    fn a_value_sealed_by_pulumi_opens() {
        let salt = BASE64.decode("fozI5u6B030=").unwrap();
        let crypter = Crypter::from_passphrase("password", &salt);
        assert_eq!(
            crypter.decrypt("v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==").unwrap(),
            "pulumi"
        );
    }
}
