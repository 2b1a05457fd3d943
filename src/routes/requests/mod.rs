//! Request pages: the role-scoped list, the approvers' inbox with bulk decisions,
//! the filing form, and the detail page with withdraw and decide.

pub(crate) mod detail;
mod inbox;
mod list;
mod new;

pub(crate) use detail::file_again_at;
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
    /// The words of that klynge's select-all button, with the heading (the inbox).
    pub group_select: Option<String>,
    pub service: String,
    pub supplier: String,
    /// The requested scopes, where the list shows them (the inbox).
    pub scopes: Vec<ScopeTag>,
    /// The reference of the agreement a renewal renews, where the list shows it (the inbox).
    pub renews: Option<String>,
    /// How long it has waited, in words ("3 dage"), where the list shows it (the inbox).
    pub age: Option<String>,
}

impl RequestItem {
    /// The klynge the row belongs to, as the inbox's select-all names it ("-": none).
    pub fn klynge_key(&self) -> &str {
        self.parent_number.as_deref().unwrap_or(NO_KLYNGE)
    }
}

/// The klynge key of rows at institutions without a klynge.
pub const NO_KLYNGE: &str = "-";

/// How long something filed at `filed_at` has waited by `now`, in whole days, in words.
pub fn age_text(filed_at: time::PrimitiveDateTime, now: time::PrimitiveDateTime) -> String {
    let days = (now - filed_at).whole_days().max(0);
    crate::i18n::texts().with(
        "inbox-age",
        &[(
            "days",
            fluent_templates::fluent_bundle::FluentValue::from(days),
        )],
    )
}

/// A requested scope as a list row shows it: its name, marked when sensitive.
pub struct ScopeTag {
    pub name: String,
    pub sensitive: bool,
}

impl From<crate::db::requests::RequestScope> for ScopeTag {
    fn from(s: crate::db::requests::RequestScope) -> Self {
        Self {
            name: crate::i18n::texts()
                .pick(&s.name_da, &s.name_en)
                .to_string(),
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
            group_select: None,
            service: r.service_name.clone(),
            supplier: r.supplier_name.clone(),
            scopes: Vec::new(),
            renews: None,
            age: None,
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
