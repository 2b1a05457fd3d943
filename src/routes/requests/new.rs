//! `/requests/new`: filing a request for one of the supplier's services, for one or
//! many institution numbers. Every refused line comes back explained, with everything
//! typed kept.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::requests::FormRefusal;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::catalog::{self, Scope, Service};
use crate::domain::policy::filing_suppliers;
use crate::domain::request_form::{
    FieldProblem, FormErrors, LineError, RequestFormInput, format_date,
};
use crate::error::AppError;
use crate::routes::{Page, redirect, render, render_invalid};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(form).service(submit);
}

#[derive(Template)]
#[template(path = "requests/new.html")]
struct NewRequestPage {
    page: Page,
    services: Vec<Service>,
    scopes: Vec<Scope>,
    input: RequestFormInput,
    errors: FormErrors,
    cutoff: String,
    /// Why this person may not file at all: their supplier is not verified yet.
    unverified: Option<String>,
}

impl NewRequestPage {
    fn scope_checked(&self, code: &str) -> bool {
        self.input.scopes.iter().any(|s| s == code)
    }

    /// What was wrong with `field`, in the reader's language.
    fn error(&self, field: &str) -> Option<String> {
        self.errors
            .get(field)
            .map(|problem| crate::routes::field_problems::sentence(field, problem))
    }

    fn line_number(&self, line: &LineError) -> String {
        self.page.tx.number(line.line as i64)
    }

    fn line_sentence(&self, line: &LineError) -> String {
        crate::routes::line_problems::sentence(line, self.page.lang)
    }

    fn has_sensitive(&self) -> bool {
        self.scopes.iter().any(|s| s.sensitive)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Prefill {
    service: String,
    institutions: String,
}

/// The supplier's services and the scope catalogue, and the message for a person whose
/// suppliers are none of them verified yet; 403 for someone who files for no supplier.
async fn choices(
    state: &AppState,
    user: &CurrentUser,
) -> Result<(Vec<Service>, Vec<Scope>, Option<String>), AppError> {
    let suppliers = filing_suppliers(&user.actor());
    if suppliers.is_empty() {
        return Err(AppError::Forbidden);
    }
    let tx = crate::i18n::texts();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let mut unverified = Vec::new();
            for id in &suppliers {
                match catalog::supplier(conn, id)? {
                    Some(s) if !s.verified => unverified.push(s.name),
                    _ => {}
                }
            }
            let message = (unverified.len() == suppliers.len()).then(|| {
                tx.a(
                    "filing-supplier-not-verified",
                    "supplier",
                    &unverified.join(", "),
                )
            });
            Ok((
                catalog::active_services_of(conn, &suppliers)?,
                catalog::offered_scopes(conn)?,
                message,
            ))
        })
        .await
}

#[get("/requests/new")]
async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    prefill: web::Query<Prefill>,
) -> Result<HttpResponse, AppError> {
    let (services, scopes, unverified) = choices(&state, &user).await?;
    let prefill = prefill.into_inner();
    let input = RequestFormInput {
        service_id: if prefill.service.is_empty() {
            services.first().map(|s| s.id.clone()).unwrap_or_default()
        } else {
            prefill.service
        },
        institutions: prefill.institutions,
        wished_start: format_date(crate::db::now().date()),
        ..Default::default()
    };
    render(&NewRequestPage {
        page: Page::for_user(&user, "/requests/new"),
        services,
        scopes,
        input,
        errors: FormErrors::default(),
        cutoff: crate::routes::date(state.settings.a_number_cutoff),
        unverified,
    })
}

#[post("/requests")]
async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<RequestFormInput>,
) -> Result<HttpResponse, AppError> {
    let (services, scopes, unverified) = choices(&state, &user).await?;
    let today = crate::db::now().date();
    let page = |input: RequestFormInput,
                errors: FormErrors,
                services: Vec<Service>,
                scopes: Vec<Scope>| NewRequestPage {
        page: Page::for_user(&user, "/requests/new"),
        services,
        scopes,
        input,
        errors,
        cutoff: crate::routes::date(state.settings.a_number_cutoff),
        unverified: unverified.clone(),
    };
    let (acting, cutoff, asked) = (user.acting(), state.settings.a_number_cutoff, input.clone());
    let filed = state
        .db
        .run(move |conn| app::requests::file_form(conn, &acting, &asked, today, cutoff))
        .await?;
    match filed {
        Ok(filed) => Ok(redirect(&format!(
            "/requests?batch={}&notice=filed",
            filed.batch_id
        ))),
        Err(FormRefusal::UnknownService) => {
            let mut errors = FormErrors::default();
            errors.field("service_id", FieldProblem::UnknownService);
            render_invalid(&page(input, errors, services, scopes))
        }
        Err(FormRefusal::Form(errors)) => render_invalid(&page(input, errors, services, scopes)),
        Err(FormRefusal::SupplierNotVerified) => {
            let mut refused = page(input, FormErrors::default(), services, scopes);
            refused.unverified =
                Some(unverified.unwrap_or_else(|| {
                    crate::i18n::texts().t("filing-supplier-not-verified-short")
                }));
            render_invalid(&refused)
        }
    }
}
