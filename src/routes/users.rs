//! `/operator/users`: operators list people, create and invite them, assign and remove
//! roles, pre-register the provider subject a person signs in with, and disable or
//! enable accounts. Every change is audited (see `db::user_admin`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Choice, PAGE_SIZE, Page, Pager, redirect, render, render_with};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::account_tokens::{self, Purpose};
use crate::db::user_admin::{self, PersonDetail, PersonLine};
use crate::db::{DbConnection, users};
use crate::domain::policy::manages_users;
use crate::domain::{Role, RoleAssignment, keyset};
use crate::error::AppError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_form)
        .service(create)
        .service(show)
        .service(add_role)
        .service(remove_role)
        .service(set_status)
        .service(invite)
        .service(add_subject);
}

/// Refuses anyone who does not administer people (the policy's `manages_users`).
pub(super) fn only_operators(user: &CurrentUser) -> Result<(), AppError> {
    if manages_users(&user.actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An operator changes other people's rights and sign-in, never their own: nobody
/// raises their own rights, attaches their own provider identity to someone else's
/// account, or locks themselves out.
fn not_yourself(user: &CurrentUser, id: &str) -> Result<(), AppError> {
    if user.id == id {
        return Err(AppError::BadRequest(
            "Du kan ikke ændre dine egne roller, bruger-id eller konto. Bed en anden operatør om det."
                .into(),
        ));
    }
    Ok(())
}

fn role_choices(current: &str) -> Vec<Choice> {
    super::choices(
        Role::ALL.iter().map(|r| (r.as_str(), r.label_da())),
        current,
    )
}

/// What a role assignment covers, in words.
fn covers(a: &RoleAssignment) -> String {
    match (&a.supplier_id, &a.municipality_code, &a.institution_number) {
        (Some(s), _, _) => format!("leverandør {s}"),
        (_, Some(m), _) => format!("kommune {m}"),
        (_, _, Some(i)) => format!("institution {i}"),
        _ => "hele portalen".into(),
    }
}

#[derive(Template)]
#[template(path = "operator/users.html")]
struct ListPage {
    page: Page,
    q: String,
    people: Vec<PersonLine>,
    pager: Pager,
}

impl ListPage {
    fn role_labels(&self, line: &PersonLine) -> String {
        line.roles
            .iter()
            .map(|r| r.label_da())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    after: String,
    notice: Option<String>,
}

#[get("/operator/users")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let q = query.q.trim().to_string();
    let search = q.clone();
    let after = keyset::decode(&query.after, 1).map(|mut v| v.remove(0));
    let on_first_page = after.is_none();
    let mut people = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(user_admin::list(
                conn,
                &search,
                after.as_deref(),
                PAGE_SIZE + 1,
            )?)
        })
        .await?;
    let pager = Pager::keyset(
        "/operator/users",
        &[("q", q.clone())],
        &mut people,
        on_first_page,
        |p| keyset::encode(std::slice::from_ref(&p.email)),
    );
    render(&ListPage {
        page: Page::for_user(&user, "/operator/users").with_notice(query.notice.as_deref()),
        q,
        people,
        pager,
    })
}

