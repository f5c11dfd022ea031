//! An in-process stand-in for any provider package (`aws`, `random`,
//! `command`, …) whose real plugin cannot run here: resources behave as the
//! `test` provider's do (outputs are the inputs, reproducible IDs), and
//! functions return canned answers given by token, or echo their arguments.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde_json::Value;

use crate::test_provider::TestProvider;
use unfold_engine::property::PropertyMap;
use unfold_engine::provider::{
    CheckFailure, CreateResult, DiffResult, InvokeResult, Provider, ReadResult,
};

#[derive(Default)]
pub struct EchoProvider {
    resources: TestProvider,
    answers: HashMap<String, PropertyMap>,
}

impl EchoProvider {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers the function `token` with `outputs` (a JSON object); for a
    /// component type, `outputs` are added to the component's own.
    pub fn answering(mut self, token: &str, outputs: Value) -> Self {
        let outputs = match outputs {
            Value::Object(map) => map.into_iter().collect(),
            other => panic!("the answer to {token} must be an object, not {other}"),
        };
        self.answers.insert(token.to_string(), outputs);
        self
    }
}

#[async_trait]
impl Provider for EchoProvider {
    async fn check(
        &self,
        urn: &str,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> Result<(PropertyMap, Vec<CheckFailure>)> {
        self.resources.check(urn, olds, news).await
    }

    async fn diff(
        &self,
        urn: &str,
        id: &str,
        old_inputs: &PropertyMap,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
    ) -> Result<DiffResult> {
        self.resources.diff(urn, id, old_inputs, old_outputs, new_inputs).await
    }

    async fn create(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<CreateResult> {
        self.resources.create(urn, inputs, timeout, preview).await
    }

    async fn read(
        &self,
        urn: &str,
        id: &str,
        inputs: &PropertyMap,
        state: &PropertyMap,
    ) -> Result<Option<ReadResult>> {
        self.resources.read(urn, id, inputs, state).await
    }

    async fn update(
        &self,
        urn: &str,
        id: &str,
        old_outputs: &PropertyMap,
        new_inputs: &PropertyMap,
        timeout: Option<Duration>,
        preview: bool,
    ) -> Result<PropertyMap> {
        self.resources.update(urn, id, old_outputs, new_inputs, timeout, preview).await
    }

    async fn delete(
        &self,
        urn: &str,
        id: &str,
        outputs: &PropertyMap,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.resources.delete(urn, id, outputs, timeout).await
    }

    async fn invoke(&self, token: &str, args: &PropertyMap) -> Result<InvokeResult> {
        let outputs = self.answers.get(token).cloned().unwrap_or_else(|| args.clone());
        Ok(InvokeResult { outputs, failures: Vec::new() })
    }

    /// A component's outputs are its inputs, plus the answers given for its type.
    async fn construct(
        &self,
        urn: &str,
        inputs: &PropertyMap,
        _preview: bool,
    ) -> Result<PropertyMap> {
        let mut outputs = inputs.clone();
        let ty = unfold_wire::urn::parse(urn)?.ty().to_string();
        if let Some(answer) = self.answers.get(&ty) {
            outputs.extend(answer.clone());
        }
        Ok(outputs)
    }
}
