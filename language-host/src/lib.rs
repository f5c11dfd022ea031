pub fn _warm() { let _ = deno_core::JsRuntime::new(Default::default()); let _ = deno_ast::MediaType::TypeScript; }
