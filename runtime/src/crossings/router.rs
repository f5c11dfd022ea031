//! Sends each crossing to the handler set that declares it. A run's sets are
//! composed once, when it is built; a name declared twice is a bug in the run's
//! composition, and a name nobody declares is answered with an error that says
//! which crossing and which kind of run.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::{
    CallContext, CrossingKind, CrossingSpec, Family, HandlerFn, HandlerSet, Started, Undeclared,
};
use crate::io::{Crossing, CrossingError};

/// A handler set bound to its state: what a run is composed of.
pub trait BoundSet {
    fn name(&self) -> &'static str;
    fn specs(&self) -> Vec<&'static CrossingSpec>;
    fn families(&self) -> &'static [Family];
    /// Answers the set's `index`th crossing, which is synchronous.
    fn call(&self, index: usize, cx: &mut CallContext<'_>, args: Value) -> Crossing;
    /// Starts the set's `index`th crossing, which is asynchronous.
    fn start(&self, index: usize, cx: &mut CallContext<'_>, args: &Value) -> Started;
}

struct Bound<S: 'static> {
    set: &'static HandlerSet<S>,
    state: Rc<S>,
}

/// Binds `set` to the state its handlers answer from.
pub fn bind<S: 'static>(set: &'static HandlerSet<S>, state: Rc<S>) -> Box<dyn BoundSet> {
    Box::new(Bound { set, state })
}

impl<S: 'static> BoundSet for Bound<S> {
    fn name(&self) -> &'static str {
        self.set.name
    }

    fn specs(&self) -> Vec<&'static CrossingSpec> {
        self.set.specs().collect()
    }

    fn families(&self) -> &'static [Family] {
        self.set.families
    }

    fn call(&self, index: usize, cx: &mut CallContext<'_>, args: Value) -> Crossing {
        match &self.set.handlers[index].answer {
            HandlerFn::Sync(handler) => handler(&self.state, cx, args),
            HandlerFn::Async(_) => unreachable!("the router checks the kind"),
        }
    }

    fn start(&self, index: usize, cx: &mut CallContext<'_>, args: &Value) -> Started {
        match &self.set.handlers[index].answer {
            HandlerFn::Async(handler) => handler(&self.state, cx, args),
            HandlerFn::Sync(_) => unreachable!("the router checks the kind"),
        }
    }
}

/// The crossings of one run, by name.
pub(crate) struct Router {
    /// What kind of run this is, for messages ("a Pulumi program").
    run: &'static str,
    sets: Vec<Box<dyn BoundSet>>,
    /// Name → (set, handler within the set).
    routes: HashMap<&'static str, (usize, usize, &'static CrossingSpec)>,
}

impl Router {
    /// Composes `sets`; panics when two of them declare the same crossing.
    pub(crate) fn new(run: &'static str, sets: Vec<Box<dyn BoundSet>>) -> Self {
        let mut routes = HashMap::new();
        for (set_index, set) in sets.iter().enumerate() {
            for (index, spec) in set.specs().into_iter().enumerate() {
                if let Some((other, _, _)) = routes.insert(spec.name, (set_index, index, spec)) {
                    panic!(
                        "{run}: crossing '{}' is declared by both '{}' and '{}'",
                        spec.name,
                        sets[other].name(),
                        set.name()
                    );
                }
            }
        }
        Self { run, sets, routes }
    }

