//! `/suppliers/{supplier}/services`: a supplier's admins (and operators, for any supplier)
//! list, create and edit the supplier's services, and retire one in two steps — the
//! first answer says what retiring touches and asks what becomes of its agreements.
//! The same list is the supplier staff's one page about its services: each active
//! service says whether the supplier holds it and offers pausing it (a reason, then a
//! confirmation step) or resuming it; those forms post to `/service-holds/...`
//! (`routes::agreement_pauses`), which come back here. `GET
//! /suppliers` leads a supplier admin to their own supplier's account and an operator to
//! the suppliers list. Refused input comes back with what was typed and a message per
//! field.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, redirect, render, render_invalid, render_with};
use crate::app::services::{self, AgreementChoice, RetireStep};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::catalog::{Service, Supplier};
use crate::domain::administration::{Problem, Problems, ServiceInput};
use crate::domain::policy;
use crate::error::AppError;
use crate::routes::Notice;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(account)
        .service(list)
        .service(new_form)
        .service(create)
        .service(edit_form)
        .service(update)
        .service(retire);
}

/// A field's problem, in words.
pub(crate) fn problem_text(field: &str, problem: Problem) -> String {
    let tx = crate::i18n::texts();
    let what = tx.t(&format!("admin-field-{}", field.replace('_', "-")));
    let key = match problem {
        Problem::Missing => "admin-problem-missing",
        Problem::TooLong => "admin-problem-too-long",
        Problem::NotAWebAddress => "admin-problem-not-a-web-address",
        Problem::NotAnEmail => "admin-problem-not-an-email",
        Problem::CvrNotEightDigits => "admin-problem-cvr-digits",
        Problem::CvrChecksum => "admin-problem-cvr-checksum",
        Problem::BadCode => "admin-problem-bad-code",
        Problem::NotANumber => "admin-problem-not-a-number",
        Problem::Taken => "admin-problem-taken",
    };
    tx.a(key, "field", &what)
}

/// The problems of a form as (field, message).
pub(super) fn messages(problems: &Problems) -> Vec<(&'static str, String)> {
    problems
        .iter()
        .map(|(field, p)| (*field, problem_text(field, *p)))
        .collect()
}

/// The navigation entry the supplier's pages sit under for this person.
pub(super) fn nav_for(user: &CurrentUser, supplier_id: &str) -> &'static str {
    let actor = user.actor();
    if policy::admin_of(&actor).iter().any(|s| s == supplier_id)
        || policy::filing_suppliers(&actor)
            .iter()
            .any(|s| s == supplier_id)
    {
        "/suppliers"
    } else {
        "/operator/suppliers"
    }
}

/// The supplier account's tabs (services, colleagues, activity) for this person.
pub(super) struct Tabs {
    pub supplier_id: String,
    pub colleagues: bool,
    pub activity: bool,
    pub current: &'static str,
}

impl Tabs {
    pub fn new(user: &CurrentUser, supplier_id: &str, current: &'static str) -> Self {
        Self {
            supplier_id: supplier_id.to_string(),
            colleagues: policy::may_manage_colleagues(&user.actor(), supplier_id),
            activity: policy::may_read_supplier_activity(&user.actor(), supplier_id),
            current,
        }
    }
}

#[get("/suppliers")]
async fn account(user: CurrentUser) -> Result<HttpResponse, AppError> {
    let actor = user.actor();
    if let Some(id) = policy::admin_of(&actor).first() {
        return Ok(redirect(&format!("/suppliers/{id}/services")));
    }
    if policy::administers_catalogue(&actor) {
        return Ok(redirect("/operator/suppliers"));
    }
    if let Some(id) = policy::filing_suppliers(&actor).first() {
        return Ok(redirect(&format!("/suppliers/{id}/services")));
    }
    Err(AppError::Forbidden)
}

/// One service on the list, with its holds when the person may pause it.
pub(crate) struct ServiceRow {
    pub service: Service,
    /// The open agreements and the supplier's hold; `None` for a retired service or for
    /// someone who may not pause it (an operator).
    pub holds: Option<HoldRow>,
}

