//! Holds on agreements ("sat i bero") in the browser: the institution side suspends one
//! agreement (reason required, confirmed first) and resumes it from the agreement page;
//! a supplier pauses and resumes a whole service from its services page
//! (`/suppliers/{id}/services`, `routes::services`), whose forms post here and come back
//! there. `GET /service-holds`, the old page, redirects to it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::agreement_pauses::PauseRefusal;
use crate::app::agreements::target;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::agreement_pauses::Side;
use crate::db::agreements::AgreementDetail;
use crate::domain::AgreementStatus;
use crate::domain::policy::{self, Action};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::routes::{Page, datetime, redirect, render, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(suspend)
        .service(resume)
        .service(services)
        .service(pause_service)
        .service(resume_service);
}

/// One hold as the agreement page shows it.
pub struct HoldItem {
    pub side: String,
    pub since: String,
    pub reason: String,
}

/// What the agreement page shows and offers about holds.
pub struct PauseView {
    pub holds: Vec<HoldItem>,
    pub can_suspend: bool,
    pub can_resume: bool,
    /// The suspension reason typed, kept when the form comes back.
    pub reason: String,
    /// Why the last suspend or resume was refused.
    pub error: Option<String>,
    /// The supplier may renew it (it is open and has an end date).
    pub can_renew: bool,
    /// The renewal's end date as the form shows it (a year after the current end, or
    /// what was typed).
    pub renew_until: String,
    /// Why the last renewal was refused.
    pub renew_error: Option<String>,
    /// The successor number an agreement ended by its institution's closure can be asked
    /// for again at, in one click (as a lapsed request can).
    pub rerequest_at: Option<String>,
}

pub(crate) fn side_label(tx: Texts, side: Side) -> String {
    tx.t(match side {
        Side::Institution => "hold-side-institution",
        Side::Supplier => "hold-side-supplier",
    })
}

/// The holds on `d` and what `user` may do about them.
pub fn view(user: &CurrentUser, d: &AgreementDetail) -> PauseView {
    let tx = crate::i18n::texts();
    let actor = user.actor();
    let status = AgreementStatus::parse(&d.agreement.status).unwrap_or(AgreementStatus::Ended);
    let held_by_institution = d.agreement.institution_paused_at.is_some();
    let holds = d
        .agreement
        .holds()
        .into_iter()
        .map(|h| HoldItem {
            side: side_label(tx, h.side),
            since: datetime(h.since),
            reason: h.reason,
        })
        .collect();
    PauseView {
        holds,
        can_suspend: status.is_open()
            && !held_by_institution
            && policy::allows(&actor, Action::SuspendAgreement, &target(d)),
        can_resume: status.is_open()
            && held_by_institution
            && policy::allows(&actor, Action::ResumeAgreement, &target(d)),
        reason: String::new(),
        error: None,
        can_renew: status.is_open()
            && d.agreement.ends_on.is_some()
            && policy::allows(&actor, Action::RenewAgreement, &target(d)),
        renew_until: d
            .agreement
            .ends_on
            .and_then(|e| e.replace_year(e.year() + 1).ok())
            .map(crate::domain::request_form::format_date)
            .unwrap_or_default(),
        renew_error: None,
        rerequest_at: rerequest_at(&actor, d),
    }
}

/// The successor to ask at again: for an agreement that ended because its institution
/// closed and moved to another number, to whoever may file for its supplier.
pub(crate) fn rerequest_at(actor: &policy::Actor, d: &AgreementDetail) -> Option<String> {
    let closed_by_closure = d.agreement.status == AgreementStatus::Ended.as_str()
        && matches!(
            d.agreement.reason(),
            Some(crate::domain::Reason::System(
                crate::domain::SystemReason::InstitutionClosed { .. }
            ))
        )
        && !d.institution.is_active();
    d.institution
        .replaced_by
        .clone()
        .filter(|_| closed_by_closure && policy::allows(actor, Action::FileRequest, &target(d)))
}

