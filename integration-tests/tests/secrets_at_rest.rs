//! Secrets at rest, as an operator checks them: a secret set with `unfold
//! config set --secret` is sealed in `Pulumi.<stack>.yaml` as `pulumi config
//! set --secret` seals it, the stack's state holds only ciphertext, no file
//! of the project holds the secret (plain or base64), and the stack moves to
//! Pulumi's CLI (`unfold stack export` → `pulumi stack import`), which shows
//! the values given the passphrase. Without a passphrase, the stack gets a
//! generated one kept outside the project, readable by its owner only.
//!
//! The parts with Pulumi's CLI need `UNFOLD_PULUMI_BIN` (`scripts/test` sets it).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use unfold_integration_tests::pulumi_cli::{self, PASSPHRASE};
use unfold_integration_tests::{binary, repository_path};

const OURS: &str = "p4ssw0rd-set-by-unfold";
const THEIRS: &str = "s3cond-set-by-pulumi";

const PROGRAM: &str = r#"import * as pulumi from "@pulumi/pulumi";
import { Resource } from "../shared/resources";
const config = new pulumi.Config();
const password = config.requireSecret("password");
const res = new Resource("res", { value: password, other: "public" });
export const secretOut = password;
export const length = password.apply((p) => p.length);
export const fromPulumi = config.getSecret("fromPulumi");
"#;

/// A project beside the corpus's shared resources, the installed binaries,
/// and a home, backend and `UNFOLD_HOME` of its own.
struct Stack {
    dir: tempfile::TempDir,
}

impl Stack {
    fn new() -> Self {
        Self::with_program(PROGRAM)
    }

    fn with_program(program: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["bin", "home", "backend", "unfold-home", "project/app", "project/shared"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        for name in
            ["unfold", "pulumi-language-unfold", "pulumi-resource-unfold", "pulumi-resource-test"]
        {
            std::fs::copy(binary(name), root.join("bin").join(name)).unwrap();
        }
        std::fs::copy(
            repository_path("integration-tests/corpus/shared/resources.ts"),
            root.join("project/shared/resources.ts"),
        )
        .unwrap();
        let app = root.join("project/app");
        std::fs::write(app.join("Pulumi.yaml"), "name: secrets\nruntime: unfold\n").unwrap();
        std::fs::write(app.join("index.ts"), program).unwrap();
        Self { dir }
    }

    fn app(&self) -> PathBuf {
        self.dir.path().join("project/app")
    }

    fn unfold_home(&self) -> PathBuf {
        self.dir.path().join("unfold-home")
    }

    /// `unfold args…` with `passphrase` (none: neither variable set) and `stdin`.
    fn unfold(&self, args: &[&str], passphrase: Option<&str>, stdin: &str) -> Output {
        let mut command = Command::new(self.dir.path().join("bin/unfold"));
        command
            .args(args)
            .current_dir(self.app())
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.dir.path().join("bin").display()))
            .env("HOME", self.dir.path().join("home"))
            .env("UNFOLD_HOME", self.unfold_home())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(passphrase) = passphrase {
            command.env("PULUMI_CONFIG_PASSPHRASE", passphrase);
        }
        let mut child = command.spawn().expect("unfold runs");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn unfold_ok(&self, args: &[&str], passphrase: Option<&str>, stdin: &str) -> String {
        let output = self.unfold(args, passphrase, stdin);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "unfold {args:?} failed:\n{stdout}\n{stderr}");
        stdout
    }

    /// `pulumi args…` (Pulumi's CLI, state in a local file backend), which must succeed.
    fn pulumi_ok(&self, args: &[&str]) -> String {
        let output = self.pulumi(args);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "pulumi {args:?} failed:\n{stdout}\n{stderr}");
        stdout
    }

    fn pulumi(&self, args: &[&str]) -> Output {
        let root = self.dir.path();
        pulumi_cli::command(root, &root.join("bin"), &self.app(), args)
            .output()
            .expect("pulumi runs")
    }

    fn stack_file(&self) -> String {
        std::fs::read_to_string(self.app().join("Pulumi.dev.yaml")).unwrap_or_default()
    }
}

fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn base64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Every file under `dir` that holds one of `secrets`, plain or base64-encoded.
fn files_holding(dir: &Path, secrets: &[&str]) -> Vec<String> {
    let needles: Vec<String> = secrets.iter().flat_map(|s| [s.to_string(), base64(s)]).collect();
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        for needle in &needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{} holds {needle}", path.display()));
            }
        }
    }
    found
}

#[test]
fn secrets_are_sealed_in_config_and_state_and_the_stack_moves_to_pulumi() {
    let stack = Stack::new();
    let pass = Some(PASSPHRASE);

    // A secret on the command line is refused, before anything is written.
    let refused = stack.unfold(&["config", "set", "--secret", "password", OURS], pass, "");
    assert!(!refused.status.success());
    assert!(texts(&refused).1.contains("process list"), "{}", texts(&refused).1);
    assert!(!stack.app().join("Pulumi.dev.yaml").exists());

    // From standard input, it is sealed as `pulumi config set --secret` seals it.
    stack.unfold_ok(&["config", "set", "--secret", "password"], pass, &format!("{OURS}\n"));
    stack.unfold_ok(&["config", "set", "region", "eu-west-1"], pass, "");
    let file = stack.stack_file();
    assert!(file.contains("encryptionsalt: v1:"), "{file}");
    assert!(file.contains("secure: v1:"), "{file}");
    assert!(file.contains("secrets:region: eu-west-1"), "{file}");
    assert!(!file.contains(OURS), "{file}");

    // Pulumi's CLI opens it, and seals a secret of its own our engine opens.
    stack.pulumi_ok(&["stack", "init", "dev"]);
    assert_eq!(stack.pulumi_ok(&["config", "get", "password"]).trim(), OURS);
    stack.pulumi_ok(&["config", "set", "--secret", "fromPulumi", THEIRS]);

    stack.unfold_ok(&["up"], pass, "");
    assert_eq!(
        stack.unfold_ok(&["stack", "output", "length", "--show-secrets"], pass, "").trim(),
        "22"
    );
    let shown = stack.unfold_ok(&["stack", "output"], pass, "");
    assert!(shown.contains("secretOut: \"[secret]\""), "{shown}");
    assert!(!shown.contains(OURS), "{shown}");

    // The state holds ciphertext only, and no file of the project the secret.
    let state_text =
        std::fs::read_to_string(stack.app().join(".unfold/state/secrets/dev.json")).unwrap();
    let state: Value = serde_json::from_str(&state_text).unwrap();
    assert_eq!(state["secretsProviders"]["type"], "passphrase");
    assert!(state_text.contains("\"ciphertext\": \"v1:"), "{state_text}");
    let leaks = files_holding(stack.app().as_path(), &[OURS, THEIRS]);
    assert!(leaks.is_empty(), "{leaks:#?}");

    // Saving the same state again writes the same bytes.
    stack.unfold_ok(&["up"], pass, "");
    let again =
        std::fs::read_to_string(stack.app().join(".unfold/state/secrets/dev.json")).unwrap();
    assert_eq!(again, state_text, "an unchanged secret keeps its ciphertext");

    // A wrong passphrase is named as such, and nothing runs.
    let wrong = stack.unfold(&["preview"], Some("not it"), "");
    assert!(!wrong.status.success());
    let (_, stderr) = texts(&wrong);
    assert!(stderr.contains("incorrect passphrase for stack 'dev'"), "{stderr}");

    // The stack moves to Pulumi's CLI, which reads the secrets with the passphrase.
    let exported = stack.app().join("exported.json");
    stack.unfold_ok(&["stack", "export", "--file", exported.to_str().unwrap()], pass, "");
    let export_text = std::fs::read_to_string(&exported).unwrap();
    assert!(!export_text.contains(OURS), "an export keeps secrets sealed");
    stack.pulumi_ok(&["stack", "import", "--file", exported.to_str().unwrap()]);
    let theirs: Value =
        serde_json::from_str(&stack.pulumi_ok(&["stack", "export", "--show-secrets"])).unwrap();
    let resource = theirs["deployment"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["urn"].as_str().unwrap().ends_with("::res"))
        .expect("the resource moved")
        .clone();
    assert_eq!(
        resource["inputs"]["value"]["plaintext"].as_str(),
        Some(format!("\"{OURS}\"").as_str()),
        "{resource:#}"
    );
    let outputs: Value =
        serde_json::from_str(&stack.pulumi_ok(&["stack", "output", "--json", "--show-secrets"]))
            .unwrap();
    assert_eq!(outputs["secretOut"], OURS);
    assert_eq!(outputs["fromPulumi"], THEIRS);

    // And back: Pulumi's export imports into our engine, which opens it.
    let returned = stack.app().join("returned.json");
    std::fs::write(&returned, stack.pulumi_ok(&["stack", "export"])).unwrap();
    stack.unfold_ok(
        &["stack", "import", "--file", returned.to_str().unwrap(), "--stack", "moved"],
        pass,
        "",
    );
    let moved = stack.unfold_ok(
        &["stack", "output", "length", "--show-secrets", "--stack", "moved"],
        pass,
        "",
    );
    assert_eq!(moved.trim(), "22");
}

