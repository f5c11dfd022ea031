//! Link: adds local packages (SDK folders, or tarballs made by Pack) to the
//! program's package.json as `file:` dependencies, as `npm install <path>`
//! records them: the path relative to the program, dependencies sorted by
//! name, the file's indentation kept. Installing them is left to
//! InstallDependencies, which Pulumi calls next.
//!
//! A package's npm name is the `name` in its package.json (inside the tarball
//! for an artifact); failing that, `@pulumi/<package>`, the name Pulumi's
//! generator gives packages without a namespace.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, anyhow};
use serde_json::{Map, Value};

/// One package to link: Pulumi's package name, and where it is.
pub struct LocalPackage {
    pub name: String,
    pub path: PathBuf,
}

/// Adds `packages` to `program_dir`/package.json and returns the import
/// instructions to show the user.
pub fn link(program_dir: &Path, packages: &[LocalPackage]) -> anyhow::Result<String> {
    let manifest_path = program_dir.join("package.json");
    let (mut manifest, indent) = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => {
            let value: Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: invalid JSON", manifest_path.display()))?;
            (value, detect_indent(&text))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            (Value::Object(Map::new()), "  ".to_string())
        }
        Err(error) => return Err(error).context(format!("reading {}", manifest_path.display())),
    };
    let object = manifest
        .as_object_mut()
        .ok_or_else(|| anyhow!("{}: not a JSON object", manifest_path.display()))?;

    let typescript = program_dir.join("tsconfig.json").is_file();
    let mut instructions = format!(
        "You can import the SDK in your {} code with:\n\n",
        if typescript { "TypeScript" } else { "JavaScript" }
    );
    let mut dependencies = match object.remove("dependencies") {
        Some(Value::Object(dependencies)) => dependencies,
        _ => Map::new(),
    };
    for package in packages {
        let npm_name =
            npm_name(&package.path)?.unwrap_or_else(|| format!("@pulumi/{}", package.name));
        let target = std::path::absolute(&package.path).unwrap_or_else(|_| package.path.clone());
        let program =
            std::path::absolute(program_dir).unwrap_or_else(|_| program_dir.to_path_buf());
        let relative = relative_path(&program, &target);
        dependencies.insert(npm_name.clone(), Value::String(format!("file:{relative}")));
        instructions
            .push_str(&format!("  import * as {} from \"{npm_name}\";\n", camel(&package.name)));
    }
    let mut sorted: Vec<_> = dependencies.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    object.insert("dependencies".into(), Value::Object(sorted.into_iter().collect()));

    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    serde::Serialize::serialize(&manifest, &mut serializer)?;
    text.push(b'\n');
    std::fs::write(&manifest_path, text)
        .with_context(|| format!("writing {}", manifest_path.display()))?;
    Ok(instructions)
}

/// The `name` in the package.json of a package folder or tarball.
fn npm_name(path: &Path) -> anyhow::Result<Option<String>> {
    let manifest = if path.is_dir() {
        match std::fs::read_to_string(path.join("package.json")) {
            Ok(text) => text,
            Err(_) => return Ok(None),
        }
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let mut found = None;
        for entry in archive.entries().with_context(|| format!("reading {}", path.display()))? {
            let mut entry = entry.with_context(|| format!("reading {}", path.display()))?;
            let entry_path = entry.path()?.into_owned();
            // npm's tarballs put everything under one top folder, usually `package/`.
            if entry_path.components().count() == 2 && entry_path.ends_with("package.json") {
                let mut text = String::new();
                entry.read_to_string(&mut text)?;
                found = Some(text);
                break;
            }
        }
        match found {
            Some(text) => text,
            None => return Ok(None),
        }
    };
    let value: Value = serde_json::from_str(&manifest)
        .with_context(|| format!("{}: package.json is not valid JSON", path.display()))?;
    Ok(value["name"].as_str().filter(|name| !name.is_empty()).map(str::to_string))
}

/// `to` relative to the folder `from`, with `/` separators, `./` for a path inside.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.first().is_none_or(|first| first != "..") {
        parts.insert(0, ".".into());
    }
    parts.join("/")
}

fn detect_indent(text: &str) -> String {
    text.lines()
        .nth(1)
        .map(|line| line.chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
        .filter(|indent| !indent.is_empty())
        .unwrap_or_else(|| "  ".into())
}

/// `my-pkg` → `myPkg`, the identifier Pulumi suggests importing a package as.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_tarballs_and_folders_as_relative_file_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("program");
        let sdk = dir.path().join("sdks/my-pkg");
        std::fs::create_dir_all(&program).unwrap();
        std::fs::create_dir_all(&sdk).unwrap();
        std::fs::write(sdk.join("package.json"), r#"{"name":"@acme/my-pkg","version":"1.0.0"}"#)
            .unwrap();
        let artifact = crate::pack::pack(&sdk, &dir.path().join("artifacts")).unwrap();
        std::fs::write(
            program.join("package.json"),
            "{\n    \"name\": \"p\",\n    \"dependencies\": {\n        \"zed\": \"1.0.0\"\n    }\n}\n",
        )
        .unwrap();
        std::fs::write(program.join("tsconfig.json"), "{}").unwrap();

        let instructions = link(
            &program,
            &[
                LocalPackage { name: "my-pkg".into(), path: artifact },
                LocalPackage { name: "pulumi".into(), path: dir.path().join("nowhere") },
            ],
        );
        // A path that does not exist is neither folder nor readable tarball.
        assert!(instructions.is_err());

        let instructions = link(
            &program,
            &[
                LocalPackage {
                    name: "my-pkg".into(),
                    path: dir.path().join("artifacts/acme-my-pkg-1.0.0.tgz"),
                },
                LocalPackage { name: "other".into(), path: sdk.clone() },
            ],
        )
        .unwrap();
        assert!(
            instructions.contains("import * as myPkg from \"@acme/my-pkg\";"),
            "{instructions}"
        );
        let text = std::fs::read_to_string(program.join("package.json")).unwrap();
        assert_eq!(
            text,
            "{\n    \"name\": \"p\",\n    \"dependencies\": {\n        \"@acme/my-pkg\": \"file:../sdks/my-pkg\",\n        \"zed\": \"1.0.0\"\n    }\n}\n"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/a/b"), Path::new("/a/c/d.tgz")), "../c/d.tgz");
        assert_eq!(relative_path(Path::new("/a"), Path::new("/a/sdk")), "./sdk");
    }
}
