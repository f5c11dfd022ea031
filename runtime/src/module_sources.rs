//! Where the text of a module comes from: js-lib, embedded in the host and
//! served from `unfold://lib/`, and the program's own files — on disk for a
//! run from a project, or carried by a bundle for a restored Function, which
//! also carries how its specifiers resolved (the files may not exist here).

use std::collections::HashMap;
use std::rc::Rc;

use deno_core::ModuleSpecifier;
use deno_error::JsErrorBox;

use crate::esm_to_commonjs::Interop;
use crate::js_lib;
use crate::module_loader::{BundledFiles, LIB_URL};
use crate::node_resolution::{Format, Kind};

/// Where the program's own files (`file:` modules) are read from.
#[derive(Default)]
pub enum ProgramFiles {
    /// The machine's file system.
    #[default]
    Disk,
    /// A bundle's files and resolutions.
    Bundle(BundledFiles),
}

impl ProgramFiles {
    /// The text of `specifier`: js-lib for `unfold://lib/`, else a program file.
    pub(crate) fn read(&self, specifier: &ModuleSpecifier) -> Result<Rc<str>, JsErrorBox> {
        if let Some(path) = specifier.as_str().strip_prefix(LIB_URL) {
            return embedded(path);
        }
        match self {
            ProgramFiles::Bundle(files) if specifier.scheme() == "file" => files
                .sources
                .get(specifier.as_str())
                .map(|source| source.as_str().into())
                .ok_or_else(|| {
                    JsErrorBox::type_error(format!(
                        "Cannot load '{specifier}': it is not in the bundle"
                    ))
                }),
            _ => from_disk(specifier),
        }
    }

    /// Whether resolution must use what the bundle recorded, not the disk.
    pub(crate) fn is_bundle(&self) -> bool {
        matches!(self, ProgramFiles::Bundle(_))
    }

    /// Formats known before anything loads: a bundle records them.
    pub(crate) fn formats(&self) -> HashMap<String, Format> {
        match self {
            ProgramFiles::Disk => HashMap::new(),
            ProgramFiles::Bundle(files) => files
                .formats
                .iter()
                .filter_map(|(url, format)| {
                    Some((url.clone(), crate::module_loader::format_from_name(format)?))
                })
                .collect(),
        }
    }

    /// How CommonJS TypeScript files bind their imports: a bundle records it.
    pub(crate) fn interop(&self) -> HashMap<String, Interop> {
        match self {
            ProgramFiles::Disk => HashMap::new(),
            ProgramFiles::Bundle(files) => files
                .formats
                .keys()
                .filter(|url| {
                    url.ends_with(".ts") || url.ends_with(".tsx") || url.ends_with(".cts")
                })
                .map(|url| {
                    let es_module_interop = files.es_module_interop.contains(url);
                    (url.clone(), Interop { es_module_interop })
                })
                .collect(),
        }
    }

    /// How the bundle resolved `specifier` from `referrer`, if this is a bundle.
    pub(crate) fn recorded_resolution(
        &self,
        kind: Kind,
        referrer: &str,
        specifier: &str,
    ) -> Option<Option<String>> {
        let ProgramFiles::Bundle(files) = self else { return None };
        let key = [format!("{kind:?}"), referrer.to_string(), specifier.to_string()];
        Some(files.resolutions.iter().find(|r| r[..3] == key).map(|r| r[3].clone()))
    }
}

fn embedded(path: &str) -> Result<Rc<str>, JsErrorBox> {
    js_lib::file(path)
        .map(Rc::from)
        .ok_or_else(|| JsErrorBox::type_error(format!("Unfold's library has no module {path}")))
}

fn from_disk(specifier: &ModuleSpecifier) -> Result<Rc<str>, JsErrorBox> {
    let path = specifier.to_file_path().map_err(|()| {
        JsErrorBox::type_error(format!("Cannot load '{specifier}': only files can be imported"))
    })?;
    let text = std::fs::read_to_string(&path).map_err(|error| {
        JsErrorBox::type_error(format!("Cannot read module {}: {error}", path.display()))
    })?;
    Ok(text.into())
}
