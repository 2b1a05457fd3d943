//! `/metrics` in the Prometheus text format: the process-wide recorder
//! (`metrics-exporter-prometheus`), the counters the portal keeps (requests and their
//! latency per route pattern and status, sign-ins refused by the throttle, audit rows
//! written), the gauges read when scraped (the database pool, the mail queues' depth and
//! the age of their oldest entry), and who may scrape: the addresses in
//! `TILSLUTNING_METRICS_ALLOW` (loopback by default) or a holder of
//! `TILSLUTNING_METRICS_TOKEN`. Anyone else gets the not-found page.

use std::net::IpAddr;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::Context;
use ipnet::IpNet;
use metrics::{Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::startup::AppState;

pub const REQUESTS: &str = "http_requests_total";
pub const REQUEST_DURATION: &str = "http_request_duration_seconds";
pub const LOGIN_THROTTLED: &str = "tilslutning_login_throttled_total";
pub const AUDIT_ROWS: &str = "tilslutning_audit_rows_total";
pub const POOL_CONNECTIONS: &str = "tilslutning_db_pool_connections";
pub const POOL_MAX: &str = "tilslutning_db_pool_max_connections";
pub const POOL_WAITING: &str = "tilslutning_db_pool_waiting";
pub const OUTBOX_DEPTH: &str = "tilslutning_outbox_depth";
pub const OUTBOX_OLDEST_AGE: &str = "tilslutning_outbox_oldest_age_seconds";

/// The route label of a request no route matched (a not-found page).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Upper bounds of the latency histogram's buckets, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Histogram samples are folded into buckets at least this often, scraped or not.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// Gauges are process-wide but read per application: one scrape sets and renders them
/// at a time, so each scrape shows its own application's pool and database (tests run
/// many applications in one process).
static SCRAPE: Mutex<()> = Mutex::new(());

/// The process-wide recorder, installed on first use.
pub fn recorder() -> &'static PrometheusHandle {
    RECORDER.get_or_init(|| {
        let installed = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.into()), LATENCY_BUCKETS)
            .and_then(PrometheusBuilder::install_recorder);
        let handle = match installed {
            Ok(handle) => handle,
            Err(error) => {
                tracing::warn!(%error, "metrics recorder not installed; /metrics stays empty");
                PrometheusBuilder::new().build_recorder().handle()
            }
        };
        describe();
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "metrics upkeep thread not started");
        }
        handle
    })
}

fn describe() {
    // Shown from the start (at 0), so a rate over them is defined before the first event.
    counter!(LOGIN_THROTTLED).increment(0);
    counter!(AUDIT_ROWS).increment(0);
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by method, route pattern and status"
    );
    describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "Time to answer an HTTP request, by method, route pattern and status"
    );
    describe_counter!(
        LOGIN_THROTTLED,
        "Sign-in attempts (password or code) refused by the throttle"
    );
    describe_counter!(
        AUDIT_ROWS,
        "Rows appended to the audit chain by this process"
    );
    describe_gauge!(
        POOL_CONNECTIONS,
        "Database connections open, by state (in_use, idle)"
    );
    describe_gauge!(POOL_MAX, "The database pool's size limit");
    describe_gauge!(POOL_WAITING, "Database tasks waiting for a connection");
    describe_gauge!(
        OUTBOX_DEPTH,
        "Mail waiting, by queue: events not yet turned into messages, messages not yet sent"
    );
    describe_gauge!(
        OUTBOX_OLDEST_AGE,
        Unit::Seconds,
        "Age of the oldest entry of each mail queue (0 when empty)"
    );
}

