//! `/delegations` (Fuldmagter): staff of a self-governing (or private, or contracted-out)
//! institution let the municipality decide for it, and a municipal officer lets a named
//! colleague decide for a period — a substitute while someone is away. Everyone concerned
//! sees the delegations and can end them; they also expire by themselves.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::{CsrfForm, CurrentUser};
use crate::db::delegations::{self, GrantError, NewDelegation};
use crate::db::{register, users};
use crate::domain::policy::{
    DelegationKind, may_act_under_delegation, may_delegate_institution, may_delegate_municipality,
    may_revoke_delegation,
};
use crate::domain::request_form::{format_date, parse_date};
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
    let actor = user.actor();
    let today = crate::db::now().date();
    let (from, until) = match (
        parse_date(&input.valid_from),
        parse_date(&input.valid_until),
    ) {
        (Some(f), Some(u)) if u < f => {
            return render_page(
                &state,
                &user,
                input,
                Some("Slutdatoen skal ligge efter startdatoen.".into()),
                None,
            )
            .await;
        }
        (Some(_), Some(u)) if u < today => {
            return render_page(
                &state,
                &user,
                input,
                Some("Perioden er allerede slut.".into()),
                None,
            )
            .await;
        }
        (Some(f), Some(u)) => (f, u),
        _ => {
            return render_page(
                &state,
                &user,
                input,
                Some("Skriv begge datoer som ÅÅÅÅ-MM-DD.".into()),
                None,
            )
            .await;
        }
    };
    let new = match input.kind.as_str() {
        "institution" => {
            let number = input.institution.clone();
            let inst = state
                .db
                .run(move |conn| -> Result<_, AppError> { Ok(register::find(conn, &number)?) })
                .await?;
            let allowed = inst
                .as_ref()
                .is_some_and(|i| may_delegate_institution(&actor, &i.number, i.ownership()));
            if !allowed {
                return Err(AppError::Forbidden);
            }
            NewDelegation::InstitutionToMunicipality {
                institution_number: input.institution.clone(),
            }
        }
        "colleague" => {
            if !may_delegate_municipality(&actor, &input.municipality) {
                return Err(AppError::Forbidden);
            }
            let (email, code) = (input.colleague.clone(), input.municipality.clone());
            let (colleague, municipality_name) = state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    let found = match users::find_by_email(conn, &email)? {
                        Some(u) if u.is_active() => {
                            let roles = users::roles_of(conn, &u.id)?;
                            Some((u, roles))
                        }
                        _ => None,
                    };
                    Ok((found, register::municipality_name(conn, &code)?))
                })
                .await?;
            let municipality_name = municipality_name.unwrap_or_else(|| input.municipality.clone());
            match colleague {
                Some((c, _)) if c.id == user.id => {
                    return render_page(
                        &state,
                        &user,
                        input,
                        Some("Du kan ikke give dig selv fuldmagt.".into()),
                        None,
                    )
                    .await;
                }
                Some((c, roles))
                    if !may_act_under_delegation(
                        DelegationKind::OfficerToColleague,
                        &input.municipality,
                        &roles,
                    ) =>
                {
                    let message = not_an_officer_message(&c.email, &municipality_name);
                    return render_page(&state, &user, input, Some(message), None).await;
                }
                Some((c, _)) => NewDelegation::OfficerToColleague {
                    municipality_code: input.municipality.clone(),
                    colleague_id: c.id,
                },
                None => {
                    let message = format!(
                        "Der findes ingen aktiv bruger med e-mailen «{}».",
                        input.colleague.trim()
                    );
                    return render_page(&state, &user, input, Some(message), None).await;
                }
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "Vælg, hvem fuldmagten gives til.".into(),
            ));
        }
    };
    let caller = user.caller(None);
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(delegations::grant(conn, &caller, new, from, until))
        })
        .await?;
    match outcome {
        Ok(_) => Ok(redirect("/delegations?notice=delegated")),
        // The colleague's roles changed between the check above and the transaction.
        Err(GrantError::NotEligible) => {
            let message = not_an_officer_message(input.colleague.trim(), &input.municipality);
            render_page(&state, &user, input, Some(message), None).await
        }
        Err(GrantError::UnknownInstitution) => Err(AppError::NotFound),
        Err(GrantError::Database(e)) => Err(e.into()),
    }
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
    let id = id.into_inner();
    let lookup = id.clone();
    let found = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(delegations::find(conn, &lookup)?) })
        .await?;
    let d = found.ok_or(AppError::NotFound)?;
    if !may_revoke_delegation(
        &user.actor(),
        &d.granted_by,
        d.institution_number.as_deref(),
        &d.municipality_code,
    ) {
        return Err(AppError::Forbidden);
    }
    let caller = user.caller(None);
    state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(delegations::revoke(conn, &caller, &id)?) })
        .await?;
    Ok(redirect("/delegations?notice=undelegated"))
}