/// The words for a refusal.
pub fn refusal_text(tx: Texts, refusal: PauseRefusal) -> (StatusCode, String) {
    match refusal {
        PauseRefusal::ReasonRequired => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tx.t("hold-reason-required"),
        ),
        PauseRefusal::NotOpen(s) => (
            StatusCode::CONFLICT,
            tx.a(
                "agreement-already-ended",
                "status",
                &tx.agreement_status(s.as_str()),
            ),
        ),
        PauseRefusal::AlreadyHeld => (StatusCode::CONFLICT, tx.t("hold-already-held")),
        PauseRefusal::NotHeld => (StatusCode::CONFLICT, tx.t("hold-not-held")),
        PauseRefusal::NothingToChange => (StatusCode::CONFLICT, tx.t("hold-service-nothing")),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HoldInput {
    reason: String,
    /// Set by the confirmation step; without it the step is shown first.
    confirmed: Option<String>,
}

/// The step before a hold is put on or lifted: what will happen, and the button.
#[derive(Template)]
#[template(path = "agreements/confirm_hold.html")]
struct ConfirmHold {
    page: Page,
    heading: String,
    what_happens: String,
    button: String,
    action: String,
    back: String,
    reason: String,
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<AgreementDetail, AppError> {
    let acting = user.acting();
    Ok(state
        .db
        .run(move |conn| app::agreements::read(conn, &acting, &id))
        .await?)
}

/// The agreement page again with a refusal and what was typed.
pub(crate) async fn refused_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    status: StatusCode,
    change: impl FnOnce(&mut PauseView),
) -> Result<HttpResponse, AppError> {
    let detail = load(state, user, id).await?;
    let mut pauses = view(user, &detail);
    change(&mut pauses);
    render_with(
        status,
        &crate::routes::agreements::detail_page(user, detail, pauses),
    )
}

async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    refusal: PauseRefusal,
    reason: String,
) -> Result<HttpResponse, AppError> {
    let (status, message) = refusal_text(crate::i18n::texts(), refusal);
    let detail = load(state, user, id).await?;
    let mut pauses = view(user, &detail);
    pauses.error = Some(message);
    pauses.reason = reason;
    render_with(
        status,
        &crate::routes::agreements::detail_page(user, detail, pauses),
    )
}

#[post("/agreements/{id}/suspend")]
async fn suspend(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<HoldInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let reason = input.reason;
    if input.confirmed.is_none() {
        let detail = load(&state, &user, id.clone()).await?;
        if !policy::allows(&user.actor(), Action::SuspendAgreement, &target(&detail)) {
            return Err(AppError::Forbidden);
        }
        if reason.trim().is_empty() {
            return refused(&state, &user, id, PauseRefusal::ReasonRequired, reason).await;
        }
        let tx = crate::i18n::texts();
        let d = &detail;
        return render(&ConfirmHold {
            page: Page::for_user(&user, "/agreements"),
            heading: tx.a(
                "confirm-suspend-heading",
                "reference",
                &d.agreement.reference,
            ),
            what_happens: tx.with(
                "confirm-suspend-what",
                &[
                    ("supplier", d.supplier.name.clone().into()),
                    ("service", d.service.name.clone().into()),
                    (
                        "institution",
                        format!("{} {}", d.institution.number, d.institution.name).into(),
                    ),
                ],
            ),
            button: tx.t("confirm-suspend-button"),
            action: format!("/agreements/{id}/suspend"),
            back: format!("/agreements/{id}"),
            reason,
        });
    }
    let (acting, agreement, typed) = (user.acting(), id.clone(), reason.clone());
    let outcome = state
        .db
        .run(move |conn| app::agreement_pauses::suspend(conn, &acting, &agreement, &typed))
        .await?;
    match outcome {
        Ok(()) => Ok(redirect(&format!("/agreements/{id}?notice=suspended"))),
        Err(refusal) => refused(&state, &user, id, refusal, reason).await,
    }
}

