//! Structured logs through `tracing`, filtered by `RUST_LOG` (default: info), as text or,
//! with `RUST_LOG_FORMAT=json`, as one JSON object a line; the request id: every HTTP
//! request gets one, it is carried by the request's span (so every line logged while
//! serving it names it), returned in the `X-Request-Id` header and stored on the audit
//! rows the request writes; and [`metrics`], what `/metrics` shows.

pub mod metrics;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};
use tracing::Instrument;

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let json = std::env::var("RUST_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        logs.json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        logs.with_target(false).try_init()
    };
}

/// The id of the HTTP request being served.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Middleware around every request: gives it an id, serves it inside a `request` span
/// carrying that id, logs one line when it is answered (status, route pattern, time),
/// counts it for `/metrics` and returns the id in `X-Request-Id`.
pub async fn observe_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = uuid::Uuid::now_v7().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    // The pattern (`/requests/{id}`), never the path: a label per id would be unbounded.
    let route = req.match_pattern();
    let span =
        tracing::info_span!("request", request_id = %id, method = %method, path = %req.path());
    let started = Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = match &result {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    metrics::request_served(method.as_str(), route.as_deref(), status, elapsed);
    span.in_scope(|| {
        tracing::info!(
            target: "tilslutning::http",
            status = status.as_u16(),
            route = route.as_deref().unwrap_or(metrics::UNMATCHED_ROUTE),
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            "request served"
        );
    });
    let mut response = result?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}
