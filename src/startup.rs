//! Building the application: database, migrations, shared state, security headers,
//! extractor error handling and routes, bound to a listener (port 0 in tests).

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::auth::PasswordHasher;
use crate::auth::oidc::Oidc;
use crate::configuration::Settings;
use crate::db::{self, Db};
use crate::error::AppError;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    /// Sign-in through the identity provider, when configured.
    pub oidc: Option<Oidc>,
}

/// The Content-Security-Policy: nothing inline, nothing from elsewhere. Forms post only to
/// the portal, and to the identity provider's origin when one is configured (signing out
/// redirects there).
pub fn content_security_policy(provider_origin: Option<&str>) -> String {
    let form_action = match provider_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".into(),
    };
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         font-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// `https://idp.example.dk:8443/realms/x` → `https://idp.example.dk:8443`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

pub fn security_headers(csp: &str) -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", csp.to_string()))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

pub struct Application {
    server: Server,
    address: std::net::SocketAddr,
    worker: Option<crate::mail::WorkerHandle>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let metrics_access = web::Data::new(crate::telemetry::metrics::Access::new(
            settings.metrics_allow.as_deref(),
            settings.metrics_token.as_deref(),
        )?);
        crate::telemetry::metrics::recorder();
        let db = Db::connect(&settings.database_url, settings.pool_size)?;
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
            settings,
            hasher,
            oidc,
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::QueryConfig::default().error_handler(|_, _| {
                    AppError::BadRequest(
                        "Adressen indeholdt en ugyldig værdi. Gå tilbage og prøv igen.".into(),
                    )
                    .into()
                }))
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(web::PayloadConfig::new(512 * 1024))
                .wrap(Compress::default())
                .wrap(security_headers(&csp))
                .wrap(actix_web::middleware::from_fn(
                    crate::telemetry::observe_request,
                ))
                .app_data(metrics_access.clone())
                .route("/metrics", web::get().to(crate::telemetry::metrics::scrape))
                .configure(crate::routes::configure)
        })
        .workers(cores)
        .listen(listener)?
        .run();
        Ok(Self {
            server,
            address,
            worker,
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

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _worker = self.worker;
        self.server.await
    }
}
