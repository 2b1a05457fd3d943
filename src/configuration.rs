//! Settings: environment variables, then an optional `KEY=VALUE` file named by
//! `TILSLUTNING_CONFIG` (the environment wins), then defaults for the embedded setup.
//! Settings are passed in, never global, so each test builds its own. Secrets are
//! never printed: `Debug` redacts them.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

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
}

/// The organisation's identity broker (MitID Erhverv via NemLog-in, Unilogin, …).
#[derive(Clone)]
pub struct OidcSettings {
    /// Exactly as the provider's discovery document spells it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The login page's button text.
    pub button_text: String,
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
    /// Failed sends before a message is marked undeliverable.
    pub max_attempts: i32,
    /// First retry delay; each retry doubles it, plus jitter, up to an hour.
    pub retry_base_ms: u64,
    /// How long the worker sleeps when there is nothing to do.
    pub poll_ms: u64,
    /// Messages sent at once, each on its own pooled SMTP connection.
    pub connections: usize,
    /// Pending requests older than this get a reminder, at most once per this many days.
    pub reminder_days: i64,
    /// Copenhagen hour at which daily digests go out.
    pub digest_hour: u8,
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
            .field("mail_transport", &redact_url(&self.mail.transport))
            .field("oidc", &self.oidc)
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

pub const DEFAULT_A_NUMBER_CUTOFF: Date = time::macros::date!(2021 - 01 - 01);

impl Settings {
    /// Reads the process environment and the optional config file.
    pub fn load() -> anyhow::Result<Self> {
        let mut values: HashMap<String, String> = HashMap::new();
        if let Ok(path) = std::env::var("TILSLUTNING_CONFIG") {
            for item in dotenvy::from_path_iter(&path)
                .with_context(|| format!("reading config file {path}"))?
            {
                let (key, value) = item.with_context(|| format!("parsing config file {path}"))?;
                values.insert(key, value);
            }
        }
        for (key, value) in std::env::vars() {
            if key.starts_with("TILSLUTNING_") {
                values.insert(key, value);
            }
        }
        Self::from_values(&values)
    }

    pub fn from_values(values: &HashMap<String, String>) -> anyhow::Result<Self> {
        let get = |key: &str| {
            values
                .get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let data_dir =
            PathBuf::from(get("TILSLUTNING_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = get("TILSLUTNING_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tilslutning.db").display()));
        let bind = get("TILSLUTNING_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url = get("TILSLUTNING_BASE_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        let session_key = match get("TILSLUTNING_SESSION_KEY") {
            Some(key) => {
                anyhow::ensure!(
                    key.len() >= 32,
                    "TILSLUTNING_SESSION_KEY must be at least 32 characters"
                );
                key.into_bytes()
            }
            None => stored_session_key(&data_dir)?,
        };
        let a_number_cutoff = match get("TILSLUTNING_A_NUMBER_CUTOFF") {
            Some(text) => parse_date(&text)
                .context("TILSLUTNING_A_NUMBER_CUTOFF must be a date (YYYY-MM-DD)")?,
            None => DEFAULT_A_NUMBER_CUTOFF,
        };
        let pool_size = match get("TILSLUTNING_DB_POOL_SIZE") {
            Some(text) => text
                .parse()
                .context("TILSLUTNING_DB_POOL_SIZE must be a number")?,
            None => 10,
        };
        let number = |key: &str, default: u64| -> anyhow::Result<u64> {
            match get(key) {
                Some(text) => text
                    .parse()
                    .with_context(|| format!("{key} must be a whole number")),
                None => Ok(default),
            }
        };
        let host = host_of(&base_url);
        let mail = MailSettings {
            transport: get("TILSLUTNING_MAIL")
                .unwrap_or_else(|| format!("file://{}", data_dir.join("mail").display())),
            from: get("TILSLUTNING_MAIL_FROM")
                .unwrap_or_else(|| format!("Tilslutning <noreply@{host}>")),
            reply_to: get("TILSLUTNING_MAIL_REPLY_TO"),
            in_process_worker: get("TILSLUTNING_MAIL_WORKER")
                .map(|v| v != "off")
                .unwrap_or(true),
            max_attempts: number("TILSLUTNING_MAIL_MAX_ATTEMPTS", 8)? as i32,
            retry_base_ms: number("TILSLUTNING_MAIL_RETRY_BASE_MS", 30_000)?,
            poll_ms: number("TILSLUTNING_MAIL_POLL_MS", 1_000)?,
            connections: number("TILSLUTNING_MAIL_CONNECTIONS", 16)?.clamp(1, 64) as usize,
            reminder_days: number("TILSLUTNING_REMINDER_DAYS", 7)? as i64,
            digest_hour: number("TILSLUTNING_DIGEST_HOUR", 7)?.min(23) as u8,
        };
        let oidc = match get("TILSLUTNING_OIDC_ISSUER") {
            None => None,
            Some(issuer) => Some(OidcSettings {
                issuer,
                client_id: get("TILSLUTNING_OIDC_CLIENT_ID")
                    .context("TILSLUTNING_OIDC_CLIENT_ID is needed with TILSLUTNING_OIDC_ISSUER")?,
                client_secret: get("TILSLUTNING_OIDC_CLIENT_SECRET").context(
                    "TILSLUTNING_OIDC_CLIENT_SECRET is needed with TILSLUTNING_OIDC_ISSUER",
                )?,
                button_text: get("TILSLUTNING_OIDC_BUTTON_TEXT")
                    .unwrap_or_else(|| "Log ind med MitID Erhverv / Unilogin".into()),
                organisation_claim: get("TILSLUTNING_OIDC_ORGANISATION_CLAIM"),
            }),
        };
        Ok(Self {
            metrics_allow: get("TILSLUTNING_METRICS_ALLOW"),
            metrics_token: get("TILSLUTNING_METRICS_TOKEN"),
            behind_proxy: get("TILSLUTNING_BEHIND_PROXY").is_some_and(|v| v == "true"),
            oidc,
            import_token: get("TILSLUTNING_IMPORT_TOKEN").filter(|t| t.len() >= 24),
            mail,
            database_url,
            bind,
            base_url,
            data_dir,
            session_key,
            a_number_cutoff,
            pool_size,
            demo_password: get("TILSLUTNING_DEMO_PASSWORD"),
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
}
