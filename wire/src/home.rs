//! Where Unfold keeps what belongs to the machine's user rather than to a
//! project: `$UNFOLD_HOME`, by default `~/.unfold`. Keys live here, never in
//! a project directory, so a copied or committed project carries none.

use std::path::{Path, PathBuf};

pub fn unfold_home() -> Result<PathBuf, String> {
    if let Some(home) = std::env::var_os("UNFOLD_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".unfold")),
        None => Err("neither UNFOLD_HOME nor HOME is set".into()),
    }
}

/// Creates `file` with `contents`, readable by its owner only, in a directory
/// only the owner can list; if another process created it first, keeps theirs
/// and returns false.
pub fn create_private(file: &Path, contents: &[u8]) -> std::io::Result<bool> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = file.parent() {
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    let partial = file.with_extension(format!("partial-{}", std::process::id()));
    let mut out =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial)?;
    out.write_all(contents)?;
    out.sync_all()?;
    // A hard link fails if the name exists: the first writer wins, whole.
    let won = match std::fs::hard_link(&partial, file) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::remove_file(&partial)?;
    Ok(won)
}
