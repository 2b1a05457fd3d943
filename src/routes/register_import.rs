//! Importing the institution register: the operators' upload page (`/operator/register`,
//! a dry run by default) and the system-to-system JSON endpoint
//! (`POST /api/register/import`, bearer token from `TILSLUTNING_IMPORT_TOKEN`; it carries
//! no cookies, so it needs no CSRF token). Both run [`crate::app::register`], the use case
//! the command line runs too, and put its outcome in their own words: the page in the
//! reader's language (the catalogue's `register.ftl`: results in words, fields by their
//! names, coded values as code and text), the API in English with stable codes.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::app::register::{ImportOutcome, ImportRequest, MAX_FILE_BYTES, Refusal};
use crate::auth::CurrentUser;
use crate::auth::csrf;
use crate::db::audit::Caller;
use crate::db::register;
use crate::db::register::Municipality;
use crate::db::register_import::FieldChange;
use crate::db::register_import::{Applied, ImportPlan};
use crate::domain::codes::{CodeList, Level};
use crate::domain::policy::maintains_register;
use crate::error::AppError;
use crate::i18n::Texts;
use crate::routes::register_problems::sentence;
use crate::routes::{Choice, Page, choices, date, render, render_with};
use crate::startup::AppState;

/// The API's body: the file as a JSON string (escaping may double it) and a little more.
const MAX_API_BODY: usize = 2 * MAX_FILE_BYTES + 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(form)
        .service(upload)
        .service(web::resource("/api/register/import").route(web::post().to(api_import)));
}

/// One changed institution: who it is, and what changes, in words.
struct ChangeLine {
    institution: String,
    fields: String,
}

#[derive(Template)]
#[template(path = "operator/register.html")]
struct ImportPage {
    page: Page,
    municipalities: Vec<Choice>,
    /// Whether the dry-run box is ticked.
    dry_run: bool,
    error: Option<FormError>,
    result: Option<ImportResult>,
}

impl ImportPage {
    fn error_on(&self, field: &str) -> bool {
        self.error.as_ref().and_then(|e| e.field) == Some(field)
    }
}

/// Why the form was refused, and the field it is about (when it is about one).
struct FormError {
    field: Option<&'static str>,
    message: String,
}

