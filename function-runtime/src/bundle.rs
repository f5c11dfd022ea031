//! Bundles: a Function's deployable code — the deploy-time program's record up
//! to the `bundle.capture` crossing, plus the files of the modules it loaded.
//!
//! ```text
//! unfold-bundle 1
//! {"files":{…},"function":"insert","secrets":1}   one line of canonical JSON
//! unfold-snapshot 1                               the record (docs/snapshot-format.md)
//! …
//! ```
//!
//! The same program with the same inputs gives the same bytes. Secret values
//! (secret config, secret resource outputs) are replaced by placeholders
//! `{"@unfold/secret": n}`; their values travel separately, as a secret input
//! of the Function resource, and are put back when the bundle is restored.
//! The record is normalized to a deployment (`dryRun: false`): a preview cuts
//! the bundle the update will deploy, so an unchanged program previews as no
//! change.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use unfold_runtime::crossings::CrossingSpec;
use unfold_runtime::io::{Crossing, CrossingError};
use unfold_runtime::membrane::log::{self, Header};
use unfold_runtime::membrane::{CallResult, Entry, Snapshot, canonical};
use unfold_runtime::module_loader::{BundledFiles, ProgramModuleLoader};
use unfold_wire::signatures::{SECRET_SIG, SIG_KEY};

/// The first line of every bundle.
pub const MAGIC: &str = "unfold-bundle 1";
/// The key of a secret placeholder.
pub const SECRET_PLACEHOLDER: &str = "@unfold/secret";

/// What the bundle says besides its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The Function the bundle serves.
    pub function: String,
    /// How many secret values the placeholders stand for.
    pub secrets: usize,
    pub files: BundledFiles,
}

/// A decoded bundle; its record still holds the placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub manifest: Manifest,
    pub snapshot: Snapshot,
}

impl Bundle {
    pub fn encode(&self) -> Vec<u8> {
        with_manifest(&self.manifest, &log::encode(&self.snapshot.header, &self.snapshot.entries))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let text =
            std::str::from_utf8(bytes).map_err(|_| "the bundle is not UTF-8 text".to_string())?;
        let rest = text
            .strip_prefix(MAGIC)
            .and_then(|rest| rest.strip_prefix('\n'))
            .ok_or_else(|| format!("not an Unfold bundle (the first line is not '{MAGIC}')"))?;
        let (manifest, snapshot) =
            rest.split_once('\n').ok_or("the bundle ends after its first line")?;
        let manifest: Manifest = serde_json::from_str(manifest)
            .map_err(|error| format!("bundle line 2 (the manifest): {error}"))?;
        let snapshot = Snapshot::decode(snapshot.as_bytes())
            .map_err(|error| format!("the bundle's record: {error}"))?;
        Ok(Self { manifest, snapshot })
    }

