//! ES module syntax → CommonJS, as TypeScript emits it for `"module":
//! "commonjs"`: `import` becomes `require`, `export` assigns to `exports`,
//! `export =` is `module.exports`, `import x = require()` a `require` call.
//! swc's CommonJS transform does the rewriting; what tsc does differently and
//! programs rely on is adjusted around it:
//! - An exported variable is a property of `exports`, assigned where it is
//!   declared and read through `exports` everywhere (swc would keep a local
//!   behind a getter). A module that reads it during a circular import sees
//!   `undefined`, as under tsc, instead of a "before initialization" error,
//!   and `Object.defineProperty(exports, …)` (Pulumi SDKs' `lazyLoad`)
//!   changes what the module itself sees.
//! - Export getters swc still emits (functions, classes) are configurable, so
//!   they can be redefined the same way.
//! - `__esModule` is set for every module, with or without `esModuleInterop`.
//!
//! Runs on an AST that has been through swc's resolver with `unresolved`.

use std::collections::HashSet;

use deno_ast::swc::ast::*;
use deno_ast::swc::atoms::Atom;
use deno_ast::swc::common::{DUMMY_SP, Mark, SyntaxContext};
use deno_ast::swc::ecma_visit::{Visit, VisitMut, VisitMutWith, VisitWith};
use deno_ast::swc::transforms::helpers::{HELPERS, Helpers, inject_helpers};
use deno_ast::swc::transforms::{fixer, hygiene, resolver};
use swc_ecma_transforms_module::common_js::{FeatureFlag, common_js};
use swc_ecma_transforms_module::path::Resolver;
use swc_ecma_transforms_module::util::{Config, ImportInterop};

/// How imports of other modules are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interop {
    /// tsc's `esModuleInterop`: a default import of a CommonJS module (one
    /// without `__esModule`) is its `module.exports`; without it, its `.default`.
    pub es_module_interop: bool,
}

/// Rewrites `program`'s module syntax to CommonJS.
pub fn convert(program: Program, unresolved: Mark, interop: Interop) -> Program {
    HELPERS.set(&Helpers::new(false), || {
        let mut program = rebind(program, unresolved);
        let is_module = has_module_syntax(&program);
        exported_variables_on_exports(&mut program, unresolved);
        let config = Config {
            import_interop: Some(if interop.es_module_interop {
                ImportInterop::Swc
            } else {
                ImportInterop::None
            }),
            // `0 && (module.exports = {…})`: names cjs-module-lexer (and
            // Unfold's facade for ES modules importing CommonJS) reads as exports.
            export_interop_annotation: Some(true),
            // At the top level of CommonJS, `this` is `module.exports`.
            allow_top_level_this: true,
            ..Default::default()
        };
        let features = FeatureFlag { support_block_scoping: true, support_arrow: true };
        let mut program = program
            .apply(common_js(Resolver::Default, unresolved, config, features))
            .apply(inject_helpers(unresolved))
            .apply(hygiene())
            .apply(fixer(None));
        configurable_exports(&mut program);
        if is_module && !interop.es_module_interop {
            define_es_module(&mut program, unresolved);
        }
        program
    })
}

/// Binds every identifier afresh. The program comes from deno_ast's transpile
/// passes, whose hygiene pass leaves names that are correct as written but
/// syntax contexts that no longer tell bindings apart: a parameter shadowing
/// an import (`import * as output …; x.apply(output => output)`) would
/// otherwise be rewritten as the import.
fn rebind(program: Program, unresolved: Mark) -> Program {
    struct ForgetBindings;
    impl VisitMut for ForgetBindings {
        fn visit_mut_syntax_context(&mut self, ctxt: &mut SyntaxContext) {
            *ctxt = SyntaxContext::empty();
        }
    }
    let mut program = program;
    program.visit_mut_with(&mut ForgetBindings);
    program.apply(resolver(unresolved, Mark::new(), false))
}

/// Whether tsc marks the module `__esModule`: it imports or exports, and
/// does not replace its exports with `export =`.
fn has_module_syntax(program: &Program) -> bool {
    let Program::Module(module) = program else { return false };
    let declarations = || {
        module.body.iter().filter_map(|item| match item {
            ModuleItem::ModuleDecl(decl) => Some(decl),
            ModuleItem::Stmt(_) => None,
        })
    };
    declarations().next().is_some()
        && !declarations().any(|decl| matches!(decl, ModuleDecl::TsExportAssignment(_)))
}

fn exports_ident(unresolved: Mark) -> Ident {
    Ident::new("exports".into(), DUMMY_SP, SyntaxContext::empty().apply_mark(unresolved))
}

fn exports_member(unresolved: Mark, name: &Atom, span: deno_ast::swc::common::Span) -> MemberExpr {
    MemberExpr {
        span,
        obj: Box::new(Expr::Ident(exports_ident(unresolved))),
        prop: MemberProp::Ident(IdentName::new(name.clone(), span)),
    }
}

type Binding = (Atom, SyntaxContext);

