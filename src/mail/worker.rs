//! The mail worker: runs inside `serve` (a thread of its own) or alone (`tilslutning
//! worker`). Each round it expands new outbox events, delivers due messages, and once a
//! minute runs the periodic jobs: reminders for requests left pending, daily digests, and
//! ending agreements whose end date has passed. Any number of workers may run against one
//! PostgreSQL database; they share the queue without sending a row twice.
//!
//! A failed send is retried after `base · 2^(attempt−1)` plus jitter (at most an hour);
//! after the configured number of attempts, or at once for a permanent refusal, the message
//! is marked undeliverable, written to the audit log and shown to operators.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
use crate::domain::AgreementStatus;

/// An event claimed in a round, and what expanding it gave (messages queued, or the problem).
type Expanded = Option<(outbox::Event, Result<usize, String>)>;

/// How long a claimed message stays reserved for the worker that claimed it.
const LEASE: time::Duration = time::Duration::minutes(5);
const PERIODIC_EVERY: Duration = Duration::from_secs(60);

pub struct MailWorker {
    db: Db,
    mailer: Mailer,
    settings: Arc<Settings>,
    host: String,
}

/// Stops the worker thread when dropped.
pub struct WorkerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    pub fn stop_and_wait(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
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
        })
    }

    pub fn spawn(self) -> WorkerHandle {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("mail-worker".into())
            .spawn(move || self.run(&flag))
            .ok();
        WorkerHandle { stop, thread }
    }

    /// Works until `stop` is set, sleeping only when there is nothing to do.
    pub fn run(&self, stop: &AtomicBool) {
        let mut last_periodic: Option<Instant> = None;
        while !stop.load(Ordering::Relaxed) {
            let mut busy = false;
            match self.round() {
                Ok(r) => busy = r.expanded + r.sent + r.failed > 0,
                Err(e) => tracing::error!(error = %e, "mail round failed"),
            }
            if last_periodic.is_none_or(|t| t.elapsed() >= PERIODIC_EVERY) {
                if let Err(e) = self.periodic(db::now()) {
                    tracing::error!(error = %e, "periodic mail jobs failed");
                }
                last_periodic = Some(Instant::now());
            }
            if !busy {
                std::thread::sleep(Duration::from_millis(self.settings.mail.poll_ms));
            }
        }
    }

    /// Expands waiting events, then delivers what is due.
    pub fn round(&self) -> anyhow::Result<Round> {
        let mut conn = self.db.get()?;
        let expanded = self.expand_events(&mut conn)?;
        let (sent, failed) = self.deliver_due(&mut conn)?;
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
            let outcome = write_tx(conn, |conn| -> Result<Expanded, ExpandError> {
                let Some(event) = outbox::claim_next(conn)? else {
                    return Ok(None);
                };
                match expand::expand(conn, &ctx, &event) {
                    Ok(n) => {
                        outbox::mark_processed(conn, &event.id)?;
                        Ok(Some((event, Ok(n))))
                    }
                    Err(ExpandError::Database(e)) => Err(ExpandError::Database(e)),
                    // Rolled back below and recorded as failed, so one bad event cannot block the rest.
                    Err(e) => Ok(Some((event, Err(e.to_string())))),
                }
            })?;
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

    fn retry_at(&self, attempts: i32) -> PrimitiveDateTime {
        let base = self.settings.mail.retry_base_ms.max(1);
        let exponent = attempts.saturating_sub(1).clamp(0, 20) as u32;
        let delay = base.saturating_mul(1_u64 << exponent).min(3_600_000);
        let jitter = rand::rng().random_range(0..=base / 2);
        db::now() + time::Duration::milliseconds((delay + jitter) as i64)
    }

    /// Sends claimed messages in parallel over the transport's connection pool. The wait
    /// per message is mostly network round trips, so parallel sends multiply throughput.
    fn send_all(
        &self,
        claimed: Vec<mail::MailMessage>,
    ) -> Vec<(mail::MailMessage, Result<(), transport::SendError>)> {
        let per_thread = claimed
            .len()
            .div_ceil(self.settings.mail.connections.max(1))
            .max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = claimed
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|row| {
                                let outcome =
                                    transport::build(&self.settings.mail, &self.host, row)
                                        .and_then(|m| self.mailer.send(&m));
                                (row.clone(), outcome)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            // A panicked sender leaves its rows claimed; the lease runs out and they are tried again.
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    fn deliver_due(&self, conn: &mut DbConnection) -> anyhow::Result<(usize, usize)> {
        let now = db::now();
        let batch = (self.settings.mail.connections * 4).max(50) as i64;
        let claimed = mail::claim_due(conn, now, now + LEASE, batch)?;
        let (mut sent, mut failed) = (0, 0);
        for (row, outcome) in self.send_all(claimed) {
            match outcome {
                Ok(()) => {
                    mail::mark_sent(conn, &row.id)?;
                    sent += 1;
                }
                Err(e) => {
                    failed += 1;
                    let give_up = e.permanent || row.attempts >= self.settings.mail.max_attempts;
                    tracing::warn!(message = %row.id, attempts = row.attempts, give_up, error = %e.message, "mail not delivered");
                    if give_up {
                        write_tx(conn, |conn| -> QueryResult<()> {
                            mail::mark_failed(conn, &row.id, &e.message, None)?;
                            audit::record(
                                conn,
                                &Caller::default(),
                                Entry {
                                    action: "mail.undeliverable",
                                    target_type: "mail",
                                    target_id: &row.id,
                                    institution_number: None,
                                    supplier_id: None,
                                    details: json!({ "recipient": row.recipient, "subject": row.subject, "attempts": row.attempts, "error": e.message }),
                                },
                            )
                        })?;
                    } else {
                        mail::mark_failed(
                            conn,
                            &row.id,
                            &e.message,
                            Some(self.retry_at(row.attempts)),
                        )?;
                    }
                }
            }
        }
        Ok((sent, failed))
    }

    /// Reminders, digests and ended agreements, as of `now` (UTC).
    pub fn periodic(&self, now: PrimitiveDateTime) -> anyhow::Result<()> {
        let mut conn = self.db.get()?;
        self.remind(&mut conn, now)?;
        self.send_digests(&mut conn, now)?;
        self.end_expired(&mut conn, now)?;
        Ok(())
    }

    fn remind(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<()> {
        let age = time::Duration::days(self.settings.mail.reminder_days.max(1));
        write_tx(conn, |conn| {
            let due = jobs::due_reminders(conn, now - age, now - age)?;
            if !due.is_empty() {
                outbox::enqueue(conn, "requests.reminder", json!({ "request_ids": due }))?;
                jobs::mark_reminded(conn, &due, now)?;
            }
            Ok(())
        })
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
        let base_url = self.settings.base_url.clone();
        write_tx(conn, |conn| -> anyhow::Result<()> {
            let held = jobs::held_before(conn, cutoff)?;
            let mut by_recipient: std::collections::BTreeMap<&str, Vec<&mail::MailMessage>> =
                Default::default();
            for m in &held {
                by_recipient
                    .entry(m.recipient.as_str())
                    .or_default()
                    .push(m);
            }
            for (email, messages) in by_recipient {
                let language = messages[0].language.clone();
                let notification = super::compose::digest(language == "en", &messages);
                let rendered = super::compose::render(&notification, &language, &base_url)?;
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
            jobs::mark_digested(conn, &held.iter().map(|m| m.id.clone()).collect::<Vec<_>>())?;
            Ok(())
        })
    }

    fn end_expired(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> anyhow::Result<()> {
        for id in jobs::expired_agreements(conn, now.date())? {
            match agreements::end(
                conn,
                &Caller::default(),
                &id,
                AgreementStatus::Ended,
                Some("Slutdatoen er passeret."),
            ) {
                Ok(()) | Err(agreements::EndError::AlreadyEnded(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}
