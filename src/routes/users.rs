//! `/operator/users`: operators list people, create and invite them, assign and remove
//! roles, pre-register the provider subject a person signs in with, and disable or
//! enable accounts. Every change is audited (see `db::user_admin`). The pages speak the
//! reader's language (the catalogue's `operator.ftl`), show what a role covers by name
//! (the supplier, the municipality, the institution) and tie each refusal to its field.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Choice, PAGE_SIZE, Page, Pager, redirect, render, render_with};
use crate::app::people::{self, Created, Outcome, PersonProblem};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::user_admin::{self, PersonDetail, PersonLine, ScopeProblem};
use crate::db::{DbConnection, catalog, register};
use crate::domain::policy::manages_users;
use crate::domain::{Role, RoleAssignment, keyset};
use crate::error::AppError;
use crate::i18n::Texts;
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

/// The answer when an operator tries to change their own rights, identity or account.
fn yourself() -> AppError {
    AppError::BadRequest(crate::i18n::texts().t("user-yourself"))
}

/// What is wrong with a role's scope, in words.
pub(super) fn scope_problem_text(problem: &ScopeProblem) -> String {
    let tx = crate::i18n::texts();
    match problem {
        ScopeProblem::NoRole => tx.t("scope-problem-no-role"),
        ScopeProblem::UnknownSupplier => tx.t("scope-problem-unknown-supplier"),
        ScopeProblem::UnknownMunicipality => tx.t("scope-problem-unknown-municipality"),
        ScopeProblem::BadNumber(e) => super::line_problems::malformed(e, tx.language()),
        ScopeProblem::Closed(number) => tx.a("scope-problem-closed", "number", number),
        ScopeProblem::NotInRegister(number) => {
            tx.a("scope-problem-not-in-register", "number", number)
        }
    }
}

/// The form field a role's problem is about.
fn scope_problem_field(problem: &ScopeProblem) -> &'static str {
    match problem {
        ScopeProblem::NoRole => "role",
        _ => "scope",
    }
}

/// What is wrong with a new person, in words, and the field it is about.
fn person_problem_text(problem: &PersonProblem) -> (&'static str, String) {
    let tx = crate::i18n::texts();
    match problem {
        PersonProblem::BadEmail => ("email", tx.t("person-problem-bad-email")),
        PersonProblem::NoName => ("display_name", tx.t("person-problem-no-name")),
        PersonProblem::Scope(p) => (scope_problem_field(p), scope_problem_text(p)),
        PersonProblem::EmailTaken(email) => {
            ("email", tx.a("person-problem-email-taken", "email", email))
        }
    }
}

fn role_choices(current: &str) -> Vec<Choice> {
    let tx = crate::i18n::texts();
    super::choices(Role::ALL.iter().map(|r| (r.as_str(), tx.role(*r))), current)
}

/// What a role assignment covers, in words: the supplier, municipality or institution by
/// its name (read from the database), or the whole portal. It runs on the blocking pool,
/// so it is handed the reader's words.
fn covers(conn: &mut DbConnection, tx: Texts, a: &RoleAssignment) -> Result<String, AppError> {
    Ok(
        match (&a.supplier_id, &a.municipality_code, &a.institution_number) {
            (Some(id), _, _) => match catalog::supplier(conn, id)? {
                Some(s) => tx.with_two("covers-supplier", "name", &s.name, "cvr", &s.cvr),
                None => tx.a("covers-unknown", "id", id),
            },
            (_, Some(code), _) => match register::municipality_name(conn, code)? {
                Some(name) => tx.with_two("municipality-with-code", "name", &name, "code", code),
                None => tx.a("covers-unknown", "id", code),
            },
            (_, _, Some(number)) => match register::find(conn, number)? {
                Some(i) => tx.with_two("covers-institution", "number", number, "name", &i.name),
                None => tx.a("covers-unknown", "id", number),
            },
            _ => tx.t("home-scope-everything"),
        },
    )
}