    /// Reads and decodes the bundle at `path`.
    pub fn read(path: &Path) -> Result<Self, String> {
        let bytes = std::fs::read(path)
            .map_err(|error| format!("cannot read the bundle {}: {error}", path.display()))?;
        Self::decode(&bytes).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// The record with the secret values put back.
    pub fn entries_with_secrets(&self, secrets: &[Value]) -> Result<Vec<Entry>, String> {
        if secrets.len() != self.manifest.secrets {
            return Err(format!(
                "the bundle needs {} secret value(s), but {} were given",
                self.manifest.secrets,
                secrets.len()
            ));
        }
        let mut entries = self.snapshot.entries.clone();
        for entry in &mut entries {
            for_each_value(entry, &mut |value| reveal(value, secrets));
        }
        Ok(entries)
    }
}

/// A bundle's bytes: its manifest, then the already encoded record.
fn with_manifest(manifest: &Manifest, record: &[u8]) -> Vec<u8> {
    let manifest = serde_json::to_value(manifest).expect("manifests serialize");
    let mut bytes = format!("{MAGIC}\n{}\n", canonical::to_string(&manifest)).into_bytes();
    bytes.extend_from_slice(record);
    bytes
}

pub static BUNDLE_CAPTURE: CrossingSpec = CrossingSpec::sync(
    "bundle.capture",
    "`{bundleDir, functions: [{name, handler, module?}]}`: `module`, the URL of the module a service's handler serves",
    "during a deployment `{bundles: {name: {hash, path, size, secrets}}}`, the bundles cut from the record so far; in a restored Function `{serve: name}`",
);

/// A Function handed to `bundle.capture`.
#[derive(Debug, Deserialize)]
struct CapturedFunction {
    name: String,
    /// The handler's source text (`Function.prototype.toString`).
    handler: String,
    /// For a service: the URL of the module its handler serves, whose whole
    /// code is then the unit's own (see [`own_code`]).
    #[serde(default)]
    module: Option<String>,
}

/// The code that is a unit's own rather than the program's: a Function's
/// handler, and a service's handler with its whole module. Editing it changes
/// only that unit's identity.
fn own_code(function: &CapturedFunction, loader: &ProgramModuleLoader) -> Vec<String> {
    let module = function.module.as_deref().and_then(|url| loader.code_of(url));
    std::iter::once(function.handler.clone()).chain(module.map(|code| code.to_string())).collect()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CaptureArgs {
    bundle_dir: PathBuf,
    functions: Vec<CapturedFunction>,
}

/// What a capture produced for one Function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleInfo {
    /// The Function's identity: a hash over everything the handler can
    /// observe (see `identity`). The Function resource's `bundle` input.
    pub hash: String,
    pub path: PathBuf,
    pub size: usize,
    /// JSON array text of the secret values.
    pub secrets: String,
    /// The program's own files the Function's code comes from, for reviewers:
    /// see [`program_files`].
    pub files: BTreeMap<String, String>,
}

/// Cuts one bundle per Function from `entries` (the record before the
/// `bundle.capture` crossing) and writes them to `bundleDir`. The answer is
/// `{bundles: {name: BundleInfo}}`.
pub fn capture(
    entries: &[Entry],
    header: Header,
    loader: &ProgramModuleLoader,
    args: Value,
) -> Crossing {
    let args: CaptureArgs = serde_json::from_value(args)?;
    let (entries, secrets) = redact(entries);
    let secrets_text = serde_json::to_string(&secrets).expect("JSON values serialize");
    let files = loader.bundle_files();
    let own: Vec<Vec<String>> = args.functions.iter().map(|f| own_code(f, loader)).collect();
    let handlers: Vec<&str> = own.iter().flatten().map(String::as_str).collect();
    // Every Function of the capture shares the record: encode it once.
    let encoded_entries = log::encode_entries(&entries);
    let code = program_code_digests(&header, loader, &handlers);
    let observed = observed_digest(&without_source_positions(&entries), &header, &code);
    let program_files = program_files(&header, &code);
    let record = log::encode_parts(&header, &encoded_entries);
    crate::private_files::create_dir_all(&args.bundle_dir).map_err(|error| {
        CrossingError::host(format!(
            "cannot create the bundle directory {}: {error}",
            args.bundle_dir.display()
        ))
    })?;
    let mut bundles = serde_json::Map::new();
    for (function, own) in args.functions.iter().zip(&own) {
        let manifest = Manifest {
            function: function.name.clone(),
            secrets: secrets.len(),
            files: files.clone(),
        };
        let bytes = with_manifest(&manifest, &record);
        let path = args.bundle_dir.join(format!("{}.bundle", hex::encode(Sha256::digest(&bytes))));
        write_once(&path, &bytes)?;
        let hash = identity(&observed, &function.name, own);
        let info = BundleInfo {
            hash,
            path,
            size: bytes.len(),
            secrets: secrets_text.clone(),
            files: program_files.clone(),
        };
        bundles.insert(
            function.name.clone(),
            serde_json::to_value(info).expect("bundle info serializes"),
        );
    }
    Ok(json!({ "bundles": bundles }))
}

/// Bundles are named by their content: an existing file already holds these bytes.
fn write_once(path: &Path, bytes: &[u8]) -> Result<(), CrossingError> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    tempfile::NamedTempFile::new_in(dir)
        .and_then(|mut file| {
            std::io::Write::write_all(&mut file, bytes)?;
            file.persist(path)?;
            Ok(())
        })
        .map_err(|error| {
            CrossingError::host(format!("cannot write the bundle {}: {error}", path.display()))
        })
}

