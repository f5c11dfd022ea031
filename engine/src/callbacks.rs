//! Calls into the program's Callbacks service (transforms), with one
//! connection per callback server and a timeout on every call.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result};
use prost::Message;
use tokio::sync::Mutex;
use tonic::transport::Channel;
use unfold_proto::pulumirpc::callbacks_client::CallbacksClient;
use unfold_proto::pulumirpc::{Callback, CallbackInvokeRequest};

/// How long a callback may take before the engine gives up on it.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Default)]
pub(crate) struct CallbackClients {
    clients: Mutex<HashMap<String, CallbacksClient<Channel>>>,
}

impl CallbackClients {
    /// Invokes `callback` with a request message and decodes its response message.
    pub(crate) async fn invoke<Req: Message, Resp: Message + Default>(
        &self,
        callback: &Callback,
        request: &Req,
    ) -> Result<Resp> {
        let mut client = self.client(&callback.target).await?;
        let call = client.invoke(CallbackInvokeRequest {
            token: callback.token.clone(),
            request: request.encode_to_vec(),
        });
        let response = tokio::time::timeout(CALLBACK_TIMEOUT, call)
            .await
            .with_context(|| {
                format!(
                    "callback {} at {} did not answer within {CALLBACK_TIMEOUT:?}",
                    callback.token, callback.target
                )
            })?
            .with_context(|| {
                format!("calling callback {} at {}", callback.token, callback.target)
            })?;
        Resp::decode(response.into_inner().response.as_slice())
            .context("decoding a callback response")
    }

    async fn client(&self, target: &str) -> Result<CallbacksClient<Channel>> {
        let mut clients = self.clients.lock().await;
        if let Some(client) = clients.get(target) {
            return Ok(client.clone());
        }
        let channel = Channel::from_shared(format!("http://{target}"))
            .with_context(|| format!("invalid callback address '{target}'"))?
            .connect_timeout(Duration::from_secs(10))
            .connect()
            .await
            .with_context(|| format!("connecting to the program's callbacks at {target}"))?;
        let client = CallbacksClient::new(channel)
            .max_decoding_message_size(unfold_proto::MAX_MESSAGE_SIZE)
            .max_encoding_message_size(unfold_proto::MAX_MESSAGE_SIZE);
        clients.insert(target.to_string(), client.clone());
        Ok(client)
    }
}
