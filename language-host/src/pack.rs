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

use anyhow::{Context, anyhow};
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
    let config: Value = unfold_runtime::typescript_format::parse_jsonc(&text)
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

/// TypeScript → CommonJS JavaScript, as Unfold's runtime compiles a
/// CommonJS program: types stripped, ES module syntax rewritten to
/// `require`/`exports` with tsc's `esModuleInterop` interop.
pub fn to_commonjs(path: &Path, source: String) -> anyhow::Result<String> {
    let specifier = deno_ast::ModuleSpecifier::from_file_path(path)
        .map_err(|()| anyhow!("{}: not an absolute path", path.display()))?;
    let interop = unfold_runtime::esm_to_commonjs::Interop { es_module_interop: true };
    let transpiled = unfold_runtime::transpile::transpile_commonjs(
        &specifier,
        deno_ast::MediaType::TypeScript,
        source,
        interop,
    )?;
    Ok(transpiled.code)
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
        let value = unfold_runtime::typescript_format::parse_jsonc(text).unwrap();
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
