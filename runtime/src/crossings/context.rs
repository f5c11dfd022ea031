//! What a handler may see of the run it answers: the record so far, the
//! modules loaded, and a place to leave results for whoever runs the program.
//! A Function bundle is cut from exactly these at `bundle.capture`.

use deno_core::OpState;

use crate::io::Gateway;
use crate::io::gateway::BootstrapModule;
use crate::membrane::{Entry, Header};
use crate::module_loader::ProgramModuleLoader;

/// A handler's view of its run, for the duration of one crossing.
pub struct CallContext<'a> {
    state: &'a mut OpState,
    name: &'a str,
    ticket: Option<u32>,
}

impl<'a> CallContext<'a> {
    pub(crate) fn new(state: &'a mut OpState, name: &'a str, ticket: Option<u32>) -> Self {
        Self { state, name, ticket }
    }

    /// The crossing being answered.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The ticket of the asynchronous crossing being started.
    pub fn ticket(&self) -> Option<u32> {
        self.ticket
    }

    /// The record so far: every crossing before this one.
    pub fn record(&self) -> &[Entry] {
        self.state.borrow::<Gateway>().membrane().entries()
    }

    /// The modules of the run, in load order, with their sources.
    pub fn modules(&self) -> &ProgramModuleLoader {
        self.state.borrow::<std::rc::Rc<ProgramModuleLoader>>()
    }

    /// The header a snapshot of the record so far would have.
    pub fn snapshot_header(&self) -> Header {
        let gateway = self.state.borrow::<Gateway>();
        crate::isolate::snapshot_header(
            self.modules(),
            &self.state.borrow::<BootstrapModule>().0,
            gateway.membrane().entries(),
            gateway.timers_left(),
            None,
        )
    }

    /// Leaves `value` for whoever runs the program (`run.finish` leaves the
    /// run's `Outcome`); the run reads it back by type.
    pub fn put<T: 'static>(&mut self, value: T) {
        self.state.put(value);
    }

    pub(crate) fn gateway(&mut self) -> &mut Gateway {
        self.state.borrow_mut::<Gateway>()
    }
}