/// `export const x = …` (and `let`, `var`) → `exports.x = …`, every use of
/// `x` → `exports.x`, and `exports.x = void 0` for each first, as tsc emits.
/// A name bound again by a pattern (`[x] = …`, `for (x of …)`) or listed in
/// `export { x }` keeps swc's handling.
fn exported_variables_on_exports(program: &mut Program, unresolved: Mark) {
    let Program::Module(module) = program else { return };
    let mut exported: Vec<Binding> = Vec::new();
    for item in &module.body {
        if let ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
            decl: Decl::Var(var),
            ..
        })) = item
            && var.decls.iter().all(|d| matches!(d.name, Pat::Ident(_)))
        {
            for declarator in &var.decls {
                if let Pat::Ident(binding) = &declarator.name {
                    exported.push((binding.id.sym.clone(), binding.id.ctxt));
                }
            }
        }
    }
    if exported.is_empty() {
        return;
    }
    let mut bindings = BindingCount::default();
    module.visit_with(&mut bindings);
    let rewritten: HashSet<Binding> = exported
        .iter()
        .filter(|b| bindings.patterns.iter().filter(|p| p == b).count() == 1)
        .filter(|b| !bindings.listed.contains(b))
        .cloned()
        .collect();
    if rewritten.is_empty() {
        return;
    }

    let mut body = Vec::with_capacity(module.body.len() + 1);
    let names: Vec<&Binding> = exported.iter().filter(|b| rewritten.contains(b)).collect();
    // `exports.a = exports.b = void 0;`: the names exist from the start.
    let mut hoisted: Box<Expr> = Expr::undefined(DUMMY_SP);
    for (name, _) in names.iter().rev() {
        hoisted = Box::new(Expr::Assign(AssignExpr {
            span: DUMMY_SP,
            op: AssignOp::Assign,
            left: AssignTarget::Simple(SimpleAssignTarget::Member(exports_member(
                unresolved, name, DUMMY_SP,
            ))),
            right: hoisted,
        }));
    }
    let directives = module.body.iter().take_while(|item| is_directive(item)).count();
    let mut items = std::mem::take(&mut module.body).into_iter();
    body.extend(items.by_ref().take(directives));
    body.push(ModuleItem::Stmt(Stmt::Expr(ExprStmt { span: DUMMY_SP, expr: hoisted })));
    for item in items {
        match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
                decl: Decl::Var(var),
                span,
            })) if var.decls.iter().all(|d| match &d.name {
                Pat::Ident(b) => rewritten.contains(&(b.id.sym.clone(), b.id.ctxt)),
                _ => false,
            }) =>
            {
                for declarator in var.decls {
                    let (Pat::Ident(binding), Some(init)) = (declarator.name, declarator.init)
                    else {
                        continue;
                    };
                    let target = exports_member(unresolved, &binding.id.sym, binding.id.span);
                    body.push(ModuleItem::Stmt(Stmt::Expr(ExprStmt {
                        span: if declarator.span.is_dummy() { span } else { declarator.span },
                        expr: Box::new(Expr::Assign(AssignExpr {
                            span: declarator.span,
                            op: AssignOp::Assign,
                            left: AssignTarget::Simple(SimpleAssignTarget::Member(target)),
                            right: init,
                        })),
                    })));
                }
            }
            other => body.push(other),
        }
    }
    module.body = body;
    module.visit_mut_with(&mut ThroughExports { rewritten, unresolved });
}

fn is_directive(item: &ModuleItem) -> bool {
    matches!(item, ModuleItem::Stmt(Stmt::Expr(ExprStmt { expr, .. }))
        if matches!(&**expr, Expr::Lit(Lit::Str(_))))
}

/// Where names are bound by patterns, and which are listed in `export { … }`.
#[derive(Default)]
struct BindingCount {
    patterns: Vec<Binding>,
    listed: HashSet<Binding>,
}

impl Visit for BindingCount {
    fn visit_binding_ident(&mut self, binding: &BindingIdent) {
        self.patterns.push((binding.id.sym.clone(), binding.id.ctxt));
    }

    fn visit_assign_pat_prop(&mut self, prop: &AssignPatProp) {
        self.patterns.push((prop.key.id.sym.clone(), prop.key.id.ctxt));
        prop.value.visit_with(self);
    }

    fn visit_simple_assign_target(&mut self, target: &SimpleAssignTarget) {
        // `x = …` is rewritten, not a second binding.
        if let SimpleAssignTarget::Ident(_) = target {
            return;
        }
        target.visit_children_with(self);
    }

    fn visit_export_named_specifier(&mut self, specifier: &ExportNamedSpecifier) {
        if let ModuleExportName::Ident(ident) = &specifier.orig {
            self.listed.insert((ident.sym.clone(), ident.ctxt));
        }
    }

    fn visit_named_export(&mut self, export: &NamedExport) {
        // Re-exports from another module name nothing of this one.
        if export.src.is_none() {
            export.visit_children_with(self);
        }
    }
}

struct ThroughExports {
    rewritten: HashSet<Binding>,
    unresolved: Mark,
}

impl ThroughExports {
    fn member(&self, ident: &Ident) -> MemberExpr {
        exports_member(self.unresolved, &ident.sym, ident.span)
    }