#[derive(Template)]
#[template(path = "operator/user_new.html")]
struct NewPage {
    page: Page,
    input: NewPerson,
    roles: Vec<Choice>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct NewPerson {
    email: String,
    display_name: String,
    role: String,
    scope: String,
    /// "yes" to mail an invitation to choose a password.
    invite: String,
}

/// The new-person form, optionally filled in from the link that led here (the "no
/// approver" list links with the staff role and institution chosen).
#[get("/operator/users/new")]
async fn new_form(
    user: CurrentUser,
    prefill: web::Query<NewPerson>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let prefill = prefill.into_inner();
    render(&NewPage {
        page: Page::for_user(&user, "/operator/users"),
        roles: role_choices(&prefill.role),
        input: NewPerson {
            invite: "yes".into(),
            ..prefill
        },
        errors: Vec::new(),
    })
}

/// Mails an invitation in the caller's transaction, and audits it.
fn send_invitation(
    conn: &mut DbConnection,
    caller: &crate::db::audit::Caller,
    base_url: &str,
    user_id: &str,
    inviter: &str,
) -> Result<(), AppError> {
    let person = users::find(conn, user_id)?.ok_or(AppError::NotFound)?;
    account_tokens::mail_link(conn, base_url, &person, Purpose::Invitation, Some(inviter))?;
    user_admin::record_invitation(conn, caller, user_id)?;
    Ok(())
}

#[post("/operator/users")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<NewPerson>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let caller = user.caller(Some(Role::Operator));
    let (base_url, inviter) = (state.settings.base_url.clone(), user.display_name.clone());
    let form = input.clone();
    let outcome = state
        .db
        .run(
            move |conn| -> Result<Result<String, Vec<String>>, AppError> {
                crate::db::write_tx(conn, |conn| {
                    let mut errors = Vec::new();
                    let email = users::normalise_email(&form.email);
                    if !email.contains('@') || email.len() > 254 {
                        errors.push("Skriv en gyldig e-mailadresse.".to_string());
                    }
                    if form.display_name.trim().is_empty() {
                        errors.push("Skriv personens navn.".to_string());
                    }
                    let assignment =
                        match user_admin::assignment_from(conn, &form.role, &form.scope)? {
                            Ok(a) => Some(a),
                            Err(message) => {
                                errors.push(message);
                                None
                            }
                        };
                    let (Some(assignment), true) = (assignment, errors.is_empty()) else {
                        return Ok(Err(errors));
                    };
                    let Some(id) = user_admin::create(
                        conn,
                        &caller,
                        &email,
                        form.display_name.trim(),
                        &assignment,
                    )?
                    else {
                        return Ok(Err(vec![format!("{email} er allerede oprettet.")]));
                    };
                    if form.invite == "yes" {
                        send_invitation(conn, &caller, &base_url, &id, &inviter)?;
                    }
                    Ok(Ok(id))
                })
            },
        )
        .await;
    let outcome = match outcome {
        Err(e) if e.is_unique_violation() => Err(vec![format!(
            "{} er allerede oprettet.",
            users::normalise_email(&input.email)
        )]),
        other => other?,
    };
    match outcome {
        Ok(id) => Ok(redirect(&format!(
            "/operator/users/{id}?notice=user-created"
        ))),
        Err(errors) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPage {
                page: Page::for_user(&user, "/operator/users"),
                roles: role_choices(&input.role),
                input,
                errors,
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "operator/user.html")]
struct PersonPage {
    page: Page,
    person: PersonDetail,
    /// (assignment id, role label, what it covers)
    assignments: Vec<(String, &'static str, String)>,
    roles: Vec<Choice>,
    role_input: RoleInput,
    error: Option<String>,
    provider: bool,
}

async fn person_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: Option<&str>,
    role_input: RoleInput,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let person = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(user_admin::detail(conn, &id)?) })
        .await?
        .ok_or(AppError::NotFound)?;
    let assignments = person
        .assignments
        .iter()
        .map(|(id, a)| (id.clone(), a.role.label_da(), covers(a)))
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &PersonPage {
            page: Page::for_user(user, "/operator/users").with_notice(notice),
            assignments,
            person,
            roles: role_choices(&role_input.role),
            role_input,
            error,
            provider: state.oidc.is_some(),
        },
    )
}

#[get("/operator/users/{id}")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    person_page(
        &state,
        &user,
        id.into_inner(),
        query.notice.as_deref(),
        RoleInput::default(),
        None,
    )
    .await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RoleInput {
    role: String,
    scope: String,
}

#[post("/operator/users/{id}/roles")]
async fn add_role(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<RoleInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let id = id.into_inner();
    not_yourself(&user, &id)?;
    let caller = user.caller(Some(Role::Operator));
    let (target, form) = (id.clone(), input.clone());
    let outcome = state
        .db
        .run(move |conn| -> Result<Result<bool, String>, AppError> {
            crate::db::write_tx(conn, |conn| {
                if users::find(conn, &target)?.is_none() {
                    return Err(AppError::NotFound);
                }
                match user_admin::assignment_from(conn, &form.role, &form.scope)? {
                    Ok(a) => Ok(Ok(user_admin::add_role(conn, &caller, &target, &a)?)),
                    Err(message) => Ok(Err(message)),
                }
            })
        })
        .await?;
    match outcome {
        Ok(true) => Ok(redirect(&format!("/operator/users/{id}?notice=role-added"))),
        Ok(false) => Ok(redirect(&format!("/operator/users/{id}?notice=role-held"))),
        Err(message) => person_page(&state, &user, id, None, input, Some(message)).await,
    }
}

