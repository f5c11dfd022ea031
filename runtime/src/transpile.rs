//! TypeScript and JavaScript → the JavaScript V8 runs, with source maps so
//! stack traces point at the user's `.ts` lines.

use deno_ast::{MediaType, ParseParams, ParsedSource, SourceMapOption};
use deno_core::ModuleSpecifier;

use crate::class_fields;

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
    let mut parsed = parse(specifier, media_type, source)?;
    if is_typescript(media_type)
        && let Some(blanked) = class_fields::blank_uninitialized_fields(&parsed)
    {
        parsed = parse(specifier, media_type, blanked)?;
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

fn parse(
    specifier: &ModuleSpecifier,
    media_type: MediaType,
    text: String,
) -> Result<ParsedSource, SyntaxError> {
    let parsed = deno_ast::parse_module(ParseParams {
        specifier: specifier.clone(),
        text: text.into(),
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
    Ok(parsed)
}

fn is_typescript(media_type: MediaType) -> bool {
    matches!(media_type, MediaType::TypeScript | MediaType::Mts | MediaType::Cts | MediaType::Tsx)
}

fn syntax_error(
    specifier: &ModuleSpecifier,
    diagnostic: &deno_ast::ParseDiagnostic,
) -> SyntaxError {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn emit(source: &str) -> String {
        let specifier = ModuleSpecifier::parse("file:///program/index.ts").unwrap();
        transpile(&specifier, MediaType::TypeScript, source.to_string()).unwrap().code
    }

    #[test]
    fn uninitialized_class_fields_emit_nothing_as_with_use_define_for_class_fields_false() {
        let code = emit(
            "class A extends B {\n  readonly url!: string;\n  count = 1;\n  declare d: number;\n}\n",
        );
        assert!(!code.contains("url"), "{code}");
        assert!(code.contains("count = 1"), "{code}");
    }

    #[test]
    fn javascript_class_fields_are_kept() {
        let specifier = ModuleSpecifier::parse("file:///program/index.js").unwrap();
        let code =
            transpile(&specifier, MediaType::JavaScript, "class A { x; }".into()).unwrap().code;
        assert!(code.contains("x;"), "{code}");
    }

    #[test]
    fn syntax_errors_name_the_file_line_and_column() {
        let specifier = ModuleSpecifier::parse("file:///program/index.ts").unwrap();
        let error = transpile(
            &specifier,
            MediaType::TypeScript,
            "let a = 1;\nexport const x: number = ;\n".into(),
        )
        .err()
        .unwrap();
        assert_eq!(error.location, "/program/index.ts:2:26");
        assert_eq!(error.message, "Expression expected");
    }
}
