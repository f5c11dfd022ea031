//! What a program may see of a resource's outputs, given what it declared it accepts.

use serde_json::Value;

use crate::property::{self, PropertyMap};
use crate::references;

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
            v = if accepts.resources {
                references::on_the_wire(v)
            } else {
                property::downgrade_resource_references(v)
            };
            (k.clone(), v)
        })
        .collect()
}
