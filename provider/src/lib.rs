//! `pulumi-resource-unfold`: the Pulumi resource provider for Unfold's
//! `@unfold/cloud` resources on the local target, and the local server that
//! serves a stack's HTTP APIs.

#![warn(unreachable_pub)]

pub(crate) mod aws;
pub(crate) mod client;
pub(crate) mod cors;
pub mod plugin;
pub mod process;
pub(crate) mod properties;
pub(crate) mod provider;
pub(crate) mod resources;
pub(crate) mod route;
pub(crate) mod schema;
pub mod server;
pub mod state;
