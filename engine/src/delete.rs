//! Deleting resources: dependents first, honouring `protect`,
//! `retainOnDelete` and `deletedWith`.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::provider::ProviderRegistry;
use crate::state::ResourceState;
use unfold_wire::urn::{self, ProviderReference};

/// Deletes `doomed` (a subsequence of a state's resources, so dependencies come
/// before dependents) in reverse order. Stops at the first failure; returns the
/// URNs deleted so far and the failure, if any.
pub(crate) async fn delete_in_reverse(
    doomed: &[&ResourceState],
    providers: &ProviderRegistry,
    timeout: Option<Duration>,
) -> (Vec<String>, Option<(String, anyhow::Error)>) {
    let doomed_urns: HashSet<&str> = doomed.iter().map(|r| r.urn.as_str()).collect();
    let mut deleted = Vec::new();
    for resource in doomed.iter().rev() {
        // A resource deleted with another one that is going too needs no call of its own.
        let goes_with_other = !resource.deleted_with.is_empty()
            && doomed_urns.contains(resource.deleted_with.as_str());
        if let Err(e) = delete_one(resource, providers, timeout, goes_with_other).await {
            return (deleted, Some((resource.urn.clone(), e)));
        }
        deleted.push(resource.urn.clone());
    }
    (deleted, None)
}

/// The error the engine reports for deleting a protected resource.
pub(crate) fn protected_error(urn: &str, action: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "unable to {action} resource \"{urn}\"\nas it is currently marked for protection. To unprotect the resource, \
         remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`"
    )
}

async fn delete_one(
    resource: &ResourceState,
    providers: &ProviderRegistry,
    timeout: Option<Duration>,
    goes_with_other: bool,
) -> Result<()> {
    if resource.protect {
        return Err(protected_error(&resource.urn, "delete"));
    }
    // Components and provider resources have nothing to delete; read resources are not ours.
    if !resource.custom
        || urn::is_provider_type(&resource.ty)
        || resource.external
        || resource.retain_on_delete
        || goes_with_other
    {
        return Ok(());
    }
    if resource.provider.is_empty() {
        bail!("resource {} has no provider to delete it with", resource.urn);
    }
    let reference = ProviderReference::parse(&resource.provider)?;
    let provider_type = urn::parse(&reference.urn)?.ty().to_string();
    let provider = providers.for_package(&provider_type)?;
    provider
        .delete_with_inputs(
            &resource.urn,
            &resource.id,
            &resource.inputs,
            &resource.outputs,
            timeout,
        )
        .await
}
