//! A function's text, as `Function.prototype.toString` gives it, turned into
//! a function expression that can stand alone in generated code, with the
//! names it uses but does not declare. This is what Pulumi's Node.js SDK
//! computes before serializing a closure (its `parseFunction`), so functions
//! serialize the same way: methods, getters, generators and class
//! constructors all become `function` expressions.

use deno_ast::swc::ast::{
    ArrowExpr, Class, ClassMember, Constructor, Expr, Function, GetterProp, Ident, SetterProp,
    Stmt, Super, ThisExpr, UnaryExpr, UnaryOp,
};
use deno_ast::swc::common::SyntaxContext;
use deno_ast::swc::ecma_visit::{Visit, VisitWith};
use deno_ast::{MediaType, ModuleSpecifier, ParseParams, ParsedSource, SourceRangedForSpanned};
use serde::Serialize;

/// A function ready to be emitted, and what it captures.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ParsedFunction {
    /// The function as an anonymous expression (a method's name kept as a comment).
    pub func_expr_without_name: String,
    /// The function as an expression that keeps its name, where it has one.
    pub func_expr_with_name: Option<String>,
    /// The name of a `function name() {}`, which the function's own body may use.
    pub function_declaration_name: Option<String>,
    pub is_arrow_function: bool,
    /// Free variables whose value must be found.
    pub required: Vec<String>,
    /// Free variables only used under `typeof`, which may be missing.
    pub optional: Vec<String>,
    /// A non-arrow function whose own body uses `this` or `super`.
    pub uses_non_lexical_this: bool,
}

/// Parses `text`; the error says why a function cannot be serialized, in the
/// words of the Node.js SDK.
pub fn parse_function(text: &str) -> Result<ParsedFunction, String> {
    if text.starts_with("[Function:") {
        return Err("the function form was not understood.".into());
    }
    if text.contains("[native code]") {
        return Err("it was a native code function.".into());
    }
    let code = function_code(text)?;
    let source = code.func_expr_with_name.as_deref().unwrap_or(&code.func_expr_without_name);
    let wrapped = format!("({source})");
    let parsed =
        parse(&wrapped).map_err(|error| format!("the function could not be parsed: {error}"))?;
    let mut finder = FreeVariables::new(parsed.unresolved_context(), code.is_arrow_function);
    match parsed.program_ref() {
        deno_ast::ProgramRef::Module(module) => module.visit_with(&mut finder),
        deno_ast::ProgramRef::Script(script) => script.visit_with(&mut finder),
    }
    if code.is_arrow_function && finder.captures_this {
        return Err("arrow function captured 'this'. Assign 'this' to another name outside function and capture that.".into());
    }
    let FreeVariables { required, optional, uses_this, .. } = finder;
    let optional = optional.into_iter().filter(|name| !required.contains(name)).collect();
    Ok(ParsedFunction {
        uses_non_lexical_this: !code.is_arrow_function && uses_this,
        required,
        optional,
        ..code
    })
}

pub(super) fn parse(text: &str) -> Result<ParsedSource, String> {
    let parsed = deno_ast::parse_script(ParseParams {
        specifier: ModuleSpecifier::parse("file:///function.js").expect("a valid URL"),
        text: text.into(),
        media_type: MediaType::JavaScript,
        capture_tokens: false,
        scope_analysis: true,
        maybe_syntax: None,
    })
    .map_err(|error| error.to_string())?;
    if let Some(error) = parsed.diagnostics().first() {
        return Err(error.to_string());
    }
    Ok(parsed)
}

/// The single expression of a script that is `(expression)`.
fn sole_expression(parsed: &ParsedSource) -> Option<&Expr> {
    let deno_ast::ProgramRef::Script(script) = parsed.program_ref() else { return None };
    match script.body.as_slice() {
        [Stmt::Expr(stmt)] => Some(stmt.expr.as_ref()),
        _ => None,
    }
}