#[post("/operator/users/{id}/roles/{assignment}/remove")]
async fn remove_role(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    _: CsrfForm<super::NoFields>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let (id, assignment) = path.into_inner();
    not_yourself(&user, &id)?;
    let caller = user.caller(Some(Role::Operator));
    let target = id.clone();
    let removed = state
        .db
        .run(move |conn| -> Result<bool, AppError> {
            Ok(crate::db::write_tx(conn, |conn| {
                user_admin::remove_role(conn, &caller, &target, &assignment)
            })?)
        })
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    Ok(redirect(&format!(
        "/operator/users/{id}?notice=role-removed"
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusInput {
    /// "disable" or "enable".
    action: String,
}

#[post("/operator/users/{id}/status")]
async fn set_status(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<StatusInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let id = id.into_inner();
    let active = match input.action.as_str() {
        "enable" => true,
        "disable" => {
            not_yourself(&user, &id)?;
            false
        }
        _ => return Err(AppError::BadRequest("Vælg luk eller genåbn.".into())),
    };
    let caller = user.caller(Some(Role::Operator));
    let target = id.clone();
    state
        .db
        .run(move |conn| -> Result<bool, AppError> {
            crate::db::write_tx(conn, |conn| {
                if !active && user_admin::is_last_active_operator(conn, &target)? {
                    return Err(AppError::BadRequest(
                        "Det er den sidste aktive driftsoperatør. Giv en anden rollen først."
                            .into(),
                    ));
                }
                Ok(user_admin::set_active(conn, &caller, &target, active)?)
            })
        })
        .await?;
    let notice = if active {
        "user-enabled"
    } else {
        "user-disabled"
    };
    Ok(redirect(&format!("/operator/users/{id}?notice={notice}")))
}

#[post("/operator/users/{id}/invite")]
async fn invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<super::NoFields>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let id = id.into_inner();
    let caller = user.caller(Some(Role::Operator));
    let (target, base_url, inviter) = (
        id.clone(),
        state.settings.base_url.clone(),
        user.display_name.clone(),
    );
    state
        .db
        .run(move |conn| -> Result<(), AppError> {
            crate::db::write_tx(conn, |conn| {
                send_invitation(conn, &caller, &base_url, &target, &inviter)
            })
        })
        .await?;
    Ok(redirect(&format!("/operator/users/{id}?notice=invited")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SubjectInput {
    subject: String,
}

#[post("/operator/users/{id}/subjects")]
async fn add_subject(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<SubjectInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let oidc = state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let id = id.into_inner();
    not_yourself(&user, &id)?;
    let subject = input.subject.trim().to_string();
    if subject.is_empty() || subject.len() > 255 {
        return person_page(
            &state,
            &user,
            id,
            None,
            RoleInput::default(),
            Some("Skriv bruger-id'et fra login-tjenesten.".into()),
        )
        .await;
    }
    let caller = user.caller(Some(Role::Operator));
    let (target, issuer) = (id.clone(), oidc.issuer().to_string());
    let added = state
        .db
        .run(move |conn| -> Result<bool, AppError> {
            crate::db::write_tx(conn, |conn| {
                if users::find(conn, &target)?.is_none() {
                    return Err(AppError::NotFound);
                }
                Ok(user_admin::add_subject(
                    conn, &caller, &target, &issuer, &subject,
                )?)
            })
        })
        .await
        .or_else(|e| {
            if e.is_unique_violation() {
                Ok(false)
            } else {
                Err(e)
            }
        })?;
    if !added {
        return person_page(
            &state,
            &user,
            id,
            None,
            RoleInput::default(),
            Some(
                "Det bruger-id hører allerede til en anden person, eller personen har allerede et."
                    .into(),
            ),
        )
        .await;
    }
    Ok(redirect(&format!(
        "/operator/users/{id}?notice=subject-added"
    )))
}
