//! Finds the file a program's `import` or `require` names, as Node.js does:
//! relative paths, `node_modules` up the directory tree, package.json
//! `exports` (with the `import`/`require`/`node`/`default` conditions and
//! subpath patterns), `imports`, `main`; symlinks resolved to real paths.
//! The resolution itself is oxc_resolver's; this module chooses its options
//! and says which module format a resolved file has.
//!
//! Beyond Node.js, imports may leave out the extension and name a `.ts`
//! file by its `.js` name, as TypeScript allows.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use oxc_resolver::{ModuleType, ResolveError, ResolveOptions, Resolver};

/// How the module is asked for: conditions differ between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Import,
    Require,
}

/// How a file is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Module,
    CommonJs,
    Json,
}

/// What a specifier resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file, and its format when its name or package.json settles it
    /// (`None`: a `.js` file whose package declares no `type`; its syntax decides).
    File { path: PathBuf, format: Option<Format> },
    /// A Node.js built-in, by its bare name (`path`, `fs/promises`).
    Builtin(String),
}

/// Resolves `import` and `require` specifiers of the program's files. Caches
/// what it reads for as long as it lives: one run.
pub struct NodeResolver {
    import: Resolver,
    require: Resolver,
    package_names: RefCell<HashMap<PathBuf, Option<String>>>,
}

const EXTENSIONS: &[&str] =
    &[".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx", ".json"];

fn options(conditions: &[&str], main_fields: &[&str]) -> ResolveOptions {
    ResolveOptions {
        condition_names: conditions.iter().map(ToString::to_string).collect(),
        extensions: EXTENSIONS.iter().map(ToString::to_string).collect(),
        // TypeScript sources import each other by their emitted `.js` names.
        extension_alias: vec![
            (".js".into(), vec![".ts".into(), ".tsx".into(), ".js".into()]),
            (".mjs".into(), vec![".mts".into(), ".mjs".into()]),
            (".cjs".into(), vec![".cts".into(), ".cjs".into()]),
        ],
        main_fields: main_fields.iter().map(ToString::to_string).collect(),
        builtin_modules: true,
        module_type: true,
        // NODE_PATH is ambient state the program must not depend on.
        node_path: false,
        ..ResolveOptions::default()
    }
}

impl Default for NodeResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl NodeResolver {
    pub fn new() -> Self {
        let require = Resolver::new(options(&["node", "require", "default"], &["main"]));
        // `module` only stands in where a package has no `main` at all.
        let import = require
            .clone_with_options(options(&["node", "import", "default"], &["main", "module"]));
        Self { import, require, package_names: RefCell::default() }
    }

    /// Resolves `specifier` as written in the file `referrer`.
    pub fn resolve(
        &self,
        specifier: &str,
        referrer: &Path,
        kind: Kind,
    ) -> Result<Resolved, String> {
        let resolver = match kind {
            Kind::Import => &self.import,
            Kind::Require => &self.require,
        };
        let dir = referrer.parent().unwrap_or(Path::new("/"));
        match resolver.resolve(dir, specifier) {
            Ok(resolution) => {
                let format = match resolution.module_type() {
                    Some(ModuleType::Module) => Some(Format::Module),
                    Some(ModuleType::CommonJs) => Some(Format::CommonJs),
                    Some(ModuleType::Json) => Some(Format::Json),
                    _ => None,
                };
                let path = resolution.into_path_buf();
                // TypeScript is the program's own source: the loader decides its format from
                // its name, package.json and tsconfig.json (`typescript_format`).
                let format = match path.extension().and_then(|e| e.to_str()) {
                    Some("ts" | "tsx" | "mts" | "cts") => None,
                    _ => format,
                };
                Ok(Resolved::File { path, format })
            }
            Err(ResolveError::Builtin { resolved, .. }) => {
                Ok(Resolved::Builtin(resolved.trim_start_matches("node:").to_string()))
            }
            Err(error) => Err(describe(&error, specifier)),
        }
    }

    /// The `name` in the package.json nearest to `file`, if any.
    pub fn package_name(&self, file: &Path) -> Option<String> {
        let mut dir = file.parent();
        while let Some(current) = dir {
            if let Some(name) = self.package_names.borrow().get(current) {
                return name.clone();
            }
            let manifest = current.join("package.json");
            if manifest.is_file() {
                let name = std::fs::read_to_string(&manifest)
                    .ok()
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .and_then(|json| json.get("name").and_then(|n| n.as_str()).map(str::to_string));
                self.package_names.borrow_mut().insert(current.to_path_buf(), name.clone());
                return name;
            }
            dir = current.parent();
        }
        None
    }
}

impl Resolved {
    /// The file, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Resolved::File { path, .. } => Some(path),
            Resolved::Builtin(_) => None,
        }
    }
}

fn describe(error: &ResolveError, specifier: &str) -> String {
    match error {
        ResolveError::NotFound(_) => format!(
            "Cannot find module '{specifier}': no such file, and no package of that name in any node_modules \
             folder up the directory tree (run `npm install`?)"
        ),
        ResolveError::PackagePathNotExported { .. } => {
            format!(
                "Cannot find module '{specifier}': {error} (the package's `exports` does not list it)"
            )
        }
        _ => format!("Cannot find module '{specifier}': {error}"),
    }
}

