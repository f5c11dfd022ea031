//! Resolves and loads the modules of a program: the user's own files
//! (TypeScript or JavaScript, transpiled on load), the packages they import
//! from node_modules (ES modules and CommonJS, see `node_resolution` and
//! `commonjs`), and js-lib, which is compiled into the host and served from
//! `unfold://lib/` — including the Node.js built-ins under `unfold://lib/node/`.
//!
//! Every module's source is read once per run, here, from its source
//! (`module_sources`), and recorded in load order by the record that also
//! verifies a restored run (`module_record`): `require` reads through the same
//! loader (`commonjs`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use deno_ast::MediaType;
use deno_core::error::ModuleLoaderError;
use deno_core::{
    ModuleLoadOptions, ModuleLoadReferrer, ModuleLoadResponse, ModuleLoader, ModuleResolveResponse,
    ModuleSource, ModuleSourceCode, ModuleSpecifier, ModuleType, ResolutionKind,
};
use deno_error::JsErrorBox;

use crate::commonjs;
use crate::esm_to_commonjs::Interop;
use crate::js_lib;
use crate::node_resolution::{Format, Kind, NodeResolver, Resolved, has_module_syntax};
use crate::transpile::{display_path, transpile, transpile_commonjs};
use crate::typescript_format::TypeScriptFormats;

/// URL prefix of the embedded library.
pub const LIB_URL: &str = "unfold://lib/";

/// Bare package names that js-lib provides, and the folder that holds each.
/// They resolve to js-lib from every file, so a program and the npm packages
/// it uses (provider SDKs require `@pulumi/pulumi`) share one runtime.
const LIB_PACKAGES: &[(&str, &str)] = &[
    ("@pulumi/pulumi", "pulumi"),
    ("@pulumi/policy", "policy"),
    ("@unfold/cloud", "cloud"),
    ("@unfold/test", "test"),
];

pub use crate::module_record::{LoadedModule, ModuleRecord};
pub use crate::module_sources::ProgramFiles;

/// Why a specifier did not resolve, with Node.js's error code for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveFailure {
    pub message: String,
    /// `MODULE_NOT_FOUND`, or `ERR_UNFOLD_MISSING_BUILTIN` for a Node.js built-in Unfold lacks.
    pub code: &'static str,
}

#[derive(Default)]
pub struct ProgramModuleLoader {
    source_maps: RefCell<HashMap<String, Vec<u8>>>,
    /// Where the program's files come from.
    files: ProgramFiles,
    /// The modules loaded, verified against a snapshot's when restoring.
    record: ModuleRecord,
    /// Every source read so far, by URL: CommonJS is read once for its export
    /// names and once more when required, and must be the same text both times.
    sources: RefCell<HashMap<String, Rc<str>>>,
    /// Formats that resolution settled, by URL.
    formats: RefCell<HashMap<String, Format>>,
    resolver: NodeResolver,
    /// How file specifiers resolved, by (kind, referrer, specifier): a bundle
    /// carries them, so a restored program resolves without the files.
    resolutions: RefCell<BTreeMap<(String, String, String), String>>,
    /// What each ES module and CommonJS TypeScript file compiled to, by URL.
    compiled: RefCell<HashMap<String, Rc<str>>>,
    /// How TypeScript files run, from package.json and tsconfig.json.
    typescript: TypeScriptFormats,
    /// How each CommonJS TypeScript file's imports bind, by URL.
    interop: RefCell<HashMap<String, Interop>>,
    /// Why a TypeScript file cannot be compiled (its tsconfig.json is broken), by URL.
    config_errors: RefCell<HashMap<String, String>>,
    /// Append each program file's source map to its compiled code, so V8
    /// hands it to a debugger (`//# sourceMappingURL=data:…`).
    inline_source_maps: bool,
}

/// The files of a program as a bundle carries them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BundledFiles {
    /// Source text by URL, for every file module the program loaded.
    pub sources: BTreeMap<String, String>,
    /// `module`, `commonjs` or `json`, by URL.
    pub formats: BTreeMap<String, String>,
    /// `[kind, referrer, specifier, url]`, sorted.
    pub resolutions: Vec<[String; 4]>,
    /// The CommonJS TypeScript files compiled with `esModuleInterop`, by URL.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub es_module_interop: BTreeSet<String>,
}

