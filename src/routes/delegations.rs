//! `/delegations` (Fuldmagter): staff of a self-governing (or private, or contracted-out)
//! institution let the municipality decide for it, and a municipal officer lets a named
//! colleague decide for a period — a substitute while someone is away. Everyone concerned
//! sees the delegations and can end them; they also expire by themselves.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::delegations::{DelegationForm, DelegationProblem};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::delegations;
use crate::db::register;
use crate::domain::policy::{may_delegate_institution, may_revoke_delegation};
use crate::domain::request_form::format_date;
use crate::domain::{Role, codes::Ownership};
use crate::error::AppError;
use crate::routes::Notice;
use crate::routes::{Choice, Page, choices, redirect, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(overview).service(create).service(revoke);
}

struct Line {
    id: String,
    description: String,
    granted_by: String,
    granted_to: String,
    state: String,
    can_revoke: bool,
}

/// A refused delegation: what was wrong, and the field it is about (`None` when it is
/// about the form as a whole).
struct Refused {
    message: String,
    field: Option<&'static str>,
}

/// The field ids of the two forms: the institution's (`inst-…`) and the colleague's
/// (`coll-…`).
fn field_id(kind: &str, field: &str) -> String {
    let prefix = if kind == "institution" {
        "inst"
    } else {
        "coll"
    };
    format!("{prefix}-{field}")
}

/// What a delegation covers and for how long, in the reader's language and with names.
fn describe(d: &delegations::Delegation, municipality: &str) -> String {
    let tx = crate::i18n::texts();
    let period = format!(
        "{} – {}",
        crate::routes::date(d.valid_from),
        crate::routes::date(d.valid_until)
    );
    match &d.institution_number {
        Some(number) if d.kind == "institution_to_municipality" => tx.with(
            "delegation-institution-describe",
            &[
                ("institution", number.clone().into()),
                ("municipality", municipality.to_string().into()),
                ("period", period.into()),
            ],
        ),
        _ => tx.with_two(
            "delegation-colleague-describe",
            "municipality",
            municipality,
            "period",
            &period,
        ),
    }
}

#[derive(Template)]
#[template(path = "delegations.html")]
struct DelegationsPage {
    page: Page,
    lines: Vec<Line>,
    institutions: Vec<Choice>,
    municipalities: Vec<Choice>,
    input: DelegationInput,
    error: Option<Refused>,
}

