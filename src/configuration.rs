//! Settings: environment variables, then an optional `KEY=VALUE` file named by
//! `TILSLUTNING_CONFIG` (the environment wins), then defaults for the embedded setup.
//! Every `TILSLUTNING_*` name must be known and every value must parse and lie in range,
//! or the start stops with a message naming the variable (never a silent fallback).
//! Settings are passed in, never global, so each test builds its own. Secrets are
//! never printed: `Debug` redacts them.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use time::Date;

use crate::domain::request_form::parse_date;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    /// Public address of the portal, used for links and to decide `Secure` cookies.
    pub base_url: String,
    pub data_dir: PathBuf,
    pub session_key: Vec<u8>,
    /// From this date on, new requests may not target A-numbers.
    pub a_number_cutoff: Date,
    pub pool_size: u32,
    /// How long a request waits for a database connection before it is answered 503.
    pub db_checkout_timeout: Duration,
    pub demo_password: Option<String>,
    pub mail: MailSettings,
    /// Bearer token for system-to-system register imports (`POST /api/register/import`);
    /// the endpoint is off without it.
    pub import_token: Option<String>,
    /// Sign-in through an OpenID Connect provider; off unless an issuer is configured.
    pub oidc: Option<OidcSettings>,
    /// Trust the client address a reverse proxy forwards (`Forwarded`/`X-Forwarded-For`).
    pub behind_proxy: bool,
    /// Who may scrape `/metrics`: comma-separated addresses or CIDR blocks, `none` for
    /// nobody (default: loopback); checked by [`crate::telemetry::metrics::Access`].
    pub metrics_allow: Option<String>,
    /// A bearer token that opens `/metrics` from anywhere.
    pub metrics_token: Option<String>,
    /// How the machine interface spares the portal from one caller.
    pub api: ApiSettings,
    /// How long an app server trusts who is behind a session it has looked up, for page
    /// reads. A change made on one server counts there at once and on the others within
    /// this time; zero looks every request up.
    pub session_cache: Duration,
}

/// Limits of the machine interface (`/api/v1`).
#[derive(Clone, Debug)]
pub struct ApiSettings {
    /// Calls one token may make a minute on one app server (also its largest burst);
    /// the next is answered 429 with `Retry-After`.
    pub calls_per_minute: u32,
    /// Refused tokens (unknown, expired, revoked) one client address may present a minute
    /// on one app server; past that, its calls with a token the server has not trusted
    /// lately are answered 429 without a lookup.
    pub refused_tokens_per_minute: u32,
    /// How long an app server trusts a token it has looked up before it reads it again.
    /// A token revoked on one server stops working there at once and on the others within
    /// this time; zero looks every call up.
    pub token_cache: Duration,
}

/// The organisation's identity broker (MitID Erhverv via NemLog-in, Unilogin, …).
#[derive(Clone)]
pub struct OidcSettings {
    /// Exactly as the provider's discovery document spells it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The login page's button text, the same in both languages; unset, the catalogue's
    /// words are used in the reader's language.
    pub button_text: Option<String>,
    /// A claim naming the person's organisation (a municipality code or an institution
    /// number); when set, a first sign-in with such a claim gets that organisation's
    /// approver role without pre-registration.
    pub organisation_claim: Option<String>,
}

impl fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("button_text", &self.button_text)
            .field("organisation_claim", &self.organisation_claim)
            .finish()
    }
}

