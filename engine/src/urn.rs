//! The names the engine gives things: default providers. URNs themselves are
//! `unfold_wire::urn`.

use anyhow::{Context, Result};

/// The name the engine gives a default provider: `default`, or
/// `default_<major>_<minor>_<patch>[_<pre>…][_<build>…]` for a pinned version,
/// plus `_` and the download URL made a qualified name, as Pulumi's engine
/// names it (`https://example.com/plugins` → `https_/example.com/plugins`).
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
        name += &qualified_name(download_url);
    }
    Ok(name)
}

/// Any text as a qualified name (Pulumi's `tokens.IntoQName`): empty
/// `/`-separated segments are dropped, and each byte that may not appear in a
/// name (`[A-Za-z0-9_.-]`) becomes `_`.
fn qualified_name(text: &str) -> String {
    let segments: Vec<String> =
        text.split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                segment
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"_.-".contains(&b) {
                            b as char
                        } else {
                            '_'
                        }
                    })
                    .collect()
            })
            .collect();
    if segments.is_empty() { "_".to_string() } else { segments.join("/") }
}
