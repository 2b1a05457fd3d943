//! The mail worker: runs inside `serve` (a thread of its own) or alone (`tilslutning
//! worker`). Each round it expands new outbox events, delivers due messages, and once a
//! minute runs the periodic jobs: reminders for requests left pending, daily digests,
//! ending agreements whose end date has passed, and escalating requests left pending too
//! long (to the municipality, then the operators). Any number of workers may run against one
//! PostgreSQL database; they share the queue without sending a row twice.
//!
//! Exactly once: each message is marked sent in its own short transaction as soon as the
//! SMTP server has accepted it, before its sender takes the next one. When the worker is
//! told to stop ([`StopSignal`], on SIGTERM/SIGINT), it claims nothing more, finishes the
//! sends in flight, records them, and gives the claims it did not try back at once. A
//! process killed outright can repeat only the sends that were in flight (at most one per
//! connection); their rows are taken again when their claim runs out.
//!
//! A failed send is retried after `base · 2^(attempt−1)` plus jitter, at most the configured
//! maximum delay (an hour), for the configured period from its first failure; after that,
//! or at once for a permanent refusal, the message is marked undeliverable, written to the
//! audit log and shown to operators.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::QueryResult;
use rand::Rng;
use serde_json::json;
use time::PrimitiveDateTime;

use super::expand::{self, Context, ExpandError};
use super::transport::{self, Mailer};
use crate::configuration::Settings;
use crate::db::audit::{self, Caller, Entry};
use crate::db::mail::{self, jobs, outbox};
use crate::db::{self, Db, DbConnection, agreements, write_tx};
use crate::domain::{AgreementStatus, Reason, SystemReason};
use crate::i18n::Language;

/// An event claimed in a round, and what expanding it gave (messages queued, or the problem).
type Expanded = Option<(outbox::Event, Result<usize, String>)>;

/// Expands the oldest unprocessed event into its messages and marks it processed.
/// On SQLite, where one writer excludes all others, the event is read and its messages
/// composed outside any write transaction; only storing them and marking the event is
/// a (short) write transaction, guarded so an event is stored once. On PostgreSQL the
/// event is claimed with `SKIP LOCKED` for the whole step, so workers share the queue
/// without composing the same event twice; that lock blocks no one else.
fn expand_next(conn: &mut DbConnection, ctx: &Context<'_>) -> Result<Expanded, ExpandError> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        let Some(event) = outbox::claim_next(conn)? else {
            return Ok(None);
        };
        let messages = match expand::expand(conn, ctx, &event) {
            Ok(messages) => messages,
            Err(ExpandError::Database(e)) => return Err(ExpandError::Database(e)),
            // Recorded as failed by the caller, so one bad event cannot block the rest.
            Err(e) => return Ok(Some((event, Err(e.to_string())))),
        };
        let stored = write_tx(conn, |conn| -> QueryResult<usize> {
            // Another worker may have stored it meanwhile: then nothing more to do.
            if !outbox::mark_processed_if_open(conn, &event.id)? {
                return Ok(0);
            }
            expand::store(conn, &event.id, &messages)?;
            Ok(messages.len())
        })?;
        return Ok(Some((event, Ok(stored))));
    }
    write_tx(conn, |conn| -> Result<Expanded, ExpandError> {
        let Some(event) = outbox::claim_next(conn)? else {
            return Ok(None);
        };
        match expand::expand(conn, ctx, &event) {
            Ok(messages) => {
                expand::store(conn, &event.id, &messages)?;
                outbox::mark_processed(conn, &event.id)?;
                Ok(Some((event, Ok(messages.len()))))
            }
            Err(ExpandError::Database(e)) => Err(ExpandError::Database(e)),
            Err(e) => Ok(Some((event, Err(e.to_string())))),
        }
    })
}

