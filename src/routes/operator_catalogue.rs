//! `/operator/suppliers` and `/operator/scopes`: operators create suppliers and verify
//! them (or take a verification back; only verified suppliers file requests), reach each
//! supplier's services, and keep the scope catalogue — adding scopes and editing their
//! names, descriptions, sensitivity and order. A scope's code never changes and no scope
//! is removed: requests and agreements name it (the list says how many). A scope can be
//! retired (a button on the list; no longer offered or accepted when filing) and the
//! retirement taken back.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::services::messages;
use super::{Page, redirect, render, render_invalid};
use crate::app::catalogue;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::catalog::{Scope, Supplier};
use crate::domain::administration::{ScopeInput, SupplierInput};
use crate::domain::policy::administers_catalogue;
use crate::error::AppError;
use crate::routes::Notice;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(suppliers)
        .service(create_supplier)
        .service(verification)
        .service(scopes)
        .service(new_scope)
        .service(add_scope)
        .service(edit_scope)
        .service(update_scope)
        .service(retire_scope)
        .service(reinstate_scope);
}

fn only_operators(user: &CurrentUser) -> Result<(), AppError> {
    if administers_catalogue(&user.actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

type Errors = Vec<(&'static str, String)>;

fn error_of<'a>(errors: &'a Errors, field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, m)| m.as_str())
}

#[derive(Template)]
#[template(path = "operator/suppliers.html")]
struct SuppliersPage {
    page: Page,
    suppliers: Vec<Supplier>,
    input: SupplierInput,
    errors: Errors,
}

impl SuppliersPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

#[get("/operator/suppliers")]
async fn suppliers(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let acting = user.acting();
    let suppliers = state
        .db
        .run(move |conn| catalogue::suppliers(conn, &acting))
        .await?;
    render(&SuppliersPage {
        page: Page::for_user(&user, "/operator/suppliers").with_notice(query.notice.as_deref()),
        suppliers,
        input: SupplierInput::default(),
        errors: Vec::new(),
    })
}

#[post("/operator/suppliers")]
async fn create_supplier(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<SupplierInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let (acting, form) = (user.acting(), input.clone());
    let (created, all) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let created = catalogue::create_supplier(conn, &acting, &form)?;
            Ok((created, catalogue::suppliers(conn, &acting)?))
        })
        .await?;
    match created {
        Ok(_) => Ok(redirect("/operator/suppliers?notice=supplier-created")),
        Err(problems) => render_invalid(&SuppliersPage {
            page: Page::for_user(&user, "/operator/suppliers"),
            suppliers: all,
            input,
            errors: messages(&problems),
        }),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VerificationInput {
    /// "yes" to verify, "no" to take the verification back.
    verified: String,
}

#[post("/operator/suppliers/{supplier}/verification")]
async fn verification(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(input): CsrfForm<VerificationInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let verified = match input.verified.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::BadRequest(
                crate::i18n::texts().t("supplier-choose-verification"),
            ));
        }
    };
    let (acting, id) = (user.acting(), path.into_inner());
    state
        .db
        .run(move |conn| catalogue::set_verified(conn, &acting, &id, verified))
        .await?;
    Ok(redirect(if verified {
        "/operator/suppliers?notice=supplier-verified"
    } else {
        "/operator/suppliers?notice=supplier-unverified"
    }))
}

#[derive(Template)]
#[template(path = "operator/scopes.html")]
struct ScopesPage {
    page: Page,
    scopes: Vec<(Scope, i64)>,
}

#[get("/operator/scopes")]
async fn scopes(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let acting = user.acting();
    let scopes = state
        .db
        .run(move |conn| catalogue::scopes(conn, &acting))
        .await?;
    render(&ScopesPage {
        page: Page::for_user(&user, "/operator/scopes").with_notice(query.notice.as_deref()),
        scopes,
    })
}

#[derive(Template)]
#[template(path = "operator/scope_form.html")]
struct ScopeForm {
    page: Page,
    /// The code of the scope being edited; `None` for a new one.
    editing: Option<String>,
    input: ScopeInput,
    errors: Errors,
}

impl ScopeForm {
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn input_of(s: &Scope) -> ScopeInput {
    ScopeInput {
        code: s.code.clone(),
        name_da: s.name_da.clone(),
        name_en: s.name_en.clone(),
        description_da: s.description_da.clone(),
        description_en: s.description_en.clone(),
        sensitive: if s.sensitive {
            "yes".into()
        } else {
            String::new()
        },
        sort_order: s.sort_order.to_string(),
    }
}

#[get("/operator/scopes/new")]
async fn new_scope(user: CurrentUser) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    render(&ScopeForm {
        page: Page::for_user(&user, "/operator/scopes"),
        editing: None,
        input: ScopeInput::default(),
        errors: Vec::new(),
    })
}

#[post("/operator/scopes")]
async fn add_scope(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<ScopeInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let (acting, form) = (user.acting(), input.clone());
    let added = state
        .db
        .run(move |conn| catalogue::add_scope(conn, &acting, &form))
        .await?;
    match added {
        Ok(_) => Ok(redirect("/operator/scopes?notice=scope-created")),
        Err(problems) => render_invalid(&ScopeForm {
            page: Page::for_user(&user, "/operator/scopes"),
            editing: None,
            input,
            errors: messages(&problems),
        }),
    }
}

#[get("/operator/scopes/{code}")]
async fn edit_scope(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let (acting, code) = (user.acting(), path.into_inner());
    let scope = state
        .db
        .run(move |conn| catalogue::scope(conn, &acting, &code))
        .await?;
    render(&ScopeForm {
        page: Page::for_user(&user, "/operator/scopes"),
        editing: Some(scope.code.clone()),
        input: input_of(&scope),
        errors: Vec::new(),
    })
}

#[post("/operator/scopes/{code}")]
async fn update_scope(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(input): CsrfForm<ScopeInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let code = path.into_inner();
    let (acting, target, form) = (user.acting(), code.clone(), input.clone());
    let updated = state
        .db
        .run(move |conn| catalogue::update_scope(conn, &acting, &target, &form))
        .await?;
    match updated {
        Ok(_) => Ok(redirect("/operator/scopes?notice=scope-saved")),
        Err(problems) => render_invalid(&ScopeForm {
            page: Page::for_user(&user, "/operator/scopes"),
            input: ScopeInput {
                code: code.clone(),
                ..input
            },
            editing: Some(code),
            errors: messages(&problems),
        }),
    }
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NoFields {}

async fn set_retired(
    state: &AppState,
    user: &CurrentUser,
    code: String,
    retired: bool,
) -> Result<HttpResponse, AppError> {
    only_operators(user)?;
    let acting = user.acting();
    let changed = state
        .db
        .run(move |conn| catalogue::set_scope_retired(conn, &acting, &code, retired))
        .await?;
    Ok(redirect(match (changed, retired) {
        (true, true) => "/operator/scopes?notice=scope-retired",
        (true, false) => "/operator/scopes?notice=scope-reinstated",
        (false, _) => "/operator/scopes?notice=scope-unchanged",
    }))
}

/// Retires a scope: no longer offered or accepted when filing.
#[post("/operator/scopes/{code}/retire")]
async fn retire_scope(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_retired(&state, &user, path.into_inner(), true).await
}

/// Takes a scope's retirement back: offered for filing again.
#[post("/operator/scopes/{code}/reinstate")]
async fn reinstate_scope(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_retired(&state, &user, path.into_inner(), false).await
}
