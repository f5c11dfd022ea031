//! Where the services and the host's output write during a run: its trace and
//! its diagnostics. The engine service and the host outlive a single run (an
//! update is a preview and then an update), so they write to whichever record
//! is current.

use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostics;
use crate::trace::Trace;

#[derive(Debug, Default)]
pub struct RunRecord {
    pub trace: Trace,
    pub diagnostics: Diagnostics,
}

/// The record of the run in progress.
#[derive(Debug, Clone)]
pub struct CurrentRun(Arc<Mutex<Arc<RunRecord>>>);

impl CurrentRun {
    pub fn new(echo: bool) -> Self {
        Self(Arc::new(Mutex::new(Arc::new(RunRecord {
            trace: Trace::default(),
            diagnostics: Diagnostics::new(echo),
        }))))
    }

    pub fn get(&self) -> Arc<RunRecord> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Starts a new record and returns it; later writes go there.
    pub fn begin(&self, echo: bool) -> Arc<RunRecord> {
        let record =
            Arc::new(RunRecord { trace: Trace::default(), diagnostics: Diagnostics::new(echo) });
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = record.clone();
        record
    }
}
