//! What a run shows the user: engine log messages from the program, the
//! language host's stdout and stderr lines, and the engine's own errors.

use std::sync::Mutex;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Debug,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Maps `pulumirpc.LogSeverity`.
    pub fn from_log_severity(severity: i32) -> Self {
        match severity {
            0 => Self::Debug,
            1 => Self::Info,
            2 => Self::Warning,
            _ => Self::Error,
        }
    }
}

/// Where a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// `Engine.Log` from the program.
    Program,
    /// A line the language host wrote to stdout (shown as info).
    HostStdout,
    /// A line the language host wrote to stderr (shown as an error).
    HostStderr,
    /// The engine itself, e.g. a failed resource operation.
    Engine,
    /// A line a provider plugin wrote to stderr (or stdout, after its port), shown as info.
    Plugin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub source: Source,
    /// The resource the message is about, if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub urn: String,
    pub message: String,
    /// Status messages that the CLI shows only while they are current.
    pub ephemeral: bool,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Debug => "debug",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        // A resource's messages are prefixed with its name.
        let name = unfold_wire::urn::parse(&self.urn).map_or(self.urn.as_str(), |parts| parts.name);
        match (self.source, name) {
            (Source::HostStdout, _) => write!(f, "{}", self.message),
            (_, name) if !name.is_empty() => {
                write!(f, "{level}: {name}: {}", self.message)
            }
            _ => write!(f, "{level}: {}", self.message),
        }
    }
}

/// The messages of a run, in arrival order; optionally echoed as they arrive.
#[derive(Debug, Default)]
pub struct Diagnostics {
    entries: Mutex<Vec<Diagnostic>>,
    echo: bool,
}

impl Diagnostics {
    pub(crate) fn new(echo: bool) -> Self {
        Self { entries: Mutex::default(), echo }
    }

    pub(crate) fn push(&self, diagnostic: Diagnostic) {
        if self.echo && diagnostic.severity != Severity::Debug && !diagnostic.ephemeral {
            eprintln!("{diagnostic}");
        }
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(diagnostic);
    }

    pub(crate) fn engine_error(&self, urn: &str, message: impl Into<String>) {
        self.push(Diagnostic {
            severity: Severity::Error,
            source: Source::Engine,
            urn: urn.to_string(),
            message: message.into(),
            ephemeral: false,
        });
    }

    pub(crate) fn engine_warning(&self, urn: &str, message: impl Into<String>) {
        self.push(Diagnostic {
            severity: Severity::Warning,
            source: Source::Engine,
            urn: urn.to_string(),
            message: message.into(),
            ephemeral: false,
        });
    }

    pub(crate) fn entries(&self) -> Vec<Diagnostic> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
