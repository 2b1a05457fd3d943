//! Mail exactly once when a worker stops: the real `tilslutning worker` and `tilslutning
//! serve` processes, sending to a slow SMTP server on loopback so that they are stopped
//! while sends are in flight. SIGTERM: the process exits 0, what the server accepted is
//! marked sent, the rest is given back at once and a second worker delivers it with no
//! Message-ID received twice. `kill -9`: at most one message per connection repeats. And a
//! server down for longer than a fixed number of attempts would allow still gets the mail.

use std::path::PathBuf;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::mail::{self, Recipient};
use tilslutning::db::schema::mail_messages;
use tilslutning::db::{Db, pool, write_tx};

use crate::helpers::*;

/// Messages queued for the stopped process; far more than one batch.
const QUEUED: usize = 270;
/// The stopped process's SMTP connections: the most that may repeat after `kill -9`.
const CONNECTIONS: usize = 4;
/// How long the slow server takes to accept each message.
const ACCEPT_MS: u64 = 100;

/// A database (fresh SQLite file, or fresh PostgreSQL database) with `QUEUED` messages
/// waiting, and a data folder for the processes.
struct Queue {
    dir: tempfile::TempDir,
    url: String,
    db: Db,
}

impl Queue {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = fresh_postgres_database()
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("test.db").display()));
        let db = Db::connect(&url, 2).expect("test pool");
        let mut conn = db.get().expect("connection");
        pool::run_migrations(&mut conn).expect("migrations");
        write_tx(&mut conn, |c| -> QueryResult<()> {
            for i in 0..QUEUED {
                let to = Recipient::mailbox(&format!("modtager{i}@example.org"));
                mail::enqueue(
                    c,
                    None,
                    &to,
                    &format!("Besked {i}"),
                    "Tekst",
                    "<p>Tekst</p>",
                )?;
            }
            Ok(())
        })
        .expect("queue messages");
        Self { dir, url, db }
    }

    fn count(&self, status: &str) -> usize {
        let mut conn = self.db.get().expect("connection");
        mail_messages::table
            .filter(mail_messages::status.eq(status))
            .count()
            .get_result::<i64>(&mut conn)
            .expect("count") as usize
    }

    fn claimed(&self) -> usize {
        let mut conn = self.db.get().expect("connection");
        mail_messages::table
            .filter(mail_messages::status.eq("pending"))
            .filter(mail_messages::claimed_until.is_not_null())
            .count()
            .get_result::<i64>(&mut conn)
            .expect("count") as usize
    }

    /// Plays the claim timeout running out (five minutes after a process died).
    fn expire_claims(&self) {
        let mut conn = self.db.get().expect("connection");
        let past = tilslutning::db::now() - time::Duration::seconds(1);
        diesel::update(mail_messages::table.filter(mail_messages::claimed_until.is_not_null()))
            .set(mail_messages::claimed_until.eq(past))
            .execute(&mut conn)
            .expect("expire claims");
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.log"))
    }

    /// Starts `tilslutning ARGS` on this queue, mailing `smtp` over `connections`.
    fn start(&self, args: &[&str], smtp: &SmtpServer, connections: usize, name: &str) -> Child {
        let log = std::fs::File::create(self.log(name)).expect("log file");
        tilslutning_binary()
            .args(args)
            .current_dir(self.dir.path())
            .env("TILSLUTNING_DATABASE_URL", &self.url)
            .env("TILSLUTNING_DATA_DIR", self.dir.path())
            .env("TILSLUTNING_BIND", "127.0.0.1:0")
            .env("TILSLUTNING_MAIL", smtp.url())
            .env("TILSLUTNING_MAIL_CONNECTIONS", connections.to_string())
            .env("TILSLUTNING_MAIL_POLL_MS", "50")
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the tilslutning binary starts")
    }

    fn read_log(&self, name: &str) -> String {
        std::fs::read_to_string(self.log(name)).unwrap_or_default()
    }
}

