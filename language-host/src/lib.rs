//! `pulumi-language-unfold`: the Pulumi LanguageRuntime service, running
//! TypeScript Pulumi programs on the Unfold runtime.
//!
//! Data flows one way: program → IO gateway → `pulumi_host` (the engine's
//! monitor and engine services), and results come back the same path.

pub mod app_test;
pub mod callbacks;
pub mod codegen;
pub mod component_provider;
pub mod known_secrets;
pub mod language_runtime;
pub mod link;
pub mod npm;
pub mod pack;
pub mod plugin;
pub mod plugin_program;
pub mod policy_pack;
pub mod program;
pub mod project;
pub mod provider_packages;
pub mod pulumi_host;
pub mod replies;
pub mod sealed_record;
pub mod serve;
pub mod service_isolates;
