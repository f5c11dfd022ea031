//! `super` in a class member that is emitted as a plain function: the
//! serialized code captures the base class as `__super`, and calls go through
//! `.call(this, …)`, as Pulumi's Node.js SDK rewrites them.

use deno_ast::swc::ast::{CallExpr, Callee, Expr, FnExpr, SuperPropExpr};
use deno_ast::swc::ecma_visit::{Visit, VisitWith};
use deno_ast::{SourceRangedForSpanned, StartSourcePos};

use super::parse::{is_legal_member_name, parse};

/// `code` (a function expression) with its `super` references rewritten;
/// its own name becomes a comment, as the function is bound by the caller.
pub fn rewrite_super_references(code: &str, is_static: bool) -> Result<String, String> {
    let wrapped = format!("({code})");
    let parsed = parse(&wrapped)?;
    let start = parsed.text_info_lazy().range().start;
    let mut rewriter = Rewriter { text: &wrapped, start, is_static, edits: vec![], named: false };
    match parsed.program_ref() {
        deno_ast::ProgramRef::Module(module) => module.visit_with(&mut rewriter),
        deno_ast::ProgramRef::Script(script) => script.visit_with(&mut rewriter),
    }
    let mut edits = rewriter.edits;
    // Applied from the end, so the offsets of those before stay valid.
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut text = wrapped.clone();
    for (from, to, replacement) in edits {
        text.replace_range(from..to, &replacement);
    }
    Ok(text[1..text.len() - 1].to_string())
}

struct Rewriter<'a> {
    text: &'a str,
    start: StartSourcePos,
    is_static: bool,
    edits: Vec<(usize, usize, String)>,
    named: bool,
}

impl Rewriter<'_> {
    fn base(&self) -> &'static str {
        if self.is_static { "__super" } else { "__super.prototype" }
    }

    /// After the `(` that opens `call`'s arguments: `this` as the first argument.
    fn insert_this(&mut self, call: &CallExpr, callee_end: usize) {
        let Some(open) = self.text[callee_end..].find('(').map(|i| callee_end + i + 1) else {
            return;
        };
        let this = if call.args.is_empty() { "this" } else { "this, " };
        self.edits.push((open, open, this.to_string()));
    }
}

impl Visit for Rewriter<'_> {
    fn visit_fn_expr(&mut self, function: &FnExpr) {
        if !self.named {
            self.named = true;
            if let Some(ident) = &function.ident {
                let range = ident.range().as_byte_range(self.start);
                let comment = if is_legal_member_name(&ident.sym) {
                    format!("/*{}*/", ident.sym)
                } else {
                    String::new()
                };
                self.edits.push((range.start, range.end, comment));
            }
        }
        function.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        match &call.callee {
            Callee::Super(sup) => {
                let range = sup.range().as_byte_range(self.start);
                self.edits.push((range.start, range.end, "__super.call".to_string()));
                self.insert_this(call, range.end);
                call.args.visit_with(self);
            }
            Callee::Expr(expr) if matches!(expr.as_ref(), Expr::SuperProp(_)) => {
                expr.visit_with(self);
                let end = expr.range().as_byte_range(self.start).end;
                self.edits.push((end, end, ".call".to_string()));
                self.insert_this(call, end);
                call.args.visit_with(self);
            }
            _ => call.visit_children_with(self),
        }
    }

    fn visit_super_prop_expr(&mut self, prop: &SuperPropExpr) {
        let range = prop.obj.range().as_byte_range(self.start);
        self.edits.push((range.start, range.end, self.base().to_string()));
        prop.prop.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn super_calls_and_members_go_through_the_captured_base() {
        let code = "function constructor(a, b) { super(a); this.x = super.describe(b) + super.name + super['k'](); }";
        assert_eq!(
            rewrite_super_references(code, false).unwrap(),
            "function /*constructor*/(a, b) { __super.call(this, a); this.x = __super.prototype.describe.call(this, b) + __super.prototype.name + __super.prototype['k'].call(this); }"
        );
        assert_eq!(
            rewrite_super_references("function make() { return super.create(); }", true).unwrap(),
            "function /*make*/() { return __super.create.call(this); }"
        );
    }
}