impl ProgramModuleLoader {
    /// A loader reading the program's files from `files`, its modules
    /// recorded (and, restoring, verified) by `record`.
    pub fn new(files: ProgramFiles, record: ModuleRecord) -> Self {
        let formats = RefCell::new(files.formats());
        let interop = RefCell::new(files.interop());
        Self { files, record, formats, interop, ..Self::default() }
    }

    /// Compiled TypeScript carries its source map inline, for a debugger to
    /// show the .ts files (it costs the encoding on every load).
    pub fn inlining_source_maps(mut self, inline: bool) -> Self {
        self.inline_source_maps = inline;
        self
    }

    /// `code` with `map` inline, when source maps are inlined.
    fn with_inline_map(&self, code: String, map: Option<&[u8]>) -> String {
        match map {
            Some(map) if self.inline_source_maps => {
                use base64::Engine as _;
                let encoded = base64::engine::general_purpose::STANDARD.encode(map);
                format!("{code}\n//# sourceMappingURL=data:application/json;base64,{encoded}\n")
            }
            _ => code,
        }
    }

    /// Records the modules a startup snapshot's heap holds as loaded (they
    /// are, before anything else). A record from a build with other modules
    /// diverges here, and the first module loaded after reports it.
    pub(crate) fn start_from_snapshot(&self, in_heap: &[LoadedModule]) {
        for module in in_heap {
            if self.record.admit_digest(module.clone()).is_err() {
                break;
            }
        }
    }

    /// The program's files as a bundle carries them: every file module loaded
    /// so far, its format, and how file specifiers resolved.
    pub fn bundle_files(&self) -> BundledFiles {
        let sources = self.sources.borrow();
        let formats = self.formats.borrow();
        let interop = self.interop.borrow();
        let mut files = BundledFiles::default();
        for module in self.record.loaded().iter().filter(|m| m.specifier.starts_with("file:")) {
            if let Some(source) = sources.get(&module.specifier) {
                files.sources.insert(module.specifier.clone(), source.to_string());
            }
            if let Some(format) = formats.get(&module.specifier) {
                files.formats.insert(module.specifier.clone(), format_name(*format).to_string());
            }
            if interop.get(&module.specifier).is_some_and(|i| i.es_module_interop) {
                files.es_module_interop.insert(module.specifier.clone());
            }
        }
        files.resolutions = self
            .resolutions
            .borrow()
            .iter()
            .map(|((kind, referrer, specifier), url)| {
                [kind.clone(), referrer.clone(), specifier.clone(), url.clone()]
            })
            .collect();
        files
    }

    /// The code a module ran as: compiled JavaScript for ES modules and
    /// TypeScript, else its source.
    pub fn code_of(&self, specifier: &str) -> Option<Rc<str>> {
        let compiled = self.compiled.borrow().get(specifier).cloned();
        compiled.or_else(|| self.sources.borrow().get(specifier).cloned())
    }

    /// The ops `require` needs, bound to this loader; add it to the runtime's extensions.
    pub fn extension(self: &Rc<Self>) -> deno_core::Extension {
        crate::node_runtime::unfold_node::init(self.clone())
    }

    /// The modules loaded so far, in load order.
    pub fn loaded_modules(&self) -> Vec<LoadedModule> {
        self.record.loaded()
    }

    /// The source of `specifier`, read and recorded on first use.
    pub(crate) fn read(&self, specifier: &ModuleSpecifier) -> Result<Rc<str>, JsErrorBox> {
        if let Some(source) = self.sources.borrow().get(specifier.as_str()) {
            return Ok(source.clone());
        }
        let source = self.files.read(specifier)?;
        self.record
            .admit(specifier.as_str(), &source)
            .map_err(|divergence| JsErrorBox::generic(divergence.to_string()))?;
        self.sources.borrow_mut().insert(specifier.to_string(), source.clone());
        Ok(source)
    }

    /// How `specifier` (whose text is `source`) is evaluated.
    pub(crate) fn format(&self, specifier: &ModuleSpecifier, source: &str) -> Format {
        if let Some(format) = self.formats.borrow().get(specifier.as_str()) {
            return *format;
        }
        let path = specifier.path();
        let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
        let format = match extension {
            "json" => Format::Json,
            "ts" | "tsx" | "mts" | "cts" if specifier.scheme() == "file" => {
                self.typescript_format(specifier)
            }
            "cjs" | "cts" => Format::CommonJs,
            "mjs" | "mts" | "ts" | "tsx" => Format::Module,
            // The vendored packages behind the Node.js built-ins are CommonJS.
            _ if specifier.as_str().starts_with(LIB_URL) => Format::CommonJs,
            _ if has_module_syntax(specifier, source) => Format::Module,
            _ => Format::CommonJs,
        };
        self.formats.borrow_mut().insert(specifier.to_string(), format);
        format
    }

