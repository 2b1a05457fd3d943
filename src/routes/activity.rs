//! `/suppliers/{supplier}/activity`: who did what on a supplier's account — the audit
//! rows about the supplier, newest first, a keyset page at a time (`before` is the
//! sequence number of the last row shown), each row's facts read as words.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::audit_details::{DetailLine, readable};
use super::services::{Tabs, nav_for};
use super::{Page, datetime, render};
use crate::auth::CurrentUser;
use crate::db::audit::query::AuditEntry;
use crate::db::catalog::{self, Supplier};
use crate::error::AppError;
use crate::startup::AppState;

const PAGE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(activity);
}

/// One row as the page shows it.
struct Item {
    seq: i64,
    when: String,
    actor: String,
    action: String,
    target: String,
    target_href: Option<String>,
    details: Vec<DetailLine>,
}

#[derive(Template)]
#[template(path = "supplier/activity.html")]
struct ActivityPage {
    page: Page,
    tabs: Tabs,
    supplier: Supplier,
    items: Vec<Item>,
    older: Option<String>,
    newest: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Query {
    before: Option<i64>,
}

fn item(e: &AuditEntry, scopes: &[catalog::Scope]) -> Item {
    let tx = crate::i18n::texts();
    let r = &e.row;
    let role = r.actor_role.as_deref().map(|code| tx.role_code(code));
    let actor = match (&e.actor_name, role) {
        (Some(name), Some(role)) => format!("{name} ({role})"),
        (Some(name), None) => name.clone(),
        (None, _) => tx.t("actor-system"),
    };
    let scope_name = |code: &str| {
        scopes.iter().find(|s| s.code == code).map_or_else(
            || code.to_string(),
            |s| tx.pick(&s.name_da, &s.name_en).to_string(),
        )
    };
    let facts: serde_json::Value = serde_json::from_str(&r.details).unwrap_or_default();
    let fact = |key: &str| facts.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let target = fact("reference")
        .or_else(|| fact("name"))
        .or_else(|| {
            facts
                .pointer("/after/name")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .or_else(|| fact("email"))
        .unwrap_or_else(|| r.target_id.clone());
    let target_href = match r.target_type.as_str() {
        "request" => Some(format!("/requests/{}", r.target_id)),
        "agreement" => Some(format!("/agreements/{}", r.target_id)),
        "service" => r
            .supplier_id
            .as_ref()
            .map(|s| format!("/suppliers/{s}/services/{}", r.target_id)),
        _ => None,
    };
    Item {
        seq: r.seq,
        when: datetime(r.occurred_at),
        actor,
        action: tx.audit_action(&r.action),
        target,
        target_href,
        details: readable(&r.details, &r.target_type, tx, &scope_name, &|c| {
            c.to_string()
        }),
    }
}

#[get("/suppliers/{supplier}/activity")]
async fn activity(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let supplier_id = path.into_inner();
    let before = query.before;
    let (acting, id) = (user.acting(), supplier_id.clone());
    let (supplier, mut rows, scopes) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (supplier, rows) =
                crate::app::activity::page(conn, &acting, &id, before, PAGE + 1)?;
            Ok((supplier, rows, catalog::scopes(conn)?))
        })
        .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let base = format!("/suppliers/{supplier_id}/activity");
    render(&ActivityPage {
        page: Page::for_user(&user, nav_for(&user, &supplier_id)),
        tabs: Tabs::new(&user, &supplier_id, "activity"),
        supplier,
        older: more
            .then(|| rows.last().map(|r| format!("{base}?before={}", r.row.seq)))
            .flatten(),
        newest: before.map(|_| base.clone()),
        items: rows.iter().map(|e| item(e, &scopes)).collect(),
    })
}
