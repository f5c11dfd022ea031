//! Tables on DynamoDB, with the local target's semantics: get, put, delete,
//! and `query(prefix)` in key order a page at a time, the cursor being the
//! last key of a page (see `lambda_layout::dynamodb` for the key schema).
//!
//! A handler's table calls are synchronous crossings made on the Function's
//! thread; each is sent to the process's runtime and waited for there.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use serde_json::Value;
use tokio::runtime::Handle;
use unfold_function_runtime::lambda_layout::dynamodb::{KEY, PARTITION, PARTITION_VALUE, VALUE};
use unfold_function_runtime::tables::{Item, Page, TableError, Tables, page_size};

pub struct DynamoDbTables {
    client: Client,
    runtime: Handle,
}

impl DynamoDbTables {
    pub fn new(client: Client, runtime: Handle) -> Self {
        Self { client, runtime }
    }

    /// Runs `call` on the process's runtime and waits for it here.
    fn block<T: Send + 'static>(
        &self,
        call: impl Future<Output = Result<T, TableError>> + Send + 'static,
    ) -> Result<T, TableError> {
        let (answer, answered) = std::sync::mpsc::channel();
        self.runtime.spawn(async move {
            let _ = answer.send(call.await);
        });
        answered.recv().unwrap_or_else(|_| {
            Err(TableError::Unavailable {
                table: String::new(),
                message: "the runtime stopped before DynamoDB answered".into(),
            })
        })
    }
}

fn item_key(key: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PARTITION.to_string(), AttributeValue::S(PARTITION_VALUE.into())),
        (KEY.to_string(), AttributeValue::S(key.into())),
    ])
}

fn unavailable<E: ProvideErrorMetadata + std::error::Error + 'static>(
    table: &str,
    error: SdkError<E>,
) -> TableError {
    let message = match &error {
        SdkError::ServiceError(service)
            if service.err().code() == Some("ResourceNotFoundException") =>
        {
            return TableError::Missing(table.to_string());
        }
        SdkError::ServiceError(service) => format!(
            "DynamoDB: {}: {}",
            service.err().code().unwrap_or("error"),
            service.err().message().unwrap_or_default()
        ),
        other => format!("DynamoDB: {}", DisplayErrorContext(other)),
    };
    TableError::Unavailable { table: table.to_string(), message }
}

fn decode(table: &str, item: &HashMap<String, AttributeValue>) -> Result<Item, TableError> {
    let text = |name: &str| match item.get(name) {
        Some(AttributeValue::S(text)) => Ok(text.clone()),
        _ => Err(TableError::Invalid {
            table: table.to_string(),
            message: format!("an item has no text attribute '{name}' (was it written by Unfold?)"),
        }),
    };
    let value = serde_json::from_str(&text(VALUE)?).map_err(|error| TableError::Invalid {
        table: table.to_string(),
        message: format!("stored value is not JSON: {error}"),
    })?;
    Ok(Item { key: text(KEY)?, value })
}

impl Tables for DynamoDbTables {
    fn get(&self, table: &str, key: &str) -> Result<Option<Value>, TableError> {
        let (client, table, key) = (self.client.clone(), table.to_string(), key.to_string());
        self.block(async move {
            let found = client
                .get_item()
                .table_name(&table)
                .set_key(Some(item_key(&key)))
                .consistent_read(true)
                .send()
                .await
                .map_err(|error| unavailable(&table, error))?;
            found.item.map(|item| decode(&table, &item).map(|item| item.value)).transpose()
        })
    }

    fn put(&self, table: &str, key: &str, value: &Value) -> Result<(), TableError> {
        if value.is_null() {
            return Err(TableError::Invalid {
                table: table.to_string(),
                message: "cannot store null; delete the key instead".into(),
            });
        }
        let (client, table) = (self.client.clone(), table.to_string());
        let mut item = item_key(key);
        item.insert(VALUE.into(), AttributeValue::S(value.to_string()));
        self.block(async move {
            client
                .put_item()
                .table_name(&table)
                .set_item(Some(item))
                .send()
                .await
                .map(drop)
                .map_err(|error| unavailable(&table, error))
        })
    }

    fn delete(&self, table: &str, key: &str) -> Result<bool, TableError> {
        let (client, table, key) = (self.client.clone(), table.to_string(), key.to_string());
        self.block(async move {
            let deleted = client
                .delete_item()
                .table_name(&table)
                .set_key(Some(item_key(&key)))
                .return_values(ReturnValue::AllOld)
                .send()
                .await
                .map_err(|error| unavailable(&table, error))?;
            Ok(deleted.attributes.is_some_and(|attributes| !attributes.is_empty()))
        })
    }

    fn query(
        &self,
        table: &str,
        prefix: &str,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Page, TableError> {
        let limit = page_size(limit);
        let (client, table, prefix) = (self.client.clone(), table.to_string(), prefix.to_string());
        let mut start = cursor.map(item_key);
        self.block(async move {
            // One more than a page: whether there is a next page.
            let mut items = Vec::new();
            loop {
                let mut query = client
                    .query()
                    .table_name(&table)
                    .consistent_read(true)
                    .expression_attribute_names("#p", PARTITION)
                    .expression_attribute_values(":p", AttributeValue::S(PARTITION_VALUE.into()))
                    .limit((limit + 1 - items.len()) as i32)
                    .set_exclusive_start_key(start.take());
                query = if prefix.is_empty() {
                    query.key_condition_expression("#p = :p")
                } else {
                    query
                        .key_condition_expression("#p = :p AND begins_with(#k, :prefix)")
                        .expression_attribute_names("#k", KEY)
                        .expression_attribute_values(":prefix", AttributeValue::S(prefix.clone()))
                };
                let page = query.send().await.map_err(|error| unavailable(&table, error))?;
                for item in page.items() {
                    items.push(decode(&table, item)?);
                }
                // DynamoDB stops at 1 MB a response; go on until there is a page and one more.
                match page.last_evaluated_key {
                    Some(next) if items.len() <= limit => start = Some(next),
                    _ => break,
                }
            }
            Ok(Page::from_one_more(items, limit))
        })
    }
}
