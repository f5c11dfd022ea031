//! Pack: a package directory → an npm-style tarball (`<name>-<version>.tgz`,
//! `@scope/name` becoming `scope-name`), as `npm pack` writes it: every entry
//! under `package/`, regular files only, sorted by path, with npm's fixed
//! modification time, mode 0644 (0755 for executables) and no owner, gzipped
//! with no timestamp, so the same directory always packs to the same bytes.
//!
//! What goes in follows Pulumi's Node.js host, without running npm or tsc:
//! - A package whose tsconfig.json names an `outDir` is built first. Pulumi's
//!   generated SDKs are such packages: TypeScript sources, `"build": "tsc"`,
//!   outDir `bin`, and Pulumi's host packs `bin/` after `npm run build` with
//!   package.json copied in. Here every TypeScript source tsconfig.json lists
//!   (its `files`, else every `.ts` outside node_modules and the outDir) is
//!   compiled to a CommonJS `.js` file at the same relative path, as tsc's
//!   `nodenext` emit does for a package without `"type": "module"`, and the
//!   tarball holds those files plus package.json. Types are stripped, not
//!   checked, and no declarations are written: Unfold runs the JavaScript.
//!   Nothing is written to the package directory.
//! - Any other package (js-lib's `@pulumi/pulumi`, plain JavaScript packages)
//!   is packed as it is, leaving out what npm always leaves out
//!   (node_modules, VCS folders, package-lock.json, .npmrc, editor leftovers).
//!   `files` and .npmignore are not consulted.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use serde_json::Value;

/// npm's fixed modification time for packed files: 1985-10-26T08:15:00Z.
const NPM_MTIME: u64 = 499_162_500;

/// Packs `package_dir` into `destination` and returns the artifact's path.
pub fn pack(package_dir: &Path, destination: &Path) -> anyhow::Result<PathBuf> {
    let manifest_path = package_dir.join("package.json");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let manifest: Value = serde_json::from_str(&manifest_text)
        .with_context(|| format!("{}: invalid JSON", manifest_path.display()))?;
    let name = manifest["name"]
        .as_str()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| anyhow!("{}: no `name`", manifest_path.display()))?;
    let version = manifest["version"]
        .as_str()
        .filter(|version| !version.is_empty())
        .ok_or_else(|| anyhow!("{}: no `version`", manifest_path.display()))?;

    let files = match out_dir(package_dir)? {
        Some(build) => build_typescript(package_dir, &build, manifest_text.into_bytes())?,
        None => package_files(package_dir)?,
    };

    std::fs::create_dir_all(destination)
        .with_context(|| format!("creating {}", destination.display()))?;
    let artifact = destination.join(artifact_name(name, version));
    let bytes = tarball(&files)?;
    std::fs::write(&artifact, bytes).with_context(|| format!("writing {}", artifact.display()))?;
    Ok(artifact)
}

/// npm's artifact name: `@scope/name` → `scope-name-<version>.tgz`.
pub fn artifact_name(name: &str, version: &str) -> String {
    let flat = name.strip_prefix('@').unwrap_or(name).replace('/', "-");
    format!("{flat}-{version}.tgz")
}

/// A file of the package: its contents and whether it is executable.
struct Entry {
    data: Vec<u8>,
    executable: bool,
}

/// The tsconfig.json of a package that is built before it is packed.
struct Build {
    out_dir: PathBuf,
    files: Option<Vec<String>>,
}

