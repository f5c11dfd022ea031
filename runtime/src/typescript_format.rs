//! Whether a TypeScript file runs as an ES module or as CommonJS, decided as
//! Node.js with ts-node (how Pulumi runs TypeScript) decides it:
//! - `.mts` is an ES module, `.cts` CommonJS;
//! - a `.ts`/`.tsx` file whose nearest package.json says `"type": "module"`
//!   is an ES module;
//! - otherwise the tsconfig.json that applies (the nearest, following
//!   `extends`) decides by `compilerOptions.module`: `commonjs`, `node16`,
//!   `nodenext` or none (Pulumi's default is `nodenext`) make CommonJS;
//!   `es2015`…`esnext` and `preserve` an ES module — ts-node cannot run those,
//!   but Unfold has always run them as ES modules, so they keep working.
//!
//! The same tsconfig.json says how CommonJS imports bind (`esModuleInterop`,
//! on by default under `node16`/`nodenext`/`preserve`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use crate::esm_to_commonjs::Interop;
use crate::node_resolution::Format;

/// `extends` chains are followed this far, further than any real project goes.
const MAX_EXTENDS: usize = 16;

/// How a TypeScript file is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeScriptModule {
    pub format: Format,
    /// For CommonJS: how its imports bind.
    pub interop: Interop,
}

/// The compiler options that matter here, from one tsconfig.json and what it extends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CompilerOptions {
    module: Option<String>,
    es_module_interop: Option<bool>,
}

/// Decides formats, reading each package.json and tsconfig.json once.
#[derive(Default)]
pub struct TypeScriptFormats {
    /// By directory: whether the nearest package.json says `"type": "module"`.
    package_type_module: RefCell<HashMap<PathBuf, bool>>,
    /// By directory: the options of the nearest tsconfig.json, or why it cannot be read.
    options: RefCell<HashMap<PathBuf, Rc<Result<CompilerOptions, String>>>>,
}

impl TypeScriptFormats {
    /// How the TypeScript file at `path` is compiled, or what is wrong with
    /// the tsconfig.json that decides it.
    pub fn of(&self, path: &Path) -> Result<TypeScriptModule, String> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let dir = path.parent().unwrap_or(Path::new("/"));
        let options = self.options_for(dir);
        let options = options.as_ref().as_ref().map_err(Clone::clone)?;
        let format = match extension {
            "mts" => Format::Module,
            "cts" => Format::CommonJs,
            _ if self.type_module(dir) => Format::Module,
            _ => match options.module.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("es6" | "es2015" | "es2020" | "es2022" | "esnext" | "preserve") => {
                    Format::Module
                }
                _ => Format::CommonJs,
            },
        };
        let interop_by_default = matches!(
            options.module.as_deref().map(str::to_ascii_lowercase).as_deref(),
            None | Some("node16" | "node18" | "node20" | "nodenext" | "preserve")
        );
        let es_module_interop = options.es_module_interop.unwrap_or(interop_by_default);
        Ok(TypeScriptModule { format, interop: Interop { es_module_interop } })
    }

    fn type_module(&self, dir: &Path) -> bool {
        if let Some(known) = self.package_type_module.borrow().get(dir) {
            return *known;
        }
        let manifest = dir.join("package.json");
        let found = if manifest.is_file() {
            std::fs::read_to_string(&manifest)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|json| json.get("type").and_then(Value::as_str) == Some("module"))
        } else {
            dir.parent().is_some_and(|parent| self.type_module(parent))
        };
        self.package_type_module.borrow_mut().insert(dir.to_path_buf(), found);
        found
    }

    fn options_for(&self, dir: &Path) -> Rc<Result<CompilerOptions, String>> {
        if let Some(known) = self.options.borrow().get(dir) {
            return known.clone();
        }
        let config = dir.join("tsconfig.json");
        let options = if config.is_file() {
            Rc::new(read_options(&config, 0))
        } else {
            match dir.parent() {
                Some(parent) => self.options_for(parent),
                None => Rc::new(Ok(CompilerOptions::default())),
            }
        };
        self.options.borrow_mut().insert(dir.to_path_buf(), options.clone());
        options
    }
}

