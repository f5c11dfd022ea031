//! An in-process stand-in for any provider package (`aws`, `random`,
//! `command`, …) whose real plugin cannot run here: resources behave as the
//! `test` provider's do (outputs are the inputs, reproducible IDs), and
//! functions return canned answers given by token, or echo their arguments.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde_json::{Value, json};

use crate::test_provider::TestProvider;
use unfold_engine::ProviderRegistry;
use unfold_engine::property::PropertyMap;
use unfold_engine::provider::{
    CheckFailure, CreateResult, DiffResult, InvokeResult, Provider, ReadResult,
};

/// Stand-ins for the cloud providers the real-world programs use (aws, awsx,
/// azure-native, gcp, kubernetes, random, command) and the `test` package,
/// answering the functions those programs call as the clouds would.
pub fn stand_ins() -> ProviderRegistry {
    let mut registry = crate::test_providers();
    let aws = EchoProvider::new()
        .answering(
            "aws:index/getCallerIdentity:getCallerIdentity",
            json!({ "accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/ops", "id": "123456789012", "userId": "AIDAOPS" }),
        )
        .answering("aws:index/getRegion:getRegion", json!({ "name": "us-west-2", "id": "us-west-2" }))
        .answering(
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            json!({ "names": ["us-west-2a", "us-west-2b", "us-west-2c"], "zoneIds": ["usw2-az1", "usw2-az2", "usw2-az3"], "id": "us-west-2" }),
        )
        .answering("aws:ec2/getAmi:getAmi", json!({ "id": "ami-0123456789abcdef0", "name": "al2023-ami-2023.6" }));
    registry.register("aws", Arc::new(aws));
    let awsx = EchoProvider::new()
        .answering(
            "awsx:ec2:Vpc",
            json!({ "vpcId": "vpc-0a1b2c", "publicSubnetIds": ["subnet-pub-a", "subnet-pub-b"], "privateSubnetIds": ["subnet-priv-a", "subnet-priv-b"] }),
        )
        .answering("awsx:lb:ApplicationLoadBalancer", json!({ "defaultTargetGroup": {} }));
    registry.register("awsx", Arc::new(awsx));
    let azure = EchoProvider::new()
        .answering(
            "azure-native:storage:listStorageAccountKeys",
            json!({ "keys": [{ "keyName": "key1", "permissions": "FULL", "value": "a2V5LW9uZQ==" }] }),
        )
        .answering(
            "azure-native:authorization:getClientConfig",
            json!({ "clientId": "c1", "objectId": "o1", "subscriptionId": "s1", "tenantId": "t1" }),
        );
    registry.register("azure-native", Arc::new(azure));
    for package in ["gcp", "kubernetes", "random", "command", "docker-build"] {
        registry.register(package, Arc::new(EchoProvider::new()));
    }
    registry
}

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
