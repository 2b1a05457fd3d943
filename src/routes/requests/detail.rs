//! `/requests/{id}`: one request with its scopes (sensitive ones apart), purpose,
//! agreement and history; the supplier may withdraw it, the approver decide it.
//! A request the person may not see is "not found"; an action they may not take is 403.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::requests::{DecisionForm, DecisionProblem, FileRefusal, Refusal, target};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::audit::HistoryLine;
use crate::db::requests::{RequestDetail, RequestScope};
use crate::domain::RequestStatus;
use crate::domain::codes::CodeList;
use crate::domain::policy::{self, Action};
use crate::error::AppError;
use crate::routes::{Page, date, datetime, redirect, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(withdraw)
        .service(decide)
        .service(rerequest);
}

pub struct HistoryItem {
    pub when: String,
    pub what: String,
    pub who: String,
    pub note: Option<String>,
}

/// History lines in words, scope codes shown by their Danish names (`scopes`: code, name).
pub fn history_items<'a>(
    lines: &[HistoryLine],
    scopes: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<HistoryItem> {
    let names: Vec<(&str, &str)> = scopes.collect();
    lines
        .iter()
        .map(|line| history_item(line, &names))
        .collect()
}

fn history_item(line: &HistoryLine, scope_names: &[(&str, &str)]) -> HistoryItem {
    let name = |code: &str| {
        scope_names
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let d = &line.details;
    let text = |key: &str| d.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let list = |key: &str| {
        d.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(name)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|s| !s.is_empty())
    };
    let tx = crate::i18n::texts();
    let labelled = |key: &str, value: String| tx.a(key, "value", &value);
    let what = tx.audit_action(&line.action);
    let note = match line.action.as_str() {
        "request.filed" => list("scopes").map(|s| labelled("history-scopes", s)),
        "request.approved" => {
            let granted = list("granted").map(|s| labelled("history-granted", s));
            let refused = list("refused").map(|s| labelled("history-refused", s));
            let comment = text("reason").map(|r| labelled("history-comment", r));
            let why = d
                .get("refusal_reasons")
                .and_then(|v| v.as_object())
                .map(|reasons| {
                    reasons
                        .iter()
                        .map(|(code, why)| {
                            tx.with_two(
                                "history-refusal-reason",
                                "scope",
                                &name(code),
                                "reason",
                                why.as_str().unwrap_or_default(),
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(". ")
                })
                .filter(|s| !s.is_empty());
            Some(
                [granted, refused, why, comment]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(". "),
            )
            .filter(|s| !s.is_empty())
        }
        "agreement.created" | "agreement.extended" => {
            list("scopes").map(|s| labelled("history-scopes", s))
        }
        "request.escalated" | "request.escalated_to_operators" => text("to")
            .filter(|to| ["mailbox", "officers", "operators"].contains(&to.as_str()))
            .map(|to| tx.t(&format!("history-escalated-to-{to}"))),
        _ => crate::domain::Reason::from_details(d)
            .map(|r| labelled("history-reason", tx.reason(&r))),
    };
    let who = match (&line.actor_name, &line.actor_role) {
        (Some(name), Some(role)) => {
            let role = tx.role_code(role);
            format!("{name} ({role})")
        }
        (Some(name), None) => name.clone(),
        (None, _) => tx.t("actor-system"),
    };
    HistoryItem {
        when: datetime(line.occurred_at),
        what,
        who,
        note,
    }
}

#[derive(Template)]
#[template(path = "requests/detail.html")]
struct DetailPage {
    page: Page,
    d: RequestDetail,
    status_label: String,
    ownership: String,
    inst_type: String,
    filed: String,
    wished_start: String,
    wished_end: Option<String>,
    decided: Option<String>,
    regular: Vec<RequestScope>,
    sensitive: Vec<RequestScope>,
    history: Vec<HistoryItem>,
    can_withdraw: bool,
    can_decide: bool,
    /// The successor number a lapsed request can be filed again at, in one click.
    successor: Option<String>,
    error: Option<String>,
    checked: Vec<String>,
    reason: String,
    /// Reasons typed for scopes left out (scope code, words), kept when the form comes back.
    refusal_reasons: Vec<(String, String)>,
    /// Scopes left out without the reason they need.
    missing_reasons: Vec<String>,
}

impl DetailPage {
    fn is_checked(&self, code: &str) -> bool {
        self.checked.iter().any(|c| c == code)
    }

    fn refusal_reason(&self, code: &str) -> &str {
        self.refusal_reasons
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, why)| why.as_str())
            .unwrap_or("")
    }

    fn is_missing_reason(&self, code: &str) -> bool {
        self.missing_reasons.iter().any(|c| c == code)
    }
}

/// Loads a request the person may see, or "not found".
async fn load_visible(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<RequestDetail, AppError> {
    let acting = user.acting();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let mut detail = app::requests::read(conn, &acting, &id)?;
            // The delegation a decision rests on, in the reader's words; a description
            // from before delegations were named by id stays as it was written.
            if let Some(described) = &detail.request.decided_delegation
                && let Some(facts) = crate::db::delegations::facts_of_described(conn, described)?
            {
                detail.request.decided_delegation = Some(crate::mail::compose::delegation_line(
                    crate::i18n::texts(),
                    Some(&facts),
                ));
            }
            Ok(detail)
        })
        .await
}

