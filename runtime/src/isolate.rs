//! A fresh V8 isolate wired to a host through the IO gateway, and the
//! snapshot that describes it.

use std::collections::BTreeMap;
use std::rc::Rc;

use deno_core::error::CoreError;
use deno_core::{JsRuntime, ModuleSpecifier, RuntimeOptions, v8};

use crate::io::gateway::BootstrapModule;
use crate::io::gateway::unfold_io;
use crate::io::{Gateway, Host, Outcome};
use crate::membrane::log::{FORMAT_VERSION, modules_hash};
use crate::membrane::{Divergence, Entry, Header, Membrane, ModuleDigest, Snapshot};
use crate::module_loader::{LIB_URL, LoadedModule, ProgramModuleLoader};

/// The observable settings every isolate runs with (see `pin_environment`).
pub fn pinned_flags() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("locale".to_string(), "en-US".to_string()),
        ("timeZone".to_string(), "UTC".to_string()),
    ])
}

pub struct Isolate {
    pub js: JsRuntime,
    loader: Rc<ProgramModuleLoader>,
    main: ModuleSpecifier,
}

impl Isolate {
    /// An isolate that will start from `bootstrap` (a js-lib path such as
    /// `unfold/main.ts`); `membrane` decides whether it starts by replaying.
    pub fn new(
        host: Rc<dyn Host>,
        membrane: Membrane,
        loader: ProgramModuleLoader,
        bootstrap: &str,
    ) -> Self {
        Self::with_gateway(Gateway::new(host, membrane), loader, bootstrap)
    }

    /// An isolate whose crossings go through `gateway`.
    pub fn with_gateway(gateway: Gateway, loader: ProgramModuleLoader, bootstrap: &str) -> Self {
        let loader = Rc::new(loader);
        let mut js = JsRuntime::new(RuntimeOptions {
            module_loader: Some(loader.clone()),
            extensions: vec![unfold_io::init(gateway), loader.extension()],
            ..Default::default()
        });
        let handle = js.v8_isolate().thread_safe_handle();
        js.op_state().borrow_mut().borrow_mut::<Gateway>().set_isolate(handle);
        let main = ModuleSpecifier::parse(&format!("{LIB_URL}{bootstrap}"))
            .expect("js-lib URLs are valid");
        js.op_state().borrow_mut().put(BootstrapModule(main.to_string()));
        Self { js, loader, main }
    }

    /// Something that can stop the isolate from another thread.
    pub fn handle(&mut self) -> v8::IsolateHandle {
        self.js.v8_isolate().thread_safe_handle()
    }

    /// Loads and starts evaluating the bootstrap; the returned future settles
    /// when its top-level code has run (drive the event loop meanwhile).
    pub async fn start(
        &mut self,
    ) -> Result<impl Future<Output = Result<(), CoreError>> + use<>, CoreError> {
        let id = self.js.load_main_es_module(&self.main).await?;
        Ok(self.js.mod_evaluate(id))
    }

    /// Runs the bootstrap until nothing is left to do.
    pub async fn run_to_completion(&mut self) -> Result<(), CoreError> {
        let evaluation = self.start().await?;
        self.js.run_event_loop(Default::default()).await?;
        evaluation.await
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.js.op_state().borrow().borrow::<Gateway>().outcome().cloned()
    }

    pub fn divergence(&self) -> Option<Divergence> {
        self.js.op_state().borrow().borrow::<Gateway>().divergence().cloned()
    }

    /// Entries of the record being replayed that the program has not reached.
    pub fn replay_remaining(&self) -> usize {
        self.js.op_state().borrow().borrow::<Gateway>().membrane().remaining()
    }

    /// The record so far, with the header that pins what it ran on.
    /// `virtual_time` is the clock now, for runs on virtual time.
    pub fn snapshot(&self, virtual_time: Option<f64>) -> Snapshot {
        let state = self.js.op_state();
        let state = state.borrow();
        let entries = state.borrow::<Gateway>().membrane().entries();
        Snapshot { header: self.header(entries, virtual_time), entries: entries.to_vec() }
    }

    /// The snapshot's encoding, written straight from the record without copying it.
    pub fn encode_snapshot(&self, virtual_time: Option<f64>) -> Vec<u8> {
        let state = self.js.op_state();
        let state = state.borrow();
        let entries = state.borrow::<Gateway>().membrane().entries();
        crate::membrane::log::encode(&self.header(entries, virtual_time), entries)
    }

    fn header(&self, entries: &[Entry], virtual_time: Option<f64>) -> Header {
        let timers_left = self.js.op_state().borrow().borrow::<Gateway>().timers_left();
        snapshot_header(&self.loader, self.main.as_str(), entries, timers_left, virtual_time)
    }
}

/// The header of a snapshot of `entries`, taken now.
pub fn snapshot_header(
    loader: &ProgramModuleLoader,
    main: &str,
    entries: &[Entry],
    timers_left: BTreeMap<u32, u64>,
    virtual_time: Option<f64>,
) -> Header {
    let modules: Vec<ModuleDigest> =
        loader.loaded_modules().iter().map(ModuleDigest::from).collect();
    Header {
        format: FORMAT_VERSION,
        v8: v8::VERSION_STRING.to_string(),
        seed: recorded_seed(entries),
        main: main.to_string(),
        modules_hash: modules_hash(&modules),
        modules,
        flags: pinned_flags(),
        virtual_time,
        pending_timers: timers_left,
    }
}

/// The seed the program's random numbers came from, if it used any.
fn recorded_seed(entries: &[Entry]) -> String {
    entries
        .iter()
        .find_map(|entry| match entry {
            Entry::Call { name, result: crate::membrane::CallResult::Ok(seed), .. }
                if name == "random.seed" =>
            {
                seed.as_str().map(str::to_string)
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// Why a snapshot cannot be restored here, before anything runs.
pub fn check_restorable(header: &Header) -> Result<Vec<LoadedModule>, String> {
    if header.v8 != v8::VERSION_STRING {
        return Err(format!(
            "cannot restore: the snapshot was recorded with V8 {} and this is V8 {}",
            header.v8,
            v8::VERSION_STRING
        ));
    }
    if header.flags != pinned_flags() {
        return Err(format!(
            "cannot restore: the snapshot was recorded with settings {:?}",
            header.flags
        ));
    }
    if modules_hash(&header.modules) != header.modules_hash {
        return Err(
            "cannot restore: the snapshot's module list does not match its modulesHash".into()
        );
    }
    Ok(header
        .modules
        .iter()
        .map(|m| LoadedModule { specifier: m.specifier.clone(), sha256: m.sha256.clone() })
        .collect())
}