#[test]
fn a_stack_without_a_passphrase_gets_its_own_private_one() {
    let stack = Stack::new();
    stack.unfold_ok(&["config", "set", "--secret", "password"], None, OURS);
    stack.unfold_ok(&["up"], None, "");
    let leaks = files_holding(stack.app().as_path(), &[OURS]);
    assert!(leaks.is_empty(), "{leaks:#?}");

    // One passphrase, outside the project, for the owner's eyes only.
    let dir = stack.unfold_home().join("passphrases");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("secrets.dev."), "{name}");
    assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);

    // A later command finds it; without it, the user is told what to set.
    assert_eq!(
        stack.unfold_ok(&["stack", "output", "length", "--show-secrets"], None, "").trim(),
        "22"
    );
    std::fs::remove_file(&files[0]).unwrap();
    let output = stack.unfold(&["stack", "output", "length", "--show-secrets"], None, "");
    assert!(!output.status.success());
    let (_, stderr) = texts(&output);
    assert!(
        stderr.contains("set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE"),
        "{stderr}"
    );
}

/// A program that prints, logs and throws its secret: the user sees
/// `[secret]`, under our engine and under Pulumi's CLI alike.
#[test]
fn what_a_program_prints_logs_or_throws_names_no_secret() {
    let stack = Stack::with_program(
        r#"import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
console.log(`plain read: ${config.require("password")}`);
const password = config.requireSecret("password");
password.apply((p) => { console.log(`printed ${p}`); pulumi.log.warn(`warned ${p}`); });
export const out = password.apply((p) => { if (p) { throw new Error(`cannot use ${p}`); } return p; });
"#,
    );
    let pass = Some(PASSPHRASE);
    stack.unfold_ok(&["config", "set", "--secret", "password"], pass, OURS);
    // The failed run as its user sees it, with the secret shown as `[secret]` only.
    let shows_no_secret = |who: &str, output: &Output| -> String {
        let (stdout, stderr) = texts(output);
        let shown = format!("{stdout}\n{stderr}");
        assert!(!output.status.success(), "the program throws:\n{shown}");
        for line in
            ["plain read: [secret]", "printed [secret]", "warned [secret]", "cannot use [secret]"]
        {
            assert!(shown.contains(line), "{who} shows {line:?}:\n{shown}");
        }
        assert!(!shown.contains(OURS), "{shown}");
        shown
    };
    let shown = shows_no_secret("our engine", &stack.unfold(&["up"], pass, ""));
    assert!(!shown.contains(&base64(OURS)), "{shown}");

    stack.pulumi_ok(&["stack", "init", "dev"]);
    shows_no_secret("pulumi", &stack.pulumi(&["up", "--yes", "--skip-preview"]));
    let leaks = files_holding(stack.dir.path(), &[OURS]);
    assert!(leaks.is_empty(), "{leaks:#?}");
}
