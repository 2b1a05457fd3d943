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
    state: &'static str,
    can_revoke: bool,
}

#[derive(Template)]
#[template(path = "delegations.html")]
struct DelegationsPage {
    page: Page,
    lines: Vec<Line>,
    institutions: Vec<Choice>,
    municipalities: Vec<Choice>,
    input: DelegationInput,
    error: Option<String>,
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    notice: Option<String>,
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    input: DelegationInput,
    error: Option<String>,
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
    let (rows, own) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                delegations::relevant_to(conn, &user_id, &roles)?,
                register::find_many(conn, &staff_of)?,
            ))
        })
        .await?;
    let today = crate::db::now().date();
    let lines = rows
        .into_iter()
        .map(|(d, by, to)| Line {
            state: if d.revoked_at.is_some() {
                "Tilbagekaldt"
            } else if d.valid_until < today {
                "Udløbet"
            } else if d.valid_from > today {
                "Fremtidig"
            } else {
                "I kraft"
            },
            can_revoke: d.revoked_at.is_none()
                && d.valid_until >= today
                && may_revoke_delegation(
                    &actor,
                    &d.granted_by,
                    d.institution_number.as_deref(),
                    &d.municipality_code,
                ),
            description: d.describe(),
            granted_by: by,
            granted_to: to.unwrap_or_else(|| format!("Kommune {}", d.municipality_code)),
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
            officer_of.iter().map(|m| (m.as_str(), m.as_str())),
            &input.municipality,
        ),
        input,
        error: error.clone(),
    };
    render_with(
        if error.is_some() {
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
    let message = match outcome {
        Ok(_) => return Ok(redirect("/delegations?notice=delegated")),
        Err(DelegationProblem::NoKind) => {
            return Err(AppError::BadRequest(
                "Vælg, hvem fuldmagten gives til.".into(),
            ));
        }
        Err(DelegationProblem::EndBeforeStart) => {
            "Slutdatoen skal ligge efter startdatoen.".to_string()
        }
        Err(DelegationProblem::AlreadyOver) => "Perioden er allerede slut.".to_string(),
        Err(DelegationProblem::BadDates) => "Skriv begge datoer som ÅÅÅÅ-MM-DD.".to_string(),
        Err(DelegationProblem::Yourself) => "Du kan ikke give dig selv fuldmagt.".to_string(),
        Err(DelegationProblem::NoSuchPerson(email)) => {
            format!("Der findes ingen aktiv bruger med e-mailen «{email}».")
        }
        Err(DelegationProblem::NotAnOfficer {
            email,
            municipality,
        }) => not_an_officer_message(&email, &municipality),
    };
    render_page(&state, &user, input, Some(message), None).await
}

fn not_an_officer_message(email: &str, municipality: &str) -> String {
    format!(
        "«{email}» er ikke dagtilbudsansvarlig i {municipality}. En fuldmagt kan kun gives til en anden dagtilbudsansvarlig i samme kommune – ikke til leverandører, revisorer, driften eller institutionspersonale."
    )
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