/// Counts an answered request (the request middleware calls this).
pub fn request_served(method: &str, route: Option<&str>, status: StatusCode, elapsed: Duration) {
    let labels = [
        ("method", method.to_string()),
        ("route", route.unwrap_or(UNMATCHED_ROUTE).to_string()),
        ("status", status.as_u16().to_string()),
    ];
    counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(REQUEST_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// A sign-in attempt was refused by the throttle.
pub fn login_throttled() {
    counter!(LOGIN_THROTTLED).increment(1);
}

/// A row was appended to the audit chain (counted inside its transaction, so a rolled
/// back action's row is counted too).
pub fn audit_row_written() {
    counter!(AUDIT_ROWS).increment(1);
}

/// Who may scrape `/metrics`.
#[derive(Clone)]
pub struct Access {
    allow: Vec<IpNet>,
    token_digest: Option<[u8; 32]>,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("allow", &self.allow)
            .field("token", &self.token_digest.map(|_| "<redacted>"))
            .finish()
    }
}

/// Tokens shorter than this are refused at start-up: they could be guessed.
const MIN_TOKEN_LEN: usize = 24;

impl Access {
    /// From `TILSLUTNING_METRICS_ALLOW` (unset: loopback only; `none`: no address) and
    /// `TILSLUTNING_METRICS_TOKEN`; a malformed entry or a short token stops start-up.
    pub fn new(allow: Option<&str>, token: Option<&str>) -> anyhow::Result<Self> {
        let allow = match allow.map(str::trim) {
            None | Some("") => vec![parse_entry("127.0.0.0/8")?, parse_entry("::1")?],
            Some(text) if text.eq_ignore_ascii_case("none") => Vec::new(),
            Some(text) => text
                .split(',')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(parse_entry)
                .collect::<anyhow::Result<_>>()?,
        };
        let token_digest = match token.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(token) => {
                anyhow::ensure!(
                    token.len() >= MIN_TOKEN_LEN,
                    "TILSLUTNING_METRICS_TOKEN must be at least {MIN_TOKEN_LEN} characters"
                );
                Some(Sha256::digest(token.as_bytes()).into())
            }
        };
        Ok(Self {
            allow,
            token_digest,
        })
    }

    /// The right bearer token, or a direct connection from an allowed address. A request
    /// that came through a proxy (it carries forwarding headers) is never let in by
    /// address: the proxy's address says nothing about who sent it, and the forwarded
    /// one is whatever the sender wrote.
    pub fn permits(&self, req: &HttpRequest) -> bool {
        if let Some(expected) = &self.token_digest {
            let given = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            if given.is_some_and(|g| Sha256::digest(g.trim().as_bytes()).as_slice() == expected) {
                return true;
            }
        }
        let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
            .iter()
            .any(|name| req.headers().contains_key(*name));
        if forwarded {
            return false;
        }
        req.peer_addr()
            .map(|peer| peer.ip().to_canonical())
            .is_some_and(|ip| self.allow.iter().any(|net| net.contains(&ip)))
    }
}

/// `10.0.0.0/8`, `192.0.2.7` or `::1`.
fn parse_entry(entry: &str) -> anyhow::Result<IpNet> {
    if let Ok(net) = entry.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    entry.parse::<IpAddr>().map(IpNet::from).with_context(|| {
        format!("TILSLUTNING_METRICS_ALLOW: {entry:?} is not an address or a CIDR block")
    })
}

/// `GET /metrics`.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
    access: web::Data<Access>,
) -> Result<HttpResponse, AppError> {
    if !access.permits(&req) {
        return Err(AppError::NotFound);
    }
    let queues = state
        .db
        .run(|conn| -> Result<_, AppError> { Ok(crate::db::gauges::mail_queues(conn)?) })
        .await?;
    let pool = state.db.status();
    let now = crate::db::now();
    let body = {
        let _one_scrape_at_a_time = SCRAPE.lock().unwrap_or_else(PoisonError::into_inner);
        gauge!(POOL_CONNECTIONS, "state" => "in_use").set(pool.in_use);
        gauge!(POOL_CONNECTIONS, "state" => "idle").set(pool.idle);
        gauge!(POOL_MAX).set(pool.max);
        gauge!(POOL_WAITING).set(pool.waiting as f64);
        for (queue, figures) in [("events", queues.events), ("mail", queues.unsent)] {
            gauge!(OUTBOX_DEPTH, "queue" => queue).set(figures.depth as f64);
            gauge!(OUTBOX_OLDEST_AGE, "queue" => queue).set(figures.oldest_age_seconds(now));
        }
        recorder().render()
    };
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_lists_parse_or_stop_start_up() {
        let default = Access::new(None, None).expect("default");
        assert_eq!(
            default.allow,
            vec![
                "127.0.0.0/8".parse::<IpNet>().expect("net"),
                "::1/128".parse().expect("net")
            ]
        );
        let listed = Access::new(Some(" 10.1.0.0/16, 192.0.2.7 ,::1"), None).expect("list");
        assert_eq!(listed.allow.len(), 3);
        assert!(listed.allow[1].contains(&"192.0.2.7".parse::<IpAddr>().expect("ip")));
        assert!(
            Access::new(Some("none"), None)
                .expect("none")
                .allow
                .is_empty()
        );
        assert!(Access::new(Some("10.0.0.0/33"), None).is_err());
        assert!(Access::new(Some("intranet"), None).is_err());
        assert!(Access::new(None, Some("short")).is_err());
        assert!(Access::new(None, Some("a-metrics-token-long-enough-1234")).is_ok());
    }
}