#[derive(Default)]
struct Extras {
    error: Option<String>,
    checked: Option<Vec<String>>,
    reason: String,
    notice: Option<String>,
    refusal_reasons: Vec<(String, String)>,
    missing_reasons: Vec<String>,
}

fn page(user: &CurrentUser, d: RequestDetail, extras: Extras) -> DetailPage {
    let actor = user.actor();
    let is_pending = d.request.status == RequestStatus::Pending.as_str();
    let can_withdraw = is_pending && policy::allows(&actor, Action::WithdrawRequest, &target(&d));
    let can_decide = is_pending && policy::allows(&actor, Action::DecideRequest, &target(&d));
    let successor = d.institution.replaced_by.clone().filter(|_| {
        d.request.status == RequestStatus::Lapsed.as_str()
            && policy::allows(&actor, Action::FileRequest, &target(&d))
    });
    let (sensitive, regular): (Vec<_>, Vec<_>) =
        d.scopes.iter().cloned().partition(|s| s.sensitive);
    let tx = crate::i18n::texts();
    DetailPage {
        page: Page::for_user(user, "/requests").with_notice(extras.notice.as_deref()),
        status_label: tx.request_status(&d.request.status),
        ownership: tx.code(CodeList::Ownership, &d.institution.ownership_code),
        inst_type: tx.code(CodeList::InstitutionType, &d.institution.inst_type_code),
        filed: datetime(d.request.filed_at),
        wished_start: date(d.request.wished_start),
        wished_end: d.request.wished_end.map(date),
        decided: d.request.decided_at.map(datetime),
        checked: extras
            .checked
            .unwrap_or_else(|| d.scopes.iter().map(|s| s.code.clone()).collect()),
        history: history_items(
            &d.history,
            d.scopes
                .iter()
                .map(|s| (s.code.as_str(), tx.pick(&s.name_da, &s.name_en))),
        ),
        regular,
        sensitive,
        can_withdraw,
        can_decide,
        successor,
        error: extras.error,
        reason: extras.reason,
        refusal_reasons: extras.refusal_reasons,
        missing_reasons: extras.missing_reasons,
        d,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
}

#[get("/requests/{id}")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let detail = load_visible(&state, &user, id.into_inner()).await?;
    let extras = Extras {
        notice: query.into_inner().notice,
        ..Extras::default()
    };
    render_with(StatusCode::OK, &page(&user, detail, extras))
}

/// The refusal of an action on a request someone already decided, in the reader's language.
pub fn already_decided(status: RequestStatus) -> String {
    let tx = crate::i18n::texts();
    tx.a(
        "request-already-decided",
        "status",
        &tx.request_status(status.as_str()),
    )
}

/// What was wrong with a decision, in the reader's language.
pub fn problem_text(problem: DecisionProblem) -> String {
    crate::i18n::texts().t(match problem {
        DecisionProblem::NoScopeChosen => "decision-no-scope",
        DecisionProblem::ScopeNotRequested => "decision-scope-not-requested",
        DecisionProblem::NoReason => "decision-no-reason",
        DecisionProblem::NoDecision => "decision-none",
        DecisionProblem::NoRefusalReason => "decision-no-refusal-reason",
    })
}

#[post("/requests/{id}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    let request_id = id.clone();
    let outcome = state
        .db
        .run(move |conn| app::requests::withdraw(conn, &acting, &request_id))
        .await?;
    let Err(refusal) = outcome else {
        return Ok(redirect(&format!("/requests/{id}?notice=withdrawn")));
    };
    let detail = load_visible(&state, &user, id).await?;
    let (status, error) = match refusal {
        Refusal::AlreadyDecided(status) => (StatusCode::CONFLICT, already_decided(status)),
        Refusal::Invalid(problem) => (StatusCode::UNPROCESSABLE_ENTITY, problem_text(problem)),
    };
    let extras = Extras {
        error: Some(error),
        ..Extras::default()
    };
    render_with(status, &page(&user, detail, extras))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionInput {
    decision: String,
    scopes: Vec<String>,
    reason: String,
    /// Each requested scope, in the order of `refused_reason`.
    refused_scope: Vec<String>,
    /// The reason for leaving out the scope at the same place in `refused_scope`.
    refused_reason: Vec<String>,
}

