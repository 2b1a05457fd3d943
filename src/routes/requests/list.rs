//! `/requests`: every request the person may see, filtered by status, institution,
//! reference or filing batch, 25 to a page.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::{RequestItem, status_options};
use crate::auth::CurrentUser;
use crate::db::requests::{self, ListFilter};
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
    pub page: Option<i64>,
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
            error = Some("Ukendt status; vis alle eller vælg en fra listen.".to_string());
        }
        known
    });
    let institution_number =
        non_empty(&query.institution).and_then(|n| match InstitutionNumber::parse(&n) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                error = Some(e.to_string());
                None
            }
        });
    let filter = ListFilter {
        status,
        institution_number,
        municipality_code: None,
        reference: non_empty(&query.reference).map(|r| r.to_uppercase()),
        batch_id: non_empty(&query.batch),
        by_klynge: false,
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
    let (page_number, offset) = Pager::offset(query.page);
    let (rows, total) = if view.is_empty() {
        (Vec::new(), 0)
    } else {
        state
            .db
            .run(move |conn| -> Result<_, AppError> {
                Ok(requests::list(
                    conn,
                    &view,
                    None,
                    &filter,
                    offset,
                    crate::routes::PAGE_SIZE,
                )?)
            })
            .await?
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let pager = Pager::new(
        "/requests",
        &[
            ("status", text(&query.status)),
            ("institution", text(&query.institution)),
            ("reference", text(&query.reference)),
            ("batch", text(&query.batch)),
        ],
        page_number,
        total,
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
    })
}
