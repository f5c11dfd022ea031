//! The crossings every program has, whatever it runs for: the clock and the
//! seed of its random numbers.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Wall-clock time in milliseconds since the epoch that never goes backwards,
/// so a replayed program never sees time run in reverse either.
#[derive(Default)]
pub struct Clock {
    last: Cell<f64>,
}

impl Clock {
    pub fn now(&self) -> f64 {
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
        let now = wall.max(self.last.get());
        self.last.set(now);
        now
    }
}

/// How a run's random seed is chosen.
pub enum Seed {
    /// Fresh from the operating system: every run differs.
    Random,
    /// Derived from a name: every run of the same thing gets the same numbers,
    /// so what it records (and deploys) is reproducible.
    DerivedFrom(String),
}

impl Seed {
    /// 128 bits as 32 hex digits.
    pub fn generate(&self) -> String {
        match self {
            Seed::Random => {
                let mut bytes = [0u8; 16];
                getrandom::fill(&mut bytes).expect("the operating system provides randomness");
                hex::encode(bytes)
            }
            Seed::DerivedFrom(name) => {
                let digest = Sha256::digest(format!("unfold-seed\0{name}").as_bytes());
                hex::encode(&digest[..16])
            }
        }
    }
}