    /// How a program's TypeScript file runs, as Node.js with ts-node would run it.
    fn typescript_format(&self, specifier: &ModuleSpecifier) -> Format {
        let Ok(path) = specifier.to_file_path() else { return Format::Module };
        match self.typescript.of(&path) {
            Ok(module) => {
                self.interop.borrow_mut().insert(specifier.to_string(), module.interop);
                module.format
            }
            Err(message) => {
                // Compiling it reports the broken tsconfig.json.
                self.config_errors.borrow_mut().insert(specifier.to_string(), message);
                Format::CommonJs
            }
        }
    }

    /// The JavaScript of the CommonJS module `specifier`: TypeScript compiled
    /// (its source map registered under its URL), plain JavaScript as it is.
    pub(crate) fn commonjs_code(&self, specifier: &ModuleSpecifier) -> Result<Rc<str>, JsErrorBox> {
        if let Some(code) = self.compiled.borrow().get(specifier.as_str()) {
            return Ok(code.clone());
        }
        let source = self.read(specifier)?;
        let media_type = MediaType::from_specifier(specifier);
        if !matches!(
            media_type,
            MediaType::TypeScript | MediaType::Tsx | MediaType::Cts | MediaType::Mts
        ) {
            return Ok(source);
        }
        if let Some(message) = self.config_errors.borrow().get(specifier.as_str()) {
            return Err(JsErrorBox::generic(format!(
                "Cannot compile {}: {message}",
                display_path(specifier)
            )));
        }
        let interop = self.interop.borrow().get(specifier.as_str()).copied();
        // Without a decision (a bundle from before they were recorded): Pulumi's default.
        let interop = interop.unwrap_or(Interop { es_module_interop: true });
        let transpiled = transpile_commonjs(specifier, media_type, source.to_string(), interop)
            .map_err(|error| JsErrorBox::new("SyntaxError", error.to_string()))?;
        let code: Rc<str> =
            self.with_inline_map(transpiled.code, transpiled.source_map.as_deref()).into();
        if let Some(map) = transpiled.source_map {
            self.add_source_map(specifier, map);
        }
        self.compiled.borrow_mut().insert(specifier.to_string(), code.clone());
        Ok(code)
    }

    pub(crate) fn add_source_map(&self, specifier: &ModuleSpecifier, map: Vec<u8>) {
        self.source_maps.borrow_mut().insert(specifier.to_string(), map);
    }

    /// The nearest package.json `name` of a file, for messages.
    pub(crate) fn package_of(&self, specifier: &ModuleSpecifier) -> Option<String> {
        if let Some(rest) = specifier.as_str().strip_prefix(LIB_URL) {
            return Some(format!(
                "Unfold's library ({})",
                rest.split('/').next().unwrap_or_default()
            ));
        }
        self.resolver.package_name(&specifier.to_file_path().ok()?)
    }

    /// Resolves `specifier` written in the module `referrer`, for `import` or `require`.
    pub fn resolve_from(
        &self,
        specifier: &str,
        referrer: &str,
        kind: Kind,
    ) -> Result<ModuleSpecifier, ResolveFailure> {
        if let Some(url) = resolve_lib_package(specifier) {
            return url;
        }
        // Absolute URLs need no referrer (`require` of ES modules imports them with none).
        let (target, referrer_url) = if specifier.starts_with("file:")
            || specifier.starts_with(LIB_URL)
        {
            let url = ModuleSpecifier::parse(specifier)
                .map_err(|error| not_found(format!("'{specifier}': {error}")))?;
            if url.scheme() != "file" || self.files.is_bundle() {
                return Ok(url);
            }
            let path = url
                .to_file_path()
                .map_err(|()| not_found(format!("'{url}' is not a file path")))?;
            (path.display().to_string(), url)
        } else if referrer.starts_with(LIB_URL) {
            return resolve_in_lib(specifier, referrer);
        } else if let Some(found) = self.files.recorded_resolution(kind, referrer, specifier) {
            let url = found.ok_or_else(|| {
                not_found(format!("Cannot find module '{specifier}' from {referrer} in the bundle"))
            })?;
            return ModuleSpecifier::parse(&url)
                .map_err(|error| not_found(format!("'{url}': {error}")));
        } else {
            let referrer_url = ModuleSpecifier::parse(referrer)
                .map_err(|error| not_found(format!("invalid referrer {referrer}: {error}")))?;
            (specifier.to_string(), referrer_url)
        };
        let referrer_path = referrer_url.to_file_path().map_err(|()| {
            not_found(format!("Cannot find module '{specifier}': {referrer} is not a file"))
        })?;
        let resolved = self.resolver.resolve(&target, &referrer_path, kind).map_err(|message| {
            not_found(format!("{message} (imported from {})", referrer_path.display()))
        })?;
        let url = match resolved {
            Resolved::Builtin(name) => self.builtin(&name, &referrer_url)?,
            Resolved::File { path, format } => {
                let url = ModuleSpecifier::from_file_path(&path).map_err(|()| {
                    not_found(format!("'{}' is not an absolute path", path.display()))
                })?;
                if let Some(format) = format {
                    self.formats.borrow_mut().insert(url.to_string(), format);
                }
                url
            }
        };
        if !specifier.starts_with("file:") {
            let key = (format!("{kind:?}"), referrer.to_string(), specifier.to_string());
            self.resolutions.borrow_mut().insert(key, url.to_string());
        }
        Ok(url)
    }