/// How long a claimed message stays reserved for the worker that claimed it.
const LEASE: time::Duration = time::Duration::minutes(5);
const PERIODIC_EVERY: Duration = Duration::from_secs(60);
/// Tries at recording a send's outcome before the worker gives up on the database.
const RECORD_TRIES: u32 = 5;
/// The periodic jobs work in batches of this many rows (digests: recipients), each in a
/// transaction of its own, so a sweep over a national backlog never holds SQLite's write
/// lock for long and users' decisions slip in between batches.
const SWEEP_BATCH: i64 = 500;

pub struct MailWorker {
    db: Db,
    mailer: Mailer,
    settings: Arc<Settings>,
    host: String,
    stop: StopSignal,
}

/// Tells a worker to stop, and wakes it from its idle sleep. Clones share one signal.
#[derive(Clone, Default)]
pub struct StopSignal(Arc<(Mutex<bool>, Condvar)>);

impl StopSignal {
    pub fn stop(&self) {
        let (stopped, wake) = &*self.0;
        *stopped.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps for `duration`, or until the signal is given.
    fn sleep(&self, duration: Duration) {
        let (stopped, wake) = &*self.0;
        let guard = stopped.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = wake
            .wait_timeout_while(guard, duration, |stopped| !*stopped)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

/// The worker thread; tells it to stop when dropped.
pub struct WorkerHandle {
    stop: StopSignal,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    /// The signal that stops this worker (for a signal handler that must not wait).
    pub fn stopper(&self) -> StopSignal {
        self.stop.clone()
    }

    /// Stops claiming, lets the sends in flight finish and be recorded, gives back the
    /// claims not tried, and returns when the thread has ended.
    pub fn stop_and_wait(mut self) {
        self.stop.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.stop.stop();
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub expanded: usize,
    pub sent: usize,
    pub failed: usize,
}

impl MailWorker {
    pub fn new(db: Db, settings: Arc<Settings>) -> anyhow::Result<Self> {
        let mailer = Mailer::from_settings(&settings.mail)?;
        let host = crate::configuration::host_of(&settings.base_url);
        Ok(Self {
            db,
            mailer,
            settings,
            host,
            stop: StopSignal::default(),
        })
    }

    /// Runs the worker on a thread of its own.
    pub fn spawn(self) -> WorkerHandle {
        let stop = self.stop.clone();
        let thread = std::thread::Builder::new()
            .name("mail-worker".into())
            .spawn(move || self.run())
            .ok();
        WorkerHandle { stop, thread }
    }

    /// Works until stopped, sleeping only when there is nothing to do.
    pub fn run(&self) {
        let mut last_periodic: Option<Instant> = None;
        while !self.stop.is_stopped() {
            let mut busy = false;
            match self.round() {
                Ok(r) => busy = r.expanded + r.sent + r.failed > 0,
                Err(e) => tracing::error!(error = %e, "mail round failed"),
            }
            if self.stop.is_stopped() {
                break;
            }
            if last_periodic.is_none_or(|t| t.elapsed() >= PERIODIC_EVERY) {
                if let Err(e) = self.periodic(db::now()) {
                    tracing::error!(error = %e, "periodic mail jobs failed");
                }
                last_periodic = Some(Instant::now());
            }
            if !busy {
                self.stop
                    .sleep(Duration::from_millis(self.settings.mail.poll_ms));
            }
        }
        tracing::info!("mail worker stopped");
    }

    /// Expands waiting events, then delivers what is due.
    pub fn round(&self) -> anyhow::Result<Round> {
        let expanded = self.expand_events(&mut *self.db.get()?)?;
        let (sent, failed) = self.deliver_due()?;
        Ok(Round {
            expanded,
            sent,
            failed,
        })
    }

    fn expand_events(&self, conn: &mut DbConnection) -> anyhow::Result<usize> {
        let ctx = Context {
            base_url: &self.settings.base_url,
            reminder_days: self.settings.mail.reminder_days,
        };
        let mut expanded = 0;
        for _ in 0..100 {
            if self.stop.is_stopped() {
                break;
            }
            let outcome = expand_next(conn, &ctx)?;
            match outcome {
                None => break,
                Some((_, Ok(_))) => expanded += 1,
                Some((event, Err(problem))) => {
                    tracing::error!(event = %event.id, topic = %event.topic, problem = %problem, "mail event could not be expanded");
                    write_tx(conn, |conn| -> QueryResult<()> {
                        outbox::mark_processed(conn, &event.id)?;
                        audit::record(
                            conn,
                            &Caller::default(),
                            Entry {
                                action: "mail.event_failed",
                                target_type: "outbox",
                                target_id: &event.id,
                                institution_number: None,
                                supplier_id: None,
                                details: json!({ "topic": event.topic, "problem": problem }),
                            },
                        )
                    })?;
                }
            }
        }
        Ok(expanded)
    }

    /// When to try again after the `attempts`-th failed send.
    fn retry_at(&self, attempts: i32) -> PrimitiveDateTime {
        let mail = &self.settings.mail;
        let base = mail.retry_base_ms.max(1);
        let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
        let jitter = rand::rng().random_range(0..=base / 2);
        let delay = base
            .saturating_mul(1_u64 << exponent)
            .saturating_add(jitter)
            .min(mail.retry_max_delay_ms.clamp(1, 3_600_000));
        db::now() + time::Duration::milliseconds(delay as i64)
    }

    /// Claims what is due and sends it over the transport's connection pool, one sender
    /// per connection. The wait per message is mostly network round trips, so parallel
    /// sends multiply throughput. Claims not tried (the worker was stopped, or the
    /// database refused an outcome) are given back before this returns.
    fn deliver_due(&self) -> anyhow::Result<(usize, usize)> {
        let now = db::now();
        let batch = (self.settings.mail.connections * 4).max(50) as i64;
        let claimed = mail::claim_due(&mut *self.db.get()?, now, now + LEASE, batch)?;
        if claimed.is_empty() {
            return Ok((0, 0));
        }
        let senders = self.settings.mail.connections.clamp(1, claimed.len());
        let queue = Mutex::new(claimed.into_iter());
        let trouble = AtomicBool::new(false);
        let (sent, failed) = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..senders)
                .map(|_| scope.spawn(|| self.send_from(&queue, &trouble)))
                .collect();
            // A panicked sender leaves its row claimed; the lease runs out and it is tried again.
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .fold((0, 0), |(s, f), (s2, f2)| (s + s2, f + f2))
        });
        let untried: Vec<String> = queue
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .map(|row| row.id)
            .collect();
        if !untried.is_empty() {
            let released = self
                .db
                .get()
                .and_then(|mut conn| Ok(write_tx(&mut conn, |c| mail::release(c, &untried))?));
            match released {
                Ok(n) => tracing::info!(released = n, "claims not tried were given back"),
                Err(e) => {
                    tracing::warn!(error = %e, untried = untried.len(), "claims could not be given back; they are taken again when their lease runs out")
                }
            }
        }
        Ok((sent, failed))
    }

    /// One sender: takes the next claimed message until there is none, the worker is told
    /// to stop, or the database refuses an outcome; records each outcome before the next send.
    fn send_from(
        &self,
        queue: &Mutex<std::vec::IntoIter<mail::MailMessage>>,
        trouble: &AtomicBool,
    ) -> (usize, usize) {
        let (mut sent, mut failed) = (0, 0);
        while !self.stop.is_stopped() && !trouble.load(Ordering::Relaxed) {
            let Some(row) = queue.lock().unwrap_or_else(PoisonError::into_inner).next() else {
                break;
            };
            let outcome = transport::build(&self.settings.mail, &self.host, &row)
                .and_then(|m| self.mailer.send(&m));
            let delivered = outcome.is_ok();
            if let Err(e) = self.record(&row, &outcome) {
                tracing::error!(message = %row.id, delivered, error = %e, "the outcome of a send could not be recorded; the message is tried again when its claim runs out");
                trouble.store(true, Ordering::Relaxed);
                break;
            }
            if delivered {
                sent += 1;
            } else {
                failed += 1;
            }
        }
        (sent, failed)
    }

    /// Records a send's outcome in its own transaction, trying again for a few seconds if
    /// the database is briefly out of reach.
    fn record(
        &self,
        row: &mail::MailMessage,
        outcome: &Result<(), transport::SendError>,
    ) -> anyhow::Result<()> {
        let mut wait = Duration::from_millis(100);
        let mut tries = 1;
        loop {
            match self.try_record(row, outcome) {
                Ok(()) => return Ok(()),
                Err(e) if tries < RECORD_TRIES => {
                    tracing::warn!(message = %row.id, error = %e, "recording a send failed; trying again");
                    std::thread::sleep(wait);
                    wait *= 2;
                    tries += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn try_record(
        &self,
        row: &mail::MailMessage,
        outcome: &Result<(), transport::SendError>,
    ) -> anyhow::Result<()> {
        let mut conn = self.db.get()?;
        let e = match outcome {
            Ok(()) => return Ok(write_tx(&mut conn, |c| mail::mark_sent(c, &row.id))?),
            Err(e) => e,
        };
        let now = db::now();
        let failing_since = row.failing_since.unwrap_or(now);
        let give_up = e.permanent || now >= failing_since + self.settings.mail.retry_for;
        tracing::warn!(message = %row.id, attempts = row.attempts, give_up, error = %e.message, "mail not delivered");
        if give_up {
            write_tx(&mut conn, |conn| -> QueryResult<()> {
                mail::mark_undeliverable(conn, &row.id, &e.message)?;
                audit::record(
                    conn,
                    &Caller::default(),
                    Entry {
                        action: "mail.undeliverable",
                        target_type: "mail",
                        target_id: &row.id,
                        institution_number: None,
                        supplier_id: None,
                        details: json!({
                            "recipient": row.recipient,
                            "subject": row.subject,
                            "attempts": row.attempts,
                            "failing_since": failing_since.to_string(),
                            "error": e.message,
                        }),
                    },
                )
            })?;
        } else {
            let retry_at = self.retry_at(row.attempts);
            write_tx(&mut conn, |conn| {
                mail::mark_failed(conn, &row.id, &e.message, retry_at, failing_since)
            })?;
        }
        Ok(())
    }

    /// Reminders, digests and ended agreements, as of `now` (UTC).
    pub fn periodic(&self, now: PrimitiveDateTime) -> anyhow::Result<()> {
        let mut conn = self.db.get()?;
        self.fill_municipality_copies(&mut conn)?;
        self.remind(&mut conn, now)?;
        self.send_digests(&mut conn, now)?;
        self.end_expired(&mut conn, now)?;
        self.remind_ends(&mut conn, now)?;
        self.escalate(&mut conn, now)?;
        Ok(())
    }

    /// Both sides of each open agreement hear the configured numbers of days before its end
    /// date, once each: smallest number first, and an agreement told at a smaller number is
    /// recorded as told at the larger ones too. Bounded batches, each its own transaction.
    fn remind_ends(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<()> {
        let mut days = self.settings.mail.end_reminder_days.clone();
        days.sort_unstable();
        for (index, day) in days.iter().enumerate() {
            let counted_as: Vec<i64> = days[index..].to_vec();
            while !self.stop.is_stopped() {
                let marked = write_tx(conn, |conn| -> QueryResult<usize> {
                    let due = crate::db::end_reminders::due(conn, now.date(), *day, SWEEP_BATCH)?;
                    if !due.is_empty() {
                        let ids: Vec<&String> = due.iter().map(|(id, _)| id).collect();
                        outbox::enqueue(
                            conn,
                            "agreements.ending",
                            json!({ "agreement_ids": ids, "days": day, "as_of": now.date() }),
                        )?;
                        crate::db::end_reminders::mark_sent(conn, &due, &counted_as, now)?;
                    }
                    Ok(due.len())
                })?;
                if marked < SWEEP_BATCH as usize {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Requests left pending escalate to their municipality, then to the operators, once
    /// each, batch by batch in short transactions.
    fn escalate(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<()> {
        use crate::db::escalations::{Stage, sweep};
        let mail = &self.settings.mail;
        for (stage, days) in [
            (Stage::Municipality, mail.escalate_after_days),
            (Stage::Operators, mail.escalate_to_operators_after_days),
        ] {
            while !self.stop.is_stopped() {
                let looked = write_tx(conn, |conn| sweep(conn, stage, days, now, SWEEP_BATCH))?;
                if looked < SWEEP_BATCH as usize {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Rows loaded around the database's triggers get their municipality, batch by batch.
    fn fill_municipality_copies(&self, conn: &mut DbConnection) -> QueryResult<()> {
        while !self.stop.is_stopped() {
            let mended = write_tx(conn, |conn| {
                jobs::fill_municipality_copies(conn, SWEEP_BATCH)
            })?;
            if mended == 0 {
                break;
            }
            tracing::info!(mended, "rows given their institution's municipality");
        }
        Ok(())
    }

    fn remind(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<()> {
        let age = time::Duration::days(self.settings.mail.reminder_days.max(1));
        while !self.stop.is_stopped() {
            let marked = write_tx(conn, |conn| -> QueryResult<usize> {
                let due = jobs::due_reminders(conn, now - age, now - age, SWEEP_BATCH)?;
                if !due.is_empty() {
                    outbox::enqueue(conn, "requests.reminder", json!({ "request_ids": due }))?;
                    jobs::mark_reminded(conn, &due, now)?;
                }
                Ok(due.len())
            })?;
            if marked < SWEEP_BATCH as usize {
                break;
            }
        }
        Ok(())
    }

    /// Sends each digest recipient one mail with what was held for them before today's
    /// digest hour (Copenhagen time).
    fn send_digests(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> anyhow::Result<()> {
        let local_day = (now + time::Duration::hours(1)).date();
        let cutoff = crate::routes::copenhagen_day_start(local_day)
            + time::Duration::hours(i64::from(self.settings.mail.digest_hour));
        if now < cutoff {
            return Ok(());
        }
        while !self.stop.is_stopped() && self.send_digest_batch(conn, cutoff)? {}
        Ok(())
    }

    /// One batch of digests; tells whether there may be more.
    fn send_digest_batch(
        &self,
        conn: &mut DbConnection,
        cutoff: PrimitiveDateTime,
    ) -> anyhow::Result<bool> {
        let base_url = &self.settings.base_url;
        write_tx(conn, |conn| -> anyhow::Result<bool> {
            let held = jobs::held_before(conn, cutoff, SWEEP_BATCH)?;
            let mut by_recipient: std::collections::BTreeMap<&str, Vec<&mail::MailMessage>> =
                Default::default();
            for m in &held {
                by_recipient
                    .entry(m.recipient.as_str())
                    .or_default()
                    .push(m);
            }
            let by_recipient_count = by_recipient.len();
            for (email, messages) in by_recipient {
                let language = messages[0].language.clone();
                let tx = Language::from_code(&language).unwrap_or_default().texts();
                let notification = super::compose::digest(tx, &messages);
                let rendered = super::compose::render(&notification, tx, base_url)?;
                let to = mail::Recipient {
                    email: email.to_string(),
                    language,
                    digest: false,
                };
                mail::enqueue(
                    conn,
                    None,
                    &to,
                    &rendered.subject,
                    &rendered.text,
                    &rendered.html,
                )?;
            }
            let recipients = by_recipient_count;
            jobs::mark_digested(conn, &held.iter().map(|m| m.id.clone()).collect::<Vec<_>>())?;
            Ok(recipients == SWEEP_BATCH as usize)
        })
    }

    fn end_expired(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> anyhow::Result<()> {
        while !self.stop.is_stopped() {
            let batch = jobs::expired_agreements(conn, now.date(), SWEEP_BATCH)?;
            for id in &batch {
                match write_tx(conn, |conn| {
                    agreements::end(
                        conn,
                        &Caller::default(),
                        id,
                        AgreementStatus::Ended,
                        Some(&Reason::System(SystemReason::EndDatePassed)),
                    )
                }) {
                    Ok(()) | Err(agreements::EndError::AlreadyEnded(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if batch.len() < SWEEP_BATCH as usize {
                break;
            }
        }
        Ok(())
    }
}
