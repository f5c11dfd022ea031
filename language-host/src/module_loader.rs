//! Resolves and loads the modules of a program: the user's own files
//! (TypeScript or JavaScript, transpiled on load) and js-lib, which is compiled
//! into the host and served from `unfold://lib/`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use deno_ast::MediaType;
use deno_core::error::ModuleLoaderError;
use deno_core::{
    ModuleLoadOptions, ModuleLoadReferrer, ModuleLoadResponse, ModuleLoader, ModuleResolveResponse,
    ModuleSource, ModuleSourceCode, ModuleSpecifier, ModuleType, ResolutionKind,
};
use deno_error::JsErrorBox;
use sha2::{Digest, Sha256};

use crate::js_lib;
use crate::transpile::{display_path, transpile};

/// URL prefix of the embedded library.
pub const LIB_URL: &str = "unfold://lib/";

/// Bare package names that js-lib provides, and the folder that holds each.
const LIB_PACKAGES: &[(&str, &str)] = &[("@pulumi/pulumi", "pulumi"), ("@unfold/cloud", "cloud")];

/// Extensions tried, in order, for an import written without one (as tsc allows).
const IMPLICIT_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "js", "mjs", "jsx", "json"];

/// A module that was loaded, in load order: what a snapshot of the program must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedModule {
    pub specifier: String,
    /// Hex SHA-256 of the source as read.
    pub sha256: String,
}

#[derive(Default)]
pub struct ProgramModuleLoader {
    source_maps: RefCell<HashMap<String, Vec<u8>>>,
    loaded: RefCell<Vec<LoadedModule>>,
    /// When restoring a snapshot: the modules it was recorded with, in load order.
    expected: Vec<LoadedModule>,
}

impl ProgramModuleLoader {
    pub fn new() -> Self {
        Self::default()
    }

    /// A loader that refuses to load anything other than `expected`, in that
    /// order, for as long as the list lasts: a restored program must run the
    /// very code it was recorded with.
    pub fn verifying(expected: Vec<LoadedModule>) -> Self {
        Self { expected, ..Self::default() }
    }

    /// The modules loaded so far, in load order.
    pub fn loaded_modules(&self) -> Vec<LoadedModule> {
        self.loaded.borrow().clone()
    }

    fn load_now(&self, specifier: &ModuleSpecifier) -> Result<ModuleSource, ModuleLoaderError> {
        let (source, media_type) = read_source(specifier)?;
        let module =
            LoadedModule { specifier: specifier.to_string(), sha256: hex::encode(Sha256::digest(source.as_bytes())) };
        if let Some(expected) = self.expected.get(self.loaded.borrow().len()) {
            if *expected != module {
                return Err(JsErrorBox::generic(format!(
                    "cannot restore: the snapshot expects module #{} to be {} (sha256 {}), but {} (sha256 {}) was loaded; \
                     the program changed since the snapshot was taken",
                    self.loaded.borrow().len() + 1,
                    expected.specifier,
                    expected.sha256,
                    module.specifier,
                    module.sha256
                )));
            }
        }
        self.loaded.borrow_mut().push(module);
        if media_type == MediaType::Json {
            return Ok(ModuleSource::new(
                ModuleType::Json,
                ModuleSourceCode::String(source.into()),
                specifier,
                None,
            ));
        }
        // A module that does not parse becomes one that throws when evaluated: the
        // program fails where Node.js would compile it, with a SyntaxError naming
        // the file, line and column.
        let transpiled = match transpile(specifier, media_type, source) {
            Ok(transpiled) => transpiled,
            Err(error) => crate::transpile::Transpiled {
                code: format!("throw new SyntaxError({});", serde_json::to_string(&error.to_string()).expect("strings serialize")),
                source_map: None,
            },
        };
        if let Some(map) = transpiled.source_map {
            self.source_maps.borrow_mut().insert(specifier.to_string(), map);
        }
        Ok(ModuleSource::new(
            ModuleType::JavaScript,
            ModuleSourceCode::String(transpiled.code.into()),
            specifier,
            None,
        ))
    }
}

impl ModuleLoader for ProgramModuleLoader {
    fn resolve(&self, specifier: &str, referrer: &str, _kind: ResolutionKind) -> ModuleResolveResponse {
        resolve(specifier, referrer).into()
    }

    fn load(
        &self,
        specifier: &ModuleSpecifier,
        _referrer: Option<&ModuleLoadReferrer>,
        _options: ModuleLoadOptions,
    ) -> ModuleLoadResponse {
        ModuleLoadResponse::Sync(self.load_now(specifier))
    }

