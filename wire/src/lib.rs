//! Pulumi's wire format, written once for the language host, the engine and
//! the provider: how a plugin is launched and announces itself.

pub mod plugin;