    fn matches(&self, ident: &Ident) -> bool {
        self.rewritten.contains(&(ident.sym.clone(), ident.ctxt))
    }
}

impl VisitMut for ThroughExports {
    fn visit_mut_expr(&mut self, expr: &mut Expr) {
        if let Expr::Ident(ident) = expr
            && self.matches(ident)
        {
            *expr = Expr::Member(self.member(ident));
            return;
        }
        expr.visit_mut_children_with(self);
    }

    fn visit_mut_simple_assign_target(&mut self, target: &mut SimpleAssignTarget) {
        if let SimpleAssignTarget::Ident(binding) = target
            && self.matches(&binding.id)
        {
            *target = SimpleAssignTarget::Member(self.member(&binding.id));
            return;
        }
        target.visit_mut_children_with(self);
    }

    fn visit_mut_prop(&mut self, prop: &mut Prop) {
        if let Prop::Shorthand(ident) = prop
            && self.matches(ident)
        {
            *prop = Prop::KeyValue(KeyValueProp {
                key: PropName::Ident(IdentName::new(ident.sym.clone(), ident.span)),
                value: Box::new(Expr::Member(self.member(ident))),
            });
            return;
        }
        prop.visit_mut_children_with(self);
    }
}

/// swc exports through getters that cannot be redefined, where tsc assigns
/// `exports.x = …`; Pulumi's SDKs redefine their exports (`lazyLoad`), so the
/// getters are made configurable, which lets `Object.defineProperty` replace them.
fn configurable_exports(program: &mut Program) {
    struct Configurable;
    impl VisitMut for Configurable {
        fn visit_mut_object_lit(&mut self, object: &mut ObjectLit) {
            object.visit_mut_children_with(self);
            let key = |prop: &PropOrSpread| match prop {
                PropOrSpread::Prop(prop) => match &**prop {
                    Prop::KeyValue(KeyValueProp { key: PropName::Ident(id), .. }) => {
                        Some(id.sym.to_string())
                    }
                    _ => None,
                },
                _ => None,
            };
            let keys: Vec<_> = object.props.iter().map(key).collect();
            let is_export_descriptor = keys.len() == 2
                && keys.contains(&Some("enumerable".into()))
                && keys.contains(&Some("get".into()));
            if is_export_descriptor {
                object.props.push(PropOrSpread::Prop(Box::new(Prop::KeyValue(KeyValueProp {
                    key: PropName::Ident(IdentName::new("configurable".into(), DUMMY_SP)),
                    value: Box::new(Expr::Lit(Lit::Bool(Bool { span: DUMMY_SP, value: true }))),
                }))));
            }
        }
    }
    program.visit_mut_with(&mut Configurable);
}

/// `Object.defineProperty(exports, "__esModule", { value: true });` after the
/// directives, which swc leaves out when it does no import interop.
fn define_es_module(program: &mut Program, unresolved: Mark) {
    let statement = Stmt::Expr(ExprStmt {
        span: DUMMY_SP,
        expr: Box::new(Expr::Call(CallExpr {
            span: DUMMY_SP,
            ctxt: SyntaxContext::empty(),
            callee: Callee::Expr(Box::new(Expr::Member(MemberExpr {
                span: DUMMY_SP,
                obj: Box::new(Expr::Ident(Ident::new(
                    "Object".into(),
                    DUMMY_SP,
                    SyntaxContext::empty().apply_mark(unresolved),
                ))),
                prop: MemberProp::Ident(IdentName::new("defineProperty".into(), DUMMY_SP)),
            }))),
            args: vec![
                ExprOrSpread {
                    spread: None,
                    expr: Box::new(Expr::Ident(exports_ident(unresolved))),
                },
                ExprOrSpread {
                    spread: None,
                    expr: Box::new(Expr::Lit(Lit::Str(Str {
                        span: DUMMY_SP,
                        value: "__esModule".into(),
                        raw: None,
                    }))),
                },
                ExprOrSpread {
                    spread: None,
                    expr: Box::new(Expr::Object(ObjectLit {
                        span: DUMMY_SP,
                        props: vec![PropOrSpread::Prop(Box::new(Prop::KeyValue(KeyValueProp {
                            key: PropName::Ident(IdentName::new("value".into(), DUMMY_SP)),
                            value: Box::new(Expr::Lit(Lit::Bool(Bool {
                                span: DUMMY_SP,
                                value: true,
                            }))),
                        })))],
                    })),
                },
            ],
            type_args: None,
        })),
    });
    match program {
        Program::Module(module) => {
            let at = module.body.iter().take_while(|item| is_directive(item)).count();
            module.body.insert(at, ModuleItem::Stmt(statement));
        }
        Program::Script(script) => {
            let at = script
                .body
                .iter()
                .take_while(|stmt| {
                    matches!(stmt, Stmt::Expr(ExprStmt { expr, .. }) if matches!(&**expr, Expr::Lit(Lit::Str(_))))
                })
                .count();
            script.body.insert(at, statement);
        }
    }
}