    fn get_source_map(&self, specifier: &str) -> Option<Cow<'_, [u8]>> {
        self.source_maps.borrow().get(specifier).map(|map| Cow::Owned(map.clone()))
    }
}

/// Resolves `specifier` as imported by `referrer`.
pub fn resolve(specifier: &str, referrer: &str) -> Result<ModuleSpecifier, ModuleLoaderError> {
    if let Some(url) = resolve_lib_package(specifier) {
        return url;
    }
    let is_path = specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier.starts_with('/')
        || specifier.contains("://")
        || specifier.starts_with("file:");
    if !is_path {
        return Err(JsErrorBox::type_error(format!(
            "Cannot find module '{specifier}' imported from {}: Unfold provides @pulumi/pulumi and \
             @unfold/cloud; other packages must be installed in node_modules",
            display_referrer(referrer)
        )));
    }
    let url = deno_core::resolve_import(specifier, referrer).map_err(JsErrorBox::from_err)?;
    if url.scheme() != "file" {
        return Ok(url);
    }
    let path = url
        .to_file_path()
        .map_err(|()| JsErrorBox::type_error(format!("'{url}' is not a file path")))?;
    let found = probe_file(&path).ok_or_else(|| {
        JsErrorBox::type_error(format!(
            "Cannot find module '{specifier}' imported from {}: no file {} (tried the extensions {})",
            display_referrer(referrer),
            path.display(),
            IMPLICIT_EXTENSIONS.join(", ")
        ))
    })?;
    ModuleSpecifier::from_file_path(&found)
        .map_err(|()| JsErrorBox::type_error(format!("'{}' is not an absolute path", found.display())))
}

fn resolve_lib_package(specifier: &str) -> Option<Result<ModuleSpecifier, ModuleLoaderError>> {
    let (package, folder) = LIB_PACKAGES.iter().find(|(package, _)| {
        specifier == *package || specifier.strip_prefix(package).is_some_and(|rest| rest.starts_with('/'))
    })?;
    let subpath = specifier[package.len()..].trim_start_matches('/');
    let base = if subpath.is_empty() { folder.to_string() } else { format!("{folder}/{subpath}") };
    let candidates = [format!("{base}.ts"), format!("{base}/index.ts")];
    let found = candidates.iter().find(|path| js_lib::file(path).is_some());
    Some(match found {
        Some(path) => Ok(ModuleSpecifier::parse(&format!("{LIB_URL}{path}")).expect("lib URLs are valid")),
        None => Err(JsErrorBox::type_error(format!(
            "Cannot find module '{specifier}': {package} has no such entry in Unfold's library"
        ))),
    })
}

/// The file an import names: exactly it, with an implicit extension, a `.js`
/// name standing for its `.ts` source (the TypeScript convention), or a folder's index.
fn probe_file(path: &Path) -> Option<PathBuf> {
    if path.is_file() {
        return Some(path.to_path_buf());
    }
    if let Some(stem) = path.to_str().and_then(|p| p.strip_suffix(".js")) {
        for ext in ["ts", "tsx"] {
            let candidate = PathBuf::from(format!("{stem}.{ext}"));
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let with_ext = IMPLICIT_EXTENSIONS
        .iter()
        .map(|ext| PathBuf::from(format!("{}.{ext}", path.display())));
    let index = IMPLICIT_EXTENSIONS.iter().map(|ext| path.join(format!("index.{ext}")));
    with_ext.chain(index).find(|candidate| candidate.is_file())
}

fn read_source(specifier: &ModuleSpecifier) -> Result<(String, MediaType), ModuleLoaderError> {
    if let Some(path) = specifier.as_str().strip_prefix(LIB_URL) {
        let text = js_lib::file(path)
            .ok_or_else(|| JsErrorBox::type_error(format!("Unfold's library has no module {path}")))?;
        return Ok((text.to_string(), MediaType::from_path(Path::new(path))));
    }
    let path = specifier
        .to_file_path()
        .map_err(|()| JsErrorBox::type_error(format!("Cannot load '{specifier}': only files can be imported")))?;
    let text = std::fs::read_to_string(&path).map_err(|error| {
        JsErrorBox::type_error(format!("Cannot read module {}: {error}", path.display()))
    })?;
    Ok((text, MediaType::from_path(&path)))
}

fn display_referrer(referrer: &str) -> String {
    ModuleSpecifier::parse(referrer).map(|url| display_path(&url)).unwrap_or_else(|_| referrer.to_string())
}
