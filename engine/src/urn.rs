//! Resource names: URNs and provider references.

use anyhow::{Context, Result, bail};

/// The type of the root component every program registers first.
pub const ROOT_STACK_TYPE: &str = "pulumi:pulumi:Stack";
/// Provider resources are typed `pulumi:providers:<package>`.
pub const PROVIDER_TYPE_PREFIX: &str = "pulumi:providers:";

/// Builds `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. The
/// qualified type prefixes the parent's qualified type (joined with `$`),
/// except when the parent is the root stack.
pub fn new_urn(
    stack: &str,
    project: &str,
    parent_urn: Option<&str>,
    ty: &str,
    name: &str,
) -> String {
    let qualified = match parent_urn.and_then(|p| parse(p).ok()) {
        Some(parent) if parent.qualified_type != ROOT_STACK_TYPE => {
            format!("{}${ty}", parent.qualified_type)
        }
        _ => ty.to_string(),
    };
    format!("urn:pulumi:{stack}::{project}::{qualified}::{name}")
}

/// The parts of a URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrnParts<'a> {
    pub stack: &'a str,
    pub project: &'a str,
    pub qualified_type: &'a str,
    pub name: &'a str,
}

impl UrnParts<'_> {
    /// The resource's own type: the last `$`-separated part of the qualified type.
    pub fn ty(&self) -> &str {
        self.qualified_type.rsplit('$').next().unwrap_or(self.qualified_type)
    }
}

pub fn parse(urn: &str) -> Result<UrnParts<'_>> {
    let rest = urn.strip_prefix("urn:pulumi:").with_context(|| format!("'{urn}' is not a URN"))?;
    // The name is last and may itself contain `::`.
    let mut parts = rest.splitn(4, "::");
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(stack), Some(project), Some(qualified_type), Some(name)) => {
            Ok(UrnParts { stack, project, qualified_type, name })
        }
        _ => bail!("'{urn}' is not a URN: expected urn:pulumi:<stack>::<project>::<type>::<name>"),
    }
}

/// The package of a type token: `aws` in `aws:s3/bucket:Bucket`, and `aws` in
/// the provider type `pulumi:providers:aws`.
pub fn package_of(ty: &str) -> &str {
    match ty.strip_prefix(PROVIDER_TYPE_PREFIX) {
        Some(pkg) => pkg,
        None => ty.split(':').next().unwrap_or(ty),
    }
}

pub fn is_provider_type(ty: &str) -> bool {
    ty.starts_with(PROVIDER_TYPE_PREFIX)
}

/// A reference to a provider resource: `<urn>::<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProviderReference {
    pub urn: String,
    pub id: String,
}

impl ProviderReference {
    pub fn parse(reference: &str) -> Result<Self> {
        let (urn, id) = reference.rsplit_once("::").with_context(|| {
            format!("malformed provider reference '{reference}': expected <urn>::<id>")
        })?;
        let parts =
            parse(urn).with_context(|| format!("malformed provider reference '{reference}'"))?;
        if !is_provider_type(parts.ty()) {
            bail!("provider reference '{reference}' does not name a provider resource");
        }
        Ok(Self { urn: urn.to_string(), id: id.to_string() })
    }
}

impl std::fmt::Display for ProviderReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.urn, self.id)
    }
}

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