/// How mail leaves the portal, and the worker's rhythm.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://…`, `smtps://…` or `file://DIR`; by default a folder under the data folder.
    pub transport: String,
    pub from: String,
    pub reply_to: Option<String>,
    /// Run the mail worker inside `serve` (default) or not (`tilslutning worker` instead).
    pub in_process_worker: bool,
    /// How long a failing message is retried, from its first failure, before it is marked
    /// undeliverable.
    pub retry_for: Duration,
    /// First retry delay; each retry doubles it, plus jitter, up to `retry_max_delay_ms`.
    pub retry_base_ms: u64,
    /// The longest wait between two attempts (at most an hour).
    pub retry_max_delay_ms: u64,
    /// How long the worker sleeps when there is nothing to do.
    pub poll_ms: u64,
    /// Messages sent at once, each on its own pooled SMTP connection.
    pub connections: usize,
    /// Pending requests older than this get a reminder, at most once per this many days.
    pub reminder_days: i64,
    /// Copenhagen hour at which daily digests go out.
    pub digest_hour: u8,
    /// Both sides of an agreement are reminded this many days before its end date, once
    /// each (largest first).
    pub end_reminder_days: Vec<i64>,
    /// A request pending this many days after it was filed escalates, once, to its
    /// municipality's shared mailbox (or, without one, its officers).
    pub escalate_after_days: i64,
    /// A request pending this many days after it was filed escalates, once, to the
    /// operators (always after the escalation to the municipality).
    pub escalate_to_operators_after_days: i64,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("base_url", &self.base_url)
            .field("data_dir", &self.data_dir)
            .field("session_key", &"<redacted>")
            .field("a_number_cutoff", &self.a_number_cutoff)
            .field("pool_size", &self.pool_size)
            .field("db_checkout_timeout", &self.db_checkout_timeout)
            .field("mail_transport", &redact_url(&self.mail.transport))
            .field("oidc", &self.oidc)
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

/// The host name in a URL (`https://portal.example.dk:8443/x` → `portal.example.dk`).
pub fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or("localhost")
        .split([':', '/'])
        .next()
        .unwrap_or("localhost")
        .to_string()
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// How long mail is retried when it cannot be delivered: long enough for a weekend outage.
pub const DEFAULT_MAIL_RETRY_FOR: Duration = Duration::from_secs(3 * 86_400);

pub const DEFAULT_A_NUMBER_CUTOFF: Date = time::macros::date!(2021 - 01 - 01);

const PREFIX: &str = "TILSLUTNING_";

/// Names the portal no longer reads, and what to set instead: refused, so an old setting
/// is not silently ignored.
const RETIRED: &[(&str, &str)] = &[(
    "TILSLUTNING_MAIL_MAX_ATTEMPTS",
    "mail is now retried for a period: set TILSLUTNING_MAIL_RETRY_FOR (e.g. 3d) instead",
)];

/// Names read by the tests and scripts, not by the portal: known, so they are not refused.
const FOR_TOOLS: &[&str] = &[
    "TILSLUTNING_TEST_DATABASE_URL",
    "TILSLUTNING_TEST_OPENAPI_GENERATOR",
];

/// Every `TILSLUTNING_*` name, without the prefix, as envy reads them from the environment
/// and the config file. An unknown name is refused (a typo must not fall back to a default);
/// numbers and booleans are parsed here, and checked for range in [`Settings::from_values`].
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    /// The `KEY=VALUE` file itself (read by [`Settings::load`]).
    #[allow(dead_code)]
    config: Option<String>,
    database_url: Option<String>,
    bind: Option<String>,
    base_url: Option<String>,
    data_dir: Option<PathBuf>,
    session_key: Option<String>,
    a_number_cutoff: Option<String>,
    db_pool_size: Option<u64>,
    db_checkout_timeout_ms: Option<u64>,
    demo_password: Option<String>,
    /// Read by `create-operator` from the environment only.
    #[allow(dead_code)]
    operator_password: Option<String>,
    mail: Option<String>,
    mail_from: Option<String>,
    mail_reply_to: Option<String>,
    mail_worker: Option<String>,
    mail_retry_for: Option<String>,
    mail_retry_base_ms: Option<u64>,
    mail_retry_max_delay_ms: Option<u64>,
    mail_poll_ms: Option<u64>,
    mail_connections: Option<u64>,
    reminder_days: Option<u64>,
    digest_hour: Option<u64>,
    import_token: Option<String>,
    metrics_allow: Option<String>,
    metrics_token: Option<String>,
    api_calls_per_minute: Option<u64>,
    api_token_cache_ms: Option<u64>,
    session_cache_ms: Option<u64>,
    api_refused_tokens_per_minute: Option<u64>,
    behind_proxy: Option<bool>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    oidc_button_text: Option<String>,
    oidc_organisation_claim: Option<String>,
    /// Read by the test harness.
    #[allow(dead_code)]
    test_database_url: Option<String>,
    /// Read by the generated-client test.
    #[allow(dead_code)]
    test_openapi_generator: Option<String>,
    end_reminder_days: Option<String>,
    escalate_after_days: Option<u64>,
    escalate_to_operators_after_days: Option<u64>,
}