/// A hash over what every Function of a capture observes alike: the record
/// (secrets redacted, so a changed secret shows as a changed `secrets` input
/// instead; source positions left out), the library modules, and the
/// program's code with the handlers of this capture cut out (`code`, from
/// [`program_code_digests`]) — so that editing one handler changes only its
/// own Function's identity.
fn observed_digest(
    encoded_entries: &[u8],
    header: &Header,
    code: &HashMap<String, [u8; 32]>,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(encoded_entries);
    for module in &header.modules {
        hasher.update(module.specifier.as_bytes());
        hasher.update([0]);
        match code.get(&module.specifier) {
            Some(digest) => hasher.update(digest),
            None => hasher.update(module.sha256.as_bytes()),
        }
    }
    hex::encode(hasher.finalize())
}

/// The record as the identity sees it: without where in the source each
/// resource was declared (`sourcePosition`, `stackTrace`), which moves when a
/// file is reformatted while nothing the handler observes changes.
fn without_source_positions(entries: &[Entry]) -> Vec<u8> {
    let mut entries = entries.to_vec();
    for entry in &mut entries {
        for_each_value(entry, &mut strip_source_positions);
    }
    log::encode_entries(&entries)
}

fn strip_source_positions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("sourcePosition");
            map.remove("stackTrace");
            map.values_mut().for_each(strip_source_positions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_source_positions),
        _ => {}
    }
}

/// SHA-256 of the code each program file ran as, with the handlers of this
/// capture cut out, by URL; modules that are not files (js-lib) are left out.
/// Computed once per capture for both the identity and the file list.
fn program_code_digests(
    header: &Header,
    loader: &ProgramModuleLoader,
    handlers: &[&str],
) -> HashMap<String, [u8; 32]> {
    let mut digests = HashMap::new();
    for module in header.modules.iter().filter(|m| m.specifier.starts_with("file:")) {
        let Some(code) = loader.code_of(&module.specifier) else { continue };
        let mut code = code.to_string();
        for handler in handlers.iter().filter(|h| h.len() >= 8) {
            code = code.replace(handler, "");
        }
        digests.insert(module.specifier.clone(), Sha256::digest(code.as_bytes()).into());
    }
    digests
}

/// The program's own files (not its packages), by path relative to the main
/// module's folder, each with a short hash of its code as [`observed_digest`]
/// sees it (`code`). A Function resource carries them as an input beside its
/// handler's text, so a preview names the files whose change reaches a
/// Function; whitespace-only edits compile to the same code and change nothing.
fn program_files(header: &Header, code: &HashMap<String, [u8; 32]>) -> BTreeMap<String, String> {
    let root = deno_core::ModuleSpecifier::parse(&header.main)
        .ok()
        .and_then(|main| main.to_file_path().ok())
        .and_then(|main| main.parent().map(Path::to_path_buf));
    let mut files = BTreeMap::new();
    for module in &header.modules {
        let Ok(path) = deno_core::ModuleSpecifier::parse(&module.specifier)
            .map_err(|_| ())
            .and_then(|url| url.to_file_path())
        else {
            continue;
        };
        if path.components().any(|part| part.as_os_str() == "node_modules") {
            continue;
        }
        let Some(digest) = code.get(&module.specifier) else { continue };
        let relative = root
            .as_deref()
            .and_then(|root| pathdiff::diff_paths(&path, root))
            .unwrap_or_else(|| path.clone())
            .display()
            .to_string();
        files.insert(relative, format!("sha256:{}", &hex::encode(digest)[..12]));
    }
    files
}

fn identity(observed: &str, name: &str, own: &[String]) -> String {
    let mut hasher = Sha256::new();
    for part in [MAGIC, observed, name].into_iter().chain(own.iter().map(String::as_str)) {
        hasher.update(Sha256::digest(part.as_bytes()));
    }
    hex::encode(hasher.finalize())
}