/// A refusal on the person's page: the field it is about, and the message.
type FieldError = Option<(&'static str, String)>;

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
            .map(|r| crate::i18n::texts().role(*r))
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
    /// (field id, message)
    errors: Vec<(&'static str, String)>,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, message)| message.as_str())
    }
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

#[post("/operator/users")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<NewPerson>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let (acting, base_url, form) = (
        user.acting(),
        state.settings.base_url.clone(),
        input.clone(),
    );
    let created = state
        .db
        .run(move |conn| {
            let person = people::NewPerson {
                email: &form.email,
                display_name: &form.display_name,
                role: &form.role,
                scope: &form.scope,
                invite: form.invite == "yes",
            };
            people::create(conn, &acting, &person, &base_url)
        })
        .await?;
    match created {
        Created::Person(id) => Ok(redirect(&format!(
            "/operator/users/{id}?notice=user-created"
        ))),
        Created::Refused(problems) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPage {
                page: Page::for_user(&user, "/operator/users"),
                roles: role_choices(&input.role),
                input,
                errors: problems.iter().map(person_problem_text).collect(),
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
    assignments: Vec<(String, String, String)>,
    roles: Vec<Choice>,
    role_input: RoleInput,
    /// The subject as typed, when it was refused.
    subject: String,
    error: FieldError,
    provider: bool,
}

impl PersonPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, message)| message.as_str())
    }
}

async fn person_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: Option<&str>,
    (role_input, subject): (RoleInput, String),
    error: FieldError,
) -> Result<HttpResponse, AppError> {
    let tx = crate::i18n::texts();
    let (person, assignments) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let Some(person) = user_admin::detail(conn, &id)? else {
                return Ok(None);
            };
            let mut assignments = Vec::new();
            for (id, a) in &person.assignments {
                assignments.push((id.clone(), tx.role(a.role), covers(conn, tx, a)?));
            }
            Ok(Some((person, assignments)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
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
            subject,
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
        (RoleInput::default(), String::new()),
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
    let (acting, target, form) = (user.acting(), id.clone(), input.clone());
    let outcome = state
        .db
        .run(move |conn| people::add_role(conn, &acting, &target, &form.role, &form.scope))
        .await?;
    match outcome {
        Outcome::Done => Ok(redirect(&format!("/operator/users/{id}?notice=role-added"))),
        Outcome::Unchanged => Ok(redirect(&format!("/operator/users/{id}?notice=role-held"))),
        Outcome::Scope(problem) => {
            let error = (scope_problem_field(&problem), scope_problem_text(&problem));
            person_page(&state, &user, id, None, (input, String::new()), Some(error)).await
        }
        _ => Err(yourself()),
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
    let (acting, target) = (user.acting(), id.clone());
    let outcome = state
        .db
        .run(move |conn| people::remove_role(conn, &acting, &target, &assignment))
        .await?;
    match outcome {
        Outcome::Done => Ok(redirect(&format!(
            "/operator/users/{id}?notice=role-removed"
        ))),
        _ => Err(yourself()),
    }
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
        "disable" => false,
        _ => {
            return Err(AppError::BadRequest(
                crate::i18n::texts().t("user-choose-status"),
            ));
        }
    };
    let (acting, target) = (user.acting(), id.clone());
    let outcome = state
        .db
        .run(move |conn| people::set_active(conn, &acting, &target, active))
        .await?;
    match outcome {
        Outcome::Done if active => Ok(redirect(&format!(
            "/operator/users/{id}?notice=user-enabled"
        ))),
        Outcome::Done => Ok(redirect(&format!(
            "/operator/users/{id}?notice=user-disabled"
        ))),
        Outcome::LastOperator => Err(AppError::BadRequest(
            crate::i18n::texts().t("user-last-operator"),
        )),
        _ => Err(yourself()),
    }
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
    let (acting, target, base_url) = (user.acting(), id.clone(), state.settings.base_url.clone());
    state
        .db
        .run(move |conn| people::invite(conn, &acting, &target, &base_url))
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
    let (acting, target, issuer) = (user.acting(), id.clone(), oidc.issuer().to_string());
    let typed = input.subject.clone();
    let outcome = state
        .db
        .run(move |conn| people::add_subject(conn, &acting, &target, &issuer, &input.subject))
        .await?;
    let tx = crate::i18n::texts();
    let message = match outcome {
        Outcome::Done => {
            return Ok(redirect(&format!(
                "/operator/users/{id}?notice=subject-added"
            )));
        }
        Outcome::BadSubject => tx.t("user-subject-missing"),
        Outcome::SubjectTaken => tx.t("user-subject-taken"),
        _ => return Err(yourself()),
    };
    person_page(
        &state,
        &user,
        id,
        None,
        (RoleInput::default(), typed),
        Some(("subject", message)),
    )
    .await
}
