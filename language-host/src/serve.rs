//! Serving the language host as the engine launches it (see `unfold_wire::plugin`).

use unfold_proto::pulumirpc::language_runtime_server::LanguageRuntimeServer;

use crate::language_runtime::LanguageHost;

/// Serves until the engine is gone (or until stopped, without an engine address).
pub async fn serve(engine_address: Option<String>) -> anyhow::Result<()> {
    let service = LanguageRuntimeServer::new(LanguageHost::new(engine_address.clone()))
        .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
        .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
    let router = tonic::transport::Server::builder().add_service(service);
    unfold_wire::plugin::serve(router, engine_address).await
}