impl DelegationsPage {
    /// The message about `field` of the form of `kind`, if the refusal is about it.
    fn error_at(&self, kind: &str, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| self.input.kind == kind && e.field == Some(field))
            .map(|e| e.message.as_str())
    }

    /// Where the error summary's link takes the reader.
    fn error_target(&self) -> String {
        let field = self.error.as_ref().and_then(|e| e.field).unwrap_or("from");
        field_id(&self.input.kind, field)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct DelegationInput {
    kind: String,
    institution: String,
    municipality: String,
    colleague: String,
    valid_from: String,
    valid_until: String,
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    input: DelegationInput,
    error: Option<Refused>,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let actor = user.actor();
    if !user.has_role(|r| matches!(r, Role::MunicipalOfficer | Role::InstitutionStaff))
        && user.grants.is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let staff_of: Vec<String> = user
        .roles
        .iter()
        .filter(|r| r.role == Role::InstitutionStaff)
        .filter_map(|r| r.institution_number.clone())
        .collect();
    let officer_of: Vec<String> = user
        .roles
        .iter()
        .filter(|r| r.role == Role::MunicipalOfficer)
        .filter_map(|r| r.municipality_code.clone())
        .collect();
    let (user_id, roles) = (user.id.clone(), user.roles.clone());
    let (rows, own, municipality_names) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                delegations::relevant_to(conn, &user_id, &roles)?,
                register::find_many(conn, &staff_of)?,
                register::municipalities(conn)?,
            ))
        })
        .await?;
    let name_of = |code: &str| {
        municipality_names
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let tx = crate::i18n::texts();
    let today = crate::db::now().date();
    let lines = rows
        .into_iter()
        .map(|(d, by, to)| Line {
            state: tx.t(if d.revoked_at.is_some() {
                "delegation-state-revoked"
            } else if d.valid_until < today {
                "delegation-state-expired"
            } else if d.valid_from > today {
                "delegation-state-future"
            } else {
                "delegation-state-in-force"
            }),
            can_revoke: d.revoked_at.is_none()
                && d.valid_until >= today
                && may_revoke_delegation(
                    &actor,
                    &d.granted_by,
                    d.institution_number.as_deref(),
                    &d.municipality_code,
                ),
            description: describe(&d, &name_of(&d.municipality_code)),
            granted_by: by,
            granted_to: to.unwrap_or_else(|| name_of(&d.municipality_code)),
            id: d.id,
        })
        .collect();
    let delegable: Vec<(String, String)> = own
        .into_iter()
        .filter(|i| {
            i.is_active()
                && may_delegate_institution(
                    &actor,
                    &i.number,
                    Ownership::from_code(&i.ownership_code),
                )
        })
        .map(|i| (i.number.clone(), format!("{} {}", i.number, i.name)))
        .collect();
    let page = DelegationsPage {
        page: Page::for_user(user, "/delegations").with_notice(notice),
        lines,
        institutions: choices(
            delegable.iter().map(|(n, l)| (n.as_str(), l.as_str())),
            &input.institution,
        ),
        municipalities: choices(
            officer_of.iter().map(|m| (m.as_str(), name_of(m))),
            &input.municipality,
        ),
        input,
        error,
    };
    render_with(
        if page.error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    )
}

#[get("/delegations")]
async fn overview(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    let today = format_date(crate::db::now().date());
    let input = DelegationInput {
        valid_from: today.clone(),
        valid_until: today,
        ..Default::default()
    };
    render_page(&state, &user, input, None, query.notice.as_deref()).await
}

#[post("/delegations")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<DelegationInput>,
) -> Result<HttpResponse, AppError> {
    let acting = user.acting();
    let form = DelegationForm {
        kind: input.kind.clone(),
        institution: input.institution.clone(),
        municipality: input.municipality.clone(),
        colleague: input.colleague.clone(),
        valid_from: input.valid_from.clone(),
        valid_until: input.valid_until.clone(),
    };
    let today = crate::db::now().date();
    let outcome = state
        .db
        .run(move |conn| app::delegations::grant(conn, &acting, &form, today))
        .await?;
    let problem = match outcome {
        Ok(_) => return Ok(redirect("/delegations?notice=delegated")),
        Err(problem) => problem,
    };
    let tx = crate::i18n::texts();
    let (message, field) = match problem {
        DelegationProblem::NoKind => {
            return Err(AppError::BadRequest(tx.t("delegation-no-kind")));
        }
        DelegationProblem::EndBeforeStart => (tx.t("field-end-not-after-start"), "until"),
        DelegationProblem::AlreadyOver => (tx.t("delegation-already-over"), "until"),
        DelegationProblem::BadDates => (tx.t("delegation-bad-dates"), "from"),
        DelegationProblem::Yourself => (tx.t("delegation-yourself"), "colleague"),
        DelegationProblem::NoSuchPerson(email) => (
            tx.a("delegation-no-such-person", "email", &email),
            "colleague",
        ),
        DelegationProblem::NotAnOfficer {
            email,
            municipality,
        } => (
            tx.with_two(
                "delegation-not-an-officer",
                "email",
                &email,
                "municipality",
                &municipality,
            ),
            "colleague",
        ),
    };
    let refused = Refused {
        message,
        field: Some(field),
    };
    render_page(&state, &user, input, Some(refused), None).await
}

#[post("/delegations/{id}/revoke")]
async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    state
        .db
        .run(move |conn| app::delegations::revoke(conn, &acting, &id))
        .await?;
    Ok(redirect("/delegations?notice=undelegated"))
}