fn out_dir(package_dir: &Path) -> anyhow::Result<Option<Build>> {
    let path = package_dir.join("tsconfig.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
    let config: Value = serde_json::from_str(&strip_jsonc(&text))
        .with_context(|| format!("{}: invalid JSON", path.display()))?;
    let Some(out_dir) = config["compilerOptions"]["outDir"].as_str() else { return Ok(None) };
    let files = config["files"].as_array().map(|files| {
        files.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>()
    });
    Ok(Some(Build { out_dir: package_dir.join(out_dir), files }))
}

fn build_typescript(
    package_dir: &Path,
    build: &Build,
    manifest: Vec<u8>,
) -> anyhow::Result<BTreeMap<String, Entry>> {
    let sources: Vec<String> = match &build.files {
        Some(files) => files.clone(),
        None => walk(package_dir, &[build.out_dir.as_path()])?
            .into_keys()
            .filter(|path| path.ends_with(".ts") && !path.ends_with(".d.ts"))
            .collect(),
    };
    let mut out = BTreeMap::new();
    for source in sources.iter().filter(|path| !path.ends_with(".d.ts")) {
        let path = package_dir.join(source);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let code = to_commonjs(&path, text)?;
        let target = Path::new(source).with_extension("js");
        let target = normalize(&target).ok_or_else(|| {
            anyhow!(
                "{}: tsconfig.json lists a file outside the package: {source}",
                package_dir.display()
            )
        })?;
        out.insert(target, Entry { data: code.into_bytes(), executable: false });
    }
    out.insert("package.json".into(), Entry { data: manifest, executable: false });
    Ok(out)
}

/// A relative path with `/` separators and no `.`/`..` components, if it stays inside.
fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::Normal(part) => parts.push(part.to_str()?.to_string()),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What npm always leaves out of a package.
fn ignored(name: &str) -> bool {
    matches!(
        name,
        "node_modules"
            | ".git"
            | ".svn"
            | ".hg"
            | "CVS"
            | ".unfold"
            | ".npmrc"
            | ".DS_Store"
            | "package-lock.json"
            | "npm-debug.log"
            | ".lock-wscript"
    ) || name.starts_with("._")
        || name.ends_with(".orig")
        || name.ends_with(".swp")
}

fn package_files(package_dir: &Path) -> anyhow::Result<BTreeMap<String, Entry>> {
    walk(package_dir, &[])
}

/// Every regular file under `root` by `/`-separated relative path, leaving
/// out what npm ignores and the folders in `skip`. Symlinks are followed.
fn walk(root: &Path, skip: &[&Path]) -> anyhow::Result<BTreeMap<String, Entry>> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = BTreeMap::new();
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if ignored(&name) || skip.iter().any(|skipped| *skipped == path) {
                continue;
            }
            let relative = format!("{prefix}{name}");
            let meta =
                std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            if meta.is_dir() {
                pending.push((path, format!("{relative}/")));
            } else if meta.is_file() {
                let data =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let executable = meta.permissions().mode() & 0o111 != 0;
                found.insert(relative, Entry { data, executable });
            }
        }
    }
    Ok(found)
}

fn tarball(files: &BTreeMap<String, Entry>) -> anyhow::Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gzip);
    builder.mode(tar::HeaderMode::Deterministic);
    for (path, entry) in files {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(entry.data.len() as u64);
        header.set_mode(if entry.executable { 0o755 } else { 0o644 });
        header.set_mtime(NPM_MTIME);
        header.set_uid(0);
        header.set_gid(0);
        builder
            .append_data(&mut header, format!("package/{path}"), entry.data.as_slice())
            .with_context(|| format!("adding {path}"))?;
    }
    let mut gzip = builder.into_inner()?;
    gzip.flush()?;
    Ok(gzip.finish()?)
}

/// tsconfig.json is JSON with comments and trailing commas.
fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => out.push(c),
        }
    }
    // Trailing commas: a comma followed only by whitespace before `}` or `]`.
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            cleaned.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                cleaned.push(bytes[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            cleaned.push(c);
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if !matches!(next, Some('}' | ']')) {
                cleaned.push(c);
            }
        } else {
            cleaned.push(c);
        }
        i += 1;
    }
    cleaned
}

