//! Compiles the vendored descriptor set (see vendor/PROVENANCE.md) into Rust:
//! prost messages, tonic clients and servers, and pbjson serde impls that speak
//! the proto3 JSON mapping (the form in which requests cross into JavaScript).
//! Reading a FileDescriptorSet instead of .proto files means no protoc is needed.
use prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = "vendor/pulumi.fds";
    println!("cargo:rerun-if-changed={path}");
    let bytes = std::fs::read(path)?;
    // The google/protobuf files stay in the set (prost needs their messages to
    // derive traits) but are mapped to pbjson-types instead of being generated.
    let fds = prost_types::FileDescriptorSet::decode(bytes.as_slice())?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        // Replaces prost's default mapping to prost_types.
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .compile_fds(fds)?;
    pbjson_build::Builder::new()
        .register_descriptors(&bytes)?
        .extern_path(".google.protobuf", "::pbjson_types")
        .build(&[".pulumirpc", ".codegen", ".google.rpc"])?;
    Ok(())
}
