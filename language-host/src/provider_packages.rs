//! The provider plugins a program's npm packages declare, as Pulumi's
//! Node.js language host finds them: every package under the node_modules
//! folders the program resolves from (nested ones included) whose
//! package.json has `pulumi.resource: true` names a resource plugin with its
//! `name` (default: the package name without `@pulumi/`), `version` (default:
//! the package's own, without a leading `v`), `server` and `parameterization`.

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
        found.entry((unfold.name.clone(), unfold.version.clone())).or_insert(unfold);
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

fn scan_node_modules(
    node_modules: &Path,
    found: &mut BTreeMap<(String, String), PackageDependency>,
) {
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
            found
                .entry((dependency.name.clone(), dependency.version.clone()))
                .or_insert(dependency);
        }
        scan_node_modules(&path.join("node_modules"), found);
    }
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
    let parameterization = pulumi.get("parameterization").map(|p| PackageParameterization {
        name: text(p.get("name")),
        version: text(p.get("version")).trim_start_matches('v').to_string(),
        value: BASE64.decode(text(p.get("value"))).unwrap_or_default(),
    });
    Some(PackageDependency {
        name,
        kind: "resource".into(),
        version: version.trim_start_matches('v').to_string(),
        server: text(pulumi.get("server")),
        parameterization,
        ..Default::default()
    })
}
