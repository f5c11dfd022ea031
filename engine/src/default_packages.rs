//! Which version and download URL a default provider gets when the program
//! names neither, as Pulumi's engine decides it (`computeDefaultProviderPackages`
//! and `normalizeProviderRequest`): the packages the language host reports, or,
//! when it reports no resource plugin, those and the provider resources of the
//! stack's last state. For each package the newest version wins.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;
use unfold_proto::pulumirpc::PackageDependency;
use unfold_wire::urn;

use crate::StackState;

/// What a default provider request that names no version or download URL is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DefaultPackage {
    /// A semantic version, or empty.
    pub version: String,
    /// A download URL, or empty.
    pub download_url: String,
}

/// One package as a source of defaults.
struct Candidate {
    package: String,
    version: Option<semver::Version>,
    download_url: String,
}

/// The defaults per package for a run of a program whose host reported
/// `reported`, against the stack state `old`.
pub(crate) fn default_packages(
    reported: &[PackageDependency],
    old: &StackState,
) -> HashMap<String, DefaultPackage> {
    let resource_plugins: Vec<Candidate> = reported
        .iter()
        .filter(|dep| dep.kind == "resource")
        .map(|dep| Candidate {
            package: dep
                .parameterization
                .as_ref()
                .map_or_else(|| dep.name.clone(), |p| p.name.clone()),
            version: parse_version(&dep.version),
            download_url: dep.server.clone(),
        })
        .collect();
    let candidates = if resource_plugins.is_empty() {
        old.resources
            .iter()
            .filter(|r| urn::is_provider_type(&r.ty))
            .map(|r| Candidate {
                package: urn::package_of(&r.ty).to_string(),
                version: r.inputs.get("version").and_then(Value::as_str).and_then(parse_version),
                download_url: r
                    .inputs
                    .get("__internal")
                    .and_then(|internal| internal.get("pluginDownloadURL"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect()
    } else {
        resource_plugins
    };
    let mut chosen: HashMap<String, Candidate> = HashMap::new();
    for candidate in candidates {
        let newer = match chosen.get(&candidate.package) {
            None => true,
            Some(seen) => match (&seen.version, &candidate.version) {
                (None, _) => true,
                (Some(_), None) => false,
                // Equal versions (`1.0.0`, `1.0.0+build`) are ordered by their text, then URL.
                (Some(a), Some(b)) => match b.cmp_precedence(a) {
                    Ordering::Equal => {
                        (b.to_string(), &candidate.download_url)
                            >= (a.to_string(), &seen.download_url)
                    }
                    order => order == Ordering::Greater,
                },
            },
        };
        if newer {
            chosen.insert(candidate.package.clone(), candidate);
        }
    }
    chosen
        .into_iter()
        .map(|(package, c)| {
            let version = c.version.map(|v| v.to_string()).unwrap_or_default();
            (package, DefaultPackage { version, download_url: c.download_url })
        })
        .collect()
}

/// A version as Pulumi reads one (a leading `v` is allowed); anything else is no version.
fn parse_version(text: &str) -> Option<semver::Version> {
    semver::Version::parse(text.strip_prefix('v').unwrap_or(text)).ok()
}
