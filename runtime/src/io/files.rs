//! `fs.*` crossings: the file reads a program makes through the `fs`
//! built-in. Reads only; paths arrive absolute (the program resolves them
//! against its working directory). A failure is part of the answer,
//! `{error: {code, message}}` with Node.js's code and message, because a
//! program may well expect a file to be missing.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use serde_json::{Value, json};

use super::host::{Crossing, CrossingError};
use crate::crossings::{CallContext, CrossingSpec, Handler, HandlerSet};

const PATH: &str = "`{path}` (absolute)";
pub static FS_READ_FILE: CrossingSpec = CrossingSpec::sync(
    "fs.readFile",
    PATH,
    "`{ok: base64}` or `{error: {code, message}}` with Node.js's code and message",
);
pub static FS_STAT: CrossingSpec = CrossingSpec::sync(
    "fs.stat",
    PATH,
    "`{ok: {kind, size, mode, mtimeMs, ctimeMs, atimeMs}}` or `{error}`; `kind` is `file`, `directory`, `symlink` or `other`",
);
pub static FS_LSTAT: CrossingSpec =
    CrossingSpec::sync("fs.lstat", PATH, "as `fs.stat`, of the link itself");
pub static FS_READ_DIR: CrossingSpec =
    CrossingSpec::sync("fs.readDir", PATH, "`{ok: [{name, kind}]}` sorted by name, or `{error}`");
pub static FS_REALPATH: CrossingSpec =
    CrossingSpec::sync("fs.realpath", PATH, "`{ok: path}` or `{error}`");

/// File reads through the `fs` built-in.
pub static FILES: HandlerSet<()> = HandlerSet {
    name: "files",
    handlers: &[
        Handler::sync(&FS_READ_FILE, answer),
        Handler::sync(&FS_STAT, answer),
        Handler::sync(&FS_LSTAT, answer),
        Handler::sync(&FS_READ_DIR, answer),
        Handler::sync(&FS_REALPATH, answer),
    ],
    families: &[],
};

/// The handlers know their crossing by its spec; the one fn reads them all.
fn answer(_: &(), cx: &mut CallContext<'_>, args: Value) -> Crossing {
    call(cx.name(), args)
}

#[derive(Deserialize)]
struct PathArgs {
    path: String,
}

/// Answers `fs.readFile`, `fs.stat`, `fs.lstat`, `fs.readDir` and `fs.realpath`.
pub fn call(name: &str, args: Value) -> Crossing {
    let PathArgs { path } = serde_json::from_value(args)?;
    let at = Path::new(&path);
    if !at.is_absolute() {
        return Err(CrossingError::host(format!("{name}: '{path}' is not an absolute path")));
    }
    let (syscall, result) = match name {
        // Bytes as base64, as every byte string crosses.
        "fs.readFile" => ("open", std::fs::read(at).map(|bytes| json!(BASE64.encode(bytes)))),
        "fs.stat" => ("stat", std::fs::metadata(at).map(|m| stat(&m))),
        "fs.lstat" => ("lstat", std::fs::symlink_metadata(at).map(|m| stat(&m))),
        "fs.readDir" => ("scandir", read_dir(at)),
        "fs.realpath" => {
            ("realpath", std::fs::canonicalize(at).map(|p| json!(p.display().to_string())))
        }
        _ => return Err(CrossingError::host(format!("unknown file crossing '{name}'"))),
    };
    Ok(match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => {
            let code = error_code(&error);
            json!({ "error": { "code": code, "message": format!("{code}: {}, {syscall} '{path}'", describe(&error)) } })
        }
    })
}

fn stat(metadata: &std::fs::Metadata) -> Value {
    use std::os::unix::fs::MetadataExt;
    let kind = if metadata.is_symlink() {
        "symlink"
    } else if metadata.is_dir() {
        "directory"
    } else if metadata.is_file() {
        "file"
    } else {
        "other"
    };
    json!({
        "kind": kind,
        "size": metadata.len(),
        "mode": metadata.mode(),
        "mtimeMs": metadata.mtime() as f64 * 1000.0 + metadata.mtime_nsec() as f64 / 1e6,
        "ctimeMs": metadata.ctime() as f64 * 1000.0 + metadata.ctime_nsec() as f64 / 1e6,
        "atimeMs": metadata.atime() as f64 * 1000.0 + metadata.atime_nsec() as f64 / 1e6,
    })
}

/// Entries sorted by name, so the answer does not depend on the file system's order.
fn read_dir(dir: &Path) -> std::io::Result<Value> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        let kind = if file_type.is_symlink() {
            "symlink"
        } else if file_type.is_dir() {
            "directory"
        } else if file_type.is_file() {
            "file"
        } else {
            "other"
        };
        entries.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    entries.sort();
    Ok(Value::Array(
        entries.into_iter().map(|(name, kind)| json!({ "name": name, "kind": kind })).collect(),
    ))
}

pub(crate) fn error_code(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound => "ENOENT",
        PermissionDenied => "EACCES",
        NotADirectory => "ENOTDIR",
        IsADirectory => "EISDIR",
        _ => "EIO",
    }
}

pub(crate) fn describe(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound => "no such file or directory",
        PermissionDenied => "permission denied",
        NotADirectory => "not a directory",
        IsADirectory => "illegal operation on a directory",
        _ => "i/o error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_files_and_reports_missing_ones_as_node_does() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "hi").unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let path = |name: &str| json!({ "path": dir.path().join(name).display().to_string() });
        assert_eq!(call("fs.readFile", path("b.txt")).unwrap(), json!({ "ok": "aGk=" }));
        assert_eq!(call("fs.stat", path("b.txt")).unwrap()["ok"]["kind"], "file");
        let listing = call("fs.readDir", path("")).unwrap();
        assert_eq!(
            listing["ok"],
            json!([{ "name": "a", "kind": "directory" }, { "name": "b.txt", "kind": "file" }])
        );
        let missing = call("fs.readFile", path("nope")).unwrap();
        assert_eq!(missing["error"]["code"], "ENOENT");
        let message = missing["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("ENOENT: no such file or directory, open '")
                && message.ends_with("nope'"),
            "{message}"
        );
        assert!(call("fs.readFile", json!({ "path": "relative" })).is_err());
    }
}
