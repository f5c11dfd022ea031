//! The provider plugins a program's npm packages declare, as Pulumi's
//! Node.js language host finds them: every package under the node_modules
//! folders the program resolves from (nested ones included) whose
//! package.json has `pulumi.resource: true` names a resource plugin with its
//! `name` (default: the package name without `@pulumi/`), `version` (default:
//! the package's own, without a leading `v`), `server`, `parameterization`
//! and `extensionParameterization`.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use unfold_proto::pulumirpc::{PackageDependency, PackageParameterization};

/// The plugins declared by the packages visible from `program_dir`, sorted by
/// name and version — and Unfold's own `unfold` plugin when the program uses
/// `@unfold/cloud`, which Unfold's library provides instead of an npm package.
pub fn required_packages(program_dir: &Path) -> Vec<PackageDependency> {
    let mut found = BTreeMap::new();
    let mut dir = Some(program_dir);
    while let Some(current) = dir {
        scan_node_modules(&current.join("node_modules"), &mut found);
        dir = current.parent();
    }
    if uses_unfold_cloud(program_dir) {
        let version = env!("CARGO_PKG_VERSION").to_string();
        let unfold = PackageDependency {
            name: "unfold".into(),
            kind: "resource".into(),
            version,
            ..Default::default()
        };
        found.entry(package_key(&unfold)).or_insert(unfold);
    }
    found.into_values().collect()
}

/// Whether a source file of the program (not its dependencies or state)
/// imports `@unfold/cloud`.
fn uses_unfold_cloud(program_dir: &Path) -> bool {
    const SOURCES: &[&str] = &["ts", "mts", "cts", "tsx", "js", "mjs", "cjs"];
    let mut pending = vec![program_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if !matches!(name.to_str(), Some("node_modules" | ".unfold" | ".git")) {
                    pending.push(path);
                }
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SOURCES.contains(&e))
                && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("@unfold/cloud"))
            {
                return true;
            }
        }
    }
    false
}

fn scan_node_modules(node_modules: &Path, found: &mut BTreeMap<PackageKey, PackageDependency>) {
    let Ok(entries) = std::fs::read_dir(node_modules) else { return };
    let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if name.starts_with('@') {
            scan_node_modules(&path, found);
            continue;
        }
        if let Some(dependency) = declared_plugin(&path.join("package.json")) {
            found.entry(package_key(&dependency)).or_insert(dependency);
        }
        scan_node_modules(&path.join("node_modules"), found);
    }
}

/// What tells two declared packages apart: the plugin, and the package a
/// parameterization (or an extension's parameterization) makes of it, so
/// several packages parameterizing one plugin are each reported.
type PackageKey = (String, String, Option<(String, String)>, Option<(String, String)>);

fn package_key(dependency: &PackageDependency) -> PackageKey {
    let package = |p: &Option<PackageParameterization>| {
        p.as_ref().map(|p| (p.name.clone(), p.version.clone()))
    };
    (
        dependency.name.clone(),
        dependency.version.clone(),
        package(&dependency.parameterization),
        package(&dependency.extension),
    )
}

fn declared_plugin(manifest: &Path) -> Option<PackageDependency> {
    let package: Value = serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    let pulumi = package.get("pulumi")?;
    if pulumi.get("resource").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let text =
        |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or_default().to_string();
    let package_name = text(package.get("name"));
    let name = match text(pulumi.get("name")) {
        name if !name.is_empty() => name,
        _ => package_name.strip_prefix("@pulumi/").unwrap_or(&package_name).to_string(),
    };
    let version = match text(pulumi.get("version")) {
        version if !version.is_empty() => version,
        _ => text(package.get("version")),
    };
    let parameterization_of = |key: &str| {
        pulumi.get(key).map(|p| PackageParameterization {
            name: text(p.get("name")),
            version: text(p.get("version")).trim_start_matches('v').to_string(),
            value: BASE64.decode(text(p.get("value"))).unwrap_or_default(),
        })
    };
    Some(PackageDependency {
        name,
        kind: "resource".into(),
        version: version.trim_start_matches('v').to_string(),
        server: text(pulumi.get("server")),
        parameterization: parameterization_of("parameterization"),
        extension: parameterization_of("extensionParameterization"),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_package(dir: &Path, package: &str, pulumi: Value) {
        let dir = dir.join("node_modules").join(package);
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = serde_json::json!({ "name": package, "version": "1.0.0", "pulumi": pulumi });
        std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
    }

    #[test]
    fn each_parameterization_of_one_plugin_is_its_own_package() {
        let program = tempfile::tempdir().unwrap();
        for (package, name) in [("@pulumi/hi", "hipackage"), ("@pulumi/bye", "byepackage")] {
            let parameterization =
                serde_json::json!({ "name": name, "version": "v2.0.0", "value": "SGVsbG8=" });
            write_package(
                program.path(),
                package,
                serde_json::json!({ "resource": true, "name": "parameterized", "version": "1.2.3",
                                     "parameterization": parameterization }),
            );
        }
        write_package(
            program.path(),
            "@pulumi/myext",
            serde_json::json!({ "resource": true, "name": "extbase", "version": "45.0.0",
                                 "extensionParameterization": { "name": "myext", "version": "2.0.0", "value": "SGVsbG8=" } }),
        );

        let packages = required_packages(program.path());
        let described: Vec<_> = packages
            .iter()
            .map(|p| {
                let of = |p: &Option<PackageParameterization>| {
                    p.as_ref().map(|p| {
                        format!("{}@{}:{}", p.name, p.version, String::from_utf8_lossy(&p.value))
                    })
                };
                (p.name.as_str(), p.version.as_str(), of(&p.parameterization), of(&p.extension))
            })
            .collect();
        assert_eq!(
            described,
            [
                ("extbase", "45.0.0", None, Some("myext@2.0.0:Hello".to_string())),
                ("parameterized", "1.2.3", Some("byepackage@2.0.0:Hello".to_string()), None),
                ("parameterized", "1.2.3", Some("hipackage@2.0.0:Hello".to_string()), None),
            ]
        );
    }
}
