//! The startup snapshot: the isolate every run starts from, made once when
//! Unfold is built (by the `unfold-snapshot` crate's build script) instead of
//! in every process.
//!
//! Every isolate first evaluates the *prelude*: the value imports of the run
//! bootstrap (`unfold/main.ts`), each as a module of its own in source order,
//! which is the order the bootstrap's own evaluation would run them in. None
//! of them crosses the membrane at top level (making the snapshot fails if one
//! does: the IO gateway has no state then), so the prelude's outcome is the
//! same in every process. The snapshot holds:
//! - a V8 heap with deno_core's own JavaScript and the prelude compiled and
//!   evaluated;
//! - the rest of js-lib's ES modules transpiled to JavaScript, with their
//!   source maps, so no process transpiles js-lib again.
//!
//! The prelude's modules are in every run's module record, in the order they
//! were read, with the digests of their sources, whether they came from the
//! heap or were loaded then: a record still names every module its program
//! ran, and replays with or without the snapshot.
//!
//! Without an installed snapshot (the runtime's own tests), an isolate loads
//! and evaluates the prelude when it starts; both ways run the same code.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

use deno_core::error::CoreError;
use deno_core::{JsRuntime, JsRuntimeForSnapshot, ModuleSpecifier, RuntimeOptions};
use serde::{Deserialize, Serialize};

use crate::module_loader::{
    LIB_URL, ProgramModuleLoader, compile_lib_module, lib_source_map, precompile_lib,
};
use crate::module_record::LoadedModule;

/// The bootstrap whose imports are the prelude, whatever a run's own bootstrap.
const BOOTSTRAP: &str = "unfold/main.ts";

/// A snapshot as the build made it: the V8 heap and the js-lib table.
pub struct StartupSnapshot {
    pub heap: &'static [u8],
    pub lib: &'static [u8],
}

/// What the build knows about the heap beside its bytes.
#[derive(Serialize, Deserialize, Default)]
pub struct LibTable {
    /// The prelude's modules, in the order they were read, with their digests.
    pub in_heap: Vec<LoadedModule>,
    /// Every js-lib ES module compiled: JavaScript and source map, by URL.
    pub compiled: BTreeMap<String, (String, Option<String>)>,
}

pub(crate) struct Installed {
    pub heap: &'static [u8],
    pub in_heap: Vec<LoadedModule>,
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();

/// Makes every isolate this process creates start from `snapshot`; the first
/// call wins. Fails when the table does not parse (a build from another version).
pub fn install(snapshot: StartupSnapshot) -> Result<(), String> {
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let table: LibTable = serde_json::from_slice(snapshot.lib)
        .map_err(|error| format!("the startup snapshot's js-lib table is unreadable: {error}"))?;
    for (url, (code, map)) in table.compiled {
        precompile_lib(&url, code, map.map(String::into_bytes));
    }
    let _ = INSTALLED.set(Installed { heap: snapshot.heap, in_heap: table.in_heap });
    Ok(())
}

pub(crate) fn installed() -> Option<&'static Installed> {
    INSTALLED.get()
}

/// Builds the snapshot: evaluates the prelude in a snapshotting isolate with
/// the same extensions every run has, and compiles the rest of js-lib.
/// Returns the heap and the table (JSON).
pub fn build() -> Result<(Box<[u8]>, Vec<u8>), String> {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let _guard = tokio.enter();
    let loader = Rc::new(ProgramModuleLoader::default());
    let mut js = JsRuntimeForSnapshot::new(RuntimeOptions {
        module_loader: Some(loader.clone()),
        extensions: crate::run::extensions(crate::io::gateway::unfold_io::lazy_init(), &loader),
        ..Default::default()
    });
    tokio.block_on(evaluate_prelude(&mut js)).map_err(|error| error.to_string())?;
    let table = LibTable { in_heap: loader.loaded_modules(), compiled: compile_lib()? };
    let heap = js.snapshot();
    let table = serde_json::to_vec(&table).map_err(|error| error.to_string())?;
    Ok((heap, table))
}

/// Evaluates the bootstrap's prelude: each of its value imports, in source
/// order, as a module of its own — the order the bootstrap would evaluate them
/// in. Isolates made from the snapshot have it in their heap; the others
/// evaluate it first, the same way, so both read and run the same modules in
/// the same order.
pub(crate) async fn evaluate_prelude(js: &mut JsRuntime) -> Result<(), CoreError> {
    static PRELUDE: OnceLock<Vec<ModuleSpecifier>> = OnceLock::new();
    let prelude = PRELUDE.get_or_init(|| {
        let bootstrap =
            ModuleSpecifier::parse(&format!("{LIB_URL}{BOOTSTRAP}")).expect("valid URL");
        let source = crate::js_lib::file(BOOTSTRAP).expect("js-lib has the run bootstrap");
        static_imports(&bootstrap, source)
            .unwrap_or_else(|error| panic!("js-lib's run bootstrap does not parse: {error}"))
            .iter()
            .map(|specifier| bootstrap.join(specifier).expect("the bootstrap imports valid URLs"))
            .collect()
    });
    for url in prelude {
        let id = js.load_side_es_module(url).await?;
        let evaluation = js.mod_evaluate(id);
        js.with_event_loop_future(evaluation, Default::default()).await?;
    }
    Ok(())
}

/// Every js-lib ES module compiled as the loader compiles it.
fn compile_lib() -> Result<BTreeMap<String, (String, Option<String>)>, String> {
    let mut compiled = BTreeMap::new();
    for (path, source) in crate::js_lib::FILES {
        if !path.ends_with(".ts") || path.ends_with(".d.ts") {
            continue;
        }
        let url = ModuleSpecifier::parse(&format!("{LIB_URL}{path}")).expect("valid URL");
        let code = compile_lib_module(&url, source).map_err(|error| error.to_string())?;
        let map = lib_source_map(url.as_str())
            .map(|map| String::from_utf8(map).expect("source maps are JSON"));
        compiled.insert(url.to_string(), (code, map));
    }
    Ok(compiled)
}

/// The specifiers of a module's value `import` declarations, in source order.
fn static_imports(specifier: &ModuleSpecifier, source: &str) -> Result<Vec<String>, String> {
    use deno_ast::swc::ast::{ModuleDecl, ModuleItem};
    let parsed = deno_ast::parse_module(deno_ast::ParseParams {
        specifier: specifier.clone(),
        text: source.into(),
        media_type: deno_ast::MediaType::TypeScript,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .map_err(|diagnostic| diagnostic.to_string())?;
    let deno_ast::ProgramRef::Module(module) = parsed.program_ref() else { return Ok(Vec::new()) };
    Ok(module
        .body
        .iter()
        .filter_map(|item| match item {
            ModuleItem::ModuleDecl(ModuleDecl::Import(import)) if !import.type_only => {
                import.src.value.as_str().map(str::to_string)
            }
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_imports_are_the_value_imports_in_source_order() {
        let source = "// a comment\nimport { a } from \"./a.ts\";\nimport type { T } from \"./t.ts\";\nimport \"../b.ts\";\nimport * as c from \"./c.ts\";\nconst d = 1;\n";
        let url = ModuleSpecifier::parse("unfold://lib/unfold/x.ts").unwrap();
        assert_eq!(static_imports(&url, source).unwrap(), vec!["./a.ts", "../b.ts", "./c.ts"]);
    }
}
