//! `unfold:index:Table`: one SQLite database under `<stateDir>/tables/`.

use tonic::Status;
use unfold_function_runtime::tables::{Table, table_path};
use unfold_proto::pulumirpc::CheckFailure;

use super::{Resource, check_common, identity, io_error};
use crate::properties::{Props, unknown};

pub(crate) struct TableResource;

/// Inputs plus the table's file; unknown while the inputs are.
fn outputs(inputs: &Props) -> Props {
    let mut outputs = inputs.clone();
    let path = identity(inputs)
        .map(|(name, state)| table_path(&state.tables(), &name).display().to_string().into());
    outputs.set("path", path.unwrap_or_else(|_| unknown()));
    outputs
}

#[tonic::async_trait]
impl Resource for TableResource {
    fn compared(&self) -> &'static [&'static str] {
        &["name", "stateDir"]
    }

    fn check(&self, news: &mut Props) -> Vec<CheckFailure> {
        let mut failures = Vec::new();
        check_common(news, "table", &mut failures);
        failures
    }

    async fn create(&self, inputs: &Props, preview: bool) -> Result<Props, Status> {
        if !preview {
            let (name, state) = identity(inputs)?;
            Table::create(&state.tables(), &name)
                .map_err(|error| io_error("cannot create the table", error))?;
        }
        Ok(outputs(inputs))
    }

    async fn update(&self, _olds: &Props, news: &Props, _preview: bool) -> Result<Props, Status> {
        // Every input replaces the table; nothing changes in place.
        Ok(outputs(news))
    }

    async fn delete(&self, outputs: &Props) -> Result<(), Status> {
        let (name, state) = identity(outputs)?;
        Table::remove(&state.tables(), &name)
            .map_err(|error| io_error("cannot delete the table", error))
    }

    async fn read(&self, current: &Props) -> Result<Option<Props>, Status> {
        let (name, state) = identity(current)?;
        Ok(table_path(&state.tables(), &name).exists().then(|| outputs(current)))
    }
}
