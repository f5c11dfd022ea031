//! Secrets at rest: Pulumi's passphrase secrets provider, so config values
//! and stack state are encrypted exactly as `pulumi`'s file backend encrypts
//! them and a stack moves between the two.
//!
//! - [`crypter`]: the cipher (PBKDF2 key, AES-256-GCM values).
//! - [`passphrase`]: a stack's salt and where its passphrase comes from.
//! - [`values`]: sealing and opening the secrets inside property values.

pub mod crypter;
pub mod passphrase;
pub mod values;

pub use passphrase::{PROVIDER_TYPE, StackName, StackSecrets};
pub use values::SecretCodec;
