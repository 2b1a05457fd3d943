//! Importing the institution register: the operators' upload page (`/operator/register`,
//! a dry run by default) and the system-to-system JSON endpoint
//! (`POST /api/register/import`, bearer token from `TILSLUTNING_IMPORT_TOKEN`; it carries
//! no cookies, so it needs no CSRF token). Both go through the same plan and apply.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::auth::csrf;
use crate::db::audit::Caller;
use crate::db::register_import::{self, Applied, ImportPlan};
use crate::db::{self, register};
use crate::domain::Role;
use crate::domain::policy::maintains_register;
use crate::domain::register_file::{self, RowError};
use crate::domain::request_form::format_date;
use crate::error::AppError;
use crate::routes::{Choice, Page, choices, render, render_with};
use crate::startup::AppState;

const MAX_FILE: usize = 50 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(form).service(upload).service(
        web::resource("/api/register/import")
            .app_data(web::PayloadConfig::new(MAX_FILE * 2))
            .route(web::post().to(api_import)),
    );
}

struct ClosureLine {
    number: String,
    name: String,
    closed_on: String,
    successor: Option<String>,
    lapsing: usize,
    ending: usize,
}

struct ChangeLine {
    number: String,
    name: String,
    fields: String,
}

#[derive(Template)]
#[template(path = "operator/register.html")]
struct ImportPage {
    page: Page,
    municipalities: Vec<Choice>,
    error: Option<String>,
    result: Option<ImportResult>,
}

struct ImportResult {
    file: String,
    dry_run: bool,
    created: Vec<String>,
    changed: Vec<ChangeLine>,
    closed: Vec<ClosureLine>,
    unchanged: usize,
    refused: Vec<RowError>,
    applied: Option<Applied>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    selected: &str,
    error: Option<String>,
    result: Option<ImportResult>,
) -> Result<ImportPage, AppError> {
    let municipalities = state
        .db
        .run(|conn| -> Result<_, AppError> { Ok(register::municipalities(conn)?) })
        .await?;
    Ok(ImportPage {
        page: Page::for_user(user, "/operator/register"),
        municipalities: choices(
            municipalities
                .iter()
                .map(|m| (m.code.as_str(), m.name.as_str())),
            selected,
        ),
        error,
        result,
    })
}

fn require_operator(user: &CurrentUser) -> Result<(), AppError> {
    if maintains_register(&user.actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[get("/operator/register")]
async fn form(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    require_operator(&user)?;
    render(&page(&state, &user, "", None, None).await?)
}

/// Plans (and unless `dry_run`, applies) an import of `bytes`.
async fn run_import(
    state: &AppState,
    caller: Caller,
    bytes: Vec<u8>,
    source: String,
    complete_for: Option<String>,
    dry_run: bool,
) -> Result<(ImportPlan, Option<Applied>), AppError> {
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let kommuner: Vec<String> = register::municipalities(conn)?
                .into_iter()
                .map(|m| m.code)
                .collect();
            if let Some(code) = &complete_for
                && !kommuner.contains(code)
            {
                return Err(AppError::BadRequest(format!(
                    "«{code}» er ikke en kommunekode."
                )));
            }
            let parsed = register_file::parse(&bytes, &kommuner);
            let plan =
                register_import::plan(conn, parsed, complete_for.as_deref(), db::now().date())?;
            let applied = if dry_run || plan.is_empty() && plan.unchanged == 0 {
                None
            } else {
                Some(
                    register_import::apply(conn, &caller, &plan, &source)
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                )
            };
            Ok((plan, applied))
        })
        .await
}

