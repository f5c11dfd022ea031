//! Aliases: the URNs a resource may have had before, so that a renamed or
//! reparented resource is recognized as the same resource.

use unfold_proto::pulumirpc::{Alias, alias};

use unfold_wire::urn::new_urn;

/// What an alias spec leaves unset is taken from the resource itself.
pub(crate) struct AliasContext<'a> {
    pub stack: &'a str,
    pub project: &'a str,
    pub ty: &'a str,
    pub name: &'a str,
    pub parent: Option<&'a str>,
    /// The aliases of the parent: a child of a renamed parent had URNs under each of them.
    pub parent_aliases: &'a [String],
}

/// All alias URNs for a registration, without duplicates, in a stable order.
pub(crate) fn alias_urns(
    ctx: &AliasContext<'_>,
    aliases: &[Alias],
    alias_urns: &[String],
) -> Vec<String> {
    let mut urns: Vec<String> = alias_urns.to_vec();
    let spec_urn = |spec: &alias::Spec, parent: Option<&str>| {
        new_urn(
            or(&spec.stack, ctx.stack),
            or(&spec.project, ctx.project),
            parent,
            or(&spec.r#type, ctx.ty),
            or(&spec.name, ctx.name),
        )
    };
    for alias in aliases {
        match &alias.alias {
            Some(alias::Alias::Urn(urn)) => urns.push(urn.clone()),
            Some(alias::Alias::Spec(spec)) => match &spec.parent {
                Some(alias::spec::Parent::ParentUrn(parent)) => {
                    urns.push(spec_urn(spec, Some(parent)))
                }
                Some(alias::spec::Parent::NoParent(true)) => urns.push(spec_urn(spec, None)),
                _ => {
                    urns.push(spec_urn(spec, ctx.parent));
                    for parent_alias in ctx.parent_aliases {
                        urns.push(spec_urn(spec, Some(parent_alias)));
                    }
                }
            },
            None => {}
        }
    }
    for parent_alias in ctx.parent_aliases {
        urns.push(new_urn(ctx.stack, ctx.project, Some(parent_alias), ctx.ty, ctx.name));
    }
    let own = new_urn(ctx.stack, ctx.project, ctx.parent, ctx.ty, ctx.name);
    let mut seen = std::collections::HashSet::new();
    urns.retain(|u| *u != own && seen.insert(u.clone()));
    urns
}

fn or<'a>(value: &'a str, default: &'a str) -> &'a str {
    if value.is_empty() { default } else { value }
}
