//! The crossings every program has, whatever it runs for: the console, the
//! clock, timers and the seed of its random numbers.

use std::cell::Cell;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::host::{Crossing, CrossingError};
use crate::crossings::{CallContext, CrossingSpec, Handler, HandlerSet, Started};

pub static CONSOLE_WRITE: CrossingSpec = CrossingSpec::sync(
    "console.write",
    "`{stream: \"stdout\" \\| \"stderr\", text}`",
    "`null`; text is written as is (include the newline)",
);
pub static CLOCK_NOW: CrossingSpec =
    CrossingSpec::sync("clock.now", "`{}`", "milliseconds since the epoch; never goes backwards");
pub static RANDOM_SEED: CrossingSpec = CrossingSpec::sync(
    "random.seed",
    "`{}`",
    "32 hex digits: the seed of `Math.random` and `crypto.getRandomValues`",
);
pub static TIMER_SLEEP: CrossingSpec =
    CrossingSpec::asynchronous("timer.sleep", "`{ms}`", "`null` after `ms` milliseconds");

/// What every program sees of the world, whatever it runs for: where its
/// console goes, its clock, and the seed of its random numbers.
pub struct System {
    console: Box<dyn Console>,
    clock: Clock,
    /// `None` where the seed can only come from a record.
    seed: Option<Seed>,
}

impl System {
    pub fn new(console: Box<dyn Console>, clock: Clock, seed: Option<&Seed>) -> Self {
        Self { console, clock, seed: seed.cloned() }
    }

    /// The clock now, if it is virtual.
    pub fn virtual_time(&self) -> Option<f64> {
        matches!(self.clock, Clock::Virtual { .. }).then(|| self.clock.now())
    }
}

/// The console, the clock, timers and the seed.
pub static SYSTEM: HandlerSet<System> = HandlerSet {
    name: "system",
    handlers: &[
        Handler::sync(&CONSOLE_WRITE, |system, _, args| {
            write_console(system.console.as_ref(), args)
        }),
        Handler::sync(&CLOCK_NOW, |system, _, _| Ok(serde_json::json!(system.clock.now()))),
        Handler::sync(&RANDOM_SEED, random_seed),
        Handler::asynchronous(&TIMER_SLEEP, |_, _, args| Started::Running(sleep(args))),
    ],
    families: &[],
};

fn random_seed(system: &System, _: &mut CallContext<'_>, _: Value) -> Crossing {
    match &system.seed {
        Some(seed) => Ok(Value::String(seed.generate())),
        None => Err(CrossingError::host("random.seed: the seed of this run comes from its record")),
    }
}

/// Where the program's console output goes.
pub trait Console {
    fn write(&self, stream: ConsoleStream, text: &str);
}

/// A console that drops what the program writes: for tests and benchmarks.
pub struct Discard;

impl Console for Discard {
    fn write(&self, _stream: ConsoleStream, _text: &str) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsoleStream {
    Stdout,
    Stderr,
}

/// The process's own stdout and stderr (for a language host, what the engine
/// shows the user).
pub struct ProcessConsole;

impl Console for ProcessConsole {
    fn write(&self, stream: ConsoleStream, text: &str) {
        // A closed pipe means the reader is gone; nothing useful is left to do.
        let _ = match stream {
            ConsoleStream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
            ConsoleStream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
        };
    }
}

/// The `console.write` crossing.
pub fn write_console(console: &dyn Console, args: Value) -> Crossing {
    #[derive(Deserialize)]
    struct Write {
        stream: ConsoleStream,
        text: String,
    }
    let write: Write = serde_json::from_value(args)?;
    console.write(write.stream, &write.text);
    Ok(Value::Null)
}

/// The `timer.sleep` crossing: completes after `{ms}` on the runtime's clock
/// (which a virtual-time runtime advances instantly when it is idle).
pub fn sleep(args: &Value) -> LocalBoxFuture<'static, Crossing> {
    #[derive(Deserialize)]
    struct Sleep {
        ms: f64,
    }
    match Sleep::deserialize(args) {
        Ok(Sleep { ms }) => async move {
            tokio::time::sleep(Duration::from_secs_f64(ms.max(0.0) / 1000.0)).await;
            Ok(Value::Null)
        }
        .boxed_local(),
        Err(error) => futures::future::ready(Err(CrossingError::from(error))).boxed_local(),
    }
}

/// Milliseconds since the epoch for the `clock.now` crossing; never goes
/// backwards, so a replayed program never sees time run in reverse either.
pub enum Clock {
    /// The machine's clock.
    Wall { last: Cell<f64> },
    /// `origin` plus the time elapsed on the tokio runtime's clock: with a
    /// paused runtime, time moves only as timers fire, the same on every run.
    Virtual { origin: f64, start: tokio::time::Instant },
}

impl Default for Clock {
    fn default() -> Self {
        Clock::Wall { last: Cell::new(0.0) }
    }
}

impl Clock {
    /// A virtual clock starting at `origin` (ms since the epoch). Call inside the runtime.
    pub fn virtual_from(origin: f64) -> Self {
        Clock::Virtual { origin, start: tokio::time::Instant::now() }
    }

    pub fn now(&self) -> f64 {
        match self {
            Clock::Wall { last } => {
                let wall = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs_f64() * 1000.0)
                    .unwrap_or(0.0);
                let now = wall.max(last.get());
                last.set(now);
                now
            }
            Clock::Virtual { origin, start } => origin + start.elapsed().as_secs_f64() * 1000.0,
        }
    }
}

/// How a run's random seed is chosen.
#[derive(Debug, Clone)]
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
