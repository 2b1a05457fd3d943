//! `/suppliers/{supplier}/colleagues`: a supplier admin sees the supplier's people,
//! invites a colleague (supplier user or supplier admin of this supplier, mailed an
//! invitation to choose a password), changes one between user and admin, and removes
//! one; the last admin can neither be removed nor made a user.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::services::{Tabs, nav_for};
use super::{Choice, Page, choices, redirect, render_with};
use crate::app::colleagues::{self, Invitation, InviteProblem};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::catalog::Supplier;
use crate::db::colleagues::{Colleague, Removal, RoleChange};
use crate::domain::Role;
use crate::error::AppError;
use crate::routes::Notice;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(invite)
        .service(remove)
        .service(change_role);
}

#[derive(Template)]
#[template(path = "supplier/colleagues.html")]
struct ColleaguesPage {
    page: Page,
    tabs: Tabs,
    supplier: Supplier,
    colleagues: Vec<Colleague>,
    me: String,
    input: Invitation,
    roles: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
}

impl ColleaguesPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The role a colleague can be changed to: admin for a user, user for an admin.
    fn other_role(&self, c: &Colleague) -> (&'static str, String) {
        let to = if c.is_admin() {
            Role::SupplierUser
        } else {
            Role::SupplierAdmin
        };
        (to.as_str(), self.page.tx.role(to))
    }

    fn role_labels(&self, c: &Colleague) -> String {
        c.roles
            .iter()
            .map(|r| self.page.tx.role(*r))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn role_choices(current: &str) -> Vec<Choice> {
    let tx = crate::i18n::texts();
    choices(
        [Role::SupplierUser, Role::SupplierAdmin]
            .iter()
            .map(|r| (r.as_str(), tx.role(*r))),
        if current.is_empty() {
            Role::SupplierUser.as_str()
        } else {
            current
        },
    )
}

fn problem_text(problem: &InviteProblem) -> String {
    let tx = crate::i18n::texts();
    match problem {
        InviteProblem::BadEmail => tx.t("person-problem-bad-email"),
        InviteProblem::NoName => tx.t("person-problem-no-name"),
        InviteProblem::BadRole => tx.t("colleague-problem-role"),
        InviteProblem::EmailTaken(email) => tx.a("colleague-problem-email-taken", "email", email),
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    supplier_id: String,
    (input, errors): (Invitation, Vec<(&'static str, String)>),
    notice: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), supplier_id.clone());
    let (supplier, colleagues) = state
        .db
        .run(move |conn| colleagues::list(conn, &acting, &id))
        .await?;
    render_with(
        status,
        &ColleaguesPage {
            page: Page::for_user(user, nav_for(user, &supplier_id)).with_notice(notice),
            tabs: Tabs::new(user, &supplier_id, "colleagues"),
            supplier,
            colleagues,
            me: user.id.clone(),
            roles: role_choices(&input.role),
            input,
            errors,
        },
    )
}

#[get("/suppliers/{supplier}/colleagues")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    page(
        &state,
        &user,
        path.into_inner(),
        (Invitation::default(), Vec::new()),
        query.notice.as_deref(),
        StatusCode::OK,
    )
    .await
}

#[post("/suppliers/{supplier}/colleagues")]
async fn invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(input): CsrfForm<Invitation>,
) -> Result<HttpResponse, AppError> {
    let supplier_id = path.into_inner();
    let (acting, id, form, base_url) = (
        user.acting(),
        supplier_id.clone(),
        input.clone(),
        state.settings.base_url.clone(),
    );
    let invited = state
        .db
        .run(move |conn| colleagues::invite(conn, &acting, &id, &form, &base_url))
        .await?;
    match invited {
        Ok(_) => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/colleagues?notice=colleague-invited"
        ))),
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|(f, p)| (*f, problem_text(p)))
                .collect();
            page(
                &state,
                &user,
                supplier_id,
                (input, errors),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[post("/suppliers/{supplier}/colleagues/{user}/remove")]
async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    _: CsrfForm<super::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (supplier_id, person) = path.into_inner();
    let (acting, id) = (user.acting(), supplier_id.clone());
    let removal = state
        .db
        .run(move |conn| colleagues::remove(conn, &acting, &id, &person))
        .await?;
    match removal {
        Removal::Removed => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/colleagues?notice=colleague-removed"
        ))),
        Removal::NotColleague => Err(AppError::NotFound),
        Removal::LastAdmin => Err(AppError::BadRequest(
            crate::i18n::texts().t("colleague-last-admin"),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    /// `supplier_user` or `supplier_admin`.
    role: String,
}

#[post("/suppliers/{supplier}/colleagues/{user}/role")]
async fn change_role(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (supplier_id, person) = path.into_inner();
    let (acting, id) = (user.acting(), supplier_id.clone());
    let changed = state
        .db
        .run(move |conn| colleagues::change_role(conn, &acting, &id, &person, &form.role))
        .await?;
    let tx = crate::i18n::texts();
    match changed {
        Some(RoleChange::Changed) => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/colleagues?notice=colleague-role-changed"
        ))),
        Some(RoleChange::Unchanged) => {
            Ok(redirect(&format!("/suppliers/{supplier_id}/colleagues")))
        }
        Some(RoleChange::NotColleague) => Err(AppError::NotFound),
        Some(RoleChange::LastAdmin) => Err(AppError::BadRequest(
            tx.t("polish-colleague-last-admin-role"),
        )),
        None => Err(AppError::BadRequest(tx.t("colleague-problem-role"))),
    }
}