#[post("/requests/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<DecisionInput>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    let form = DecisionForm {
        decision: input.decision,
        scopes: input.scopes,
        reason: input.reason,
        all_scopes: false,
        refusal_reasons: input
            .refused_scope
            .into_iter()
            .zip(input.refused_reason)
            .collect(),
    };
    let (request_id, asked) = (id.clone(), form.clone());
    let outcome = state
        .db
        .run(move |conn| app::requests::decide(conn, &acting, &request_id, &asked))
        .await?;
    let refusal = match outcome {
        Ok(decided) => {
            let notice = if decided.status == RequestStatus::Approved {
                "approved"
            } else {
                "rejected"
            };
            return Ok(redirect(&format!("/requests/{id}?notice={notice}")));
        }
        Err(refusal) => refusal,
    };
    let detail = load_visible(&state, &user, id).await?;
    let (status, extras) = match refusal {
        Refusal::AlreadyDecided(status) => (
            StatusCode::CONFLICT,
            Extras {
                error: Some(already_decided(status)),
                reason: form.reason,
                ..Extras::default()
            },
        ),
        Refusal::Invalid(problem) => {
            let requested: Vec<String> = detail.scopes.iter().map(|s| s.code.clone()).collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Extras {
                    error: Some(problem_text(problem)),
                    missing_reasons: form.missing_refusal_reasons(&requested),
                    checked: Some(form.scopes),
                    reason: form.reason,
                    refusal_reasons: form.refusal_reasons,
                    notice: None,
                },
            )
        }
    };
    render_with(status, &page(&user, detail, extras))
}

/// Files the lapsed request again at the closed institution's successor, carrying its
/// service, scopes, purpose and message.
#[post("/requests/{id}/rerequest")]
async fn rerequest(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let detail = load_visible(&state, &user, id.clone()).await?;
    let actor = user.actor();
    let allowed = policy::allows(&actor, Action::FileRequest, &target(&detail));
    let successor = detail
        .institution
        .replaced_by
        .clone()
        .filter(|_| detail.request.status == RequestStatus::Lapsed.as_str());
    let (true, Some(successor)) = (allowed, successor) else {
        return Err(AppError::Forbidden);
    };
    let today = crate::db::now().date();
    let draft = crate::domain::request_form::RequestDraft {
        service_id: detail.service.id.clone(),
        scopes: detail.scopes.iter().map(|s| s.code.clone()).collect(),
        purpose: detail.request.purpose.clone(),
        sensitive_reason: detail.request.sensitive_reason.clone(),
        wished_start: detail.request.wished_start.max(today),
        wished_end: detail.request.wished_end.filter(|end| *end > today),
        message: detail.request.message.clone(),
        numbers: Vec::new(),
    };
    match file_again_at(&state, &user, draft, &successor).await? {
        Ok(filed) => Ok(filed),
        Err(message) => {
            let extras = Extras {
                error: Some(message),
                ..Extras::default()
            };
            render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&user, detail, extras),
            )
        }
    }
}

/// Files `draft` once more, in one click, at the institution numbered `successor`: the
/// redirect to the new request, or why it was refused in the reader's words. Used for a
/// lapsed request and for an agreement ended by its institution's closure.
pub(crate) async fn file_again_at(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    mut draft: crate::domain::request_form::RequestDraft,
    successor: &str,
) -> Result<Result<HttpResponse, String>, AppError> {
    let number = crate::domain::InstitutionNumber::parse(successor)
        .map_err(|e| anyhow::anyhow!("stored successor {successor}: {e}"))?;
    draft.numbers = vec![(1, number)];
    let today = crate::db::now().date();
    let (acting, cutoff) = (user.acting(), state.settings.a_number_cutoff);
    let filed = state
        .db
        .run(move |conn| app::requests::file(conn, &acting, draft, today, cutoff))
        .await?;
    Ok(match filed {
        Ok(filed) => Ok(redirect(&format!(
            "/requests?batch={}&notice=filed",
            filed.batch_id
        ))),
        Err(refusal) => Err(rerequest_refusal(refusal)),
    })
}

/// What a request filed again in one click was refused for, in the reader's words.
fn rerequest_refusal(refusal: FileRefusal) -> String {
    match refusal {
        FileRefusal::UnknownService => crate::i18n::texts().t("rerequest-service-gone"),
        FileRefusal::SupplierNotVerified => {
            crate::i18n::texts().t("filing-supplier-not-verified-short")
        }
        FileRefusal::Lines(lines) => lines
            .into_iter()
            .map(|l| crate::routes::line_problems::sentence(&l, crate::i18n::current()))
            .collect::<Vec<_>>()
            .join(" "),
    }
}
