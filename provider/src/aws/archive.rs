//! Zip archives as Lambda takes code and layers. Deterministic: entries in
//! the order given, every timestamp 1980-01-01, fixed permissions, so the
//! same files always give the same bytes (and the same CodeSha256, which is
//! how an unchanged Function is seen to be unchanged).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A file in an archive.
pub(crate) struct Entry<'a> {
    pub(crate) name: &'a str,
    pub(crate) bytes: &'a [u8],
    pub(crate) executable: bool,
}

pub(crate) fn zip(entries: &[Entry<'_>]) -> Result<Vec<u8>, String> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(if entry.executable { 0o755 } else { 0o644 });
        writer
            .start_file(entry.name, options)
            .and_then(|()| writer.write_all(entry.bytes).map_err(Into::into))
            .map_err(|error| format!("cannot add {} to the archive: {error}", entry.name))?;
    }
    writer
        .finish()
        .map(Cursor::into_inner)
        .map_err(|error| format!("cannot finish the archive: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let entries = [Entry { name: "bootstrap", bytes: b"#!/bin/sh\n", executable: true }];
        let first = zip(&entries).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(zip(&entries).unwrap(), first);
        let mut archive = zip::ZipArchive::new(Cursor::new(first)).unwrap();
        let file = archive.by_name("bootstrap").unwrap();
        assert_eq!(file.unix_mode().map(|mode| mode & 0o777), Some(0o755));
    }
}
