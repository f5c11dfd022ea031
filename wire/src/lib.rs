//! Pulumi's wire format, written once for the language host, the engine and
//! the provider: the markers of special property values, property maps as
//! `google.protobuf.Struct`, URNs, the project file, and how a plugin is
//! launched and announces itself.

#![warn(unreachable_pub)]

pub mod home;
pub mod plugin;
pub mod project;
pub mod signatures;
pub mod structs;
pub mod urn;