/// TypeScript → CommonJS JavaScript: types stripped by deno_ast (as Unfold's
/// runtime does), then ES module syntax rewritten to `require`/`exports` by
/// swc's CommonJS transform, with the same interop as tsc's `esModuleInterop`.
pub fn to_commonjs(path: &Path, source: String) -> anyhow::Result<String> {
    let specifier = deno_ast::ModuleSpecifier::from_file_path(path)
        .map_err(|()| anyhow!("{}: not an absolute path", path.display()))?;
    let parsed = deno_ast::parse_module(deno_ast::ParseParams {
        specifier,
        text: source.into(),
        media_type: deno_ast::MediaType::TypeScript,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .map_err(|error| anyhow!("{}: {error}", path.display()))?;
    let stripped = parsed
        .transpile(
            &deno_ast::TranspileOptions {
                imports_not_used_as_values: deno_ast::ImportsNotUsedAsValues::Remove,
                ..Default::default()
            },
            &deno_ast::TranspileModuleOptions { module_kind: None },
            &deno_ast::EmitOptions {
                source_map: deno_ast::SourceMapOption::None,
                ..Default::default()
            },
        )
        .map_err(|error| anyhow!("{}: {error}", path.display()))?
        .into_source()
        .text;
    esm_to_commonjs(path, stripped)
}

fn esm_to_commonjs(path: &Path, javascript: String) -> anyhow::Result<String> {
    use deno_ast::swc::ast::EsVersion;
    use deno_ast::swc::common::{FileName, GLOBALS, Globals, Mark, SourceMap, sync::Lrc};
    use deno_ast::swc::transforms::helpers::{HELPERS, Helpers, inject_helpers};
    use deno_ast::swc::transforms::{fixer, hygiene, resolver};
    use swc_ecma_transforms_module::common_js::{FeatureFlag, common_js};
    use swc_ecma_transforms_module::path::Resolver;
    use swc_ecma_transforms_module::util::{Config, ImportInterop};

    let cm: Lrc<SourceMap> = Default::default();
    let file =
        cm.new_source_file(Lrc::new(FileName::Custom(path.display().to_string())), javascript);
    GLOBALS.set(&Globals::new(), || {
        HELPERS.set(&Helpers::new(false), || {
            let mut errors = Vec::new();
            let module = deno_ast::swc::parser::parse_file_as_module(
                &file,
                deno_ast::swc::parser::Syntax::Es(Default::default()),
                EsVersion::latest(),
                None,
                &mut errors,
            )
            .map_err(|error| anyhow!("{}: {:?}", path.display(), error.kind()))?;
            if let Some(error) = errors.first() {
                bail!("{}: {:?}", path.display(), error.kind());
            }
            let unresolved = Mark::new();
            let top_level = Mark::new();
            let config = Config {
                import_interop: Some(ImportInterop::Swc),
                // `0 && (module.exports = {…})`: names that cjs-module-lexer (and
                // Unfold's runtime) read as the module's named exports.
                export_interop_annotation: Some(true),
                ..Default::default()
            };
            let features = FeatureFlag { support_block_scoping: true, support_arrow: true };
            let mut program = deno_ast::swc::ast::Program::Module(module)
                .apply(resolver(unresolved, top_level, false));
            exported_vars_through_exports(&mut program);
            let mut program = program
                .apply(common_js(Resolver::Default, unresolved, config, features))
                .apply(inject_helpers(unresolved))
                .apply(hygiene())
                .apply(fixer(None));
            configurable_exports(&mut program);
            emit(&cm, &program)
        })
    })
}

/// tsc reads an exported variable through `exports` wherever the module uses
/// it, so a later `Object.defineProperty(exports, …)` changes what the module
/// sees. Pulumi's SDKs rely on it: `export const Resource = null` is replaced by
/// `lazyLoad(exports, ["Resource"], …)` and then used in `new Resource(…)`. swc
/// keeps the local binding, so references to exported top-level variables are
/// rewritten to `exports.<name>` first, as tsc emits them.
fn exported_vars_through_exports(program: &mut deno_ast::swc::ast::Program) {
    use deno_ast::swc::ast::*;
    use deno_ast::swc::common::{DUMMY_SP, SyntaxContext};
    use deno_ast::swc::ecma_visit::{VisitMut, VisitMutWith};
    use std::collections::HashSet;

    let Program::Module(module) = program else { return };
    let mut exported: HashSet<(deno_ast::swc::atoms::Atom, SyntaxContext)> = HashSet::new();
    for item in &module.body {
        if let ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
            decl: Decl::Var(var),
            ..
        })) = item
        {
            for declarator in &var.decls {
                if let Pat::Ident(binding) = &declarator.name {
                    exported.insert((binding.id.sym.clone(), binding.id.ctxt));
                }
            }
        }
    }
    if exported.is_empty() {
        return;
    }

    struct ThroughExports {
        exported: HashSet<(deno_ast::swc::atoms::Atom, SyntaxContext)>,
    }
    impl ThroughExports {
        fn member(&self, ident: &Ident) -> Expr {
            Expr::Member(MemberExpr {
                span: ident.span,
                obj: Box::new(Expr::Ident(Ident::new_no_ctxt("exports".into(), DUMMY_SP))),
                prop: MemberProp::Ident(IdentName::new(ident.sym.clone(), ident.span)),
            })
        }
    }
    impl VisitMut for ThroughExports {
        fn visit_mut_expr(&mut self, expr: &mut Expr) {
            if let Expr::Ident(ident) = expr
                && self.exported.contains(&(ident.sym.clone(), ident.ctxt))
            {
                *expr = self.member(ident);
                return;
            }
            expr.visit_mut_children_with(self);
        }

        fn visit_mut_prop(&mut self, prop: &mut Prop) {
            if let Prop::Shorthand(ident) = prop
                && self.exported.contains(&(ident.sym.clone(), ident.ctxt))
            {
                *prop = Prop::KeyValue(KeyValueProp {
                    key: PropName::Ident(IdentName::new(ident.sym.clone(), ident.span)),
                    value: Box::new(self.member(ident)),
                });
                return;
            }
            prop.visit_mut_children_with(self);
        }

        // The declarations themselves, and `export { x }` lists, keep their names.
        fn visit_mut_var_declarator(&mut self, declarator: &mut VarDeclarator) {
            declarator.init.visit_mut_with(self);
        }

        fn visit_mut_module_decl(&mut self, decl: &mut ModuleDecl) {
            match decl {
                ModuleDecl::ExportNamed(_) | ModuleDecl::ExportDefaultExpr(_) => {}
                _ => decl.visit_mut_children_with(self),
            }
        }
    }
    module.visit_mut_with(&mut ThroughExports { exported });
}

