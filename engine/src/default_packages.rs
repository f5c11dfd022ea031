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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ResourceState;

    fn provider(name: &str, inputs: Value) -> ResourceState {
        ResourceState {
            urn: format!("urn:pulumi:dev::p::pulumi:providers:test::{name}"),
            ty: "pulumi:providers:test".into(),
            custom: true,
            inputs: inputs.as_object().cloned().unwrap(),
            ..Default::default()
        }
    }

    fn state(resources: Vec<ResourceState>) -> StackState {
        StackState { resources, ..StackState::empty("p", "dev") }
    }

    fn package(name: &str, kind: &str, version: &str, server: &str) -> PackageDependency {
        PackageDependency {
            name: name.into(),
            kind: kind.into(),
            version: version.into(),
            server: server.into(),
            ..Default::default()
        }
    }

    fn defaults(version: &str, download_url: &str) -> DefaultPackage {
        DefaultPackage { version: version.into(), download_url: download_url.into() }
    }

    #[test]
    fn without_reported_plugins_the_newest_provider_of_the_state_wins() {
        let old = state(vec![
            provider("default", json!({})),
            provider("default_1_2_3", json!({"version": "1.2.3", "__internal": {}})),
            provider(
                "default_1_10_0",
                json!({"version": "1.10.0", "__internal": {"pluginDownloadURL": "https://x"}}),
            ),
            provider("default_1_9_0", json!({"version": "1.9.0", "__internal": {}})),
        ]);
        let found = default_packages(&[package("node", "language", "", "")], &old);
        assert_eq!(found, HashMap::from([("test".into(), defaults("1.10.0", "https://x"))]));
    }

    #[test]
    fn reported_resource_plugins_are_the_only_source() {
        let old = state(vec![provider("default_9_0_0", json!({"version": "9.0.0"}))]);
        let reported =
            [package("test", "resource", "v2.0.0", ""), package("aws", "resource", "", "")];
        let found = default_packages(&reported, &old);
        assert_eq!(
            found,
            HashMap::from([
                ("test".into(), defaults("2.0.0", "")),
                ("aws".into(), defaults("", ""))
            ])
        );
    }

    #[test]
    fn an_unversioned_state_gives_no_version() {
        let found = default_packages(&[], &state(vec![provider("default", json!({}))]));
        assert_eq!(found, HashMap::from([("test".into(), defaults("", ""))]));
        assert!(default_packages(&[], &state(vec![])).is_empty());
    }
}
