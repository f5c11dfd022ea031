//! The modules a run loaded, in load order, with the hash of each source: what
//! a snapshot carries. Restoring one, the same record checks each module as it
//! loads, so a restored program runs the very code it was recorded with.

use std::cell::RefCell;

use sha2::{Digest, Sha256};

use crate::membrane::Divergence;

/// A module that was loaded, in load order: what a snapshot of the program must carry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadedModule {
    pub specifier: String,
    /// Hex SHA-256 of the source as read.
    pub sha256: String,
}

/// Records every module loaded and, when restoring, verifies it.
#[derive(Default)]
pub struct ModuleRecord {
    loaded: RefCell<Vec<LoadedModule>>,
    /// When restoring a snapshot: the modules it was recorded with, in load order.
    expected: Vec<LoadedModule>,
    /// The first divergence found: every later load reports it, as the
    /// record can no longer say what should come next.
    diverged: RefCell<Option<Divergence>>,
}

impl ModuleRecord {
    /// Records whatever loads.
    pub fn recording() -> Self {
        Self::default()
    }

    /// Refuses anything other than `expected`, in that order, for as long as
    /// the list lasts.
    pub fn verifying(expected: Vec<LoadedModule>) -> Self {
        Self { expected, ..Self::default() }
    }

    /// Records that `specifier` loaded with `source`, or says how it differs
    /// from what the snapshot expects there.
    pub(crate) fn admit(&self, specifier: &str, source: &str) -> Result<(), Divergence> {
        self.admit_digest(LoadedModule {
            specifier: specifier.to_string(),
            sha256: hex::encode(Sha256::digest(source.as_bytes())),
        })
    }

    /// As `admit`, for a module whose source was hashed before (a startup snapshot's).
    pub(crate) fn admit_digest(&self, module: LoadedModule) -> Result<(), Divergence> {
        if let Some(divergence) = self.diverged.borrow().clone() {
            return Err(divergence);
        }
        let index = self.loaded.borrow().len();
        if let Some(expected) = self.expected.get(index)
            && *expected != module
        {
            let divergence = Divergence::ModuleChanged {
                index,
                expected: expected.specifier.clone(),
                expected_sha256: expected.sha256.clone(),
                actual: module.specifier,
                actual_sha256: module.sha256,
            };
            *self.diverged.borrow_mut() = Some(divergence.clone());
            return Err(divergence);
        }
        self.loaded.borrow_mut().push(module);
        Ok(())
    }

    /// The modules loaded so far, in load order.
    pub fn loaded(&self) -> Vec<LoadedModule> {
        self.loaded.borrow().clone()
    }
}
