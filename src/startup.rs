//! Building the application: database, migrations, shared state, security headers,
//! extractor error handling and routes, bound to a listener (port 0 in tests); and
//! stopping it on SIGTERM/SIGINT: requests and mail in flight finish, the process exits 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::app::token_cache::TokenCache;
use crate::auth::PasswordHasher;
use crate::auth::oidc::Oidc;
use crate::auth::session_cache::SessionCache;
use crate::configuration::Settings;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::routes::api::rate_limit::{CallLimit, RefusedTokens};

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    /// Sign-in through the identity provider, when configured.
    pub oidc: Option<Oidc>,
    /// API tokens looked up lately.
    pub tokens: TokenCache,
    /// Who is behind the sessions resolved lately.
    pub sessions: SessionCache,
    /// Each API token's calls a minute.
    pub api_calls: CallLimit,
    /// Client addresses held back for presenting refused API tokens.
    pub refused_tokens: RefusedTokens,
}

/// The Content-Security-Policy: nothing inline, nothing from elsewhere (scripts fetch only
/// from the portal: the API reference reads the OpenAPI document). Forms post only to
/// the portal, and to the identity provider's origin when one is configured (signing out
/// redirects there).
pub fn content_security_policy(provider_origin: Option<&str>) -> String {
    let form_action = match provider_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         font-src 'self'; connect-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// `https://idp.example.dk:8443/realms/x` → `https://idp.example.dk:8443`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

/// Once the portal is served over HTTPS, browsers are told to use nothing else for a
/// year, on its subdomains too.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The headers every response carries; `https` adds Strict-Transport-Security.
pub fn security_headers(csp: &str, https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", csp.to_string()))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
    } else {
        headers
    }
}

pub struct Application {
    server: Server,
    address: std::net::SocketAddr,
    worker: Option<crate::mail::WorkerHandle>,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let metrics_access = web::Data::new(crate::telemetry::metrics::Access::new(
            settings.metrics_allow.as_deref(),
            settings.metrics_token.as_deref(),
        )?);
        crate::telemetry::metrics::recorder();
        let db = Db::open(
            &settings.database_url,
            settings.pool_size,
            settings.db_checkout_timeout,
        )?;
        let applied = db.run(db::pool::run_migrations).await?;
        if applied > 0 {
            tracing::info!(applied, "migrations applied");
        }
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let address = listener.local_addr()?;
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let settings = Arc::new(settings);
        let worker = if settings.mail.in_process_worker {
            Some(crate::mail::MailWorker::new(db.clone(), settings.clone())?.spawn())
        } else {
            None
        };
        let oidc = match &settings.oidc {
            Some(oidc) => Some(Oidc::new(oidc.clone(), &settings.base_url)?),
            None => None,
        };
        let csp = content_security_policy(
            settings
                .oidc
                .as_ref()
                .and_then(|o| origin_of(&o.issuer))
                .as_deref(),
        );
        // One core is left for serving pages while logins are hammered.
        let hasher = PasswordHasher::new(cores.saturating_sub(1).max(1))?;
        let state = web::Data::new(AppState {
            db,
            hasher,
            oidc,
            tokens: TokenCache::new(settings.api.token_cache),
            sessions: SessionCache::new(settings.session_cache),
            api_calls: CallLimit::per_minute(settings.api.calls_per_minute),
            refused_tokens: RefusedTokens::per_minute(settings.api.refused_tokens_per_minute),
            settings,
        });
        let app_state = state.clone();
        let https = state.settings.base_url.starts_with("https://");
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .app_data(web::QueryConfig::default().error_handler(|_, _| {
                    AppError::BadRequest(crate::i18n::texts().t("error-bad-query")).into()
                }))
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(web::PayloadConfig::new(512 * 1024))
                .wrap(Compress::default())
                .wrap(security_headers(&csp, https))
                .wrap(actix_web::middleware::from_fn(
                    crate::routes::language::serve_in_language,
                ))
                .wrap(actix_web::middleware::from_fn(
                    crate::auth::session_cache::forget_after_changes,
                ))
                .wrap(actix_web::middleware::from_fn(
                    crate::telemetry::observe_request,
                ))
                .app_data(metrics_access.clone())
                .route("/metrics", web::get().to(crate::telemetry::metrics::scrape))
                .configure(crate::routes::configure)
        })
        .workers(cores)
        // Signals are handled by [`Application::stop_on`], which stops the mail worker too.
        .disable_signals()
        .listen(listener)?
        .run();
        Ok(Self {
            server,
            address,
            worker,
            state,
        })
    }

    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The in-process mail worker, for a caller that wants to stop it itself (tests).
    pub fn take_worker(&mut self) -> Option<crate::mail::WorkerHandle> {
        self.worker.take()
    }

    /// The application's own connection pool.
    pub fn db(&self) -> Db {
        self.state.db.clone()
    }

    /// When `signal` resolves, stops the mail worker from claiming more and the server
    /// from accepting more; what is in flight finishes, and [`Self::run_until_stopped`]
    /// returns. Must be called on the actix runtime that runs the server.
    pub fn stop_on(&self, signal: impl Future<Output = ()> + 'static) {
        let server = self.server.handle();
        let worker = self.worker.as_ref().map(crate::mail::WorkerHandle::stopper);
        actix_web::rt::spawn(async move {
            signal.await;
            tracing::info!("stopping: requests and mail in flight finish, nothing new is taken");
            if let Some(worker) = worker {
                worker.stop();
            }
            server.stop(true).await;
        });
    }

    /// Serves until the server is stopped, then waits for the mail worker to finish the
    /// sends in flight and give back what it did not try.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(worker) = self.worker {
            let _ = actix_web::rt::task::spawn_blocking(move || worker.stop_and_wait()).await;
        }
        served
    }
}

/// Resolves on the first SIGTERM or SIGINT. The handlers are installed when this is
/// called (inside a runtime), so a signal that comes before it is awaited is not lost.
#[cfg(unix)]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        let terminate = std::pin::pin!(terminate.recv());
        let interrupt = std::pin::pin!(interrupt.recv());
        futures_util::future::select(terminate, interrupt).await;
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = actix_web::rt::signal::ctrl_c().await;
    })
}