fn function_code(text: &str) -> Result<ParsedFunction, String> {
    if is_arrow_function(text) {
        return Ok(ParsedFunction {
            func_expr_without_name: text.to_string(),
            func_expr_with_name: None,
            function_declaration_name: None,
            is_arrow_function: true,
            required: vec![],
            optional: vec![],
            uses_non_lexical_this: false,
        });
    }
    if text.starts_with("class ") {
        return class_constructor(text);
    }
    let (is_async, rest) = match text.strip_prefix("async ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    if let Some(rest) =
        rest.strip_prefix("function get ").or_else(|| rest.strip_prefix("function set "))
    {
        return function_declaration(rest, is_async, false);
    }
    if let Some(rest) = rest.strip_prefix("get ").or_else(|| rest.strip_prefix("set ")) {
        return function_declaration(rest, is_async, false);
    }
    if let Some(rest) = rest.strip_prefix("function") {
        return function_declaration(rest, is_async, true);
    }
    function_declaration(rest, is_async, false)
}

fn is_arrow_function(text: &str) -> bool {
    let Ok(parsed) = parse(text) else { return false };
    matches!(sole_expression(&parsed), Some(Expr::Arrow(_)))
}

/// A class stands for its constructor; members are serialized with its prototype.
fn class_constructor(text: &str) -> Result<ParsedFunction, String> {
    let wrapped = format!("({text})");
    let parsed =
        parse(&wrapped).map_err(|error| format!("the class could not be parsed: {error}"))?;
    let Some(Expr::Paren(paren)) = sole_expression(&parsed) else {
        return Err(format!("the class form was not understood:\n{text}"));
    };
    let Expr::Class(class) = paren.expr.as_ref() else {
        return Err(format!("the class form was not understood:\n{text}"));
    };
    let constructor = class.class.body.iter().find_map(|member| match member {
        ClassMember::Constructor(constructor) if constructor.body.is_some() => Some(constructor),
        _ => None,
    });
    let code = match constructor {
        Some(constructor) => {
            let start = parsed.text_info_lazy().range().start;
            wrapped[constructor.range().as_byte_range(start)].trim().to_string()
        }
        None if class.class.super_class.is_some() => "constructor() { super(); }".to_string(),
        None => "constructor() { }".to_string(),
    };
    function_declaration(&code, false, false)
}

/// `name(params) { body }` (what follows `function`, or a method) as a function expression.
fn function_declaration(
    text: &str,
    is_async: bool,
    is_function_declaration: bool,
) -> Result<ParsedFunction, String> {
    let mut prefix = if is_async { "async function " } else { "function " };
    let mut text = text.trim_start();
    if let Some(rest) = text.strip_prefix('*') {
        text = rest.trim_start();
        prefix = if is_async { "async function* " } else { "function* " };
    }
    let Some(open_paren) = text.find('(') else {
        return Err("the function form was not understood.".into());
    };
    let code = |expr_without_name: String, expr_with_name: String, name: Option<String>| {
        Ok(ParsedFunction {
            func_expr_without_name: expr_without_name,
            func_expr_with_name: Some(expr_with_name),
            function_declaration_name: name,
            is_arrow_function: false,
            required: vec![],
            optional: vec![],
            uses_non_lexical_this: false,
        })
    };
    // A computed name (`[Symbol.iterator]() {}`) cannot be kept.
    if open_paren == 0 || text.starts_with('[') {
        let rest = &text[open_paren..];
        return code(format!("{prefix}{rest}"), format!("{prefix}__computed{rest}"), None);
    }
    let name = &text[..open_paren];
    let rest = text[open_paren..].trim_start();
    let legal_member = is_legal_member_name(name);
    let kept_name = match (legal_member, is_legal_function_name(name)) {
        (true, true) => name.to_string(),
        (true, false) => format!("/*{name}*/"),
        _ => String::new(),
    };
    let commented_name = if legal_member { format!("/*{name}*/") } else { String::new() };
    code(
        format!("{prefix}{commented_name}{rest}"),
        format!("{prefix}{kept_name}{rest}"),
        is_function_declaration.then(|| name.to_string()),
    )
}

pub fn is_legal_member_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_legal_function_name(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "await",
    ];
    is_legal_member_name(name) && !RESERVED.contains(&name)
}

/// The names a function uses that nothing inside it declares (swc's resolver
/// marks them as unresolved), and its uses of `this`.
struct FreeVariables {
    unresolved: SyntaxContext,
    is_arrow: bool,
    required: Vec<String>,
    optional: Vec<String>,
    /// How many non-arrow functions (or class bodies) enclose the current node.
    depth: usize,
    /// `this` outside every function: what an arrow function would capture.
    captures_this: bool,
    /// `this` or `super` in the outermost function's own body.
    uses_this: bool,
}

impl FreeVariables {
    fn new(unresolved: SyntaxContext, is_arrow: bool) -> Self {
        Self {
            unresolved,
            is_arrow,
            required: vec![],
            optional: vec![],
            depth: 0,
            captures_this: false,
            uses_this: false,
        }
    }

    fn is_free(&self, ident: &Ident) -> bool {
        // A non-arrow function's own `arguments` is not a capture.
        ident.ctxt == self.unresolved && (self.is_arrow || ident.sym != *"arguments")
    }

    fn add(list: &mut Vec<String>, name: &str) {
        if !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }

    fn saw_this(&mut self) {
        match self.depth {
            0 => self.captures_this = true,
            1 => self.uses_this = true,
            _ => {}
        }
    }

