//! `/inbox`: the pending requests an approver may decide, across every institution they
//! cover, with bulk approve / reject of the selected rows or of everything matching the
//! filter (the national portal allows this one institution at a time). Each row shows
//! how long it has waited and its scopes (fetched for the whole page in one query).
//!
//! Select-all per klynge: each klynge's heading row has a button that selects the page's
//! rows of that klynge. Without JavaScript it posts the form back and the page returns
//! with those rows ticked (and everything else kept); with JavaScript
//! (`/static/inbox.js`) it ticks them in place. Deciding a whole klynge across pages is
//! "all that match" with the klynge's number as the filter.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{RequestItem, ScopeTag};
use crate::app::bulk_decisions::{BulkChoice, BulkCommand};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::requests::{self, Decision, ListFilter};
use crate::domain::InstitutionNumber;
use crate::domain::policy::{decide_scope, view_scope};
use crate::error::AppError;
use crate::routes::{Page, Pager, non_empty, redirect, render, render_invalid};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(inbox)
        .service(bulk_decide)
        .service(inbox_script);
}

/// The inbox's one script: the select-all buttons tick their klynge's rows in place.
#[get("/static/inbox.js")]
async fn inbox_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../../static/inbox.js"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InboxQuery {
    institution: Option<String>,
    /// The keyset cursor of the previous page's last row.
    after: Option<String>,
    notice: Option<String>,
    done: Option<i64>,
    skipped: Option<i64>,
    sensitive_left: Option<i64>,
}

/// A row of the page carrying sensitive scopes, listed in the bulk form's confirmation.
struct SensitiveLine {
    id: String,
    reference: String,
    institution: String,
    supplier: String,
    scopes: String,
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
    form_error: Option<String>,
    done: Option<i64>,
    skipped: Option<i64>,
    sensitive_left: Option<i64>,
    selectable: bool,
    sensitive: Vec<SensitiveLine>,
    confirmed: Vec<String>,
    /// The keyset cursor this page starts after, so a select-all posts back to this page.
    after: String,
}

impl InboxPage {
    fn is_selected(&self, id: &str) -> bool {
        self.selected.iter().any(|s| s == id)
    }

    fn is_confirmed(&self, id: &str) -> bool {
        self.confirmed.iter().any(|s| s == id)
    }
}

/// Marks the first row of each klynge with a heading (and its select-all button's
/// words), so the inbox reads klynge by klynge.
fn with_klynge_headings(
    mut items: Vec<RequestItem>,
    names: &[(String, String)],
) -> Vec<RequestItem> {
    let tx = crate::i18n::texts();
    let mut previous: Option<Option<String>> = None;
    for item in items.iter_mut() {
        if previous.as_ref() != Some(&item.parent_number) {
            let (heading, select) = match &item.parent_number {
                Some(p) => {
                    let name = names
                        .iter()
                        .find(|(n, _)| n == p)
                        .map(|(_, name)| name.as_str())
                        .unwrap_or("");
                    (
                        tx.with_two("inbox-klynge", "number", p, "name", name),
                        tx.a("inbox-select-klynge", "klynge", &format!("{p} {name}")),
                    )
                }
                None => (tx.t("inbox-no-klynge"), tx.t("inbox-select-no-klynge")),
            };
            item.group_heading = Some(heading);
            item.group_select = Some(select);
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
            Err(e) => {
                error = Some(crate::routes::line_problems::malformed(
                    &e,
                    crate::i18n::current(),
                ))
            }
        }
    }
    (filter, error)
}