/// swc exports through getters that cannot be redefined, where tsc assigns
/// `exports.x = …`; Pulumi's SDKs redefine their exports (`lazyLoad`), so the
/// getters are made configurable, which lets `Object.defineProperty` replace them.
fn configurable_exports(program: &mut deno_ast::swc::ast::Program) {
    use deno_ast::swc::ast::*;
    use deno_ast::swc::common::DUMMY_SP;
    use deno_ast::swc::ecma_visit::{VisitMut, VisitMutWith};

    struct Configurable;
    impl VisitMut for Configurable {
        fn visit_mut_object_lit(&mut self, object: &mut ObjectLit) {
            object.visit_mut_children_with(self);
            let key = |prop: &PropOrSpread| match prop {
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(KeyValueProp { key: PropName::Ident(id), .. }) => {
                        Some(id.sym.to_string())
                    }
                    _ => None,
                },
                _ => None,
            };
            let keys: Vec<_> = object.props.iter().map(key).collect();
            let is_export_descriptor = keys.len() == 2
                && keys.contains(&Some("enumerable".into()))
                && keys.contains(&Some("get".into()));
            if is_export_descriptor {
                object.props.push(PropOrSpread::Prop(Box::new(Prop::KeyValue(KeyValueProp {
                    key: PropName::Ident(IdentName::new("configurable".into(), DUMMY_SP)),
                    value: Box::new(Expr::Lit(Lit::Bool(Bool { span: DUMMY_SP, value: true }))),
                }))));
            }
        }
    }
    program.visit_mut_with(&mut Configurable);
}

