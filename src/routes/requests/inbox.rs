//! `/inbox`: the pending requests an approver may decide, across every institution they
//! cover, with bulk approve / reject of the selected rows or of everything matching the
//! filter (the national portal allows this one institution at a time).

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{RequestItem, row_target};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::requests::{self, DecideError, Decision, ListFilter, RequestRow};
use crate::domain::InstitutionNumber;
use crate::domain::policy::{self, Action, decide_scope, view_scope};
use crate::error::AppError;
use crate::routes::{Page, Pager, non_empty, redirect, render, render_invalid};
use crate::startup::AppState;

/// The most requests one bulk decision touches.
const BULK_LIMIT: i64 = 5000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(inbox).service(bulk_decide);
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InboxQuery {
    institution: Option<String>,
    page: Option<i64>,
    notice: Option<String>,
    done: Option<i64>,
    skipped: Option<i64>,
}

#[derive(Template)]
#[template(path = "requests/inbox.html")]
struct InboxPage {
    page: Page,
    items: Vec<RequestItem>,
    pager: Pager,
    institution: String,
    filter_error: Option<String>,
    selected: Vec<String>,
    reason: String,
    form_error: Option<&'static str>,
    done: Option<i64>,
    skipped: Option<i64>,
    selectable: bool,
}

impl InboxPage {
    fn is_selected(&self, id: &str) -> bool {
        self.selected.iter().any(|s| s == id)
    }
}

/// Marks the first row of each klynge with a heading, so the inbox reads klynge by klynge.
fn with_klynge_headings(
    mut items: Vec<RequestItem>,
    names: &[(String, String)],
) -> Vec<RequestItem> {
    let mut previous: Option<Option<String>> = None;
    for item in items.iter_mut() {
        if previous.as_ref() != Some(&item.parent_number) {
            item.group_heading = Some(match &item.parent_number {
                Some(p) => {
                    let name = names
                        .iter()
                        .find(|(n, _)| n == p)
                        .map(|(_, name)| name.as_str())
                        .unwrap_or("");
                    format!("Klynge {p} {name}")
                }
                None => "Uden klynge (skoler, dagpleje, klubber)".to_string(),
            });
        }
        previous = Some(item.parent_number.clone());
    }
    items
}

fn pending_filter(institution: &Option<String>) -> (ListFilter, Option<String>) {
    let mut filter = ListFilter {
        status: Some("pending".into()),
        by_klynge: true,
        ..Default::default()
    };
    let mut error = None;
    if let Some(text) = non_empty(institution) {
        match InstitutionNumber::parse(&text) {
            Ok(n) => filter.institution_number = Some(n.to_string()),
            Err(e) => error = Some(e.to_string()),
        }
    }
    (filter, error)
}

struct InboxView {
    institution: Option<String>,
    page: Option<i64>,
    selected: Vec<String>,
    reason: String,
    form_error: Option<&'static str>,
}

async fn render_inbox(
    state: &AppState,
    user: &CurrentUser,
    view: InboxView,
    query: &InboxQuery,
) -> Result<InboxPage, AppError> {
    let actor = user.actor();
    let scope = view_scope(&actor);
    let decide = decide_scope(&actor);
    if decide.is_empty() {
        return Err(AppError::Forbidden);
    }
    let (filter, filter_error) = pending_filter(&view.institution);
    let (page_number, offset) = Pager::offset(view.page);
    let (rows, total, klynge_names) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (rows, total) = requests::list(
                conn,
                &scope,
                Some(&decide),
                &filter,
                offset,
                crate::routes::PAGE_SIZE,
            )?;
            let mut parents: Vec<String> = rows
                .iter()
                .filter_map(|r| r.parent_number.clone())
                .collect();
            parents.dedup();
            let names: Vec<(String, String)> = crate::db::register::find_many(conn, &parents)?
                .into_iter()
                .map(|i| (i.number, i.name))
                .collect();
            Ok((rows, total, names))
        })
        .await?;
    let institution = view.institution.clone().unwrap_or_default();
    Ok(InboxPage {
        page: Page::for_user(user, "/inbox").with_notice(query.notice.as_deref()),
        items: with_klynge_headings(rows.iter().map(RequestItem::from).collect(), &klynge_names),
        pager: Pager::new(
            "/inbox",
            &[("institution", institution.clone())],
            page_number,
            total,
        ),
        institution,
        filter_error,
        selected: view.selected,
        reason: view.reason,
        form_error: view.form_error,
        done: query.done,
        skipped: query.skipped,
        selectable: true,
    })
}

