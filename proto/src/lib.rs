//! Pulumi's gRPC protocol, generated from the descriptors of a pinned Pulumi
//! release (see `vendor/PROVENANCE.md`). Every message also implements serde in
//! the proto3 JSON mapping, and `google.protobuf` types are `pbjson_types`.

#![allow(clippy::all, missing_docs)]

/// Package `pulumirpc`: the engine, language host, resource monitor and provider services.
pub mod pulumirpc {
    tonic::include_proto!("pulumirpc");
    include!(concat!(env!("OUT_DIR"), "/pulumirpc.serde.rs"));

    pub mod codegen {
        tonic::include_proto!("pulumirpc.codegen");
        include!(concat!(env!("OUT_DIR"), "/pulumirpc.codegen.serde.rs"));
    }
    pub mod testing {
        tonic::include_proto!("pulumirpc.testing");
        include!(concat!(env!("OUT_DIR"), "/pulumirpc.testing.serde.rs"));
    }
}

/// Package `codegen`: schema loading shared by language hosts and providers.
pub mod codegen {
    tonic::include_proto!("codegen");
    include!(concat!(env!("OUT_DIR"), "/codegen.serde.rs"));
}

pub mod google {
    /// Package `google.rpc`: the rich error status used by provider errors.
    pub mod rpc {
        tonic::include_proto!("google.rpc");
        include!(concat!(env!("OUT_DIR"), "/google.rpc.serde.rs"));
    }
}

pub use pbjson_types;
pub use pulumirpc::*;

/// The largest gRPC message the engine accepts (400 MiB); used on both sides.
pub const MAX_MESSAGE_SIZE: usize = 400 * 1024 * 1024;
