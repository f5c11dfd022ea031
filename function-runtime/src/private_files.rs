//! The local target's files are the user's alone: tables hold application
//! data, bundles hold the program's record, and logs may quote what a handler
//! printed. Folders are created 0700 and files 0600, whatever the umask, and
//! [`tighten`] brings an existing tree (made by an older version, or copied
//! in) to the same modes.

use std::fs::{DirBuilder, Permissions};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// Mode of every folder under the local target's state.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file under the local target's state.
pub const FILE_MODE: u32 = 0o600;

/// `create_dir_all`, with each folder it creates owner-only.
pub fn create_dir_all(path: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(DIR_MODE).create(path)
}

/// Writes `bytes` to `path` owner-only, whole or not at all (through a
/// temporary file renamed into place), without waiting for the disk.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = std::path::PathBuf::from(temporary);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(&temporary)?;
    file.write_all(bytes)?;
    std::fs::rename(&temporary, path)
}

/// Makes `path` owner-only: 0600 for a file, 0700 for a folder.
pub fn restrict(path: &Path) -> std::io::Result<()> {
    let mode = if path.is_dir() { DIR_MODE } else { FILE_MODE };
    std::fs::set_permissions(path, Permissions::from_mode(mode))
}

/// Makes `root` and everything under it owner-only. Symbolic links are left
/// alone (their targets are not ours to change); a file that vanishes while
/// the tree is walked is skipped.
pub fn tighten(root: &Path) -> std::io::Result<()> {
    let metadata = match std::fs::symlink_metadata(root) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    if metadata.file_type().is_symlink() {
        return Ok(());
    }
    let wanted = if metadata.is_dir() { DIR_MODE } else { FILE_MODE };
    if metadata.permissions().mode() & 0o777 != wanted {
        std::fs::set_permissions(root, Permissions::from_mode(wanted))?;
    }
    if metadata.is_dir() {
        for entry in std::fs::read_dir(root)? {
            tighten(&entry?.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_folders_are_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b/c");
        create_dir_all(&deep).unwrap();
        for dir in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&root.path().join(dir)), DIR_MODE, "{dir}");
        }
    }

    #[test]
    fn an_existing_tree_is_tightened() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("tables");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, Permissions::from_mode(0o755)).unwrap();
        let file = dir.join("messages.sqlite");
        std::fs::write(&file, "data").unwrap();
        std::fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
        tighten(root.path()).unwrap();
        assert_eq!(mode(&dir), DIR_MODE);
        assert_eq!(mode(&file), FILE_MODE);
        assert!(tighten(&root.path().join("missing")).is_ok());
    }
}
