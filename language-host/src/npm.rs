//! The program's npm side: installing its dependencies with the project's
//! package manager, and listing what is installed.

use std::path::Path;
use std::process::Stdio;

use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;
use unfold_proto::pulumirpc::{DependencyInfo, InstallDependenciesResponse};

/// The package manager a project uses, judged by its lockfile.
pub fn package_manager(dir: &Path) -> &'static str {
    if dir.join("pnpm-lock.yaml").is_file() {
        "pnpm"
    } else if dir.join("yarn.lock").is_file() {
        "yarn"
    } else {
        "npm"
    }
}

/// Runs `<manager> install` in `dir`, streaming its output as it comes. A
/// folder without package.json has nothing to install and streams nothing.
pub fn install(dir: &Path, sink: mpsc::Sender<Result<InstallDependenciesResponse, tonic::Status>>) {
    if !dir.join("package.json").is_file() {
        return;
    }
    let manager = package_manager(dir);
    let mut command = tokio::process::Command::new(manager);
    command
        .arg("install")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::spawn(async move {
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(error) => {
                let status = tonic::Status::failed_precondition(format!(
                    "could not run `{manager} install`: {error}; install {manager} or run it yourself"
                ));
                let _ = sink.send(Err(status)).await;
                return;
            }
        };
        let stdout = forward(child.stdout.take(), sink.clone(), |bytes| {
            InstallDependenciesResponse { stdout: bytes, stderr: Vec::new() }
        });
        let stderr = forward(child.stderr.take(), sink.clone(), |bytes| {
            InstallDependenciesResponse { stdout: Vec::new(), stderr: bytes }
        });
        let (_, _, status) = tokio::join!(stdout, stderr, child.wait());
        match status {
            Ok(status) if status.success() => {}
            Ok(status) => {
                let message = format!("`{manager} install` failed ({status})");
                let _ = sink.send(Err(tonic::Status::internal(message))).await;
            }
            Err(error) => {
                let _ = sink.send(Err(tonic::Status::internal(error.to_string()))).await;
            }
        }
    });
}

async fn forward(
    pipe: Option<impl tokio::io::AsyncRead + Unpin>,
    sink: mpsc::Sender<Result<InstallDependenciesResponse, tonic::Status>>,
    wrap: impl Fn(Vec<u8>) -> InstallDependenciesResponse,
) {
    let Some(mut pipe) = pipe else { return };
    let mut buffer = vec![0u8; 8192];
    while let Ok(read) = pipe.read(&mut buffer).await {
        if read == 0 || sink.send(Ok(wrap(buffer[..read].to_vec()))).await.is_err() {
            break;
        }
    }
}

/// The packages package.json asks for, with the version installed in
/// node_modules (or the requested range when it is not installed), by name.
pub fn dependencies(dir: &Path) -> anyhow::Result<Vec<DependencyInfo>> {
    let path = dir.join("package.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(Vec::new()) };
    let package: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: invalid JSON: {e}", path.display()))?;
    let mut found = std::collections::BTreeMap::new();
    for section in ["dependencies", "devDependencies"] {
        let Some(entries) = package.get(section).and_then(|s| s.as_object()) else { continue };
        for (name, range) in entries {
            let installed =
                std::fs::read_to_string(dir.join("node_modules").join(name).join("package.json"))
                    .ok()
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .and_then(|manifest| {
                        manifest.get("version").and_then(|v| v.as_str()).map(str::to_string)
                    });
            let version =
                installed.unwrap_or_else(|| range.as_str().unwrap_or_default().to_string());
            found.entry(name.clone()).or_insert(version);
        }
    }
    Ok(found.into_iter().map(|(name, version)| DependencyInfo { name, version }).collect())
}
