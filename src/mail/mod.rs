//! Email. Use cases write outbox events in their own transaction; the worker
//! ([`worker`]) expands each event into one message per recipient ([`expand`], composed by
//! [`compose`] from askama templates in the recipient's language), and delivers each
//! message on its own through the configured [`transport`], marking it sent as soon as the
//! server accepts it, retrying with backoff for a configured period. A message that keeps
//! failing that long becomes undeliverable and is shown to the operators.

pub mod compose;
pub mod escalation;
pub mod expand;
pub mod lifecycle;
pub mod transport;
pub mod worker;

pub use worker::{MailWorker, StopSignal, WorkerHandle};
