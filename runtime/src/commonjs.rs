//! CommonJS, as Node.js runs it: `require` is synchronous, so it loads
//! through two ops backed by the program's one module loader (resolution
//! with the `require` conditions, and the recorded source), and js-lib's
//! `node/module.ts` wraps the source in the CommonJS function wrapper.
//!
//! An ES module importing a CommonJS one gets a facade: `default` is
//! `module.exports`, and the names `exports.x = …` assignments and
//! `__exportStar(require(…))` re-exports declare become named exports, found
//! by deno_ast's analysis (the one Node.js's cjs-module-lexer performs).

use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;

use deno_ast::MediaType;
use deno_core::{ModuleSpecifier, OpState, op2};
use deno_error::JsErrorBox;
use serde_json::{Value, json};

use crate::module_loader::{LIB_URL, ProgramModuleLoader};
use crate::node_resolution::{Format, Kind};
use crate::transpile::display_path;

/// The js-lib module that runs CommonJS.
const RUNTIME: &str = "unfold://lib/node/module.ts";

/// Re-exports are followed this deep, as far as any real package needs.
const MAX_REEXPORT_DEPTH: usize = 16;

/// The ES module standing for the CommonJS module `specifier`.
pub fn facade(loader: &ProgramModuleLoader, specifier: &ModuleSpecifier) -> String {
    let mut names = BTreeSet::new();
    let mut seen = HashSet::new();
    collect_exports(loader, specifier, 0, &mut names, &mut seen);
    let url = serde_json::to_string(specifier.as_str()).expect("strings serialize");
    let mut code = format!(
        "import {{ loadCommonJs }} from \"{RUNTIME}\";\n\
         const m = loadCommonJs({url});\n\
         export default m;\n\
         export {{ m as \"module.exports\" }};\n"
    );
    for (index, name) in
        names.iter().filter(|name| *name != "default" && *name != "module.exports").enumerate()
    {
        let quoted = serde_json::to_string(name).expect("strings serialize");
        code.push_str(&format!("const e{index} = m == null ? undefined : m[{quoted}];\nexport {{ e{index} as {quoted} }};\n"));
    }
    code
}

fn collect_exports(
    loader: &ProgramModuleLoader,
    specifier: &ModuleSpecifier,
    depth: usize,
    names: &mut BTreeSet<String>,
    seen: &mut HashSet<String>,
) {
    if depth > MAX_REEXPORT_DEPTH || !seen.insert(specifier.to_string()) {
        return;
    }
    // A module that cannot be read or compiled has no names; requiring it reports why.
    let Ok(source) = loader.read(specifier) else { return };
    if loader.format(specifier, &source) != Format::CommonJs {
        return;
    }
    // TypeScript's names are those of the CommonJS it compiles to.
    let Ok(code) = loader.commonjs_code(specifier) else { return };
    let Ok(parsed) = deno_ast::parse_program(deno_ast::ParseParams {
        specifier: specifier.clone(),
        text: code.to_string().into(),
        media_type: MediaType::Cjs,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    }) else {
        return;
    };
    let analysis = parsed.analyze_cjs();
    names.extend(analysis.exports);
    for reexport in analysis.reexports {
        if let Ok(target) = loader.resolve_from(&reexport, specifier.as_str(), Kind::Require) {
            collect_exports(loader, &target, depth + 1, names, seen);
        }
    }
}

/// TypeScript that runs as an ES module (a `"type": "module"` package, or a
/// tsconfig.json targeting ES modules) may still use `__dirname`,
/// `__filename` and `require`, as it did when Unfold ran all TypeScript as ES
/// modules: a program file that mentions them gets them declared, on its
/// first line so every other line keeps its number.
pub fn with_module_scope(specifier: &ModuleSpecifier, source: &str, code: String) -> String {
    if specifier.scheme() != "file" {
        return code;
    }
    let uses = |name: &str| source.contains(name) && !declares(source, name);
    let (dirname, filename, require) = (uses("__dirname"), uses("__filename"), uses("require("));
    if !(dirname || filename || require) {
        return code;
    }
    let path = display_path(specifier);
    let dir =
        std::path::Path::new(&path).parent().map(|p| p.display().to_string()).unwrap_or_default();
    let quote = |text: &str| serde_json::to_string(text).expect("strings serialize");
    let mut prefix = String::new();
    if require {
        prefix.push_str(&format!(
            "import {{ createRequire as __unfoldCreateRequire }} from \"{RUNTIME}\"; const require = __unfoldCreateRequire({}); ",
            quote(specifier.as_str())
        ));
    }
    if filename {
        prefix.push_str(&format!("const __filename = {}; ", quote(&path)));
    }
    if dirname {
        prefix.push_str(&format!("const __dirname = {}; ", quote(&dir)));
    }
    prefix + code.as_str()
}

fn declares(source: &str, name: &str) -> bool {
    ["const ", "let ", "var ", "function "]
        .iter()
        .any(|keyword| source.contains(&format!("{keyword}{name}")))
        || source.contains(&format!("import {name}"))
}

/// `require.resolve` without the loading: `{url, filename}`, or
/// `{error, code}` with Node.js's error code.
#[op2]
#[serde]
pub fn op_require_resolve(
    state: &mut OpState,
    #[string] specifier: String,
    #[string] referrer: String,
) -> serde_json::Value {
    let loader = state.borrow::<Rc<ProgramModuleLoader>>();
    match loader.resolve_from(&specifier, &referrer, Kind::Require) {
        Ok(url) => json!({ "url": url.as_str(), "filename": filename(&url) }),
        Err(failure) => json!({ "error": failure.message, "code": failure.code }),
    }
}

/// What `require` evaluates for `url`: `{format, code, filename, dirname, package}`.
/// CommonJS comes back as the JavaScript to wrap (TypeScript transpiled),
/// JSON as its text; an ES module (`format: "module"`) is imported instead.
#[op2]
#[serde]
pub fn op_require_source(
    state: &mut OpState,
    #[string] url: String,
) -> Result<serde_json::Value, JsErrorBox> {
    let loader = state.borrow::<Rc<ProgramModuleLoader>>().clone();
    let specifier = ModuleSpecifier::parse(&url)
        .map_err(|error| JsErrorBox::type_error(format!("{url}: {error}")))?;
    let source = loader.read(&specifier)?;
    let format = loader.format(&specifier, &source);
    let code = match format {
        Format::Module => Value::Null,
        Format::Json => Value::String(source.to_string()),
        Format::CommonJs => Value::String(loader.commonjs_code(&specifier)?.to_string()),
    };
    let filename = filename(&specifier);
    let dirname = match specifier.to_file_path() {
        Ok(path) if specifier.scheme() == "file" => {
            path.parent().map(|p| p.display().to_string()).unwrap_or_else(|| "/".into())
        }
        _ => filename.rsplit_once('/').map(|(dir, _)| dir.to_string()).unwrap_or_default(),
    };
    Ok(json!({
        "format": match format { Format::Module => "module", Format::CommonJs => "commonjs", Format::Json => "json" },
        "code": code,
        "filename": filename,
        "dirname": dirname,
        "package": loader.package_of(&specifier),
    }))
}

/// The path Node.js would show for a module: a file path, or the URL of a js-lib module.
fn filename(specifier: &ModuleSpecifier) -> String {
    if specifier.as_str().starts_with(LIB_URL) {
        specifier.to_string()
    } else {
        display_path(specifier)
    }
}