#[get("/inbox")]
async fn inbox(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let view = InboxView {
        institution: query.institution.clone(),
        page: query.page,
        selected: Vec::new(),
        reason: String::new(),
        form_error: None,
    };
    render(&render_inbox(&state, &user, view, &query).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BulkInput {
    ids: Vec<String>,
    all_matching: Option<String>,
    institution: Option<String>,
    decision: String,
    reason: String,
}

#[post("/inbox/decide")]
async fn bulk_decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<BulkInput>,
) -> Result<HttpResponse, AppError> {
    if decide_scope(&user.actor()).is_empty() {
        return Err(AppError::Forbidden);
    }
    let reject = match input.decision.as_str() {
        "approve" => false,
        "reject" => true,
        _ => {
            return Err(AppError::BadRequest(
                "Vælg enten Godkend eller Afvis.".into(),
            ));
        }
    };
    let all_matching = input.all_matching.is_some();
    let form_error = if !all_matching && input.ids.is_empty() {
        Some("Vælg mindst én anmodning, eller vælg alle, der matcher filteret.")
    } else if reject && input.reason.trim().is_empty() {
        Some("Skriv en begrundelse for afvisningen; leverandøren får den at se.")
    } else {
        None
    };
    if form_error.is_some() {
        let view = InboxView {
            institution: input.institution.clone(),
            page: None,
            selected: input.ids,
            reason: input.reason,
            form_error,
        };
        return render_invalid(&render_inbox(&state, &user, view, &InboxQuery::default()).await?);
    }

    let actor = user.actor();
    let scope = view_scope(&actor);
    let decide = decide_scope(&actor);
    let (filter, _) = pending_filter(&input.institution);
    let decision = if reject {
        Decision::Reject {
            reason: input.reason.trim().to_string(),
        }
    } else {
        Decision::ApproveAll {
            comment: Some(input.reason.trim().to_string()),
        }
    };
    let user_for_caller = user.clone();
    let (done, skipped) = state
        .db
        .run(move |conn| -> Result<(i64, i64), AppError> {
            let (rows, _) = requests::list(conn, &scope, Some(&decide), &filter, 0, BULK_LIMIT)?;
            let by_id: HashMap<&str, &RequestRow> =
                rows.iter().map(|r| (r.id.as_str(), r)).collect();
            let chosen: Vec<&str> = if all_matching {
                rows.iter().map(|r| r.id.as_str()).collect()
            } else {
                input.ids.iter().map(String::as_str).collect()
            };
            let (mut done, mut skipped) = (0, 0);
            for id in chosen {
                // Not pending any more, or not this person's to decide: left alone and counted.
                let Some(row) = by_id.get(id) else {
                    skipped += 1;
                    continue;
                };
                let target = row_target(row);
                if !policy::allows(&actor, Action::DecideRequest, &target) {
                    skipped += 1;
                    continue;
                }
                let caller = user_for_caller.caller_for(Action::DecideRequest, &target);
                match requests::decide(conn, &caller, id, &decision) {
                    Ok(_) => done += 1,
                    Err(DecideError::AlreadyDecided(_)) => skipped += 1,
                    Err(e) => return Err(anyhow::Error::from(e).into()),
                }
            }
            Ok((done, skipped))
        })
        .await?;
    let mut location = format!("/inbox?notice=bulk&done={done}&skipped={skipped}");
    if let Some(n) = non_empty(&input.institution) {
        location.push('&');
        location.push_str(&serde_html_form::to_string([("institution", n)]).unwrap_or_default());
    }
    Ok(redirect(&location))
}