/// What the list shows and offers about pausing one active service.
pub(crate) struct HoldRow {
    pub summary: String,
    pub held: bool,
    pub reason: String,
    /// What was typed for this service, kept when the form comes back.
    pub typed: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "supplier/services.html")]
struct ListPage {
    page: Page,
    tabs: Tabs,
    supplier: Supplier,
    rows: Vec<ServiceRow>,
    /// The person may create, edit and retire services (not only pause them).
    manage: bool,
    /// Some service's pause or resume was refused (the title says so).
    has_error: bool,
}

impl ListPage {
    fn pausable(&self) -> bool {
        self.rows.iter().any(|r| r.holds.is_some())
    }
}

/// A refused pause or resume of one service: its id, what was typed, and the message.
pub(crate) struct HoldProblem {
    pub service_id: String,
    pub typed: String,
    pub message: String,
}

/// The services page of `supplier_id`, with a notice or one service's refused hold.
pub(crate) async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    supplier_id: String,
    notice: Option<&str>,
    problem: Option<HoldProblem>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), supplier_id.clone());
    let (supplier, services, holds) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (supplier, services) = services::overview(conn, &acting, &id)?;
            let holds = crate::app::agreement_pauses::services_of_supplier(conn, &acting, &id)?;
            Ok((supplier, services, holds))
        })
        .await?;
    let tx = crate::i18n::texts();
    let rows = services
        .into_iter()
        .map(|service| {
            let holds = holds.iter().find(|h| h.service_id == service.id).map(|h| {
                let (typed, error) = match &problem {
                    Some(p) if p.service_id == h.service_id => {
                        (p.typed.clone(), Some(p.message.clone()))
                    }
                    _ => (String::new(), None),
                };
                HoldRow {
                    summary: tx.with(
                        "hold-service-summary",
                        &[("open", h.open.into()), ("held", h.held_by_supplier.into())],
                    ),
                    held: h.held_by_supplier > 0,
                    reason: h.reason.clone().unwrap_or_default(),
                    typed,
                    error,
                }
            });
            ServiceRow { service, holds }
        })
        .collect();
    render_with(
        status,
        &ListPage {
            page: Page::for_user(user, nav_for(user, &supplier_id)).with_notice(notice),
            tabs: Tabs::new(user, &supplier_id, "services"),
            manage: policy::may_manage_services(&user.actor(), &supplier_id),
            supplier,
            rows,
            has_error: problem.is_some(),
        },
    )
}

#[get("/suppliers/{supplier}/services")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    list_page(
        &state,
        &user,
        path.into_inner(),
        query.notice.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "supplier/service_form.html")]
struct FormPage {
    page: Page,
    supplier: Supplier,
    /// `None` for a new service.
    service: Option<Service>,
    input: ServiceInput,
    errors: Vec<(&'static str, String)>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    fn action(&self) -> String {
        match &self.service {
            Some(s) => format!("/suppliers/{}/services/{}", self.supplier.id, s.id),
            None => format!("/suppliers/{}/services", self.supplier.id),
        }
    }
}

fn input_of(s: &Service) -> ServiceInput {
    ServiceInput {
        name: s.name.clone(),
        description: s.description.clone(),
        website: s.website.clone().unwrap_or_default(),
        privacy_url: s.privacy_url.clone().unwrap_or_default(),
        contact_email: s.contact_email.clone().unwrap_or_default(),
    }
}

#[get("/suppliers/{supplier}/services/new")]
async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let supplier_id = path.into_inner();
    let (acting, id) = (user.acting(), supplier_id.clone());
    let supplier = state
        .db
        .run(move |conn| services::supplier_for(conn, &acting, &id))
        .await?;
    render(&FormPage {
        page: Page::for_user(&user, nav_for(&user, &supplier_id)),
        supplier,
        service: None,
        input: ServiceInput::default(),
        errors: Vec::new(),
    })
}

