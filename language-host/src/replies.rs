//! Calls the engine makes into the program, answered later. Each call goes in
//! as an inbound event carrying an id; the program's reply crossing names the
//! id, and the waiting gRPC call completes with the answer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::oneshot;
use unfold_runtime::io::host::CrossingError;

/// The program's answer to one call: a value, or the text of its error.
pub type Answer<T> = Result<T, String>;

/// Calls waiting for the program's reply, by id.
pub struct PendingReplies<T> {
    next_id: AtomicU64,
    waiting: Mutex<HashMap<u64, oneshot::Sender<Answer<T>>>>,
}

impl<T> Default for PendingReplies<T> {
    fn default() -> Self {
        Self { next_id: AtomicU64::new(1), waiting: Mutex::default() }
    }
}

impl<T> PendingReplies<T> {
    /// A new call's id, and where its answer arrives. The receiver fails if the
    /// program ends without answering.
    pub fn open(&self) -> (u64, oneshot::Receiver<Answer<T>>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        self.waiting.lock().expect("pending replies lock").insert(id, sender);
        (id, receiver)
    }

    /// Hands the program's answer to call `id`.
    pub fn complete(&self, id: u64, answer: Answer<T>) -> Result<(), CrossingError> {
        let sender =
            self.waiting.lock().expect("pending replies lock").remove(&id).ok_or_else(|| {
                CrossingError::host(format!("no call {id} is waiting for a reply"))
            })?;
        // The caller may have given up (the engine cancelled the RPC); nothing is lost.
        let _ = sender.send(answer);
        Ok(())
    }

    /// Forgets every waiting call: their receivers fail, which tells the engine
    /// the program is gone.
    pub fn abandon_all(&self) {
        self.waiting.lock().expect("pending replies lock").clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reply_reaches_the_call_with_its_id() {
        let pending = PendingReplies::<u32>::default();
        let (first, first_rx) = pending.open();
        let (second, second_rx) = pending.open();
        assert_ne!(first, second);
        pending.complete(second, Err("refused".into())).unwrap();
        pending.complete(first, Ok(7)).unwrap();
        assert_eq!(first_rx.await.unwrap(), Ok(7));
        assert_eq!(second_rx.await.unwrap(), Err("refused".into()));
    }

    #[test]
    fn a_reply_to_no_call_is_an_error() {
        let pending = PendingReplies::<u32>::default();
        let (id, _rx) = pending.open();
        pending.complete(id, Ok(1)).unwrap();
        let error = pending.complete(id, Ok(2)).unwrap_err();
        assert!(error.message.contains(&format!("no call {id}")), "{}", error.message);
    }

    #[tokio::test]
    async fn abandoned_calls_learn_the_program_is_gone() {
        let pending = PendingReplies::<u32>::default();
        let (_, rx) = pending.open();
        pending.abandon_all();
        assert!(rx.await.is_err());
    }
}
