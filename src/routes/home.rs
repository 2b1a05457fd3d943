//! `/`: each role's start page, with what waits for them and links to every page
//! of their role.

use actix_web::{HttpResponse, route, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, render};
use crate::auth::CurrentUser;
use crate::db::agreements::{self, AgreementFilter};
use crate::db::requests::{self, ListFilter};
use crate::domain::Role;
use crate::domain::keyset::CappedCount;
use crate::domain::policy::{decide_scope, view_scope};
use crate::error::AppError;
use crate::startup::AppState;

/// The start page counts no further than this ("more than 1,000").
const HOME_COUNT_CAP: i64 = 1000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home);
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    is_supplier: bool,
    is_approver: bool,
    is_overseer: bool,
    has_no_role: bool,
    /// Each count as shown, and the words after it.
    awaiting_decision: (String, String),
    pending_visible: (String, String),
    active_agreements: (String, String),
    scope_lines: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    notice: Option<String>,
}

#[route("/", method = "GET", method = "HEAD")]
async fn home(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<HomeQuery>,
) -> Result<HttpResponse, AppError> {
    let actor = user.actor();
    let view = view_scope(&actor);
    let decide = decide_scope(&actor);
    let roles = user.roles.clone();
    let tx = crate::i18n::texts();
    let (counts, scope_lines) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let mut lines = Vec::new();
            for r in &roles {
                let on = if let Some(id) = &r.supplier_id {
                    crate::db::catalog::supplier(conn, id)?
                        .map(|s| s.name)
                        .unwrap_or_else(|| id.clone())
                } else if let Some(code) = &r.municipality_code {
                    let name =
                        crate::db::register::municipality_name(conn, code)?.unwrap_or_default();
                    tx.with(
                        "home-scope-municipality",
                        &[("name", name.into()), ("code", code.clone().into())],
                    )
                } else if let Some(number) = &r.institution_number {
                    let name = crate::db::register::find(conn, number)?
                        .map(|i| i.name)
                        .unwrap_or_default();
                    format!("{name} ({number})")
                } else {
                    tx.t("home-scope-everything")
                };
                lines.push(format!("{} – {on}", tx.role(r.role)));
            }
            if view.is_empty() {
                let none = CappedCount::Exact(0);
                return Ok(((none, none, none), lines));
            }
            let pending = ListFilter {
                status: Some("pending".into()),
                ..Default::default()
            };
            let awaiting = if decide.is_empty() {
                CappedCount::Exact(0)
            } else {
                requests::count_capped(conn, &view, Some(&decide), &pending, HOME_COUNT_CAP)?
            };
            let visible = requests::count_capped(conn, &view, None, &pending, HOME_COUNT_CAP)?;
            let active = AgreementFilter {
                status: Some("active".into()),
                ..Default::default()
            };
            let agreements = agreements::count_capped(conn, &view, &active, HOME_COUNT_CAP)?;
            Ok(((awaiting, visible, agreements), lines))
        })
        .await?;
    let shown = |count: CappedCount, key: &str| (tx.capped(count), tx.about(key, count));
    let template = HomePage {
        page: Page::for_user(&user, "/").with_notice(query.notice.as_deref()),
        is_supplier: user.has_role(Role::is_supplier),
        is_approver: user
            .has_role(|r| matches!(r, Role::MunicipalOfficer | Role::InstitutionStaff))
            || !user.grants.is_empty(),
        is_overseer: user.has_role(|r| matches!(r, Role::Operator | Role::Auditor)),
        has_no_role: user.roles.is_empty() && user.grants.is_empty(),
        awaiting_decision: shown(counts.0, "home-awaiting-after"),
        pending_visible: shown(counts.1, "home-pending-after"),
        active_agreements: shown(counts.2, "home-agreements-after"),
        scope_lines,
    };
    render(&template)
}
