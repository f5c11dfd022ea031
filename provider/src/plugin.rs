//! Serving the provider as the engine launches it (see `unfold_wire::plugin`).
//! The local server it may have started keeps running when it exits: it
//! belongs to the stack, not to this deployment.

use unfold_proto::pulumirpc::resource_provider_server::ResourceProviderServer;

use crate::provider::UnfoldProvider;

pub async fn serve(engine_address: Option<String>) -> anyhow::Result<()> {
    let service = ResourceProviderServer::new(UnfoldProvider::default())
        .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
        .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
    let router = tonic::transport::Server::builder().add_service(service);
    unfold_wire::plugin::serve(router, engine_address).await
}
