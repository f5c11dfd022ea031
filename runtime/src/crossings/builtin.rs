//! The crossings the runtime answers itself: the gateway's own (`io.cancel`,
//! `io.quiet`), and `run.finish`, by which a bootstrap reports how it ended.

use serde_json::Value;

use super::{CallContext, CrossingSpec, Handler, HandlerSet, Started};
use crate::io::{Crossing, CrossingError, Outcome};

pub static IO_CANCEL: CrossingSpec = CrossingSpec::sync(
    "io.cancel",
    "`{ticket}`",
    "`null`; the crossing stops and its promise never settles (a `Cancelled` completion is delivered to the pump)",
);

pub static IO_QUIET: CrossingSpec = CrossingSpec::asynchronous(
    "io.quiet",
    "`{}`",
    "`null` once every other crossing has been delivered and the program started no new one — nothing is in flight (answered by the gateway itself)",
);

pub static RUN_FINISH: CrossingSpec = CrossingSpec::sync(
    "run.finish",
    "`{outcome: \"ok\"}` or `{outcome: \"bail\"}` or `{outcome: \"error\", message}`",
    "`null`; the last crossing of a run, neither recorded nor replayed",
)
.unrecorded();

/// The gateway's own crossings: part of every run.
pub static GATEWAY: HandlerSet<()> = HandlerSet {
    name: "gateway",
    handlers: &[Handler::sync(&IO_CANCEL, cancel), Handler::asynchronous(&IO_QUIET, quiet)],
    families: &[],
};

/// `run.finish`: for runs whose bootstrap reports an outcome (`unfold/main.ts`).
pub static OUTCOME: HandlerSet<()> =
    HandlerSet { name: "outcome", handlers: &[Handler::sync(&RUN_FINISH, finish)], families: &[] };

fn cancel(_: &(), cx: &mut CallContext<'_>, args: Value) -> Crossing {
    let ticket = args.get("ticket").and_then(Value::as_u64).ok_or_else(|| CrossingError {
        code: "InvalidArgument".into(),
        message: "io.cancel needs {ticket}".into(),
    })? as u32;
    cx.gateway().cancel_live(ticket);
    Ok(Value::Null)
}

fn quiet(_: &(), _: &mut CallContext<'_>, _: &Value) -> Started {
    Started::WhenQuiet
}

fn finish(_: &(), cx: &mut CallContext<'_>, args: Value) -> Crossing {
    let outcome: Outcome = serde_json::from_value(args)?;
    cx.put(outcome);
    Ok(Value::Null)
}