/// The record as a bundle holds it: secrets replaced by placeholders, and the
/// run seen as a deployment. Returns the secret values, in placeholder order.
pub fn redact(entries: &[Entry]) -> (Vec<Entry>, Vec<Value>) {
    let mut entries = entries.to_vec();
    let mut secrets = Secrets::default();
    normalize_engine_answers(&mut entries);
    // Secret config, and secret values wherever Pulumi marks them.
    for entry in &mut entries {
        if let Entry::Call { name, result: CallResult::Ok(context), .. } = entry
            && name == "run.context"
        {
            normalize_context(context, &mut secrets);
        }
        for_each_value(entry, &mut |value| hide_marked_secrets(value, &mut secrets));
    }
    // The same values anywhere else (a secret echoed in a log message as a whole).
    let texts: Vec<(usize, String)> = secrets
        .0
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_str().filter(|t| t.len() >= 4).map(|t| (i, t.to_string())))
        .collect();
    if !texts.is_empty() {
        for entry in &mut entries {
            for_each_value(entry, &mut |value| hide_strings(value, &texts));
        }
    }
    (entries, secrets.0)
}

/// The secret values found so far, in placeholder order.
#[derive(Default)]
struct Secrets(Vec<Value>);

impl Secrets {
    /// The placeholder standing for `secret` (the same one for equal values).
    fn hide(&mut self, secret: Value) -> Value {
        let index = self.0.iter().position(|s| *s == secret).unwrap_or_else(|| {
            self.0.push(secret);
            self.0.len() - 1
        });
        placeholder(index)
    }
}

fn placeholder(index: usize) -> Value {
    json!({ SECRET_PLACEHOLDER: index })
}

/// Answers that differ between a preview and the update that follows it, but
/// not in anything a Function can use: the engine's `dryRun` flag, and the
/// root stack's outputs (the program's own exports from the last deployment,
/// which a preview reports and an update has not registered yet).
fn normalize_engine_answers(entries: &mut [Entry]) {
    let mut deployment_info = std::collections::BTreeSet::new();
    let mut stack = std::collections::BTreeSet::new();
    for entry in entries.iter() {
        if let Entry::Start { ticket, name, args } = entry {
            if name == "monitor.GetDeploymentInfo" {
                deployment_info.insert(*ticket);
            } else if name == "monitor.RegisterResource"
                && args.get("type").and_then(Value::as_str) == Some("pulumi:pulumi:Stack")
            {
                stack.insert(*ticket);
            }
        }
    }
    for entry in entries.iter_mut() {
        let Entry::Deliver { batch } = entry else { continue };
        for delivered in batch.iter_mut() {
            let ticket = delivered.get(0).and_then(Value::as_u64).unwrap_or(0) as u32;
            let Some(answer) = delivered.get_mut(2).and_then(Value::as_object_mut) else {
                continue;
            };
            if deployment_info.contains(&ticket) {
                answer.remove("dryRun");
            } else if stack.contains(&ticket) {
                answer.insert("object".into(), json!({}));
            }
        }
    }
}

