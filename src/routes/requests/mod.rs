//! Request pages: the role-scoped list, the approvers' inbox with bulk decisions,
//! the filing form, and the detail page with withdraw and decide.

pub(crate) mod detail;
mod inbox;
mod list;
mod new;

pub use detail::{HistoryItem, history_items};

use actix_web::web;

use super::datetime;
use crate::db::requests::RequestRow;
use crate::domain::RequestStatus;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/requests/new` before `/requests/{id}`.
    new::configure(cfg);
    list::configure(cfg);
    inbox::configure(cfg);
    detail::configure(cfg);
}

/// One row of a request table, ready to show.
pub struct RequestItem {
    pub id: String,
    pub reference: String,
    pub status_code: String,
    pub status_label: String,
    pub is_extension: bool,
    pub filed: String,
    pub institution_number: String,
    pub institution_name: String,
    pub parent_number: Option<String>,
    /// Set on the first row of a klynge when a list is grouped by klynge.
    pub group_heading: Option<String>,
    pub service: String,
    pub supplier: String,
    /// The requested scopes, where the list shows them (the inbox).
    pub scopes: Vec<ScopeTag>,
    /// The reference of the agreement a renewal renews, where the list shows it (the inbox).
    pub renews: Option<String>,
}

/// A requested scope as a list row shows it: its name, marked when sensitive.
pub struct ScopeTag {
    pub name: String,
    pub sensitive: bool,
}

impl From<crate::db::requests::RequestScope> for ScopeTag {
    fn from(s: crate::db::requests::RequestScope) -> Self {
        Self {
            name: s.name_da,
            sensitive: s.sensitive,
        }
    }
}

impl From<&RequestRow> for RequestItem {
    fn from(r: &RequestRow) -> Self {
        Self {
            id: r.id.clone(),
            reference: r.reference.clone(),
            status_code: r.status.clone(),
            status_label: crate::i18n::texts().request_status(&r.status),
            is_extension: r.kind == "extension",
            filed: datetime(r.filed_at),
            institution_number: r.institution_number.clone(),
            institution_name: r.institution_name.clone(),
            parent_number: r.parent_number.clone(),
            group_heading: None,
            service: r.service_name.clone(),
            supplier: r.supplier_name.clone(),
            scopes: Vec::new(),
            renews: None,
        }
    }
}

/// The status filter's options.
pub fn status_options(current: &str) -> Vec<crate::routes::Choice> {
    crate::routes::choices(
        RequestStatus::ALL
            .iter()
            .map(|s| (s.as_str(), crate::i18n::texts().request_status(s.as_str()))),
        current,
    )
}
