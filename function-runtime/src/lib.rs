//! The `@unfold/cloud` resources at run time and deploy time: bundles (a
//! Function's code: the deploy-time program's record plus the modules it
//! loaded), tables, and the function runtime that restores a bundle by replay
//! and serves invocations.

pub mod bundle;
pub mod function;
pub mod function_host;
pub mod inspector_server;
pub mod invocation_record;
pub mod invocation_recorder;
pub mod invocation_replay;
pub mod invocation_store;
pub mod lambda_layout;
pub mod memory_tables;
pub mod private_files;
pub mod redaction;
pub mod sealing;
pub mod secret_markers;
mod table_writer;
pub mod tables;