fn normalize_context(context: &mut Value, secrets: &mut Secrets) {
    let Some(context) = context.as_object_mut() else { return };
    context.insert("dryRun".into(), Value::Bool(false));
    let keys: Vec<String> = context
        .get("configSecretKeys")
        .and_then(Value::as_array)
        .map(|keys| keys.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if let Some(config) = context.get_mut("config").and_then(Value::as_object_mut) {
        for key in keys {
            if let Some(value) = config.get_mut(&key) {
                *value = secrets.hide(value.take());
            }
        }
    }
}

fn hide_marked_secrets(value: &mut Value, secrets: &mut Secrets) {
    match value {
        Value::Object(map) => {
            if map.get(SIG_KEY).and_then(Value::as_str) == Some(SECRET_SIG) {
                if let Some(inner) = map.get_mut("value")
                    && !is_placeholder(inner)
                {
                    *inner = secrets.hide(inner.take());
                }
                return;
            }
            map.values_mut().for_each(|v| hide_marked_secrets(v, secrets));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| hide_marked_secrets(v, secrets)),
        _ => {}
    }
}

fn hide_strings(value: &mut Value, texts: &[(usize, String)]) {
    match value {
        Value::String(text) => {
            if let Some((index, _)) = texts.iter().find(|(_, secret)| secret == text) {
                *value = placeholder(*index);
            }
        }
        Value::Object(map) if !is_placeholder_map(map) => {
            map.values_mut().for_each(|v| hide_strings(v, texts))
        }
        Value::Array(items) => items.iter_mut().for_each(|v| hide_strings(v, texts)),
        _ => {}
    }
}

fn reveal(value: &mut Value, secrets: &[Value]) {
    match value {
        Value::Object(map) if is_placeholder_map(map) => {
            let index = map[SECRET_PLACEHOLDER].as_u64().unwrap_or(u64::MAX) as usize;
            if let Some(secret) = secrets.get(index) {
                *value = secret.clone();
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| reveal(v, secrets)),
        Value::Array(items) => items.iter_mut().for_each(|v| reveal(v, secrets)),
        _ => {}
    }
}

fn is_placeholder(value: &Value) -> bool {
    value.as_object().is_some_and(is_placeholder_map)
}

fn is_placeholder_map(map: &serde_json::Map<String, Value>) -> bool {
    map.len() == 1 && map.get(SECRET_PLACEHOLDER).is_some_and(Value::is_u64)
}

/// Applies `f` to every JSON value an entry carries.
pub(crate) fn for_each_value(entry: &mut Entry, f: &mut impl FnMut(&mut Value)) {
    match entry {
        Entry::Call { args, result, .. } => {
            f(args);
            match result {
                CallResult::Ok(value) => f(value),
                CallResult::Err(_) => {}
            }
        }
        Entry::Start { args, .. } => f(args),
        Entry::Deliver { batch } => batch.iter_mut().for_each(f),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn context_entry() -> Entry {
        Entry::Call {
            name: "run.context".into(),
            args: json!({}),
            result: CallResult::Ok(json!({
                "dryRun": true,
                "config": {"app:password": "hunter2", "app:name": "demo"},
                "configSecretKeys": ["app:password"],
            })),
        }
    }

    #[test]
    fn secrets_become_placeholders_and_come_back() {
        let secret_output =
            json!({"outputs": {"token": {SIG_KEY: SECRET_SIG, "value": {"k": "s3cr3t!"}}}});
        let entries = vec![
            context_entry(),
            Entry::Start {
                ticket: 1,
                name: "engine.Log".into(),
                args: json!({"message": "hunter2"}),
            },
            Entry::Deliver { batch: vec![json!([1, true, secret_output])] },
        ];
        let (redacted, secrets) = redact(&entries);
        assert_eq!(secrets, vec![json!("hunter2"), json!({"k": "s3cr3t!"})]);
        let text = String::from_utf8(log::encode_entries(&redacted)).unwrap();
        assert!(!text.contains("hunter2") && !text.contains("s3cr3t!"), "{text}");
        assert!(text.contains(r#""dryRun":false"#), "a bundle is a deployment: {text}");

        let bundle = Bundle {
            manifest: Manifest {
                function: "f".into(),
                secrets: secrets.len(),
                files: BundledFiles::default(),
            },
            snapshot: Snapshot { header: test_header(), entries: redacted },
        };
        let decoded = Bundle::decode(&bundle.encode()).unwrap();
        assert_eq!(decoded, bundle);
        let restored = decoded.entries_with_secrets(&secrets).unwrap();
        let Entry::Deliver { batch } = &restored[2] else { panic!() };
        assert_eq!(batch[0][2], secret_output);
        assert!(
            decoded.entries_with_secrets(&[]).is_err(),
            "the wrong number of secrets is refused"
        );
    }

    #[test]
    fn decoding_names_what_is_wrong() {
        assert!(Bundle::decode(b"hello\n").unwrap_err().contains("not an Unfold bundle"));
        assert!(
            Bundle::decode(format!("{MAGIC}\n{{}}\n").as_bytes()).unwrap_err().contains("line 2")
        );
    }

    fn test_header() -> Header {
        Header {
            format: log::FORMAT_VERSION,
            v8: "test".into(),
            seed: String::new(),
            main: "unfold://lib/unfold/main.ts".into(),
            modules: vec![],
            modules_hash: log::modules_hash(&[]),
            flags: BTreeMap::new(),
            virtual_time: None,
            pending_timers: BTreeMap::new(),
            files: None,
        }
    }
}