#[post("/suppliers/{supplier}/services")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    CsrfForm(input): CsrfForm<ServiceInput>,
) -> Result<HttpResponse, AppError> {
    let supplier_id = path.into_inner();
    let (acting, id, form) = (user.acting(), supplier_id.clone(), input.clone());
    let (supplier, created) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let supplier = services::supplier_for(conn, &acting, &id)?;
            Ok((supplier, services::create(conn, &acting, &id, &form)?))
        })
        .await?;
    match created {
        Ok(_) => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/services?notice=service-created"
        ))),
        Err(problems) => render_invalid(&FormPage {
            page: Page::for_user(&user, nav_for(&user, &supplier_id)),
            supplier,
            service: None,
            input,
            errors: messages(&problems),
        }),
    }
}

#[get("/suppliers/{supplier}/services/{service}")]
async fn edit_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    let (supplier_id, service_id) = path.into_inner();
    let (acting, id) = (user.acting(), supplier_id.clone());
    let (supplier, service) = state
        .db
        .run(move |conn| services::read(conn, &acting, &id, &service_id))
        .await?;
    render(&FormPage {
        page: Page::for_user(&user, nav_for(&user, &supplier_id))
            .with_notice(query.notice.as_deref()),
        supplier,
        input: input_of(&service),
        service: Some(service),
        errors: Vec::new(),
    })
}

#[post("/suppliers/{supplier}/services/{service}")]
async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    CsrfForm(input): CsrfForm<ServiceInput>,
) -> Result<HttpResponse, AppError> {
    let (supplier_id, service_id) = path.into_inner();
    let (acting, id, sid, form) = (
        user.acting(),
        supplier_id.clone(),
        service_id.clone(),
        input.clone(),
    );
    let (supplier, service, changed) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (supplier, service) = services::read(conn, &acting, &id, &sid)?;
            let changed = services::update(conn, &acting, &id, &sid, &form)?;
            Ok((supplier, service, changed))
        })
        .await?;
    match changed {
        Ok(_) => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/services/{service_id}?notice=service-saved"
        ))),
        Err(problems) => render_invalid(&FormPage {
            page: Page::for_user(&user, nav_for(&user, &supplier_id)),
            supplier,
            service: Some(service),
            input,
            errors: messages(&problems),
        }),
    }
}

#[derive(Template)]
#[template(path = "supplier/confirm_retire.html")]
struct ConfirmRetire {
    page: Page,
    supplier: Supplier,
    service: Service,
    pending_requests: usize,
    open_agreements: usize,
    /// The choice was asked for and not made.
    choose: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RetireInput {
    /// `end` or `keep`; empty on the first step.
    agreements: String,
    /// "yes" once the confirmation page was shown.
    confirmed: String,
}

#[post("/suppliers/{supplier}/services/{service}/retire")]
async fn retire(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    CsrfForm(input): CsrfForm<RetireInput>,
) -> Result<HttpResponse, AppError> {
    let (supplier_id, service_id) = path.into_inner();
    let choice = if input.confirmed == "yes" {
        AgreementChoice::parse(&input.agreements)
    } else {
        None
    };
    let (acting, id, sid) = (user.acting(), supplier_id.clone(), service_id.clone());
    let (supplier, service, step) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (supplier, service) = services::read(conn, &acting, &id, &sid)?;
            let step = services::retire(conn, &acting, &id, &sid, choice)?;
            Ok((supplier, service, step))
        })
        .await?;
    match step {
        RetireStep::Confirm {
            pending_requests,
            open_agreements,
        } => {
            let page = ConfirmRetire {
                page: Page::for_user(&user, nav_for(&user, &supplier_id)),
                supplier,
                service,
                pending_requests,
                open_agreements,
                choose: input.confirmed == "yes",
            };
            if page.choose {
                render_invalid(&page)
            } else {
                render(&page)
            }
        }
        RetireStep::Done(_) => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/services?notice=service-retired"
        ))),
        RetireStep::AlreadyRetired => Ok(redirect(&format!(
            "/suppliers/{supplier_id}/services/{service_id}?notice=service-already-retired"
        ))),
    }
}
