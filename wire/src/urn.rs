//! Resource names: URNs (`urn:pulumi:<stack>::<project>::<qualified type>::<name>`),
//! type tokens, and provider references (`<provider urn>::<id>`).

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
    pub(crate) qualified_type: &'a str,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_nest_types_below_components_but_not_below_the_stack() {
        let stack = new_urn("dev", "app", None, ROOT_STACK_TYPE, "app-dev");
        let component = new_urn("dev", "app", Some(&stack), "my:Comp", "c");
        assert_eq!(component, "urn:pulumi:dev::app::my:Comp::c");
        let child = new_urn("dev", "app", Some(&component), "unfold:index:Table", "t::x");
        let parts = parse(&child).unwrap();
        assert_eq!(parts.qualified_type, "my:Comp$unfold:index:Table");
        assert_eq!((parts.ty(), parts.name), ("unfold:index:Table", "t::x"));
        assert!(parse("urn:pulumi:dev::app").is_err() && parse("dev::app::t::n").is_err());
    }

    #[test]
    fn provider_references_name_provider_resources() {
        let reference =
            ProviderReference::parse("urn:pulumi:dev::app::pulumi:providers:aws::default::id-1")
                .unwrap();
        assert_eq!(reference.id, "id-1");
        assert_eq!(package_of("pulumi:providers:aws"), "aws");
        assert_eq!(
            reference.to_string(),
            "urn:pulumi:dev::app::pulumi:providers:aws::default::id-1"
        );
        assert!(ProviderReference::parse("urn:pulumi:dev::app::aws:s3:Bucket::b::id").is_err());
    }
}
