//! `pulumi-resource-unfold`: the Pulumi resource provider for Unfold's
//! `@unfold/cloud` resources on the local target, and the local server that
//! serves a stack's HTTP APIs.

pub mod client;
pub mod plugin;
pub mod process;
pub mod properties;
pub mod provider;
pub mod resources;
pub mod route;
pub mod schema;
pub mod server;
pub mod state;