struct InboxView {
    institution: Option<String>,
    after: Option<String>,
    /// Tick every row of this klynge on the page too ([`super::NO_KLYNGE`]: rows without one).
    select_klynge: Option<String>,
    selected: Vec<String>,
    reason: String,
    confirmed: Vec<String>,
    form_error: Option<String>,
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
    let after = view.after.clone();
    let cursor_filter = filter.clone();
    let (mut rows, klynge_names, mut scopes, renewing) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let rows = requests::list(
                conn,
                &scope,
                Some(&decide),
                &filter,
                after.as_deref(),
                crate::routes::PAGE_SIZE + 1,
            )?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let scopes = requests::scopes_by_request(conn, &ids)?;
            let mut parents: Vec<String> = rows
                .iter()
                .filter_map(|r| r.parent_number.clone())
                .collect();
            parents.dedup();
            let names: Vec<(String, String)> = crate::db::register::find_many(conn, &parents)?
                .into_iter()
                .map(|i| (i.number, i.name))
                .collect();
            // A renewal is filed as an extension: only those rows need asking.
            let extensions: Vec<String> = rows
                .iter()
                .filter(|r| r.kind == "extension")
                .map(|r| r.id.clone())
                .collect();
            let renewing = crate::db::renewals::renewing(conn, &extensions)?;
            Ok((rows, names, scopes, renewing))
        })
        .await?;
    let institution = view.institution.clone().unwrap_or_default();
    let pager = Pager::keyset(
        "/inbox",
        &[("institution", institution.clone())],
        &mut rows,
        view.after.is_none(),
        |r| r.cursor(&cursor_filter),
    );
    let now = crate::db::now();
    let items: Vec<RequestItem> = rows
        .iter()
        .map(|r| {
            let mut item = RequestItem::from(r);
            item.age = Some(super::age_text(r.filed_at, now));
            item.scopes = scopes
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(ScopeTag::from)
                .collect();
            item.renews = renewing.get(&r.id).cloned();
            item
        })
        .collect();
    let sensitive = items
        .iter()
        .filter(|i| i.scopes.iter().any(|s| s.sensitive))
        .map(|i| SensitiveLine {
            id: i.id.clone(),
            reference: i.reference.clone(),
            institution: format!("{} {}", i.institution_number, i.institution_name),
            supplier: format!("{}, {}", i.supplier, i.service),
            scopes: i
                .scopes
                .iter()
                .filter(|s| s.sensitive)
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let mut selected = view.selected;
    if let Some(klynge) = &view.select_klynge {
        selected.extend(
            items
                .iter()
                .filter(|i| i.klynge_key() == klynge && !selected.contains(&i.id))
                .map(|i| i.id.clone())
                .collect::<Vec<_>>(),
        );
    }
    Ok(InboxPage {
        page: Page::for_user(user, "/inbox").with_notice(query.notice.as_deref()),
        items: with_klynge_headings(items, &klynge_names),
        pager,
        institution,
        filter_error,
        selected,
        reason: view.reason,
        form_error: view.form_error,
        done: query.done,
        skipped: query.skipped,
        sensitive_left: query.sensitive_left,
        selectable: true,
        sensitive,
        confirmed: view.confirmed,
        after: view.after.unwrap_or_default(),
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
        after: non_empty(&query.after),
        select_klynge: None,
        selected: Vec::new(),
        reason: String::new(),
        confirmed: Vec::new(),
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
    /// Requests whose sensitive scopes the approver confirmed in the listing.
    confirm_sensitive: Vec<String>,
    /// Set by the confirmation step; without it the step is shown first.
    confirmed: Option<String>,
    /// A klynge's select-all button (without JavaScript): show the page again with that
    /// klynge's rows ticked, deciding nothing.
    select_klynge: Option<String>,
    /// The page the form was on (its keyset cursor).
    after: Option<String>,
}

/// The step before a bulk decision: what will happen, in words, and the button that
/// does it (carrying the choice along).
#[derive(Template)]
#[template(path = "requests/confirm_bulk.html")]
struct ConfirmBulk {
    page: Page,
    heading: String,
    what_happens: String,
    button: String,
    back: String,
    reject: bool,
    input: BulkInput,
}

fn confirm_bulk(user: &CurrentUser, input: BulkInput, reject: bool) -> ConfirmBulk {
    let tx = crate::i18n::texts();
    let decision = if reject { "reject" } else { "approve" };
    let institution = non_empty(&input.institution);
    let what_happens = if input.all_matching.is_some() {
        let filter = institution.clone().map_or_else(
            || tx.t("confirm-bulk-no-filter"),
            |n| tx.a("confirm-bulk-filter", "filter", &n),
        );
        tx.with_two(
            &format!("confirm-bulk-{decision}-all"),
            "filter",
            &filter,
            "limit",
            &tx.number(crate::app::bulk_decisions::BULK_LIMIT),
        )
    } else {
        tx.n(&format!("confirm-bulk-{decision}-chosen"), input.ids.len())
    };
    let back = match institution {
        Some(n) => format!(
            "/inbox?{}",
            serde_html_form::to_string([("institution", n)]).unwrap_or_default()
        ),
        None => "/inbox".to_string(),
    };
    ConfirmBulk {
        page: Page::for_user(user, "/inbox"),
        heading: if input.all_matching.is_some() {
            tx.t(&format!("confirm-bulk-{decision}-all-heading"))
        } else {
            tx.n(&format!("confirm-bulk-{decision}-heading"), input.ids.len())
        },
        what_happens,
        button: tx.t(&format!("confirm-bulk-{decision}-button")),
        back,
        reject,
        input,
    }
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
    if let Some(klynge) = input.select_klynge.clone() {
        let view = InboxView {
            institution: input.institution.clone(),
            after: non_empty(&input.after),
            select_klynge: Some(klynge),
            selected: input.ids,
            reason: input.reason,
            confirmed: input.confirm_sensitive,
            form_error: None,
        };
        return render(&render_inbox(&state, &user, view, &InboxQuery::default()).await?);
    }
    let reject = match input.decision.as_str() {
        "approve" => false,
        "reject" => true,
        _ => {
            return Err(AppError::BadRequest(
                crate::i18n::texts().t("decision-none"),
            ));
        }
    };
    let all_matching = input.all_matching.is_some();
    let (filter, filter_problem) = pending_filter(&input.institution);
    let form_error = if !all_matching && input.ids.is_empty() {
        Some(crate::i18n::texts().t("inbox-none-chosen"))
    } else if all_matching && filter_problem.is_some() {
        // "All that match" a filter that does not parse would be all of the inbox.
        filter_problem
    } else if reject && input.reason.trim().is_empty() {
        Some(crate::i18n::texts().t("decision-no-reason"))
    } else {
        None
    };
    if form_error.is_some() {
        let view = InboxView {
            institution: input.institution.clone(),
            after: None,
            select_klynge: None,
            selected: input.ids,
            reason: input.reason,
            confirmed: input.confirm_sensitive,
            form_error,
        };
        return render_invalid(&render_inbox(&state, &user, view, &InboxQuery::default()).await?);
    }
    if input.confirmed.is_none() {
        return render(&confirm_bulk(&user, input, reject));
    }

    let decision = if reject {
        Decision::Reject {
            reason: input.reason.trim().to_string(),
        }
    } else {
        Decision::ApproveAll {
            comment: Some(input.reason.trim().to_string()),
        }
    };
    let command = BulkCommand {
        choice: if all_matching {
            BulkChoice::AllMatching
        } else {
            BulkChoice::Selected(input.ids)
        },
        filter,
        decision,
        confirmed_sensitive: input.confirm_sensitive,
    };
    let acting = user.acting();
    let outcome = state
        .db
        .run(move |conn| crate::app::requests::bulk_decide(conn, &acting, &command))
        .await?;
    let (done, skipped, left) = (outcome.decided, outcome.skipped, outcome.sensitive_left);
    let mut location =
        format!("/inbox?notice=bulk&done={done}&skipped={skipped}&sensitive_left={left}");
    if let Some(n) = non_empty(&input.institution) {
        location.push('&');
        location.push_str(&serde_html_form::to_string([("institution", n)]).unwrap_or_default());
    }
    Ok(redirect(&location))
}
