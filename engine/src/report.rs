//! The result of a preview, update or destroy.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::property::PropertyMap;
use crate::steps::{Step, StepOp};
use crate::trace::TraceEntry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    Preview,
    Update,
    Destroy,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub operation: Operation,
    pub steps: Vec<Step>,
    /// The stack's outputs (in a preview: as the program registered them, unknowns included).
    pub outputs: PropertyMap,
    /// Engine log messages and the host's stdout and stderr lines, in arrival order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every call the engine received, in order.
    pub trace: Vec<TraceEntry>,
    /// Why the operation failed; `None` if it succeeded.
    pub error: Option<String>,
    /// For an update: the preview that ran first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<Box<RunReport>>,
}

impl RunReport {
    /// A report of an operation that did nothing, successfully.
    pub fn new(operation: Operation) -> Self {
        Self {
            operation,
            steps: Vec::new(),
            outputs: PropertyMap::new(),
            diagnostics: Vec::new(),
            trace: Vec::new(),
            error: None,
            preview: None,
        }
    }

    pub fn failed(operation: Operation, error: String) -> Self {
        Self { error: Some(error), ..Self::new(operation) }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }

    /// How many steps of each kind there were.
    pub fn count(&self, op: StepOp) -> usize {
        self.steps.iter().filter(|s| s.op == op).count()
    }

    /// The trace as canonical JSON lines, for comparing two runs.
    pub fn trace_lines(&self) -> String {
        self.trace.iter().map(|e| e.to_canonical_json() + "\n").collect()
    }
}
