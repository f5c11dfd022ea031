//! Embeds js-lib (the TypeScript libraries programs import, and the vendored
//! JavaScript behind the Node.js built-ins) into the host, as a
//! sorted table of (path, source) so the binary is byte-for-byte reproducible.

use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../js-lib");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for package in ["pulumi", "policy", "unfold", "cloud", "test", "node"] {
        collect(&root.join(package), &root, &mut files);
    }
    files.sort();
    let mut table = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for (relative, absolute) in &files {
        table.push_str(&format!("    ({relative:?}, include_str!({absolute:?})),\n"));
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("js_lib_files.rs");
    std::fs::write(out, table).unwrap();
}

fn collect(dir: &Path, root: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, files);
        } else if path.extension().is_some_and(|ext| ext == "ts" || ext == "js" || ext == "json") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.push((relative, path.canonicalize().unwrap().display().to_string()));
        }
    }
}