    /// The js-lib module behind a Node.js built-in, or why there is none.
    fn builtin(
        &self,
        name: &str,
        referrer: &ModuleSpecifier,
    ) -> Result<ModuleSpecifier, ResolveFailure> {
        if let Some(url) = builtin_url(name) {
            return Ok(url);
        }
        let package =
            self.package_of(referrer).map(|name| format!("package '{name}', ")).unwrap_or_default();
        Err(ResolveFailure {
            message: format!(
                "{package}module {}: requires the Node.js built-in module '{name}', which Unfold does not provide. \
                 Programs run without direct access to the machine; the built-ins available are {}",
                display_path(referrer),
                provided_builtins().join(", ")
            ),
            code: "ERR_UNFOLD_MISSING_BUILTIN",
        })
    }

    fn load_now(&self, specifier: &ModuleSpecifier) -> Result<ModuleSource, ModuleLoaderError> {
        let source = self.read(specifier)?;
        let code = match self.format(specifier, &source) {
            Format::Json => {
                return Ok(ModuleSource::new(
                    ModuleType::Json,
                    ModuleSourceCode::String(source.to_string().into()),
                    specifier,
                    None,
                ));
            }
            Format::CommonJs => commonjs::facade(self, specifier),
            Format::Module => {
                // A module that does not parse becomes one that throws when evaluated: the
                // program fails where Node.js would compile it, with a SyntaxError naming
                // the file, line and column.
                // js-lib's source maps stay in the process-wide cache (see `get_source_map`).
                let compiled = if specifier.as_str().starts_with(LIB_URL) {
                    compile_lib_module(specifier, &source).map(|code| (code, None))
                } else {
                    transpile(specifier, MediaType::from_specifier(specifier), source.to_string())
                        .map(|transpiled| {
                            let code =
                                commonjs::with_module_scope(specifier, &source, transpiled.code);
                            self.compiled
                                .borrow_mut()
                                .insert(specifier.to_string(), code.as_str().into());
                            (code, transpiled.source_map)
                        })
                };
                match compiled {
                    Ok((code, map)) => {
                        let code = self.with_inline_map(code, map.as_deref());
                        if let Some(map) = map {
                            self.add_source_map(specifier, map);
                        }
                        code
                    }
                    Err(error) => format!(
                        "throw new SyntaxError({});",
                        serde_json::to_string(&error.to_string()).expect("strings serialize")
                    ),
                }
            }
        };
        Ok(ModuleSource::new(
            ModuleType::JavaScript,
            ModuleSourceCode::String(code.into()),
            specifier,
            None,
        ))
    }
}

impl ModuleLoader for ProgramModuleLoader {
    fn resolve(
        &self,
        specifier: &str,
        referrer: &str,
        _kind: ResolutionKind,
    ) -> ModuleResolveResponse {
        // Under Node.js, Pulumi's TypeScript programs are compiled to CommonJS (ts-node), so
        // their imports resolve with the `require` conditions; TypeScript that runs as an ES
        // module keeps them, as Unfold has always resolved it.
        let is_typescript = referrer.starts_with("file:")
            && [".ts", ".tsx", ".cts"].iter().any(|ext| referrer.ends_with(ext));
        let kind = if is_typescript { Kind::Require } else { Kind::Import };
        self.resolve_from(specifier, referrer, kind)
            .map_err(|failure| JsErrorBox::type_error(failure.message))
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
        if specifier.starts_with(LIB_URL) {
            return lib_source_map(specifier).map(Cow::Owned);
        }
        self.source_maps.borrow().get(specifier).map(|map| Cow::Owned(map.clone()))
    }
}