fn wait_for(seconds: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn terminate(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
}

fn exit_within(child: &mut Child, seconds: u64) -> Option<ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `tilslutning ARGS` gets SIGTERM mid-batch; a second worker delivers the rest.
fn stopped_mid_batch_then_the_rest_by_another_worker(args: &[&str]) {
    let smtp = SmtpServer::start_slow(ACCEPT_MS);
    let queue = Queue::new();
    let mut first = queue.start(args, &smtp, CONNECTIONS, "first");
    wait_for(60, "the first sends", || smtp.stored() >= 20);
    terminate(&first);
    let status = exit_within(&mut first, 30);
    let log = queue.read_log("first");
    assert!(
        status.is_some_and(|s| s.success()),
        "{args:?} exits 0 on SIGTERM, got {status:?}\n{log}"
    );
    let (received, distinct) = smtp.counts();
    assert!(received < QUEUED, "stopped mid-batch ({received} received)");
    assert_eq!(received, distinct, "nothing twice so far");
    assert_eq!(
        queue.count("sent"),
        received,
        "every message the server accepted is marked sent\n{log}"
    );
    assert_eq!(
        queue.claimed(),
        0,
        "the claims not tried were given back at once"
    );

    let mut second = queue.start(&["worker"], &smtp, 8, "second");
    // Far less than the five-minute claim timeout: the given-back claims go at once.
    wait_for(60, "the rest delivered by the second worker", || {
        queue.count("sent") == QUEUED
    });
    terminate(&second);
    let second_status = exit_within(&mut second, 30);
    assert!(second_status.is_some_and(|s| s.success()));
    wait_for(10, "the server stored everything", || {
        smtp.stored() >= QUEUED
    });
    assert_eq!(
        smtp.counts(),
        (QUEUED, QUEUED),
        "each message received exactly once"
    );
    assert_eq!(queue.count("pending"), 0);
}

#[test]
fn a_worker_stopped_with_sigterm_mid_batch_exits_0_and_no_message_is_sent_twice() {
    stopped_mid_batch_then_the_rest_by_another_worker(&["worker"]);
}

#[test]
fn serve_stopped_with_sigterm_mid_batch_exits_0_and_no_message_is_sent_twice() {
    stopped_mid_batch_then_the_rest_by_another_worker(&["serve"]);
}

#[test]
fn after_kill_9_at_most_the_sends_in_flight_repeat() {
    let smtp = SmtpServer::start_slow(ACCEPT_MS);
    let queue = Queue::new();
    let mut first = queue.start(&["worker"], &smtp, CONNECTIONS, "first");
    wait_for(60, "the first sends", || smtp.stored() >= 20);
    first.kill().expect("kill -9");
    let _ = first.wait();
    // The server finishes the transactions that were in flight.
    std::thread::sleep(Duration::from_millis(3 * ACCEPT_MS));
    let received = smtp.stored();
    let marked = queue.count("sent");
    assert!(
        received - marked <= CONNECTIONS,
        "{received} received but only {marked} marked sent: more than one unrecorded send per connection"
    );

    queue.expire_claims();
    let mut second = queue.start(&["worker"], &smtp, 8, "second");
    wait_for(60, "everything delivered", || queue.count("sent") == QUEUED);
    terminate(&second);
    assert!(exit_within(&mut second, 30).is_some_and(|s| s.success()));
    wait_for(10, "the server stored everything", || {
        smtp.stored() >= QUEUED
    });
    let (received, distinct) = smtp.counts();
    assert_eq!(distinct, QUEUED, "every message arrived");
    assert!(
        received - QUEUED <= CONNECTIONS,
        "{} duplicates, more than the {CONNECTIONS} connections in flight",
        received - QUEUED
    );
}

#[tokio::test]
async fn mail_outlasting_the_old_attempt_limit_is_still_delivered_when_smtp_returns() {
    let mut smtp = SmtpServer::start();
    let app = spawn_app_with(Options {
        mail: Some(smtp.url()),
        tune: Some(|s| {
            s.mail.retry_base_ms = 5;
            s.mail.retry_max_delay_ms = 40;
        }),
        ..Options::default()
    })
    .await;
    // Messages not yet sent, and events not yet turned into messages.
    let pending = || -> i64 {
        use tilslutning::db::schema::outbox;
        app.with_db(|c| {
            let messages: i64 = mail_messages::table
                .filter(mail_messages::status.eq("pending"))
                .count()
                .get_result(c)
                .expect("count");
            let events: i64 = outbox::table
                .filter(outbox::processed_at.is_null())
                .count()
                .get_result(c)
                .expect("count");
            messages + events
        })
    };
    wait_until(30, "the demo data's mail is delivered", || pending() == 0).await;
    smtp.stop();
    smtp.clear();
    let before = app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq("sent"))
            .count()
            .get_result::<i64>(c)
            .expect("count")
    });
    let supplier = app.login_as(SUPPLIER).await;
    let page = app
        .file(&supplier, PLADS_SERVICE, &["STAMDATA"], "G10301\nG10302")
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The old default gave up after 8 attempts.
    wait_until(60, "well over eight failed attempts", || {
        app.with_db(|c| {
            mail_messages::table
                .filter(mail_messages::status.eq("pending"))
                .filter(mail_messages::attempts.ge(12))
                .count()
                .get_result::<i64>(c)
                .expect("count")
        }) > 0
    })
    .await;
    smtp.resume();
    wait_until(60, "everything delivered after the server is back", || {
        pending() == 0
    })
    .await;
    let undeliverable: i64 = app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq("undeliverable"))
            .count()
            .get_result(c)
            .expect("count")
    });
    assert_eq!(undeliverable, 0, "nothing given up inside the retry period");
    let sent = app.with_db(|c| {
        mail_messages::table
            .filter(mail_messages::status.eq("sent"))
            .count()
            .get_result::<i64>(c)
            .expect("count")
    }) - before;
    assert!(sent > 0);
    wait_until(10, "stored", || smtp.stored() as i64 >= sent).await;
    let (received, distinct) = smtp.counts();
    assert_eq!((received as i64, distinct as i64), (sent, sent));
}
