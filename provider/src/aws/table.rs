//! `unfold:index:Table` on DynamoDB, on-demand billing.
//!
//! Key schema: every item has the same partition key (`p` = "items") and
//! its key as the sort key (`k`), with the JSON value as text in `v`. A
//! table's items are then one ordered collection, so `query(prefix)` is a
//! `begins_with` key condition read in key order and `scan` is the same
//! query without one — the local target's semantics, page for page, with
//! DynamoDB's own `LastEvaluatedKey` as the cursor. The price is one
//! partition key for the whole table: DynamoDB splits the collection by sort
//! key as it grows and gets hot, but writes to a narrow key range (a
//! timestamp prefix) land on one partition, which takes at most 1,000 writes
//! and 3,000 reads a second.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
};
use serde_json::json;
use tonic::Status;
use unfold_proto::pulumirpc::CheckFailure;

use unfold_function_runtime::lambda_layout::dynamodb::{KEY, PARTITION};

use super::{Aws, aws_error, error_code};
use crate::properties::{Props, unknown};
use crate::resources::{Resource, check_name};

/// How long a new table may take to become active.
const ACTIVE_WITHIN: Duration = Duration::from_secs(300);

pub(crate) struct AwsTable(pub(crate) Arc<Aws>);

/// The table's name in DynamoDB (set by Check from the URN).
fn table_name(props: &Props) -> Result<&str, Status> {
    super::aws_name(props, "table")
}

impl AwsTable {
    /// The table's ARN, or `None` if it does not exist.
    async fn describe(&self, name: &str) -> Result<Option<(String, TableStatus)>, Status> {
        match self.0.dynamodb.describe_table().table_name(name).send().await {
            Ok(output) => Ok(output.table.map(|table| {
                (
                    table.table_arn.unwrap_or_default(),
                    table.table_status.unwrap_or(TableStatus::Active),
                )
            })),
            Err(error) if error_code(&error) == Some("ResourceNotFoundException") => Ok(None),
            Err(error) => Err(aws_error(&format!("cannot read table {name}"), error)),
        }
    }

    async fn wait_until_active(&self, name: &str) -> Result<String, Status> {
        let deadline = tokio::time::Instant::now() + ACTIVE_WITHIN;
        loop {
            match self.describe(name).await? {
                Some((arn, TableStatus::Active)) => return Ok(arn),
                Some(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Some((_, status)) => {
                    return Err(Status::deadline_exceeded(format!(
                        "table {name} is still {status} after {ACTIVE_WITHIN:?}"
                    )));
                }
                None => return Err(Status::not_found(format!("table {name} disappeared"))),
            }
        }
    }
}

#[tonic::async_trait]
impl Resource for AwsTable {
    fn compared(&self) -> &'static [&'static str] {
        &["name", super::AWS_NAME]
    }

    fn replaced_by(&self) -> &'static [&'static str] {
        self.compared()
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        let mut failures = Vec::new();
        // No state directory: a table on AWS keeps nothing on this machine.
        check_name(news, "table", &mut failures);
        failures
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        let mut outputs = inputs.clone();
        let name = table_name(inputs)?;
        if preview {
            outputs.set("arn", unknown());
            return Ok(outputs);
        }
        let key = |name: &str, kind| {
            KeySchemaElement::builder().attribute_name(name).key_type(kind).build()
        };
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
        };
        let created = self
            .0
            .dynamodb
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key(PARTITION, KeyType::Hash).map_err(invalid)?)
            .key_schema(key(KEY, KeyType::Range).map_err(invalid)?)
            .attribute_definitions(attribute(PARTITION).map_err(invalid)?)
            .attribute_definitions(attribute(KEY).map_err(invalid)?)
            .send()
            .await;
        if let Err(error) = created {
            return Err(if error_code(&error) == Some("ResourceInUseException") {
                Status::already_exists(format!(
                    "a DynamoDB table named {name} already exists: delete it, or bring it under \
                     this stack with `pulumi import unfold:index:Table <name> {name}`"
                ))
            } else {
                aws_error(&format!("cannot create table {name}"), error)
            });
        }
        let arn = self.wait_until_active(name).await?;
        outputs.set("arn", json!(arn));
        Ok(outputs)
    }

    async fn update(&self, olds: &Props, news: &Props, _preview: bool) -> Result<Props, Status> {
        // Every compared input replaces the table; what is left changes nothing in AWS.
        let mut outputs = news.clone();
        outputs.set("arn", olds.get("arn").cloned().unwrap_or_else(unknown));
        Ok(outputs)
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let name = table_name(outputs)?;
        match self.0.dynamodb.delete_table().table_name(name).send().await {
            Ok(_) => Ok(()),
            // Already gone: what the engine asked for is true.
            Err(error) if error_code(&error) == Some("ResourceNotFoundException") => Ok(()),
            Err(error) => Err(aws_error(&format!("cannot delete table {name}"), error)),
        }
    }

    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let name = table_name(current)?;
        Ok(self.describe(name).await?.map(|(arn, _)| {
            let mut outputs = current.clone();
            outputs.set("arn", json!(arn));
            outputs
        }))
    }
}

fn invalid(error: impl std::fmt::Display) -> Status {
    Status::internal(format!("cannot build the DynamoDB request: {error}"))
}