/// js-lib compiled once per process: it is embedded, so its code never
/// changes, and every isolate (each run, each restored Function) loads it.
/// A startup snapshot fills it with what the build compiled.
type CompiledLib = HashMap<String, (String, Option<Vec<u8>>)>;

fn lib_cache() -> &'static std::sync::Mutex<CompiledLib> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<CompiledLib>> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The JavaScript a js-lib ES module runs as; its source map stays in the
/// cache, for `lib_source_map`.
pub(crate) fn compile_lib_module(
    specifier: &ModuleSpecifier,
    source: &str,
) -> Result<String, crate::transpile::SyntaxError> {
    if let Some((code, _)) = lib_cache().lock().expect("lib cache lock").get(specifier.as_str()) {
        return Ok(code.clone());
    }
    let transpiled =
        transpile(specifier, MediaType::from_specifier(specifier), source.to_string())?;
    let code = commonjs::with_module_scope(specifier, source, transpiled.code);
    precompile_lib(specifier.as_str(), code.clone(), transpiled.source_map);
    Ok(code)
}

/// The source map of a compiled js-lib module: read only to map a stack trace.
pub(crate) fn lib_source_map(specifier: &str) -> Option<Vec<u8>> {
    lib_cache().lock().expect("lib cache lock").get(specifier)?.1.clone()
}

/// Records what the build compiled `specifier` to, so it is not compiled again.
pub(crate) fn precompile_lib(specifier: &str, code: String, map: Option<Vec<u8>>) {
    lib_cache().lock().expect("lib cache lock").insert(specifier.to_string(), (code, map));
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Module => "module",
        Format::CommonJs => "commonjs",
        Format::Json => "json",
    }
}

pub(crate) fn format_from_name(name: &str) -> Option<Format> {
    match name {
        "module" => Some(Format::Module),
        "commonjs" => Some(Format::CommonJs),
        "json" => Some(Format::Json),
        _ => None,
    }
}

fn not_found(message: String) -> ResolveFailure {
    ResolveFailure { message, code: "MODULE_NOT_FOUND" }
}

fn lib_url(path: &str) -> ModuleSpecifier {
    ModuleSpecifier::parse(&format!("{LIB_URL}{path}")).expect("lib URLs are valid")
}

/// `unfold://lib/node/<name>.ts` when js-lib provides the built-in `name`.
fn builtin_url(name: &str) -> Option<ModuleSpecifier> {
    let path = format!("node/{name}.ts");
    js_lib::file(&path).map(|_| lib_url(&path))
}

/// The Node.js built-ins js-lib provides, by name.
pub fn provided_builtins() -> Vec<String> {
    js_lib::FILES
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("node/")?.strip_suffix(".ts"))
        .filter(|name| !name.starts_with("internal/") && !name.starts_with("vendor/"))
        .map(str::to_string)
        .collect()
}

fn resolve_lib_package(specifier: &str) -> Option<Result<ModuleSpecifier, ResolveFailure>> {
    let (package, folder) = LIB_PACKAGES.iter().find(|(package, _)| {
        specifier == *package
            || specifier.strip_prefix(package).is_some_and(|rest| rest.starts_with('/'))
    })?;
    let subpath = specifier[package.len()..].trim_start_matches('/');
    // Packages compiled for Node.js name subpaths by their emitted files.
    let subpath = subpath.strip_suffix(".js").unwrap_or(subpath);
    let subpath = subpath.strip_suffix("/index").unwrap_or(subpath);
    let base = if subpath.is_empty() { folder.to_string() } else { format!("{folder}/{subpath}") };
    let candidates = [base.clone(), format!("{base}.ts"), format!("{base}/index.ts")];
    let found = candidates.iter().find(|path| path.contains('.') && js_lib::file(path).is_some());
    Some(match found {
        Some(path) => Ok(lib_url(path)),
        None => Err(not_found(format!(
            "Cannot find module '{specifier}': {package} has no such entry in Unfold's library"
        ))),
    })
}

