//! TypeScript and JavaScript → the JavaScript V8 runs, with source maps so
//! stack traces point at the user's `.ts` lines.

use deno_ast::{MediaType, ParseParams, SourceMapOption};
use deno_core::ModuleSpecifier;

/// A module ready for V8.
pub struct Transpiled {
    pub code: String,
    /// Present when the emitted code differs from the source.
    pub source_map: Option<Vec<u8>>,
}

/// A syntax error, located in the original source.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct SyntaxError {
    /// `path:line:column`, 1-based, with a filesystem path where there is one.
    pub location: String,
    pub message: String,
}

/// Strips types (and transforms TS-only syntax) from `source`. Plain
/// JavaScript is still parsed so syntax errors are reported the same way.
pub fn transpile(
    specifier: &ModuleSpecifier,
    media_type: MediaType,
    source: String,
) -> Result<Transpiled, SyntaxError> {
    let parsed = deno_ast::parse_module(ParseParams {
        specifier: specifier.clone(),
        text: source.into(),
        media_type,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .map_err(|diagnostic| syntax_error(specifier, &diagnostic))?;
    // Errors the parser recovers from (e.g. `const x;`) still make a module invalid.
    if let Some(diagnostic) = parsed.diagnostics().first() {
        return Err(syntax_error(specifier, diagnostic));
    }
    let emitted = parsed
        .transpile(
            &deno_ast::TranspileOptions {
                imports_not_used_as_values: deno_ast::ImportsNotUsedAsValues::Remove,
                decorators: deno_ast::DecoratorsTranspileOption::LegacyTypeScript {
                    emit_metadata: false,
                },
                ..Default::default()
            },
            &deno_ast::TranspileModuleOptions { module_kind: None },
            &deno_ast::EmitOptions {
                source_map: SourceMapOption::Separate,
                inline_sources: true,
                ..Default::default()
            },
        )
        .map_err(|error| SyntaxError {
            location: display_path(specifier),
            message: error.to_string(),
        })?
        .into_source();
    Ok(Transpiled {
        code: emitted.text,
        source_map: emitted.source_map.map(|map| map.into_bytes()),
    })
}

fn syntax_error(specifier: &ModuleSpecifier, diagnostic: &deno_ast::ParseDiagnostic) -> SyntaxError {
    let position = diagnostic.display_position();
    SyntaxError {
        location: format!(
            "{}:{}:{}",
            display_path(specifier),
            position.line_number,
            position.column_number
        ),
        message: diagnostic.kind().msg().into_owned(),
    }
}

/// `file:` URLs are shown as paths, anything else as the URL.
pub fn display_path(specifier: &ModuleSpecifier) -> String {
    match specifier.to_file_path() {
        Ok(path) if specifier.scheme() == "file" => path.display().to_string(),
        _ => specifier.to_string(),
    }
}
