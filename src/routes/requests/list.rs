//! `/requests`: every request the person may see, filtered by status, institution,
//! reference or filing batch, 25 to a page.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::{RequestItem, status_options};
use crate::auth::CurrentUser;
use crate::db::requests::{self, ListFilter};
use crate::db::{approvers, register};
use crate::domain::policy::view_scope;
use crate::domain::{InstitutionNumber, RequestStatus};
use crate::error::AppError;
use crate::routes::{Page, Pager, non_empty, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub status: Option<String>,
    pub institution: Option<String>,
    pub reference: Option<String>,
    pub batch: Option<String>,
    /// The keyset cursor of the previous page's last row.
    pub after: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "requests/list.html")]
struct ListPage {
    page: Page,
    items: Vec<RequestItem>,
    pager: Pager,
    institution: String,
    reference: String,
    batch: String,
    statuses: Vec<crate::routes::Choice>,
    filter_error: Option<String>,
    selectable: bool,
    /// Institutions of the shown filing that nobody can decide for yet.
    no_approver: Vec<String>,
}

impl ListPage {
    fn is_selected(&self, _id: &str) -> bool {
        false
    }
}

/// Checks the typed filter values, keeping them for the form either way.
pub fn parse_filter(query: &ListQuery) -> (ListFilter, Option<String>) {
    let mut error = None;
    let status = non_empty(&query.status).filter(|s| {
        let known = RequestStatus::parse(s).is_some();
        if !known {
            error = Some(crate::i18n::texts().t("filter-unknown-status"));
        }
        known
    });
    let institution_number =
        non_empty(&query.institution).and_then(|n| match InstitutionNumber::parse(&n) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                error = Some(crate::routes::line_problems::malformed(
                    &e,
                    crate::i18n::current(),
                ));
                None
            }
        });
    let filter = ListFilter {
        status,
        institution_number,
        municipality_code: None,
        reference: non_empty(&query.reference).map(|r| r.to_uppercase()),
        batch_id: non_empty(&query.batch),
        ..ListFilter::default()
    };
    (filter, error)
}

#[get("/requests")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let view = view_scope(&user.actor());
    let (filter, filter_error) = parse_filter(&query);
    let after = non_empty(&query.after);
    let cursor_filter = filter.clone();
    let (mut rows, no_approver) = if view.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let after = after.clone();
        state
            .db
            .run(move |conn| -> Result<_, AppError> {
                let rows = requests::list(
                    conn,
                    &view,
                    None,
                    &filter,
                    after.as_deref(),
                    crate::routes::PAGE_SIZE + 1,
                )?;
                // A filing's own (first) page warns where nobody can decide yet; a
                // national filing is not looked over again on every later page.
                let nobody = match (&filter.batch_id, !rows.is_empty() && after.is_none()) {
                    (Some(batch), true) => {
                        let numbers = approvers::batch_without_approver(
                            conn,
                            batch,
                            crate::db::now().date(),
                        )?;
                        register::find_many(conn, &numbers)?
                            .into_iter()
                            .map(|i| format!("{} {}", i.number, i.name))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                Ok((rows, nobody))
            })
            .await?
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let pager = Pager::keyset(
        "/requests",
        &[
            ("status", text(&query.status)),
            ("institution", text(&query.institution)),
            ("reference", text(&query.reference)),
            ("batch", text(&query.batch)),
        ],
        &mut rows,
        after.is_none(),
        |r| r.cursor(&cursor_filter),
    );
    render(&ListPage {
        page: Page::for_user(&user, "/requests").with_notice(query.notice.as_deref()),
        items: rows.iter().map(RequestItem::from).collect(),
        pager,
        institution: text(&query.institution),
        reference: text(&query.reference),
        batch: text(&query.batch),
        statuses: status_options(&text(&query.status)),
        filter_error,
        selectable: false,
        no_approver,
    })
}