fn result_of(
    file: String,
    dry_run: bool,
    plan: ImportPlan,
    applied: Option<Applied>,
) -> ImportResult {
    ImportResult {
        file,
        dry_run,
        created: plan
            .creates
            .iter()
            .map(|r| format!("{} {}", r.number, r.name))
            .collect(),
        changed: plan
            .changes
            .iter()
            .map(|(r, diff)| ChangeLine {
                number: r.number.clone(),
                name: r.name.clone(),
                fields: diff
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: {} → {}",
                            c.field,
                            c.before.clone().unwrap_or_default(),
                            c.after.clone().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        closed: plan
            .closures
            .iter()
            .map(|c| ClosureLine {
                number: c.number.clone(),
                name: c.name.clone(),
                closed_on: format_date(c.closed_on),
                successor: c.replaced_by.clone(),
                lapsing: c.pending_requests.len(),
                ending: c.open_agreements.len(),
            })
            .collect(),
        unchanged: plan.unchanged,
        refused: plan.errors,
        applied,
    }
}

#[post("/operator/register")]
async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    mut body: Multipart,
) -> Result<HttpResponse, AppError> {
    require_operator(&user)?;
    let (mut file, mut file_name, mut token, mut dry_run, mut complete_for) = (
        Vec::new(),
        String::new(),
        String::new(),
        false,
        String::new(),
    );
    while let Some(field) = body.next().await {
        let mut field =
            field.map_err(|_| AppError::BadRequest("Formularen kunne ikke læses.".into()))?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("register.csv")
                .to_string();
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|_| AppError::BadRequest("Filen kunne ikke læses.".into()))?;
            if value.len() + chunk.len() > MAX_FILE {
                return Err(AppError::BadRequest("Filen er større end 50 MB.".into()));
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => token = String::from_utf8_lossy(&value).into_owned(),
            "dry_run" => dry_run = true,
            "complete_for" => complete_for = String::from_utf8_lossy(&value).trim().to_string(),
            "file" => file = value,
            _ => {}
        }
    }
    let bound = csrf::binding(&req).ok_or(AppError::Csrf)?;
    if !csrf::verify(&state.settings.session_key, &bound, &token) {
        return Err(AppError::Csrf);
    }
    if file.is_empty() {
        let p = page(
            &state,
            &user,
            &complete_for,
            Some("Vælg en fil at importere.".into()),
            None,
        )
        .await?;
        return render_with(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let complete = (!complete_for.is_empty()).then(|| complete_for.clone());
    let (plan, applied) = run_import(
        &state,
        user.caller(Some(Role::Operator)),
        file,
        file_name.clone(),
        complete,
        dry_run,
    )
    .await?;
    render(
        &page(
            &state,
            &user,
            &complete_for,
            None,
            Some(result_of(file_name, dry_run, plan, applied)),
        )
        .await?,
    )
}

#[derive(Deserialize)]
struct ApiImport {
    /// The file's content as text (CSV with the registers' headers).
    csv: String,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    complete_for: Option<String>,
}

#[derive(Serialize)]
struct ApiResult {
    dry_run: bool,
    created: usize,
    changed: usize,
    closed: usize,
    unchanged: usize,
    refused: Vec<ApiRefusal>,
}

#[derive(Serialize)]
struct ApiRefusal {
    line: usize,
    message: String,
}

fn api_error(status: actix_web::http::StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .json(serde_json::json!({ "error": { "code": code, "message": message } }))
}

async fn api_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Some(expected) = &state.settings.import_token else {
        return api_error(
            StatusCode::NOT_FOUND,
            "disabled",
            "Register import over the API is not enabled.",
        );
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let valid = given.is_some_and(|g| {
        use sha2::{Digest, Sha256};
        Sha256::digest(g.as_bytes()) == Sha256::digest(expected.as_bytes())
    });
    if !valid {
        return api_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid bearer token is required.",
        );
    }
    let input: ApiImport = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(e) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("The body is not a valid import: {e}"),
            );
        }
    };
    let caller = Caller {
        client_addr: crate::auth::session::client_addr(&req),
        request_id: crate::telemetry::request_id(&req),
        ..Caller::default()
    };
    match run_import(
        &state,
        caller,
        input.csv.into_bytes(),
        "api".into(),
        input.complete_for,
        input.dry_run,
    )
    .await
    {
        Ok((plan, applied)) => HttpResponse::Ok().json(ApiResult {
            dry_run: input.dry_run,
            created: applied.map(|a| a.created).unwrap_or(plan.creates.len()),
            changed: applied.map(|a| a.changed).unwrap_or(plan.changes.len()),
            closed: applied.map(|a| a.closed).unwrap_or(plan.closures.len()),
            unchanged: plan.unchanged,
            refused: plan
                .errors
                .into_iter()
                .map(|e| ApiRefusal {
                    line: e.line,
                    message: e.message,
                })
                .collect(),
        }),
        Err(AppError::BadRequest(m)) => api_error(StatusCode::BAD_REQUEST, "invalid_request", &m),
        Err(e) if e.is_unavailable() => e.json_response(),
        Err(e) => {
            tracing::error!(error = %e, "register import over the API failed");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "The import failed; nothing was changed.",
            )
        }
    }
}
