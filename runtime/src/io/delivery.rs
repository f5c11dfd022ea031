//! The order in which completions reach the program.
//!
//! As they come (`Arrival`), every completion and inbound event ready at a
//! tick goes in one batch: the fastest way, but which batch a completion lands
//! in depends on timing. In ticket order (`Sequenced`), each batch holds one
//! completion: that of the oldest crossing still outstanding, waiting for it if
//! it has not finished — so a run whose crossings give the same answers makes
//! the same record, byte for byte, however fast the answers came. Timers (due
//! by the clock) and inbound events (sent when the other side decides) cannot
//! be put in ticket order and are delivered as they come, after any completion
//! that is due.
//!
//! `io.quiet` is the one crossing the gateway answers itself: it completes once
//! every other crossing has been delivered and the program, its microtasks
//! drained, started no new one — the point where nothing is in flight. The
//! bootstrap waits for it before evaluating the program (module evaluation is
//! not a crossing, so nothing may race it), and Function bundles are cut there.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::gateway::Ready;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryOrder {
    #[default]
    Arrival,
    Sequenced,
}

/// Completions waiting for their turn (sequenced delivery only).
#[derive(Default)]
pub struct Sequencer {
    /// Started crossings, other than timers, not delivered yet.
    outstanding: BTreeSet<u32>,
    /// `io.quiet` crossings waiting for everything else to be delivered.
    quiet: BTreeSet<u32>,
    completed: BTreeMap<u32, Ready>,
    timers: BTreeMap<u32, Ready>,
    inbound: VecDeque<Ready>,
}

impl Sequencer {
    /// A crossing started; timers are not sequenced.
    pub fn started(&mut self, ticket: u32, is_timer: bool) {
        if !is_timer {
            self.outstanding.insert(ticket);
        }
    }

    /// An `io.quiet` crossing started.
    pub fn started_quiet(&mut self, ticket: u32) {
        self.quiet.insert(ticket);
    }

    /// Something became ready.
    pub fn arrived(&mut self, ready: Ready) {
        match ready {
            Ready::Completed { ticket, .. } if self.outstanding.contains(&ticket) => {
                self.completed.insert(ticket, ready);
            }
            Ready::Completed { ticket, .. } => {
                self.timers.insert(ticket, ready);
            }
            Ready::Inbound(_) => self.inbound.push_back(ready),
        }
    }

    /// The next thing to deliver, if its turn has come.
    pub fn take_next(&mut self) -> Option<Ready> {
        if let Some(&oldest) = self.outstanding.first()
            && let Some(ready) = self.completed.remove(&oldest)
        {
            self.outstanding.remove(&oldest);
            return Some(ready);
        }
        if let Some((_, ready)) = self.timers.pop_first() {
            return Some(ready);
        }
        if let Some(ready) = self.inbound.pop_front() {
            return Some(ready);
        }
        if self.outstanding.is_empty() {
            let ticket = self.quiet.pop_first()?;
            return Some(Ready::Completed { ticket, result: Ok(serde_json::Value::Null) });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn done(ticket: u32) -> Ready {
        Ready::Completed { ticket, result: Ok(json!(ticket)) }
    }

    fn ticket(ready: Option<Ready>) -> Option<u32> {
        match ready? {
            Ready::Completed { ticket, .. } => Some(ticket),
            Ready::Inbound(_) => Some(0),
        }
    }

    #[test]
    fn completions_wait_for_older_crossings() {
        let mut sequencer = Sequencer::default();
        for t in 1..=3 {
            sequencer.started(t, false);
        }
        sequencer.arrived(done(3));
        sequencer.arrived(done(2));
        assert_eq!(ticket(sequencer.take_next()), None, "1 has not finished");
        sequencer.arrived(done(1));
        assert_eq!(
            [
                ticket(sequencer.take_next()),
                ticket(sequencer.take_next()),
                ticket(sequencer.take_next())
            ],
            [Some(1), Some(2), Some(3)]
        );
        assert_eq!(ticket(sequencer.take_next()), None);
    }

    #[test]
    fn quiet_completes_once_everything_else_is_delivered() {
        let mut sequencer = Sequencer::default();
        sequencer.started(1, false);
        sequencer.started_quiet(2);
        sequencer.started(3, false);
        assert_eq!(ticket(sequencer.take_next()), None);
        sequencer.arrived(done(3));
        sequencer.arrived(done(1));
        assert_eq!(
            [ticket(sequencer.take_next()), ticket(sequencer.take_next())],
            [Some(1), Some(3)]
        );
        assert_eq!(ticket(sequencer.take_next()), Some(2));
        assert_eq!(ticket(sequencer.take_next()), None);
    }

    #[test]
    fn timers_and_inbound_events_do_not_wait() {
        let mut sequencer = Sequencer::default();
        sequencer.started(1, false);
        sequencer.started(2, true);
        sequencer.arrived(done(2));
        sequencer.arrived(Ready::Inbound(crate::io::Inbound::new("callback", json!({}))));
        assert_eq!(ticket(sequencer.take_next()), Some(2));
        assert_eq!(ticket(sequencer.take_next()), Some(0));
        sequencer.arrived(done(1));
        assert_eq!(ticket(sequencer.take_next()), Some(1));
    }
}