/// Resolution inside js-lib: relative paths, Node.js built-ins by name, and
/// the npm packages vendored under `node/vendor/` that the built-ins use.
fn resolve_in_lib(specifier: &str, referrer: &str) -> Result<ModuleSpecifier, ResolveFailure> {
    let missing = || {
        not_found(format!(
            "Cannot find module '{specifier}' in Unfold's library (imported from {referrer})"
        ))
    };
    let base = if specifier.starts_with("./") || specifier.starts_with("../") {
        let url = ModuleSpecifier::parse(referrer)
            .and_then(|r| r.join(specifier))
            .map_err(|_| missing())?;
        url.as_str().strip_prefix(LIB_URL).ok_or_else(missing)?.to_string()
    } else if let Some(url) = specifier.strip_prefix(LIB_URL) {
        url.to_string()
    } else {
        let name = specifier.strip_prefix("node:").unwrap_or(specifier);
        if let Some(url) = builtin_url(name) {
            return Ok(url);
        }
        format!("node/vendor/{name}")
    };
    probe_lib(&base).map(|path| lib_url(&path)).ok_or_else(missing)
}

fn probe_lib(base: &str) -> Option<String> {
    let main = js_lib::file(&format!("{base}/package.json"))
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|json| {
            json.get("main")
                .and_then(|m| m.as_str())
                .map(|m| format!("{base}/{}", m.trim_start_matches("./")))
        });
    let candidates = [
        Some(base.to_string()),
        main.clone(),
        main.map(|m| format!("{m}.js")),
        Some(format!("{base}.ts")),
        Some(format!("{base}.js")),
        Some(format!("{base}.json")),
        Some(format!("{base}/index.ts")),
        Some(format!("{base}/index.js")),
    ];
    candidates.into_iter().flatten().find(|path| js_lib::file(path).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = "import legacy from \"./legacy\";\nexport const kind = typeof legacy;\n";

    /// Loads `index.ts` of a project whose tsconfig.json sets `esModuleInterop`
    /// to `interop`, then restores it from the bundle that run made.
    fn compiled_and_restored(interop: bool) -> (Rc<str>, Rc<str>, BundledFiles) {
        let dir = tempfile::tempdir().unwrap();
        let config = format!(
            "{{ \"compilerOptions\": {{ \"module\": \"commonjs\", \"esModuleInterop\": {interop} }} }}"
        );
        std::fs::write(dir.path().join("tsconfig.json"), config).unwrap();
        std::fs::write(dir.path().join("index.ts"), PROGRAM).unwrap();
        let url = ModuleSpecifier::from_file_path(dir.path().join("index.ts")).unwrap();

        let loader = ProgramModuleLoader::new(ProgramFiles::Disk, ModuleRecord::recording());
        let source = loader.read(&url).unwrap();
        assert_eq!(loader.format(&url, &source), Format::CommonJs);
        let compiled = loader.commonjs_code(&url).unwrap();
        let files = loader.bundle_files();

        let restored = ProgramModuleLoader::new(
            ProgramFiles::Bundle(files.clone()),
            ModuleRecord::recording(),
        );
        let source = restored.read(&url).unwrap();
        assert_eq!(restored.format(&url, &source), Format::CommonJs);
        (compiled, restored.commonjs_code(&url).unwrap(), files)
    }

    #[test]
    fn a_bundle_compiles_commonjs_typescript_as_the_run_did() {
        let (compiled, restored, files) = compiled_and_restored(true);
        assert!(compiled.contains("_interop_require_default"), "{compiled}");
        assert_eq!(compiled, restored);
        assert_eq!(files.es_module_interop.len(), 1);

        let (compiled, restored, files) = compiled_and_restored(false);
        assert!(!compiled.contains("_interop_require_default"), "{compiled}");
        assert_eq!(compiled, restored);
        assert!(files.es_module_interop.is_empty());
    }

    #[test]
    fn a_broken_tsconfig_fails_the_module_that_needs_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tsconfig.json"), "{ \"compilerOptions\": ").unwrap();
        std::fs::write(dir.path().join("index.ts"), PROGRAM).unwrap();
        let url = ModuleSpecifier::from_file_path(dir.path().join("index.ts")).unwrap();
        let loader = ProgramModuleLoader::new(ProgramFiles::Disk, ModuleRecord::recording());
        let source = loader.read(&url).unwrap();
        loader.format(&url, &source);
        let error = loader.commonjs_code(&url).err().unwrap().to_string();
        assert!(error.contains("tsconfig.json: invalid JSON at line 1"), "{error}");
        assert!(error.contains("index.ts"), "{error}");
    }
}