/// Turns envy's message into one that names the variable the way the operator wrote it.
fn explain(error: &envy::Error) -> anyhow::Error {
    let text = error.to_string();
    if text.starts_with("unknown field `") {
        // "unknown field `x`, expected one of `a`, `b`": the names sit between backticks.
        let quoted: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
        let unknown = quoted.first().copied().unwrap_or_default();
        let nearest = quoted
            .iter()
            .skip(1)
            .map(|known| (strsim::levenshtein(unknown, known), known))
            .min()
            .filter(|(distance, _)| *distance <= 3)
            .map(|(_, known)| format!(" (did you mean {PREFIX}{}?)", known.to_uppercase()))
            .unwrap_or_default();
        return anyhow::anyhow!(
            "{PREFIX}{} is not a setting{nearest}",
            unknown.to_uppercase()
        );
    }
    // "invalid digit found in string while parsing value 'x' provided by DB_POOL_SIZE"
    match text.rsplit_once(" provided by ") {
        Some((problem, name)) => anyhow::anyhow!("{PREFIX}{name}: {problem}"),
        None => anyhow::anyhow!("configuration: {text}"),
    }
}

/// `value`, or `default` when unset, refused unless it lies in `range`.
/// `TILSLUTNING_END_REMINDER_DAYS`: comma-separated days before an agreement's end date
/// (each 1–365, default `30,7`), largest first, each once.
fn end_reminder_days(text: Option<&str>) -> anyhow::Result<Vec<i64>> {
    let Some(text) = text else {
        return Ok(vec![30, 7]);
    };
    let mut days = Vec::new();
    for part in text.split(',') {
        let day: i64 = part.trim().parse().ok().filter(|d| (1..=365).contains(d)).ok_or_else(|| {
            anyhow::anyhow!(
                "{PREFIX}END_REMINDER_DAYS must list days between 1 and 365, separated by commas, such as 30,7 (it is {text:?})"
            )
        })?;
        days.push(day);
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    Ok(days)
}

fn within(
    name: &str,
    value: Option<u64>,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> anyhow::Result<u64> {
    let value = value.unwrap_or(default);
    anyhow::ensure!(
        range.contains(&value),
        "{PREFIX}{name} must be between {} and {} (it is {value})",
        range.start(),
        range.end()
    );
    Ok(value)
}

fn switch(name: &str, value: Option<&str>, default: bool) -> anyhow::Result<bool> {
    match value {
        None => Ok(default),
        Some("on" | "true") => Ok(true),
        Some("off" | "false") => Ok(false),
        Some(other) => anyhow::bail!("{PREFIX}{name} must be on or off (it is {other:?})"),
    }
}

/// The `TILSLUTNING_*` variables among `vars`, over those of the file named by
/// `TILSLUTNING_CONFIG` (the variables win).
fn gather(vars: impl Iterator<Item = (String, String)>) -> anyhow::Result<HashMap<String, String>> {
    let vars: HashMap<String, String> = vars.filter(|(k, _)| k.starts_with(PREFIX)).collect();
    let mut values = HashMap::new();
    if let Some(path) = vars
        .get("TILSLUTNING_CONFIG")
        .filter(|p| !p.trim().is_empty())
    {
        for item in
            dotenvy::from_path_iter(path).with_context(|| format!("reading config file {path}"))?
        {
            let (key, value) = item.with_context(|| format!("parsing config file {path}"))?;
            anyhow::ensure!(
                key.starts_with(PREFIX),
                "config file {path}: {key} is not a setting (every name starts with {PREFIX})"
            );
            values.insert(key, value);
        }
    }
    values.extend(vars);
    Ok(values)
}

impl Settings {
    /// Reads the process environment and the optional config file (the environment wins).
    pub fn load() -> anyhow::Result<Self> {
        Self::from_values(&gather(std::env::vars())?)
    }

    /// Settings from `TILSLUTNING_*` names and their values (what [`Settings::load`] reads,
    /// or what a test puts together). Refuses an unknown name, an empty value, and a value
    /// that does not parse or is out of range, naming the variable; nothing is created
    /// before every value has been checked.
    pub fn from_values(values: &HashMap<String, String>) -> anyhow::Result<Self> {
        let sorted: std::collections::BTreeMap<&str, &str> =
            values.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
        for (&key, &value) in &sorted {
            if let Some((_, instead)) = RETIRED.iter().find(|(name, _)| *name == key) {
                anyhow::bail!("{key} is no longer read: {instead}");
            }
            anyhow::ensure!(
                !value.is_empty() || FOR_TOOLS.contains(&key),
                "{key} is empty: give it a value or leave it out"
            );
        }
        let names: Names = envy::prefixed(PREFIX)
            .from_iter(
                sorted
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            )
            .map_err(|e| explain(&e))?;
        Self::from_names(names)
    }

    fn from_names(n: Names) -> anyhow::Result<Self> {
        let data_dir = n.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = n
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tilslutning.db").display()));
        crate::db::Target::parse(&database_url)
            .with_context(|| format!("{PREFIX}DATABASE_URL ({})", redact_url(&database_url)))?;
        let bind = n.bind.unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url = n
            .base_url
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        anyhow::ensure!(
            base_url.starts_with("http://") || base_url.starts_with("https://"),
            "{PREFIX}BASE_URL must start with http:// or https:// (it is {base_url:?})"
        );
        if let Some(key) = &n.session_key {
            anyhow::ensure!(
                key.len() >= 32,
                "{PREFIX}SESSION_KEY must be at least 32 characters (it has {})",
                key.len()
            );
        }
        let a_number_cutoff = match &n.a_number_cutoff {
            Some(text) => parse_date(text).with_context(|| {
                format!("{PREFIX}A_NUMBER_CUTOFF must be a date as YYYY-MM-DD (it is {text:?})")
            })?,
            None => DEFAULT_A_NUMBER_CUTOFF,
        };
        let pool_size = within("DB_POOL_SIZE", n.db_pool_size, 10, 1..=1000)? as u32;
        let db_checkout_timeout = Duration::from_millis(within(
            "DB_CHECKOUT_TIMEOUT_MS",
            n.db_checkout_timeout_ms,
            2_000,
            50..=60_000,
        )?);
        let api = ApiSettings {
            calls_per_minute: within(
                "API_CALLS_PER_MINUTE",
                n.api_calls_per_minute,
                1_200,
                1..=100_000_000,
            )? as u32,
            refused_tokens_per_minute: within(
                "API_REFUSED_TOKENS_PER_MINUTE",
                n.api_refused_tokens_per_minute,
                60,
                1..=100_000_000,
            )? as u32,
            token_cache: Duration::from_millis(within(
                "API_TOKEN_CACHE_MS",
                n.api_token_cache_ms,
                10_000,
                0..=60_000,
            )?),
        };
        if let Some(token) = &n.import_token {
            anyhow::ensure!(
                token.len() >= 24,
                "{PREFIX}IMPORT_TOKEN must be at least 24 characters (it has {}); leave it out to keep the import API off",
                token.len()
            );
        }
        if let Some(token) = &n.metrics_token {
            anyhow::ensure!(
                token.len() >= 24,
                "{PREFIX}METRICS_TOKEN must be at least 24 characters (it has {}); leave it out to allow only the addresses in {PREFIX}METRICS_ALLOW",
                token.len()
            );
        }
        let retry_for = match &n.mail_retry_for {
            Some(text) => humantime::parse_duration(text).map_err(|e| {
                anyhow::anyhow!(
                    "{PREFIX}MAIL_RETRY_FOR must be a duration such as 3d, 72h or 90m (it is {text:?}: {e})"
                )
            })?,
            None => DEFAULT_MAIL_RETRY_FOR,
        };
        anyhow::ensure!(
            retry_for >= Duration::from_secs(60) && retry_for <= Duration::from_secs(90 * 86_400),
            "{PREFIX}MAIL_RETRY_FOR must be between 1 minute and 90 days (it is {})",
            humantime::format_duration(retry_for)
        );
        let retry_base_ms = within(
            "MAIL_RETRY_BASE_MS",
            n.mail_retry_base_ms,
            30_000,
            1..=3_600_000,
        )?;
        let retry_max_delay_ms = within(
            "MAIL_RETRY_MAX_DELAY_MS",
            n.mail_retry_max_delay_ms,
            3_600_000,
            retry_base_ms..=3_600_000,
        )?;
        let transport = n
            .mail
            .unwrap_or_else(|| format!("file://{}", data_dir.join("mail").display()));
        anyhow::ensure!(
            ["smtp://", "smtps://", "file://"]
                .iter()
                .any(|scheme| transport.starts_with(scheme)),
            "{PREFIX}MAIL must be smtp://…, smtps://… or file://FOLDER (it is {:?})",
            redact_url(&transport)
        );
        let host = host_of(&base_url);
        let escalate_after_days =
            within("ESCALATE_AFTER_DAYS", n.escalate_after_days, 14, 1..=365)? as i64;
        let mail = MailSettings {
            transport,
            from: n
                .mail_from
                .unwrap_or_else(|| format!("Tilslutning <noreply@{host}>")),
            reply_to: n.mail_reply_to,
            in_process_worker: switch("MAIL_WORKER", n.mail_worker.as_deref(), true)?,
            retry_for,
            retry_base_ms,
            retry_max_delay_ms,
            poll_ms: within("MAIL_POLL_MS", n.mail_poll_ms, 1_000, 1..=60_000)?,
            connections: within("MAIL_CONNECTIONS", n.mail_connections, 16, 1..=64)? as usize,
            reminder_days: within("REMINDER_DAYS", n.reminder_days, 7, 1..=365)? as i64,
            digest_hour: within("DIGEST_HOUR", n.digest_hour, 7, 0..=23)? as u8,
            end_reminder_days: end_reminder_days(n.end_reminder_days.as_deref())?,
            escalate_after_days,
            escalate_to_operators_after_days: within(
                "ESCALATE_TO_OPERATORS_AFTER_DAYS",
                n.escalate_to_operators_after_days,
                21.max(escalate_after_days as u64 + 1),
                (escalate_after_days as u64 + 1)..=730,
            )? as i64,
        };
        let oidc = match n.oidc_issuer {
            None => {
                for (name, value) in [
                    ("OIDC_CLIENT_ID", &n.oidc_client_id),
                    ("OIDC_CLIENT_SECRET", &n.oidc_client_secret),
                    ("OIDC_BUTTON_TEXT", &n.oidc_button_text),
                    ("OIDC_ORGANISATION_CLAIM", &n.oidc_organisation_claim),
                ] {
                    anyhow::ensure!(
                        value.is_none(),
                        "{PREFIX}{name} is set but {PREFIX}OIDC_ISSUER is not: set both or neither"
                    );
                }
                None
            }
            Some(issuer) => Some(OidcSettings {
                issuer,
                client_id: n.oidc_client_id.with_context(|| {
                    format!("{PREFIX}OIDC_CLIENT_ID is needed with {PREFIX}OIDC_ISSUER")
                })?,
                client_secret: n.oidc_client_secret.with_context(|| {
                    format!("{PREFIX}OIDC_CLIENT_SECRET is needed with {PREFIX}OIDC_ISSUER")
                })?,
                button_text: n.oidc_button_text,
                organisation_claim: n.oidc_organisation_claim,
            }),
        };
        let session_cache = Duration::from_millis(within(
            "SESSION_CACHE_MS",
            n.session_cache_ms,
            2_000,
            0..=60_000,
        )?);
        // Every value is checked: only now may a key file be created.
        let session_key = match n.session_key {
            Some(key) => key.into_bytes(),
            None => stored_session_key(&data_dir)?,
        };
        Ok(Self {
            session_cache,
            behind_proxy: n.behind_proxy.unwrap_or(false),
            metrics_allow: n.metrics_allow,
            metrics_token: n.metrics_token,
            api,
            oidc,
            import_token: n.import_token,
            mail,
            database_url,
            bind,
            base_url,
            data_dir,
            session_key,
            a_number_cutoff,
            pool_size,
            db_checkout_timeout,
            demo_password: n.demo_password,
        })
    }

    /// Cookies get `Secure` when the portal is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// The session key kept under the data folder, created on first use.
fn stored_session_key(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("session.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let key = existing.trim().to_string();
        if key.len() >= 32 {
            return Ok(key.into_bytes());
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let key = crate::db::sessions::new_token();
    std::fs::write(&path, &key).with_context(|| format!("writing {}", path.display()))?;
    Ok(key.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_embedded_setup() {
        let dir = std::env::temp_dir().join(format!("tilslutning-config-{}", uuid::Uuid::now_v7()));
        let mut values = HashMap::new();
        values.insert(
            "TILSLUTNING_DATA_DIR".to_string(),
            dir.display().to_string(),
        );
        let settings = Settings::from_values(&values).expect("defaults load");
        assert!(settings.database_url.starts_with("sqlite://"));
        assert_eq!(settings.bind, "127.0.0.1:8080");
        assert!(!settings.secure_cookies());
        let again = Settings::from_values(&values).expect("defaults load");
        assert_eq!(
            settings.session_key, again.session_key,
            "the generated key is kept"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:secret@db/x"),
            "postgres://app:***@db/x"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let dir = std::env::temp_dir().join(format!("tilslutning-config-{}", uuid::Uuid::now_v7()));
        let mut values: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        values
            .entry("TILSLUTNING_DATA_DIR".into())
            .or_insert_with(|| dir.display().to_string());
        let result = Settings::from_values(&values);
        let _ = std::fs::remove_dir_all(dir);
        result
    }

    fn refusal(pairs: &[(&str, &str)]) -> String {
        match settings(pairs) {
            Ok(_) => panic!("{pairs:?} was accepted"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn an_unknown_name_is_refused_by_name_with_the_nearest_known_one() {
        let message = refusal(&[("TILSLUTNING_DATABSE_URL", "postgres://db/x")]);
        assert!(
            message.contains("TILSLUTNING_DATABSE_URL is not a setting"),
            "{message}"
        );
        assert!(
            message.contains("did you mean TILSLUTNING_DATABASE_URL?"),
            "{message}"
        );
        let far = refusal(&[("TILSLUTNING_COLOUR", "blue")]);
        assert_eq!(far, "TILSLUTNING_COLOUR is not a setting");
    }

    #[test]
    fn a_retired_name_says_what_replaced_it() {
        let message = refusal(&[("TILSLUTNING_MAIL_MAX_ATTEMPTS", "8")]);
        assert!(
            message.contains("TILSLUTNING_MAIL_MAX_ATTEMPTS is no longer read"),
            "{message}"
        );
        assert!(message.contains("TILSLUTNING_MAIL_RETRY_FOR"), "{message}");
    }

    #[test]
    fn numbers_that_do_not_parse_or_are_out_of_range_are_named() {
        let message = refusal(&[("TILSLUTNING_DB_POOL_SIZE", "ten")]);
        assert!(
            message.starts_with("TILSLUTNING_DB_POOL_SIZE: invalid digit"),
            "{message}"
        );
        assert_eq!(
            refusal(&[("TILSLUTNING_DB_POOL_SIZE", "0")]),
            "TILSLUTNING_DB_POOL_SIZE must be between 1 and 1000 (it is 0)"
        );
        assert_eq!(
            refusal(&[("TILSLUTNING_DIGEST_HOUR", "24")]),
            "TILSLUTNING_DIGEST_HOUR must be between 0 and 23 (it is 24)"
        );
        assert_eq!(
            refusal(&[("TILSLUTNING_MAIL_CONNECTIONS", "100")]),
            "TILSLUTNING_MAIL_CONNECTIONS must be between 1 and 64 (it is 100)"
        );
        let message = refusal(&[("TILSLUTNING_DB_CHECKOUT_TIMEOUT_MS", "-5")]);
        assert!(
            message.starts_with("TILSLUTNING_DB_CHECKOUT_TIMEOUT_MS:"),
            "{message}"
        );
    }

    #[test]
    fn a_short_import_token_is_refused_not_quietly_off() {
        let message = refusal(&[("TILSLUTNING_IMPORT_TOKEN", "too-short")]);
        assert!(
            message
                .starts_with("TILSLUTNING_IMPORT_TOKEN must be at least 24 characters (it has 9)"),
            "{message}"
        );
        let on = settings(&[("TILSLUTNING_IMPORT_TOKEN", "a-token-of-twenty-four-chars")])
            .expect("long token");
        assert!(on.import_token.is_some());
    }

    #[test]
    fn booleans_switches_dates_durations_and_urls_that_do_not_parse_are_named() {
        let message = refusal(&[("TILSLUTNING_BEHIND_PROXY", "yes")]);
        assert!(
            message.starts_with("TILSLUTNING_BEHIND_PROXY:"),
            "{message}"
        );
        assert!(message.contains("'yes'"), "{message}");
        assert_eq!(
            refusal(&[("TILSLUTNING_MAIL_WORKER", "maybe")]),
            "TILSLUTNING_MAIL_WORKER must be on or off (it is \"maybe\")"
        );
        assert_eq!(
            refusal(&[("TILSLUTNING_A_NUMBER_CUTOFF", "2021-13-01")]),
            "TILSLUTNING_A_NUMBER_CUTOFF must be a date as YYYY-MM-DD (it is \"2021-13-01\")"
        );
        let message = refusal(&[("TILSLUTNING_MAIL_RETRY_FOR", "three days")]);
        assert!(
            message.starts_with("TILSLUTNING_MAIL_RETRY_FOR must be a duration"),
            "{message}"
        );
        let message = refusal(&[("TILSLUTNING_DATABASE_URL", "postgress://typo/db")]);
        assert!(message.starts_with("TILSLUTNING_DATABASE_URL"), "{message}");
        let message = refusal(&[("TILSLUTNING_MAIL", "smpt://mail.example.dk")]);
        assert!(message.starts_with("TILSLUTNING_MAIL must be"), "{message}");
        let message = refusal(&[("TILSLUTNING_OIDC_CLIENT_ID", "portal")]);
        assert!(
            message.contains("TILSLUTNING_OIDC_ISSUER is not"),
            "{message}"
        );
    }

    #[test]
    fn an_empty_value_is_refused_by_name() {
        assert_eq!(
            refusal(&[("TILSLUTNING_DATABASE_URL", " ")]),
            "TILSLUTNING_DATABASE_URL is empty: give it a value or leave it out"
        );
    }

    #[test]
    fn names_for_the_tools_are_known() {
        let s = settings(&[
            ("TILSLUTNING_TEST_DATABASE_URL", ""),
            ("TILSLUTNING_OPERATOR_PASSWORD", "a-long-operator-password"),
            ("TILSLUTNING_DEMO_PASSWORD", "demo-password-1"),
            ("TILSLUTNING_CONFIG", "/nonexistent/is/read/by/load/only"),
        ])
        .expect("known names");
        assert_eq!(s.demo_password.as_deref(), Some("demo-password-1"));
    }

    #[test]
    fn values_parse_with_their_units() {
        let s = settings(&[
            ("TILSLUTNING_MAIL_RETRY_FOR", "72h"),
            ("TILSLUTNING_DB_CHECKOUT_TIMEOUT_MS", "1500"),
            ("TILSLUTNING_BEHIND_PROXY", "true"),
            ("TILSLUTNING_MAIL_WORKER", "off"),
            ("TILSLUTNING_DB_POOL_SIZE", " 12 "),
        ])
        .expect("valid values");
        assert_eq!(s.mail.retry_for, Duration::from_secs(3 * 86_400));
        assert_eq!(s.db_checkout_timeout, Duration::from_millis(1500));
        assert!(s.behind_proxy && !s.mail.in_process_worker);
        assert_eq!(s.pool_size, 12);
        let defaults = settings(&[]).expect("defaults");
        assert_eq!(defaults.mail.retry_for, DEFAULT_MAIL_RETRY_FOR);
        assert_eq!(defaults.db_checkout_timeout, Duration::from_secs(2));
        assert_eq!(defaults.mail.retry_max_delay_ms, 3_600_000);
    }

    #[test]
    fn a_refused_value_creates_nothing() {
        let dir = std::env::temp_dir().join(format!("tilslutning-config-{}", uuid::Uuid::now_v7()));
        let mut values = HashMap::new();
        values.insert(
            "TILSLUTNING_DATA_DIR".to_string(),
            dir.display().to_string(),
        );
        values.insert("TILSLUTNING_DIGEST_HOUR".to_string(), "25".to_string());
        assert!(Settings::from_values(&values).is_err());
        assert!(
            !dir.exists(),
            "no data folder or key file for a refused configuration"
        );
    }

    #[test]
    fn the_config_file_is_read_and_the_environment_wins() {
        let dir = tempfile_dir();
        let file = dir.join("tilslutning.env");
        std::fs::write(
            &file,
            "TILSLUTNING_BIND=127.0.0.1:9000\nTILSLUTNING_DIGEST_HOUR=6\n",
        )
        .expect("write");
        let vars = [
            ("TILSLUTNING_CONFIG", file.display().to_string()),
            ("TILSLUTNING_DIGEST_HOUR", "8".to_string()),
            ("TILSLUTNING_DATA_DIR", dir.display().to_string()),
            ("PATH", "/usr/bin".to_string()),
        ];
        let values = gather(vars.into_iter().map(|(k, v)| (k.to_string(), v))).expect("gather");
        let s = Settings::from_values(&values).expect("settings");
        assert_eq!(s.bind, "127.0.0.1:9000");
        assert_eq!(s.mail.digest_hour, 8);

        std::fs::write(&file, "DATABASE_URL=postgres://db/x\n").expect("write");
        let vars = [("TILSLUTNING_CONFIG".to_string(), file.display().to_string())];
        let message = format!(
            "{:#}",
            gather(vars.into_iter()).expect_err("unprefixed name")
        );
        assert!(
            message.contains("DATABASE_URL is not a setting"),
            "{message}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tilslutning-config-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