/// The options `config` sets, those it extends filling in what it leaves out.
fn read_options(config: &Path, depth: usize) -> Result<CompilerOptions, String> {
    if depth > MAX_EXTENDS {
        return Err(format!(
            "{}: `extends` goes deeper than {MAX_EXTENDS} files (does it extend itself?)",
            config.display()
        ));
    }
    let text = std::fs::read_to_string(config)
        .map_err(|error| format!("cannot read {}: {error}", config.display()))?;
    let json = parse_jsonc(&text).map_err(|error| {
        format!(
            "{}: invalid JSON at line {}, column {}: {error}",
            config.display(),
            error.line(),
            error.column()
        )
    })?;
    let compiler = json.get("compilerOptions");
    let mut options = CompilerOptions {
        module: compiler.and_then(|c| c.get("module")).and_then(Value::as_str).map(str::to_string),
        es_module_interop: compiler.and_then(|c| c.get("esModuleInterop")).and_then(Value::as_bool),
    };
    // With several bases, later ones take precedence.
    let bases: Vec<&str> = match json.get("extends") {
        Some(Value::String(base)) => vec![base.as_str()],
        Some(Value::Array(bases)) => bases.iter().rev().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for base in bases {
        let dir = config.parent().unwrap_or(Path::new("/"));
        let path = extended_config(dir, base).ok_or_else(|| {
            format!(
                "{}: `extends` names '{base}', which was not found (run `npm install`?)",
                config.display()
            )
        })?;
        let inherited = read_options(&path, depth + 1)?;
        options.module = options.module.or(inherited.module);
        options.es_module_interop = options.es_module_interop.or(inherited.es_module_interop);
    }
    Ok(options)
}

/// The file an `extends` entry names: a path relative to the config, or a
/// file in a package under node_modules (`@tsconfig/node20/tsconfig.json`,
/// or the package itself, meaning its tsconfig.json).
fn extended_config(dir: &Path, base: &str) -> Option<PathBuf> {
    let candidates = |path: PathBuf| {
        let with_json = PathBuf::from(format!("{}.json", path.display()));
        [path.clone(), with_json, path.join("tsconfig.json")]
    };
    if base.starts_with("./") || base.starts_with("../") || base.starts_with('/') {
        return candidates(dir.join(base)).into_iter().find(|path| path.is_file());
    }
    dir.ancestors()
        .filter(|ancestor| !ancestor.ends_with("node_modules"))
        .flat_map(|ancestor| candidates(ancestor.join("node_modules").join(base)))
        .find(|path| path.is_file())
}

/// tsconfig.json is JSON with comments and trailing commas.
pub fn parse_jsonc(text: &str) -> Result<Value, serde_json::Error> {
    let mut text = text.to_string();
    // Only unterminated block comments fail; the JSON parser reports those too.
    let _ = json_strip_comments::strip(&mut text);
    serde_json::from_str(&text)
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

    fn format(formats: &TypeScriptFormats, root: &Path, file: &str) -> TypeScriptModule {
        formats.of(&root.join(file)).unwrap()
    }

    const CJS: Interop = Interop { es_module_interop: false };
    const CJS_INTEROP: Interop = Interop { es_module_interop: true };

    #[test]
    fn module_commonjs_and_no_tsconfig_are_commonjs() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("cjs/tsconfig.json", r#"{ "compilerOptions": { "module": "CommonJS" } }"#),
                ("cjs/index.ts", ""),
                ("none/index.ts", ""),
            ],
        );
        let formats = TypeScriptFormats::default();
        let cjs = format(&formats, dir.path(), "cjs/index.ts");
        assert_eq!(cjs, TypeScriptModule { format: Format::CommonJs, interop: CJS });
        // Pulumi's default when nothing says otherwise is `nodenext`, with interop.
        let none = format(&formats, dir.path(), "none/index.ts");
        assert_eq!(none, TypeScriptModule { format: Format::CommonJs, interop: CJS_INTEROP });
    }

    #[test]
    fn package_type_module_and_es_module_targets_are_es_modules() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("esm/package.json", r#"{ "type": "module" }"#),
                ("esm/tsconfig.json", r#"{ "compilerOptions": { "module": "commonjs" } }"#),
                ("esm/src/index.ts", ""),
                ("next/tsconfig.json", r#"{ "compilerOptions": { "module": "ESNext" } }"#),
                ("next/index.ts", ""),
                ("nodenext/tsconfig.json", r#"{ "compilerOptions": { "module": "nodenext" } }"#),
                ("nodenext/index.ts", ""),
            ],
        );
        let formats = TypeScriptFormats::default();
        assert_eq!(format(&formats, dir.path(), "esm/src/index.ts").format, Format::Module);
        assert_eq!(format(&formats, dir.path(), "next/index.ts").format, Format::Module);
        assert_eq!(format(&formats, dir.path(), "nodenext/index.ts").format, Format::CommonJs);
    }

    #[test]
    fn mts_and_cts_decide_for_themselves() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("package.json", r#"{ "type": "module" }"#),
                ("tsconfig.json", r#"{ "compilerOptions": { "esModuleInterop": true } }"#),
            ],
        );
        let formats = TypeScriptFormats::default();
        assert_eq!(format(&formats, dir.path(), "a.cts").format, Format::CommonJs);
        assert_eq!(format(&formats, dir.path(), "a.mts").format, Format::Module);
        assert_eq!(format(&formats, dir.path(), "a.ts").format, Format::Module);
    }

    #[test]
    fn extends_fills_in_what_the_config_leaves_out() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "node_modules/@tsconfig/node20/tsconfig.json",
                    r#"{ "compilerOptions": { "module": "es2022", "esModuleInterop": true } }"#,
                ),
                ("base.json", r#"{ "extends": "@tsconfig/node20/tsconfig.json" }"#),
                (
                    "app/tsconfig.json",
                    "{\n  // comments and trailing commas, as tsc allows\n  \"extends\": \"../base\",\n  \"compilerOptions\": { \"module\": \"commonjs\", },\n}",
                ),
            ],
        );
        let formats = TypeScriptFormats::default();
        let app = format(&formats, dir.path(), "app/index.ts");
        assert_eq!(app, TypeScriptModule { format: Format::CommonJs, interop: CJS_INTEROP });
        let base = read_options(&dir.path().join("base.json"), 0).unwrap();
        assert_eq!(base.module.as_deref(), Some("es2022"));
    }

    #[test]
    fn a_broken_tsconfig_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("bad/tsconfig.json", "{ \"compilerOptions\": { \"module\": } }"),
                ("missing/tsconfig.json", r#"{ "extends": "@tsconfig/nowhere" }"#),
                ("loop/tsconfig.json", r#"{ "extends": "./tsconfig.json" }"#),
            ],
        );
        let formats = TypeScriptFormats::default();
        let bad = formats.of(&dir.path().join("bad/index.ts")).unwrap_err();
        assert!(bad.contains("bad/tsconfig.json: invalid JSON at line 1"), "{bad}");
        let missing = formats.of(&dir.path().join("missing/index.ts")).unwrap_err();
        assert!(missing.contains("'@tsconfig/nowhere'"), "{missing}");
        let looping = formats.of(&dir.path().join("loop/index.ts")).unwrap_err();
        assert!(looping.contains("extends"), "{looping}");
    }
}
