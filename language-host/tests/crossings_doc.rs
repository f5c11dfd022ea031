//! docs/host-io.md lists every crossing a program can make, each in the
//! section of its kind, and none that is not declared: its tables are written
//! from the declarations. Run with `UPDATE_CROSSINGS_DOC=1` to rewrite them.

use std::path::Path;

use unfold_function_runtime::function_host::FUNCTION;
use unfold_language_host::app_test::APP_TEST;
use unfold_language_host::plugin_program::PLUGIN;
use unfold_language_host::pulumi_host::PULUMI;
use unfold_runtime::crossings::doc::{declared, tables};
use unfold_runtime::crossings::{GATEWAY, OUTCOME};
use unfold_runtime::io::app::APP;
use unfold_runtime::io::environment::ENVIRONMENT;
use unfold_runtime::io::files::FILES;
use unfold_runtime::io::http::HTTP;
use unfold_runtime::io::processes::PROCESSES;
use unfold_runtime::io::system::SYSTEM;

const BEGIN: &str = "<!-- crossings: written from the declarations; UPDATE_CROSSINGS_DOC=1 cargo test -p unfold-language-host --test crossings_doc rewrites them -->\n";
const END: &str = "<!-- /crossings -->";

#[test]
fn the_documentation_lists_exactly_the_declared_crossings() {
    let sets = [
        declared(&GATEWAY),
        declared(&OUTCOME),
        declared(&SYSTEM),
        declared(&FILES),
        declared(&PROCESSES),
        declared(&HTTP),
        declared(&ENVIRONMENT),
        declared(&APP),
        declared(&FUNCTION),
        declared(&PULUMI),
        declared(&PLUGIN),
        declared(&APP_TEST),
    ];
    let generated = tables(&sets).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/host-io.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start =
        doc.find(BEGIN).expect("docs/host-io.md marks where its tables begin") + BEGIN.len();
    let end = doc.find(END).expect("docs/host-io.md marks where its tables end");
    if doc[start..end] != generated {
        if std::env::var_os("UPDATE_CROSSINGS_DOC").is_some() {
            std::fs::write(&path, format!("{}{generated}{}", &doc[..start], &doc[end..])).unwrap();
        } else {
            panic!(
                "docs/host-io.md is stale: its tables of crossings must read\n{generated}\n\
                 (run with UPDATE_CROSSINGS_DOC=1 to rewrite them)"
            );
        }
    }
}