/// What an import did or would do, as the page says it.
struct ImportResult {
    file: String,
    dry_run: bool,
    applied: Option<Applied>,
    /// (label, number) for the summary.
    facts: Vec<(String, String)>,
    created: Vec<String>,
    changed: Vec<ChangeLine>,
    closed: Vec<String>,
    refused: Vec<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    selected: &str,
    dry_run: bool,
    error: Option<FormError>,
    result: impl FnOnce(&[Municipality]) -> Option<ImportResult>,
) -> Result<ImportPage, AppError> {
    let municipalities = state
        .db
        .run(|conn| -> Result<_, AppError> { Ok(register::municipalities(conn)?) })
        .await?;
    Ok(ImportPage {
        page: Page::for_user(user, "/operator/register"),
        result: result(&municipalities),
        municipalities: choices(
            municipalities
                .iter()
                .map(|m| (m.code.as_str(), m.name.as_str())),
            selected,
        ),
        dry_run,
        error,
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
    render(&page(&state, &user, "", true, None, |_| None).await?)
}

/// Runs the import use case on the blocking pool.
async fn run_import(
    state: &AppState,
    user: &CurrentUser,
    request: ImportRequest,
) -> Result<Result<ImportOutcome, Refusal>, AppError> {
    let acting = user.acting();
    Ok(state
        .db
        .run(move |conn| crate::app::register::import(conn, &acting, request))
        .await?)
}

/// A refusal as the operators' page says it, and the field it is about.
fn refusal_text(refusal: &Refusal) -> FormError {
    let tx = crate::i18n::texts();
    match refusal {
        Refusal::EmptyFile => FormError {
            field: Some("file"),
            message: tx.t("import-choose-file"),
        },
        Refusal::TooLarge { limit_bytes } => FormError {
            field: Some("file"),
            message: tx.with(
                "import-too-large",
                &[("mb", (limit_bytes / (1024 * 1024)).into())],
            ),
        },
        Refusal::UnknownMunicipality { code } => FormError {
            field: Some("complete_for"),
            message: tx.a("import-unknown-municipality", "code", code),
        },
    }
}

/// The catalogue's name of a field an import changes (`register-field-<field>`); a field
/// the catalogue does not know is shown by its key.
fn field_name(tx: Texts, field: &str) -> String {
    let key = format!("register-field-{field}");
    if tx.has(&key) {
        tx.t(&key)
    } else {
        field.to_string()
    }
}

/// A field's value as the register pages show it: coded fields as code and text, the
/// municipality by its name.
fn field_value(
    tx: Texts,
    municipalities: &[Municipality],
    field: &str,
    value: Option<&str>,
) -> String {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return tx.t("import-value-empty");
    };
    match field {
        "level" => Level::parse(value).map_or_else(|| value.to_string(), |l| tx.level(l)),
        "inst_type_code" => tx.code(CodeList::InstitutionType, value),
        "ownership_code" => tx.code(CodeList::Ownership, value),
        "legal_basis_code" => tx.code(CodeList::LegalBasis, value),
        "municipality_code" => match municipalities.iter().find(|m| m.code == value) {
            Some(m) => tx.with_two("municipality-with-code", "name", &m.name, "code", value),
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}

fn change_text(tx: Texts, municipalities: &[Municipality], c: &FieldChange) -> String {
    tx.with(
        "import-change",
        &[
            ("field", field_name(tx, c.field).into()),
            (
                "before",
                field_value(tx, municipalities, c.field, c.before.as_deref()).into(),
            ),
            (
                "after",
                field_value(tx, municipalities, c.field, c.after.as_deref()).into(),
            ),
        ],
    )
}

fn result_of(
    file: String,
    outcome: ImportOutcome,
    municipalities: &[Municipality],
) -> ImportResult {
    let tx = crate::i18n::texts();
    let dry_run = matches!(outcome, ImportOutcome::Planned(_));
    let applied = outcome.applied();
    let plan: ImportPlan = match outcome {
        ImportOutcome::Planned(plan)
        | ImportOutcome::NothingUsable(plan)
        | ImportOutcome::Applied { plan, .. } => plan,
    };
    let count = |n: usize| tx.number(i64::try_from(n).unwrap_or(i64::MAX));
    let mut facts = vec![
        (tx.t("import-created"), count(plan.creates.len())),
        (tx.t("import-changed"), count(plan.changes.len())),
        (tx.t("import-closed"), count(plan.closures.len())),
        (tx.t("import-unchanged"), count(plan.unchanged)),
        (tx.t("import-refused"), count(plan.errors.len())),
    ];
    if let Some(a) = &applied {
        facts.push((tx.t("import-lapsed-requests"), count(a.lapsed_requests)));
        facts.push((tx.t("import-ended-agreements"), count(a.ended_agreements)));
    }
    ImportResult {
        file,
        dry_run,
        applied,
        facts,
        created: plan
            .creates
            .iter()
            .map(|r| format!("{} {}", r.number, r.name))
            .collect(),
        changed: plan
            .changes
            .iter()
            .map(|(r, diff)| ChangeLine {
                institution: format!("{} {}", r.number, r.name),
                fields: diff
                    .iter()
                    .map(|c| change_text(tx, municipalities, c))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        closed: plan
            .closures
            .iter()
            .map(|c| {
                let institution = format!("{} {}", c.number, c.name);
                let when = date(c.closed_on);
                let closes = match &c.replaced_by {
                    Some(successor) => tx.with(
                        "import-closure-successor",
                        &[
                            ("institution", institution.into()),
                            ("date", when.into()),
                            ("successor", successor.clone().into()),
                        ],
                    ),
                    None => {
                        tx.with_two("import-closure", "institution", &institution, "date", &when)
                    }
                };
                format!(
                    "{closes} – {}, {}",
                    tx.n("import-lapsing", c.pending_requests.len()),
                    tx.n("import-ending", c.open_agreements.len())
                )
            })
            .collect(),
        refused: plan
            .errors
            .iter()
            .map(|e| {
                tx.with(
                    "import-line",
                    &[
                        ("line", tx.number(e.line as i64).into()),
                        ("text", sentence(&e.problem, tx.language()).into()),
                    ],
                )
            })
            .collect(),
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
        let mut field = field
            .map_err(|_| AppError::BadRequest(crate::i18n::texts().t("import-unreadable-form")))?;
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
            let chunk = chunk.map_err(|_| {
                AppError::BadRequest(crate::i18n::texts().t("import-unreadable-file"))
            })?;
            if value.len() + chunk.len() > MAX_FILE_BYTES {
                let refused = refusal_text(&Refusal::TooLarge {
                    limit_bytes: MAX_FILE_BYTES,
                });
                return Err(AppError::BadRequest(refused.message));
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
    let request = ImportRequest {
        bytes: file,
        source: file_name.clone(),
        complete_for: Some(complete_for.clone()),
        dry_run,
    };
    let outcome = match run_import(&state, &user, request).await? {
        Ok(outcome) => outcome,
        Err(refusal) => {
            // The form comes back with the refusal at its field; an unknown municipality
            // keeps its 400 (the API answers the same use case with one too).
            let status = match refusal {
                Refusal::EmptyFile => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::TooLarge { .. } => actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                Refusal::UnknownMunicipality { .. } => actix_web::http::StatusCode::BAD_REQUEST,
            };
            let error = refusal_text(&refusal);
            let p = page(&state, &user, &complete_for, dry_run, Some(error), |_| None).await?;
            return render_with(status, &p);
        }
    };
    render(
        &page(&state, &user, &complete_for, true, None, |municipalities| {
            Some(result_of(file_name, outcome, municipalities))
        })
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
    code: &'static str,
    message: String,
}

fn api_error(status: actix_web::http::StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .json(serde_json::json!({ "error": { "code": code, "message": message } }))
}

/// The API's words for a refusal: status, stable code, message.
fn api_refusal(refusal: &Refusal) -> (actix_web::http::StatusCode, &'static str, String) {
    use actix_web::http::StatusCode;
    let tx = crate::i18n::texts();
    match refusal {
        Refusal::EmptyFile => (
            StatusCode::BAD_REQUEST,
            "empty_file",
            tx.t("import-api-empty-file"),
        ),
        Refusal::TooLarge { limit_bytes } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            tx.n("import-api-file-too-large", limit_bytes / (1024 * 1024)),
        ),
        Refusal::UnknownMunicipality { code } => (
            StatusCode::BAD_REQUEST,
            "unknown_municipality",
            tx.a("import-api-unknown-municipality", "code", code),
        ),
    }
}

/// The body, read up to `limit` bytes; `None` when it is larger (or broke off).
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::BytesMut, actix_web::http::StatusCode> {
    use actix_web::http::StatusCode;
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| StatusCode::BAD_REQUEST)?;
        if body.len() + chunk.len() > limit {
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn api_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    let tx = crate::i18n::texts();
    let Some(expected) = &state.settings.import_token else {
        return api_error(
            StatusCode::NOT_FOUND,
            "disabled",
            &tx.t("import-api-disabled"),
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
            &tx.t("import-api-unauthorized"),
        );
    }
    let body = match read_body(&req, payload, MAX_API_BODY).await {
        Ok(body) => body,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => {
            return api_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                &tx.n("import-api-body-too-large", MAX_API_BODY / (1024 * 1024)),
            );
        }
        Err(status) => {
            return api_error(status, "unreadable_body", &tx.t("import-api-unreadable"));
        }
    };
    let input: ApiImport = match serde_json::from_slice(&body) {
        Ok(i) => i,
        Err(e) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &tx.a("import-api-invalid-json", "problem", &e.to_string()),
            );
        }
    };
    let caller = Caller {
        client_addr: crate::auth::session::client_addr(&req),
        request_id: crate::telemetry::request_id(&req),
        ..Caller::default()
    };
    let request = ImportRequest {
        bytes: input.csv.into_bytes(),
        source: "api".into(),
        complete_for: input.complete_for,
        dry_run: input.dry_run,
    };
    let outcome = state
        .db
        .run(move |conn| crate::app::register::import_as(conn, &caller, request))
        .await
        .map_err(AppError::from);
    match outcome {
        Ok(Ok(outcome)) => {
            let applied = outcome.applied();
            let dry_run = matches!(outcome, ImportOutcome::Planned(_));
            let plan = outcome.plan();
            HttpResponse::Ok().json(ApiResult {
                dry_run,
                created: applied.map(|a| a.created).unwrap_or(plan.creates.len()),
                changed: applied.map(|a| a.changed).unwrap_or(plan.changes.len()),
                closed: applied.map(|a| a.closed).unwrap_or(plan.closures.len()),
                unchanged: plan.unchanged,
                refused: plan
                    .errors
                    .iter()
                    .map(|e| ApiRefusal {
                        line: e.line,
                        code: e.problem.code(),
                        message: sentence(&e.problem, tx.language()),
                    })
                    .collect(),
            })
        }
        Ok(Err(refusal)) => {
            let (status, code, message) = api_refusal(&refusal);
            api_error(status, code, &message)
        }
        Err(e) if e.is_unavailable() => e.json_response(),
        Err(e) => {
            tracing::error!(error = %e, "register import over the API failed");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &tx.t("import-api-failed"),
            )
        }
    }
}