#[post("/agreements/{id}/resume")]
async fn resume(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<HoldInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if input.confirmed.is_none() {
        let detail = load(&state, &user, id.clone()).await?;
        if !policy::allows(&user.actor(), Action::ResumeAgreement, &target(&detail)) {
            return Err(AppError::Forbidden);
        }
        let tx = crate::i18n::texts();
        let d = &detail;
        let what = if d.agreement.supplier_paused_at.is_some() {
            "confirm-resume-what-still-held"
        } else {
            "confirm-resume-what"
        };
        return render(&ConfirmHold {
            page: Page::for_user(&user, "/agreements"),
            heading: tx.a(
                "confirm-resume-heading",
                "reference",
                &d.agreement.reference,
            ),
            what_happens: tx.with(
                what,
                &[
                    ("supplier", d.supplier.name.clone().into()),
                    ("service", d.service.name.clone().into()),
                ],
            ),
            button: tx.t("confirm-resume-button"),
            action: format!("/agreements/{id}/resume"),
            back: format!("/agreements/{id}"),
            reason: String::new(),
        });
    }
    let (acting, agreement) = (user.acting(), id.clone());
    let outcome = state
        .db
        .run(move |conn| app::agreement_pauses::resume(conn, &acting, &agreement))
        .await?;
    match outcome {
        Ok(true) => Ok(redirect(&format!("/agreements/{id}?notice=resumed"))),
        Ok(false) => Ok(redirect(&format!(
            "/agreements/{id}?notice=resumed-still-held"
        ))),
        Err(refusal) => refused(&state, &user, id, refusal, String::new()).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

/// The old holds page: its services are on the supplier's services page now, so old
/// links and bookmarks land there (the first supplier the person files for).
#[get("/service-holds")]
async fn services(
    user: CurrentUser,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(supplier) = policy::filing_suppliers(&user.actor()).into_iter().next() else {
        return Err(AppError::Forbidden);
    };
    let notice = query
        .notice
        .as_deref()
        .filter(|n| crate::routes::NOTICES.contains(n))
        .map(|n| format!("?notice={n}"))
        .unwrap_or_default();
    Ok(redirect(&format!("/suppliers/{supplier}/services{notice}")))
}

async fn service_step(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    input: HoldInput,
    pause: bool,
) -> Result<HttpResponse, AppError> {
    let tx = crate::i18n::texts();
    let reason = input.reason;
    let (acting, service_id) = (user.acting(), id.clone());
    let rows = state
        .db
        .run(move |conn| app::agreement_pauses::services(conn, &acting))
        .await?;
    let Some(service) = rows.into_iter().find(|s| s.service_id == service_id) else {
        return Err(AppError::NotFound);
    };
    let services_page = format!("/suppliers/{}/services", service.supplier_id);
    if input.confirmed.is_none() && !(pause && reason.trim().is_empty()) {
        let kind = if pause { "pause" } else { "unpause" };
        return render(&ConfirmHold {
            page: Page::for_user(user, "/suppliers"),
            heading: tx.a(
                &format!("confirm-service-{kind}-heading"),
                "service",
                &service.name,
            ),
            what_happens: tx.with(
                &format!("confirm-service-{kind}-what"),
                &[
                    ("service", service.name.clone().into()),
                    ("open", service.open.into()),
                    ("held", service.held_by_supplier.into()),
                ],
            ),
            button: tx.t(&format!("confirm-service-{kind}-button")),
            action: format!(
                "/service-holds/{id}/{}",
                if pause { "pause" } else { "resume" }
            ),
            back: format!("{services_page}#h-service-{id}"),
            reason,
        });
    }
    let (acting, sid, typed) = (user.acting(), id.clone(), reason.clone());
    let outcome = state
        .db
        .run(move |conn| {
            if pause {
                app::agreement_pauses::pause_service(conn, &acting, &sid, &typed)
            } else {
                app::agreement_pauses::resume_service(conn, &acting, &sid)
            }
        })
        .await?;
    match outcome {
        Ok(_) => Ok(redirect(&format!(
            "{services_page}?notice={}",
            if pause {
                "service-paused"
            } else {
                "service-resumed"
            }
        ))),
        Err(refusal) => {
            let (status, message) = refusal_text(tx, refusal);
            crate::routes::services::list_page(
                state,
                user,
                service.supplier_id,
                None,
                Some(crate::routes::services::HoldProblem {
                    service_id: id,
                    typed: reason,
                    message,
                }),
                status,
            )
            .await
        }
    }
}

#[post("/service-holds/{id}/pause")]
async fn pause_service(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<HoldInput>,
) -> Result<HttpResponse, AppError> {
    service_step(&state, &user, id.into_inner(), input, true).await
}

#[post("/service-holds/{id}/resume")]
async fn resume_service(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<HoldInput>,
) -> Result<HttpResponse, AppError> {
    service_step(&state, &user, id.into_inner(), input, false).await
}
