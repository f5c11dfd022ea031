//! TypeScript and JavaScript → the JavaScript V8 runs, with source maps so
//! stack traces point at the user's `.ts` lines: as an ES module, or as
//! CommonJS (module syntax rewritten by `esm_to_commonjs`) for the files
//! Node.js with ts-node would run as CommonJS.

use deno_ast::{MediaType, ParseParams, ParsedSource, SourceMapOption};
use deno_core::ModuleSpecifier;

use crate::class_fields;
use crate::esm_to_commonjs::{self, Interop};

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

/// Strips types from `source` and rewrites its module syntax to CommonJS,
/// with one source map from the emitted code back to `source`.
pub fn transpile_commonjs(
    specifier: &ModuleSpecifier,
    media_type: MediaType,
    source: String,
    interop: Interop,
) -> Result<Transpiled, SyntaxError> {
    let mut parsed = parse(specifier, media_type, source)?;
    if is_typescript(media_type)
        && let Some(blanked) = class_fields::blank_uninitialized_fields(&parsed)
    {
        parsed = parse(specifier, media_type, blanked)?;
    }
    let failed = |message: String| SyntaxError { location: display_path(specifier), message };
    let options = deno_ast::TranspileOptions {
        imports_not_used_as_values: deno_ast::ImportsNotUsedAsValues::Remove,
        decorators: deno_ast::DecoratorsTranspileOption::LegacyTypeScript { emit_metadata: false },
        jsx: matches!(media_type, MediaType::Tsx | MediaType::Jsx).then(Default::default),
        ..Default::default()
    };
    let comments = parsed.comments().as_single_threaded();
    let source_map = deno_ast::SourceMap::single(specifier.clone(), parsed.text().to_string());
    let program = (*parsed.program()).clone();
    let program = parsed
        .globals()
        .with(|marks| {
            // Parse errors were refused above: none is left to report here.
            let program = deno_ast::fold_program(
                program,
                &options,
                &source_map,
                &comments,
                marks,
                Box::new(std::iter::empty()),
            )?;
            Ok::<_, deno_ast::FoldProgramError>(esm_to_commonjs::convert(
                program,
                marks.unresolved,
                interop,
            ))
        })
        .map_err(|error| failed(error.to_string()))?;
    let emitted = deno_ast::emit(
        (&program).into(),
        &comments,
        &source_map,
        &deno_ast::EmitOptions {
            source_map: SourceMapOption::Separate,
            inline_sources: true,
            ..Default::default()
        },
    )
    .map_err(|error| failed(error.to_string()))?;
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

    fn commonjs(source: &str, es_module_interop: bool) -> Transpiled {
        let specifier = ModuleSpecifier::parse("file:///program/index.ts").unwrap();
        transpile_commonjs(
            &specifier,
            MediaType::TypeScript,
            source.to_string(),
            Interop { es_module_interop },
        )
        .unwrap()
    }

    /// The names Node.js's cjs-module-lexer (and Unfold's facade) find in `code`.
    fn lexed_exports(code: &str) -> Vec<String> {
        let parsed = deno_ast::parse_program(ParseParams {
            specifier: ModuleSpecifier::parse("file:///program/index.js").unwrap(),
            text: code.into(),
            media_type: MediaType::Cjs,
            capture_tokens: false,
            scope_analysis: false,
            maybe_syntax: None,
        })
        .unwrap();
        let mut names = parsed.analyze_cjs().exports;
        names.retain(|name| name != "__esModule");
        names.sort();
        names
    }

    #[test]
    fn a_parameter_shadowing_an_import_stays_the_parameter() {
        for es_module_interop in [true, false] {
            let code = commonjs(
                "import * as output from \"@pulumi/output\";\nconst r = new output.Resource(\"r\");\nexport const ok = r.output.apply(output => output == \"hello\");\n",
                es_module_interop,
            )
            .code;
            assert!(code.contains("new _output.Resource("), "{code}");
            assert!(code.contains("(output)=>output == \"hello\""), "{code}");
        }
    }

    #[test]
    fn exported_variables_live_on_exports_as_tsc_emits_them() {
        let code = commonjs(
            "import { prefix } from \"./index\";\nexport const name: string = prefix + \"-b\";\nexport let count = 0;\nexport function bump() { count++; return name; }\n",
            true,
        )
        .code;
        assert!(code.contains("exports.name = exports.count = void 0"), "{code}");
        assert!(code.contains("exports.name = _index.prefix + \"-b\""), "{code}");
        assert!(code.contains("exports.count++"), "{code}");
        assert!(code.contains("return exports.name"), "{code}");
        assert!(!code.contains("const name"), "{code}");
        assert_eq!(lexed_exports(&code), ["bump", "count", "name"]);
    }

    #[test]
    fn a_single_exported_function_is_found_by_the_lexer() {
        let code = commonjs("export function incr(): number { return 1; }\n", true).code;
        assert_eq!(lexed_exports(&code), ["incr"], "{code}");
    }

    #[test]
    fn export_assignment_and_import_require_are_commonjs() {
        let code = commonjs(
            "import fs = require(\"fs\");\nexport = async () => ({ exists: fs.existsSync(\"x\") });\n",
            false,
        )
        .code;
        assert!(code.contains("const fs = require(\"fs\")"), "{code}");
        assert!(code.contains("module.exports = async ()=>"), "{code}");
        assert!(!code.contains("__esModule"), "`export =` is not an ES module: {code}");
    }

    #[test]
    fn default_imports_follow_es_module_interop() {
        let source = "import legacy from \"./legacy\";\nexport const kind = typeof legacy;\n";
        let with = commonjs(source, true).code;
        assert!(with.contains("_interop_require_default(require(\"./legacy\"))"), "{with}");
        let without = commonjs(source, false).code;
        assert!(!without.contains("_interop_require_default"), "{without}");
        assert!(without.contains("typeof _legacy.default"), "{without}");
        // tsc marks every module, interop or not.
        assert!(without.contains("Object.defineProperty(exports, \"__esModule\""), "{without}");
    }

    #[test]
    fn commonjs_keeps_a_source_map_to_the_typescript_lines() {
        let transpiled = commonjs(
            "import * as path from \"path\";\n\ninterface A { a: string }\nexport const x: number = 1;\nthrow new Error(path.sep);\n",
            true,
        );
        let map = transpiled.source_map.expect("a source map");
        let map = deno_ast::swc::sourcemap::SourceMap::from_slice(&map).unwrap();
        let (line, _) = transpiled
            .code
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("throw new Error"))
            .unwrap();
        let token = map.lookup_token(line as u32, 0).unwrap();
        assert_eq!(token.get_src_line(), 4, "{}", transpiled.code);
        // The first line holds no program code: the CommonJS wrapper shares it.
        assert!(transpiled.code.starts_with("\"use strict\";\n"), "{}", transpiled.code);
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
