//! Test harness: `spawn_app()` builds the real application on port 0 with its own
//! database — a temporary SQLite file, or a fresh PostgreSQL database when
//! `TILSLUTNING_TEST_DATABASE_URL` points at a server — loads the demo data, and
//! returns handles to act as each demo user over HTTP and to inspect the database.

#![allow(dead_code)]

use std::collections::HashMap;

use diesel::prelude::*;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use tilslutning::configuration::Settings;
use tilslutning::db::{Db, DbConnection};
use tilslutning::startup::Application;

pub const PASSWORD: &str = "test-password-2026";
pub const SUPPLIER: &str = tilslutning::demo::SUPPLIER_EMAIL;
pub const OFFICER: &str = tilslutning::demo::OFFICER_EMAIL;
pub const STAFF: &str = tilslutning::demo::STAFF_EMAIL;
pub const OPERATOR: &str = tilslutning::demo::OPERATOR_EMAIL;
pub const AUDITOR: &str = tilslutning::demo::AUDITOR_EMAIL;
pub const OTHER_SUPPLIER: &str = "laering@demo.tilslutning.dk";

pub struct TestApp {
    pub address: String,
    pub db: Db,
    /// The application's own pool (to exhaust it, playing "database out of reach").
    pub app_db: Db,
    pub settings: Settings,
    _worker: Option<tilslutning::mail::WorkerHandle>,
    _dir: tempfile::TempDir,
}

/// Settings knobs a test may turn before the app starts.
#[derive(Default)]
pub struct Options {
    pub a_number_cutoff: Option<time::Date>,
    /// Where mail goes (default: a folder under the test's data folder).
    pub mail: Option<String>,
    /// How long failing mail is retried before it is undeliverable.
    pub mail_retry_for: Option<std::time::Duration>,
    /// The application's pool size (default 6).
    pub pool_size: Option<u32>,
    /// Any other change to the settings, made last.
    pub tune: Option<fn(&mut Settings)>,
    /// Run no mail worker inside the app (the test runs its own).
    pub no_worker: bool,
    pub import_token: Option<String>,
    /// Sign-in through this OpenID provider's issuer (the shared test provider's, or a
    /// dead address to play "provider down").
    pub oidc_issuer: Option<String>,
    pub oidc_organisation_claim: bool,
    /// `TILSLUTNING_METRICS_ALLOW` and `TILSLUTNING_METRICS_TOKEN`.
    pub metrics_allow: Option<String>,
    pub metrics_token: Option<String>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// A fresh PostgreSQL database on the server named by the environment, or `None`.
pub fn fresh_postgres_database() -> Option<String> {
    let admin_url = std::env::var("TILSLUTNING_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut admin = diesel::PgConnection::establish(&admin_url)
        .expect("the test PostgreSQL server must be reachable");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(&admin_url);
    Some(format!("{base}/{name}"))
}

pub fn test_settings(dir: &std::path::Path, options: &Options) -> Settings {
    let database_url = fresh_postgres_database()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("test.db").display()));
    let mut values = HashMap::new();
    values.insert(
        "TILSLUTNING_DATA_DIR".to_string(),
        dir.display().to_string(),
    );
    values.insert("TILSLUTNING_DATABASE_URL".to_string(), database_url);
    values.insert("TILSLUTNING_BIND".to_string(), "127.0.0.1:0".to_string());
    values.insert(
        "TILSLUTNING_SESSION_KEY".to_string(),
        "a-test-session-key-of-enough-length-0123".to_string(),
    );
    values.insert("TILSLUTNING_DB_POOL_SIZE".to_string(), "6".to_string());
    let mut settings = Settings::from_values(&values).expect("test settings");
    if let Some(cutoff) = options.a_number_cutoff {
        settings.a_number_cutoff = cutoff;
    }
    if let Some(mail) = &options.mail {
        settings.mail.transport = mail.clone();
    }
    if let Some(period) = options.mail_retry_for {
        settings.mail.retry_for = period;
    }
    if let Some(size) = options.pool_size {
        settings.pool_size = size;
    }
    settings.mail.in_process_worker = !options.no_worker;
    // Tests change rights behind the app's back, in the database; the cache has its own test.
    settings.session_cache = std::time::Duration::ZERO;
    settings.import_token = options.import_token.clone();
    settings.metrics_allow = options.metrics_allow.clone();
    settings.metrics_token = options.metrics_token.clone();
    if let Some(issuer) = &options.oidc_issuer {
        // The provider sends people back to the base URL, so the port is fixed up front.
        let port = free_port();
        settings.bind = format!("127.0.0.1:{port}");
        settings.base_url = format!("http://127.0.0.1:{port}");
        settings.oidc = Some(tilslutning::configuration::OidcSettings {
            issuer: issuer.clone(),
            client_id: OIDC_CLIENT_ID.into(),
            client_secret: OIDC_CLIENT_SECRET.into(),
            button_text: Some("Log ind med testudbyderen".into()),
            organisation_claim: options
                .oidc_organisation_claim
                .then(|| "organisation".to_string()),
        });
    }
    settings.mail.poll_ms = 20;
    settings.mail.retry_base_ms = 100;
    if let Some(tune) = options.tune {
        tune(&mut settings);
    }
    settings
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = test_settings(dir.path(), &options);
    spawn_app_from(settings, dir).await
}

