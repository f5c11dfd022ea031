//! What a program may see of a resource's outputs, given what it declared it accepts.

use serde_json::Value;

use crate::property::{self, PropertyMap};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Acceptance {
    pub secrets: bool,
    pub resources: bool,
    /// Whether the program accepts objects that are only partly known.
    pub partial_values: bool,
}

pub(crate) fn outputs_for_program(outputs: &PropertyMap, accepts: Acceptance) -> PropertyMap {
    outputs
        .iter()
        .filter(|(_, v)| accepts.partial_values || !property::contains_unknowns(v))
        .map(|(k, v)| {
            let mut v: Value = v.clone();
            if !accepts.secrets {
                v = property::reveal_secrets(v);
            }
            if !accepts.resources {
                v = property::downgrade_resource_references(v);
            }
            (k.clone(), v)
        })
        .collect()
}