/// Whether JavaScript source whose package declares no `type` is an ES
/// module: Node.js treats it as CommonJS unless it only parses as a module
/// (import/export statements, top-level await).
pub fn has_module_syntax(specifier: &deno_ast::ModuleSpecifier, source: &str) -> bool {
    // Cheap test first: most CommonJS never starts a line with these keywords.
    let maybe = source.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("import") || line.starts_with("export") || line.contains("await ")
    });
    if !maybe {
        return false;
    }
    let Ok(parsed) = deno_ast::parse_program(deno_ast::ParseParams {
        specifier: specifier.clone(),
        text: source.into(),
        media_type: deno_ast::MediaType::JavaScript,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    }) else {
        return false;
    };
    !parsed.compute_is_script()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("app/src/index.ts", ""),
                ("app/src/util.ts", ""),
                ("node_modules/plain/package.json", r#"{"name":"plain","main":"lib/main.js"}"#),
                ("node_modules/plain/lib/main.js", "module.exports = 1;"),
                ("node_modules/plain/lib/extra.js", ""),
                (
                    "node_modules/dual/package.json",
                    r#"{"name":"dual","exports":{".":{"types":"./index.d.ts","import":"./esm/index.mjs","require":"./cjs/index.cjs"},"./features/*":{"require":"./cjs/features/*.cjs","default":"./esm/features/*.mjs"}}}"#,
                ),
                ("node_modules/dual/esm/index.mjs", ""),
                ("node_modules/dual/cjs/index.cjs", ""),
                ("node_modules/dual/cjs/features/a.cjs", ""),
                ("node_modules/dual/esm/features/a.mjs", ""),
                (
                    "node_modules/esm-only/package.json",
                    r#"{"name":"esm-only","type":"module","main":"index.js"}"#,
                ),
                ("node_modules/esm-only/index.js", "export default 1;"),
            ],
        );
        dir
    }

    #[test]
    fn finds_packages_up_the_tree_and_their_main() {
        let dir = tree();
        let referrer = dir.path().join("app/src/index.ts");
        let resolver = NodeResolver::new();
        let resolved = resolver.resolve("plain", &referrer, Kind::Require).unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolved,
            Resolved::File { path: real.join("node_modules/plain/lib/main.js"), format: None }
        );
        let extra = resolver.resolve("plain/lib/extra", &referrer, Kind::Import).unwrap();
        assert_eq!(extra.path().unwrap(), real.join("node_modules/plain/lib/extra.js"));
    }

    #[test]
    fn exports_conditions_and_patterns_depend_on_import_or_require() {
        let dir = tree();
        let referrer = dir.path().join("app/src/index.ts");
        let real = dir.path().canonicalize().unwrap();
        let resolver = NodeResolver::new();
        let import = resolver.resolve("dual", &referrer, Kind::Import).unwrap();
        assert_eq!(
            import,
            Resolved::File {
                path: real.join("node_modules/dual/esm/index.mjs"),
                format: Some(Format::Module)
            }
        );
        let require = resolver.resolve("dual", &referrer, Kind::Require).unwrap();
        assert_eq!(
            require,
            Resolved::File {
                path: real.join("node_modules/dual/cjs/index.cjs"),
                format: Some(Format::CommonJs)
            }
        );
        let pattern = resolver.resolve("dual/features/a", &referrer, Kind::Require).unwrap();
        assert_eq!(pattern.path().unwrap(), real.join("node_modules/dual/cjs/features/a.cjs"));
        let pattern = resolver.resolve("dual/features/a", &referrer, Kind::Import).unwrap();
        assert_eq!(pattern.path().unwrap(), real.join("node_modules/dual/esm/features/a.mjs"));
        let hidden = resolver.resolve("dual/cjs/index.cjs", &referrer, Kind::Require).unwrap_err();
        assert!(hidden.contains("exports"), "{hidden}");
    }

    #[test]
    fn package_type_module_is_an_es_module_and_typescript_is_left_to_the_loader() {
        let dir = tree();
        let referrer = dir.path().join("app/src/index.ts");
        let resolver = NodeResolver::new();
        let esm = resolver.resolve("esm-only", &referrer, Kind::Require).unwrap();
        assert!(matches!(esm, Resolved::File { format: Some(Format::Module), .. }), "{esm:?}");
        // TypeScript's format is the loader's to decide (see `typescript_format`).
        let ts = resolver.resolve("./util.js", &referrer, Kind::Import).unwrap();
        assert!(
            matches!(&ts, Resolved::File { path, format: None } if path.ends_with("util.ts")),
            "{ts:?}"
        );
    }

    #[test]
    fn builtins_with_and_without_the_node_prefix() {
        let dir = tree();
        let referrer = dir.path().join("app/src/index.ts");
        let resolver = NodeResolver::new();
        assert_eq!(
            resolver.resolve("fs", &referrer, Kind::Require).unwrap(),
            Resolved::Builtin("fs".into())
        );
        assert_eq!(
            resolver.resolve("node:fs/promises", &referrer, Kind::Import).unwrap(),
            Resolved::Builtin("fs/promises".into())
        );
    }

    #[test]
    fn missing_packages_say_what_was_looked_for() {
        let dir = tree();
        let error = NodeResolver::new()
            .resolve("nope", &dir.path().join("app/src/index.ts"), Kind::Require)
            .unwrap_err();
        assert!(
            error.contains("Cannot find module 'nope'") && error.contains("node_modules"),
            "{error}"
        );
    }

    #[test]
    fn module_syntax_is_detected_only_where_it_parses_as_a_module() {
        let specifier = deno_ast::ModuleSpecifier::parse("file:///x.js").unwrap();
        assert!(!has_module_syntax(&specifier, "const a = require('a');\nmodule.exports = a;"));
        assert!(!has_module_syntax(&specifier, "// import x from 'y'\nexports.importer = 1;"));
        assert!(has_module_syntax(&specifier, "import a from 'a';\nexport default a;"));
    }
}
