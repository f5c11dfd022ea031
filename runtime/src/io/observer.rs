//! Watching a run's live crossings from outside the membrane, each tagged with
//! the *context* the program made it in: the number a program sets as its
//! async context (`withContext` in `unfold/io.ts`), carried by V8 through
//! every promise continuation, or 0 outside any. A function runtime uses it to
//! keep a record of each invocation apart from the others an instance serves.
//!
//! Only live crossings are observed (never replayed ones), and only those the
//! membrane records.

use serde_json::Value;

use super::host::Crossing;

/// Told of each live crossing as it happens.
pub trait CrossingObserver {
    /// A synchronous crossing and its answer.
    fn called(&self, context: u32, name: &str, args: &Value, result: &Crossing);
    /// An asynchronous crossing started under `ticket`.
    fn started(&self, context: u32, ticket: u32, name: &str, args: &Value);
    /// A batch handed to the program (`[ticket, ok, value]`, inbound events with ticket 0).
    fn delivered(&self, batch: &[Value]);
}
