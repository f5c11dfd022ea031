//! The ops behind js-lib's Node.js built-ins that are not IO crossings:
//! synchronous module loading for `require` (through the program's module
//! loader, which records every module), hashing and compression.

use std::rc::Rc;

use crate::commonjs::{op_require_resolve, op_require_source};
use crate::module_loader::ProgramModuleLoader;
use crate::node_crypto::op_node_hash;
use crate::node_zlib::{op_node_crc32, op_node_zlib};

deno_core::extension!(
    unfold_node,
    ops = [op_require_resolve, op_require_source, op_node_hash, op_node_zlib, op_node_crc32],
    options = { loader: Rc<ProgramModuleLoader> },
    state = |state, options| {
        state.put(options.loader);
    },
);
