//! Bundles: a Function's deployable code.