/// The app for `settings` (made by [`test_settings`] in `dir`, then changed by the test).
pub async fn spawn_app_from(settings: Settings, dir: tempfile::TempDir) -> TestApp {
    let test_database_url = settings.database_url.clone();
    spawn_app_reaching(settings, &test_database_url, dir).await
}

/// The app for `settings`, with the test's own pool on `test_database_url` (the same
/// database, reached without whatever the app's URL goes through).
pub async fn spawn_app_reaching(
    settings: Settings,
    test_database_url: &str,
    dir: tempfile::TempDir,
) -> TestApp {
    let mut app = Application::build(settings.clone())
        .await
        .expect("application builds");
    let worker = app.take_worker();
    let address = format!("http://{}", app.address());
    let app_db = app.db();
    tokio::spawn(app.run_until_stopped());
    let db = Db::connect(test_database_url, 4).expect("test pool");
    let seed = db.clone();
    let cutoff = settings.a_number_cutoff;
    tokio::task::spawn_blocking(move || {
        let mut conn = seed.get().expect("connection");
        tilslutning::demo::load(&mut conn, Some(PASSWORD), cutoff).expect("demo data loads");
    })
    .await
    .expect("seeding finished");
    TestApp {
        address,
        db,
        app_db,
        settings,
        _worker: worker,
        _dir: dir,
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        // Below the server's keep-alive (5 s): a connection the server is closing is
        // never reused, even when a slow step (a national filing under a loaded
        // machine) leaves it idle.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client")
}

/// The value of the first `name="csrf"` field on a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    async fn from(response: reqwest::Response) -> Self {
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.unwrap_or_default();
        Self {
            status,
            location,
            body,
        }
    }

    pub fn contains(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

/// A signed-in (or anonymous) person using the portal.
pub struct Session {
    pub base: String,
    pub client: reqwest::Client,
    pub csrf: String,
}

impl Session {
    pub async fn get(&self, path: &str) -> Page {
        Page::from(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Page::from(
            self.client
                .post(format!("{}{path}", self.base))
                .form(fields)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }
}

impl TestApp {
    pub fn anonymous(&self) -> Session {
        Session {
            base: self.address.clone(),
            client: client(),
            csrf: String::new(),
        }
    }

    pub async fn try_login(&self, email: &str, password: &str) -> (Session, Page) {
        let mut session = self.anonymous();
        let form = session.get("/login").await;
        session.csrf = csrf_in(&form.body).expect("login form has a CSRF token");
        let page = session
            .post("/login", &[("email", email), ("password", password)])
            .await;
        (session, page)
    }

    pub async fn login_as(&self, email: &str) -> Session {
        let (mut session, page) = self.try_login(email, PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "login as {email} failed: {}",
            page.body
        );
        let home = session.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        session.csrf = csrf_in(&home.body).expect("signed-in pages carry a CSRF token");
        session
    }

    pub fn conn(&self) -> tilslutning::db::PooledConnection {
        self.db.get().expect("test connection")
    }

    /// Runs a closure with a connection (for assertions on what the database holds).
    /// Creates an active person with the test password and these roles; their id.
    pub fn person(
        &self,
        email: &str,
        name: &str,
        roles: &[tilslutning::domain::RoleAssignment],
    ) -> String {
        self.with_db(|c| {
            let hash = tilslutning::auth::password::hash(PASSWORD).expect("hash");
            let id = tilslutning::db::users::upsert(c, email, name, Some(&hash)).expect("user");
            for role in roles {
                tilslutning::db::users::grant(c, &id, role).expect("role");
            }
            id
        })
    }

    /// The id of an agreement at `institution` (the demo data has one at G10401).
    pub fn agreement_at(&self, institution: &str) -> String {
        use tilslutning::db::schema::agreements::dsl::*;
        self.with_db(|c| {
            agreements
                .filter(institution_number.eq(institution))
                .select(id)
                .first(c)
                .expect("agreement")
        })
    }

    pub fn with_db<T>(&self, f: impl FnOnce(&mut DbConnection) -> T) -> T {
        let mut conn = self.conn();
        f(&mut conn)
    }

    pub fn request_status(&self, wanted: &str) -> String {
        use tilslutning::db::schema::requests::dsl::*;
        self.with_db(|c| {
            requests
                .filter(reference.eq(wanted))
                .select(status)
                .first(c)
                .expect("request exists")
        })
    }

    pub fn request_id(&self, wanted: &str) -> String {
        use tilslutning::db::schema::requests::dsl::*;
        self.with_db(|c| {
            requests
                .filter(reference.eq(wanted))
                .select(id)
                .first(c)
                .expect("request exists")
        })
    }

    /// (id, reference) of the pending request for a service at an institution.
    pub fn pending(&self, service: &str, institution: &str) -> (String, String) {
        use tilslutning::db::schema::requests::dsl::*;
        self.with_db(|c| {
            requests
                .filter(service_id.eq(service))
                .filter(institution_number.eq(institution))
                .filter(status.eq("pending"))
                .select((id, reference))
                .first(c)
                .expect("a pending request")
        })
    }

    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        self.with_db(|c| {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(c)
                .expect("count")
                .n
        })
    }

    pub fn audit_actions_for(&self, target: &str) -> Vec<String> {
        use tilslutning::db::schema::audit_log::dsl::*;
        self.with_db(|c| {
            audit_log
                .filter(target_id.eq(target))
                .order(seq)
                .select(action)
                .load(c)
                .expect("audit rows")
        })
    }

    /// The audit rows' details about `target`, oldest first.
    pub fn audit_details_for(&self, target: &str) -> Vec<String> {
        use tilslutning::db::schema::audit_log::dsl::*;
        self.with_db(|c| {
            audit_log
                .filter(target_id.eq(target))
                .order(seq)
                .select(details)
                .load(c)
                .expect("audit rows")
        })
    }

    /// The status of the request with this id.
    pub fn request_status_of(&self, wanted: &str) -> String {
        use tilslutning::db::schema::requests::dsl::*;
        self.with_db(|c| {
            requests
                .find(wanted)
                .select(status)
                .first(c)
                .expect("request exists")
        })
    }

    /// Files through the form as `session`; returns the response page.
    pub async fn file(
        &self,
        session: &Session,
        service: &str,
        scopes: &[&str],
        institutions: &str,
    ) -> Page {
        let today = tilslutning::db::now().date();
        let start = tilslutning::domain::request_form::format_date(today);
        let mut fields: Vec<(&str, &str)> = vec![
            ("service_id", service),
            ("purpose", "Test af dataadgang"),
            ("wished_start", &start),
            ("institutions", institutions),
        ];
        for s in scopes {
            fields.push(("scopes", s));
        }
        let reason = "Begrundelse for følsomme data";
        if scopes.iter().any(|s| *s == "CPR" || *s == "INDKOMST") {
            fields.push(("sensitive_reason", reason));
        }
        session.post("/requests", &fields).await
    }
}

pub const APP_SERVICE: &str = "demo-service-app";
pub const PLADS_SERVICE: &str = "demo-service-plads";
pub const LEARNING_SERVICE: &str = "demo-service-laering";

/// Waits until `done` holds, up to `seconds`; panics with `what` otherwise.
pub async fn wait_until(seconds: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

pub const OIDC_CLIENT_ID: &str = "tilslutning-test";
pub const OIDC_CLIENT_SECRET: &str = "test-client-secret-0123456789";

/// A real OpenID Connect provider on loopback (npm `oidc-provider`, `tests/oidc/`), one
/// per test process, shared by every test: each test signs in with its own subjects.
/// It accepts any loopback portal's callback, and ends when this process does.
pub struct OidcProvider {
    pub issuer: String,
    child: std::sync::Mutex<std::process::Child>,
}

static OIDC_PROVIDER: std::sync::OnceLock<OidcProvider> = std::sync::OnceLock::new();

impl OidcProvider {
    pub fn shared() -> &'static OidcProvider {
        OIDC_PROVIDER.get_or_init(Self::start)
    }

    /// A provider of one's own, for a test that stops it.
    pub fn start() -> OidcProvider {
        {
            use std::io::BufRead;
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
            assert!(
                dir.join("node_modules/oidc-provider").exists(),
                "the test OpenID provider is not installed: run `npm ci` in tests/oidc (scripts/test does)"
            );
            let mut child = std::process::Command::new("node")
                .arg("provider.mjs")
                .current_dir(&dir)
                .env("PORT", "0")
                .env("CLIENT_ID", OIDC_CLIENT_ID)
                .env("CLIENT_SECRET", OIDC_CLIENT_SECRET)
                .env("LOOPBACK_CLIENTS", "1")
                .env("EXIT_WITH_STDIN", "1")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("node must be installed to run the test OpenID provider");
            let stdout = child.stdout.take().expect("provider stdout");
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .expect("provider prints its address");
            let issuer = line
                .trim()
                .strip_prefix("ready ")
                .unwrap_or_else(|| panic!("the test OpenID provider did not start: {line:?}"))
                .to_string();
            OidcProvider {
                issuer,
                child: std::sync::Mutex::new(child),
            }
        }
    }

    /// Stops the provider (to play "provider down").
    pub fn stop(&self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    async fn control(&self, path: &str, body: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.issuer))
            .json(&body)
            .send()
            .await
            .expect("provider control endpoint");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
    }

    /// Gives a subject the claims its ID token will carry.
    pub async fn register(&self, claims: serde_json::Value) {
        self.control("/__test/accounts", claims).await;
    }

    /// Makes the provider hand out a bad ID token for `sub` (tamper, expired, wrong_nonce,
    /// wrong_audience, wrong_issuer, future_iat, future_nbf, foreign_azp), an odd but good
    /// one (slight_skew, own_azp, userinfo_only) — or a plain good one again (normal).
    pub async fn misbehave_for(&self, sub: &str, mode: &str) {
        self.control(
            "/__test/mode",
            serde_json::json!({ "mode": mode, "sub": sub }),
        )
        .await;
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A real SMTP server on loopback (Python's aiosmtpd) that keeps every message it
/// receives in a Maildir. It must be installed: a missing server fails the test.
pub struct SmtpServer {
    pub port: u16,
    pub dir: tempfile::TempDir,
    /// Milliseconds the server waits before it accepts each message (0: at once).
    delay_ms: u64,
    child: Option<std::process::Child>,
}

/// One received mail, decoded.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
}

impl SmtpServer {
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        Self::start_on(port)
    }

    pub fn start_on(port: u16) -> Self {
        Self::start_with(port, 0)
    }

    /// A server that takes `delay_ms` to accept each message (its `DATA` answer), so a
    /// test can act while sends are in flight (`tests/smtp/slow_mailbox.py`).
    pub fn start_slow(delay_ms: u64) -> Self {
        Self::start_with(free_port(), delay_ms)
    }

    fn start_with(port: u16, delay_ms: u64) -> Self {
        let dir = tempfile::tempdir().expect("maildir");
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("maildir folders");
        }
        let mut server = Self {
            port,
            dir,
            delay_ms,
            child: None,
        };
        server.resume();
        server
    }

    /// (Re)starts the server on the same port, keeping what it received.
    pub fn resume(&mut self) {
        let mut command = std::process::Command::new("python3");
        command.args([
            "-u",
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{}", self.port),
            "-c",
        ]);
        if self.delay_ms == 0 {
            command
                .arg("aiosmtpd.handlers.Mailbox")
                .arg(self.dir.path());
        } else {
            command
                .env(
                    "PYTHONPATH",
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp"),
                )
                .arg("slow_mailbox.SlowMailbox")
                .arg(self.dir.path())
                .arg(self.delay_ms.to_string());
        }
        let child = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd must be installed (scripts/test installs it)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start (is it installed?)"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Forgets everything received so far.
    pub fn clear(&self) {
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.dir.path().join(folder)) {
                for entry in entries.flatten() {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        let mut all = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(raw) = std::fs::read(entry.path()) else {
                    continue;
                };
                let Some(mail) = mail_parser::MessageParser::default().parse(&raw) else {
                    continue;
                };
                let to = mail
                    .to()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.address().map(|s| s.to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                all.push(Received {
                    to,
                    subject: mail.subject().unwrap_or_default().to_string(),
                    text: mail.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
                    html: mail.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
                    message_id: mail.message_id().unwrap_or_default().to_string(),
                });
            }
        }
        all
    }

    /// How many messages arrived, and how many distinct Message-IDs they carried.
    pub fn counts(&self) -> (usize, usize) {
        let ids: Vec<String> = self.received().into_iter().map(|m| m.message_id).collect();
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        (ids.len(), distinct.len())
    }

    /// Messages stored so far, counted from the Maildir without parsing them.
    pub fn stored(&self) -> usize {
        ["new", "cur"]
            .iter()
            .filter_map(|f| std::fs::read_dir(self.dir.path().join(f)).ok())
            .map(|d| d.count())
            .sum()
    }

    pub fn to(&self, address: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A TCP relay on loopback in front of a database server, which a test can cut (every
/// connection through it dropped, new ones closed as soon as they open) and restore: a
/// real outage of the database for one app, while the other tests go on using the server.
pub struct DbRelay {
    pub port: u16,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    closed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    streams: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl DbRelay {
    /// A relay to the host and port of `url` (`postgres://user@host:port/db`).
    pub fn to(url: &str) -> Self {
        use std::sync::atomic::Ordering;
        let authority = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.rsplit('@').next())
            .expect("a URL with a host");
        let upstream = std::net::ToSocketAddrs::to_socket_addrs(authority)
            .expect("upstream address")
            .next()
            .expect("an address");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("relay listens");
        listener.set_nonblocking(true).expect("nonblocking");
        let relay = Self {
            port: listener.local_addr().expect("relay address").port(),
            cut: Default::default(),
            closed: Default::default(),
            streams: Default::default(),
        };
        let (cut, closed, streams) = (
            relay.cut.clone(),
            relay.closed.clone(),
            relay.streams.clone(),
        );
        std::thread::spawn(move || {
            while !closed.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                if cut.load(Ordering::SeqCst) {
                    let _ = client.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let _ = client.set_nonblocking(false);
                let Ok(server) = std::net::TcpStream::connect(upstream) else {
                    continue;
                };
                for (mut from, mut to) in [
                    (client.try_clone(), server.try_clone()),
                    (server.try_clone(), client.try_clone()),
                ]
                .into_iter()
                .filter_map(|(a, b)| Some((a.ok()?, b.ok()?)))
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
                let mut kept = streams.lock().expect("streams");
                kept.push(client);
                kept.push(server);
            }
        });
        relay
    }

    /// `url` with its host and port replaced by the relay's.
    pub fn url_for(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("scheme");
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let user = authority
            .rsplit_once('@')
            .map(|(u, _)| format!("{u}@"))
            .unwrap_or_default();
        format!("{scheme}://{user}127.0.0.1:{}/{path}", self.port)
    }

    /// Drops every connection through the relay; new ones are closed as they open.
    pub fn cut(&mut self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for stream in self.streams.lock().expect("streams").drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }

    /// Relays new connections again.
    pub fn restore(&mut self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for DbRelay {
    fn drop(&mut self) {
        self.cut();
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The real `tilslutning` binary with a clean environment: only `PATH`, a quiet log, and
/// what the test sets.
pub fn tilslutning_binary() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tilslutning"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn");
    command
}