fn emit(
    cm: &deno_ast::swc::common::sync::Lrc<deno_ast::swc::common::SourceMap>,
    program: &deno_ast::swc::ast::Program,
) -> anyhow::Result<String> {
    use deno_ast::swc::codegen::{Emitter, text_writer::JsWriter};
    let mut buffer = Vec::new();
    {
        let mut emitter = Emitter {
            cfg: Default::default(),
            cm: cm.clone(),
            comments: None,
            wr: JsWriter::new(cm.clone(), "\n", &mut buffer, None),
        };
        emitter.emit_program(program)?;
    }
    Ok(String::from_utf8(buffer)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_names_follow_npm() {
        assert_eq!(artifact_name("@pulumi/simple", "2.0.0"), "pulumi-simple-2.0.0.tgz");
        assert_eq!(artifact_name("left-pad", "1.3.0"), "left-pad-1.3.0.tgz");
    }

    #[test]
    fn tsconfig_comments_and_trailing_commas_are_stripped() {
        let text = "{\n  // Output\n  \"outDir\": \"bin\", /* x */\n  \"a\": \"//not\",\n  \"files\": [\"a.ts\",],\n}";
        let value: Value = serde_json::from_str(&strip_jsonc(text)).unwrap();
        assert_eq!(value["outDir"], "bin");
        assert_eq!(value["a"], "//not");
        assert_eq!(value["files"][0], "a.ts");
    }

    #[test]
    fn generated_sdk_typescript_becomes_commonjs() {
        let source = r#"
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";
export { ResourceArgs } from "./resource";
export type Resource = import("./resource").Resource;
export const Resource: typeof import("./resource").Resource = null as any;
utilities.lazyLoad(exports, ["Resource"], () => require("./resource"));
export * from "./provider";
export function f(x: number): number { return x + pulumi.runtime.count; }
"#;
        let code = to_commonjs(Path::new("/sdk/index.ts"), source.into()).unwrap();
        assert!(!code.contains("import "), "{code}");
        assert!(code.contains("require(\"@pulumi/pulumi\")"), "{code}");
        assert!(code.contains("configurable: true"), "{code}");
        assert!(code.contains("lazyLoad(exports"), "{code}");
        assert!(!code.contains(": number"), "{code}");
        // `new Resource` in the module must see what lazyLoad put on exports.
        let source = "import * as utilities from \"./utilities\";\nexport const Resource: any = null;\nutilities.lazyLoad(exports, [\"Resource\"], () => require(\"./resource\"));\nexport function make(): any { return new Resource(\"a\"); }\nexport const all = { Resource };\n";
        let code = to_commonjs(Path::new("/sdk/index.ts"), source.into()).unwrap();
        assert!(code.contains("new exports.Resource(\"a\")"), "{code}");
        assert!(code.contains("Resource: exports.Resource"), "{code}");
    }

    #[test]
    fn packing_is_deterministic_and_builds_typescript_packages() {
        let dir = tempfile::tempdir().unwrap();
        let sdk = dir.path().join("sdk");
        std::fs::create_dir_all(sdk.join("types")).unwrap();
        std::fs::write(sdk.join("package.json"), r#"{"name":"@pulumi/simple","version":"2.0.0"}"#)
            .unwrap();
        std::fs::write(
            sdk.join("tsconfig.json"),
            "{ \"compilerOptions\": { // out\n \"outDir\": \"bin\" }, \"files\": [\"index.ts\", \"types/input.ts\",] }",
        )
        .unwrap();
        std::fs::write(sdk.join("index.ts"), "export const a: number = 1;\n").unwrap();
        std::fs::write(sdk.join("types/input.ts"), "export interface X { a: string }\n").unwrap();
        let out = dir.path().join("out");
        let first = pack(&sdk, &out).unwrap();
        assert_eq!(first.file_name().unwrap(), "pulumi-simple-2.0.0.tgz");
        let bytes = std::fs::read(&first).unwrap();
        let again = std::fs::read(pack(&sdk, &out).unwrap()).unwrap();
        assert_eq!(bytes, again);

        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["package/index.js", "package/package.json", "package/types/input.js"]);
        // Nothing was written into the package.
        assert!(!sdk.join("bin").exists());
    }
}
