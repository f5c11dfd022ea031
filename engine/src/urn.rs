//! The names the engine gives things: default providers. URNs themselves are
//! `unfold_wire::urn`.

use anyhow::{Context, Result};

/// The name the engine gives a default provider: `default`, or
/// `default_<major>_<minor>_<patch>[_<pre>…][_<build>…]` for a pinned version,
/// plus a sanitized download URL when one is given.
pub fn default_provider_name(version: &str, download_url: &str) -> Result<String> {
    let mut name = String::from("default");
    if !version.is_empty() {
        let v = semver::Version::parse(version)
            .with_context(|| format!("invalid provider version '{version}'"))?;
        name += &format!("_{}_{}_{}", v.major, v.minor, v.patch);
        for part in v.pre.split('.').chain(v.build.split('.')).filter(|p| !p.is_empty()) {
            name += "_";
            name += part;
        }
    }
    if !download_url.is_empty() {
        name += "_";
        name.extend(
            download_url
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }),
        );
    }
    Ok(name)
}