    fn nested(&mut self, visit: impl FnOnce(&mut Self)) {
        self.depth += 1;
        visit(self);
        self.depth -= 1;
    }
}

impl Visit for FreeVariables {
    fn visit_ident(&mut self, ident: &Ident) {
        if self.is_free(ident) {
            Self::add(&mut self.required, &ident.sym);
        }
    }

    fn visit_unary_expr(&mut self, expr: &UnaryExpr) {
        if expr.op == UnaryOp::TypeOf
            && let Expr::Ident(ident) = expr.arg.as_ref()
        {
            if self.is_free(ident) {
                Self::add(&mut self.optional, &ident.sym);
            }
            return;
        }
        expr.visit_children_with(self);
    }

    fn visit_this_expr(&mut self, _: &ThisExpr) {
        self.saw_this();
    }

    fn visit_super(&mut self, _: &Super) {
        self.saw_this();
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        arrow.visit_children_with(self);
    }

    fn visit_function(&mut self, function: &Function) {
        self.nested(|s| function.visit_children_with(s));
    }

    fn visit_constructor(&mut self, constructor: &Constructor) {
        self.nested(|s| constructor.visit_children_with(s));
    }

    fn visit_getter_prop(&mut self, getter: &GetterProp) {
        getter.key.visit_with(self);
        self.nested(|s| getter.body.visit_with(s));
    }

    fn visit_setter_prop(&mut self, setter: &SetterProp) {
        setter.key.visit_with(self);
        self.nested(|s| {
            setter.param.visit_with(s);
            setter.body.visit_with(s);
        });
    }

    fn visit_class(&mut self, class: &Class) {
        class.super_class.visit_with(self);
        // Inside a class body, `this` is an instance (or the class), never the enclosing one's.
        self.depth += 2;
        class.body.visit_with(self);
        self.depth -= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> ParsedFunction {
        parse_function(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn arrow_functions_capture_their_free_variables() {
        let f = parsed(
            "(x) => { const y = x + a; return typeof b === 'string' ? y + c.d : path.join(y); }",
        );
        assert!(f.is_arrow_function);
        assert_eq!(f.required, ["a", "c", "path"]);
        assert_eq!(f.optional, ["b"]);
        assert_eq!(
            f.func_expr_without_name,
            f.func_expr_with_name.unwrap_or(f.func_expr_without_name.clone())
        );
    }

    #[test]
    fn functions_keep_their_names_and_own_arguments() {
        let f = parsed(
            "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) + arguments.length + k; }",
        );
        assert_eq!(f.function_declaration_name.as_deref(), Some("fact"));
        assert_eq!(
            f.func_expr_with_name.as_deref().unwrap().split('(').next(),
            Some("function fact")
        );
        assert_eq!(f.required, ["k"]);
        assert!(!f.uses_non_lexical_this);
    }

    #[test]
    fn methods_getters_and_generators_become_function_expressions() {
        let m = parsed("async greet(name) { return this.prefix + name; }");
        assert_eq!(
            m.func_expr_without_name,
            "async function /*greet*/(name) { return this.prefix + name; }"
        );
        assert!(m.uses_non_lexical_this);
        let g = parsed("get size() { return 1; }");
        assert_eq!(g.func_expr_without_name, "function /*size*/() { return 1; }");
        let generator = parsed("*items() { yield 1; }");
        assert_eq!(generator.func_expr_without_name, "function* /*items*/() { yield 1; }");
        let computed = parsed("[Symbol.iterator]() { return x; }");
        assert_eq!(computed.func_expr_without_name, "function () { return x; }");
        assert_eq!(computed.required, ["x"]);
        let keyword = parsed("delete(k) { return k; }");
        assert_eq!(
            keyword.func_expr_with_name.as_deref(),
            Some("function /*delete*/(k) { return k; }")
        );
    }

    #[test]
    fn a_class_is_its_constructor() {
        let c = parsed(
            "class Counter { constructor(start) { this.n = start + base; } inc() { return other; } }",
        );
        assert_eq!(
            c.func_expr_with_name.as_deref(),
            Some("function constructor(start) { this.n = start + base; }")
        );
        assert_eq!(c.required, ["base"]);
        let derived = parsed("class B extends A { m() {} }");
        assert_eq!(derived.func_expr_without_name, "function /*constructor*/() { super(); }");
    }

    #[test]
    fn arrows_that_capture_this_and_native_functions_are_refused() {
        assert!(parse_function("() => this.x").unwrap_err().contains("captured 'this'"));
        assert!(parse_function("function () { return () => this.x; }").is_ok());
        assert_eq!(
            parse_function("function push() { [native code] }").unwrap_err(),
            "it was a native code function."
        );
    }
}