    /// The spec of `name`, if the run declares it.
    pub(crate) fn spec(&self, name: &str) -> Option<&'static CrossingSpec> {
        self.routes.get(name).map(|(_, _, spec)| *spec)
    }

    /// Answers a synchronous crossing.
    pub(crate) fn call(&self, cx: &mut CallContext<'_>, name: &str, args: Value) -> Crossing {
        match self.routes.get(name) {
            Some((set, index, spec)) if spec.kind == CrossingKind::Sync => {
                self.sets[*set].call(*index, cx, args)
            }
            Some(_) => Err(CrossingError::host(format!(
                "'{name}' is an asynchronous crossing: start it with request(), not call()"
            ))),
            None => Err(self.unknown(name, CrossingKind::Sync)),
        }
    }

    /// Starts an asynchronous crossing.
    pub(crate) fn start(&self, cx: &mut CallContext<'_>, name: &str, args: &Value) -> Started {
        match self.routes.get(name) {
            Some((set, index, spec)) if spec.kind == CrossingKind::Async => {
                self.sets[*set].start(*index, cx, args)
            }
            Some(_) => super::ready(Err(CrossingError::host(format!(
                "'{name}' is a synchronous crossing: make it with call(), not request()"
            )))),
            None => match self.family(name) {
                Some(Undeclared::Unimplemented) => super::ready(Err(CrossingError {
                    code: "Unimplemented".into(),
                    message: format!("{name} is not forwarded by this host"),
                })),
                Some(Undeclared::Parked) => Started::Running(Box::pin(futures::future::pending())),
                None => super::ready(Err(self.unknown(name, CrossingKind::Async))),
            },
        }
    }

    fn family(&self, name: &str) -> Option<Undeclared> {
        self.sets
            .iter()
            .flat_map(|set| set.families())
            .find(|family| name.starts_with(family.prefix))
            .map(|family| family.undeclared)
    }

    fn unknown(&self, name: &str, kind: CrossingKind) -> CrossingError {
        let kind = match kind {
            CrossingKind::Sync => "synchronous",
            CrossingKind::Async => "asynchronous",
        };
        let sets: Vec<&str> = self.sets.iter().map(|set| set.name()).collect();
        CrossingError::host(format!(
            "unknown {kind} crossing '{name}': {} declares no such crossing (its crossings come from: {})",
            self.run,
            sets.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::crossings::Handler;

    static PING: CrossingSpec = CrossingSpec::sync("test.ping", "`{}`", "`\"pong\"`");
    static WAIT: CrossingSpec = CrossingSpec::asynchronous("test.wait", "`{}`", "`null`");

    fn ping(_: &(), _: &mut CallContext<'_>, _: Value) -> Crossing {
        Ok(json!("pong"))
    }

    fn wait(_: &(), _: &mut CallContext<'_>, _: &Value) -> Started {
        super::super::ready(Ok(Value::Null))
    }

    static TEST: HandlerSet<()> = HandlerSet {
        name: "test",
        handlers: &[Handler::sync(&PING, ping), Handler::asynchronous(&WAIT, wait)],
        families: &[Family { prefix: "remote.", undeclared: Undeclared::Unimplemented }],
    };

    fn with_context<T>(f: impl FnOnce(&mut CallContext<'_>) -> T) -> T {
        let mut state = deno_core::OpState::new(None);
        f(&mut CallContext::new(&mut state, "test", None))
    }

    #[test]
    fn crossings_go_to_the_set_that_declares_them() {
        let router = Router::new("a test run", vec![bind(&TEST, Rc::new(()))]);
        assert_eq!(with_context(|cx| router.call(cx, "test.ping", json!({}))), Ok(json!("pong")));
        assert_eq!(router.spec("test.wait"), Some(&WAIT));
    }

    #[test]
    fn unknown_crossings_name_the_crossing_and_the_run() {
        let router = Router::new("a test run", vec![bind(&TEST, Rc::new(()))]);
        let error = with_context(|cx| router.call(cx, "test.nope", json!({}))).unwrap_err();
        assert_eq!(
            error.message,
            "unknown synchronous crossing 'test.nope': a test run declares no such crossing \
             (its crossings come from: test)"
        );
        let error = with_context(|cx| router.call(cx, "test.wait", json!({}))).unwrap_err();
        assert!(error.message.contains("asynchronous crossing"), "{}", error.message);
    }

    #[test]
    #[should_panic(expected = "declared by both 'test' and 'test'")]
    fn a_crossing_declared_twice_is_refused() {
        Router::new("a test run", vec![bind(&TEST, Rc::new(())), bind(&TEST, Rc::new(()))]);
    }
}
