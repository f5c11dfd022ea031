//! TypeScript's `useDefineForClassFields: false`, which Pulumi programs and
//! SDKs are compiled with: a class property declared without an initializer
//! (`readonly url!: Output<string>;`) emits nothing, so it cannot overwrite the
//! value a base-class constructor assigned. swc would emit it as a real field
//! initialised to `undefined`, so such declarations are blanked out first.

use deno_ast::swc::ast::ClassProp;
use deno_ast::swc::ecma_visit::{Visit, VisitWith};
use deno_ast::{ParsedSource, SourceRangedForSpanned};

/// `source` with every uninitialised, undecorated, non-`declare` class
/// property replaced by spaces (line breaks kept), so every position — and
/// with it the source map — is unchanged. `None` when there is none.
pub fn blank_uninitialized_fields(parsed: &ParsedSource) -> Option<String> {
    let mut finder = Finder::default();
    match parsed.program_ref() {
        deno_ast::ProgramRef::Module(module) => module.visit_with(&mut finder),
        deno_ast::ProgramRef::Script(script) => script.visit_with(&mut finder),
    }
    if finder.ranges.is_empty() {
        return None;
    }
    let start = parsed.text_info_lazy().range().start;
    let mut text = parsed.text().to_string().into_bytes();
    for range in finder.ranges {
        let bytes = range.as_byte_range(start);
        for byte in &mut text[bytes] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    }
    // Only whole ASCII-delimited declarations were blanked, byte for byte.
    String::from_utf8(text).ok()
}

#[derive(Default)]
struct Finder {
    ranges: Vec<deno_ast::SourceRange>,
}

impl Visit for Finder {
    fn visit_class_prop(&mut self, prop: &ClassProp) {
        if prop.value.is_none() && !prop.declare && prop.decorators.is_empty() && !prop.is_abstract
        {
            self.ranges.push(prop.range());
        }
        prop.visit_children_with(self);
    }
}
