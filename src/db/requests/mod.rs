//! Data-access requests: the row type, the list and detail queries, and (in the
//! submodules) the use cases that change them: filing, deciding, withdrawing.

mod decide;
mod decide_many;
mod extension;
mod file;
mod query;

pub use decide::{DecideError, Decided, Decision, decide, lapse, withdraw};
pub use decide_many::{DecidedMany, ToDecide, decide_many};
pub use extension::{Extension, HeldScope, extended_agreement};
pub use file::{FileCommand, FileError, Filed, file, register_problems};
pub use query::{
    ListFilter, RequestDetail, RequestRow, RequestScope, count_capped, detail, list, scope_codes,
    scopes_by_request, summary,
};

/// "The request is pending" written out as SQL, not bound: a statement PostgreSQL plans
/// once for any value reads a bound `status = $1` as any status, so the sweeps' batches
/// walked every request by filing date instead of their indexes of pending ones (see
/// `agreements::is_open` for the same on agreements).
pub(crate) fn is_pending() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql("requests.status = 'pending'")
}

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use super::schema::requests;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = requests)]
pub struct Request {
    pub id: String,
    pub reference: String,
    pub batch_id: String,
    pub service_id: String,
    pub institution_number: String,
    pub kind: String,
    pub purpose: String,
    pub sensitive_reason: Option<String>,
    pub wished_start: Date,
    pub wished_end: Option<Date>,
    pub message: Option<String>,
    pub status: String,
    pub filed_by: String,
    pub filed_at: PrimitiveDateTime,
    pub decided_by: Option<String>,
    pub decided_role: Option<String>,
    pub decided_at: Option<PrimitiveDateTime>,
    pub decision_reason: Option<String>,
    pub decided_delegation: Option<String>,
    pub decision_reason_code: Option<String>,
    pub decision_reason_args: Option<String>,
    /// The agreement this request renews, when the supplier filed it as a renewal.
    pub renews_agreement_id: Option<String>,
}

impl Request {
    /// Why it was decided, withdrawn or lapsed: the decider's words or the system's reason.
    pub fn reason(&self) -> Option<crate::domain::Reason> {
        crate::domain::Reason::from_columns(
            self.decision_reason.as_deref(),
            self.decision_reason_code.as_deref(),
            self.decision_reason_args.as_deref(),
        )
    }
}

/// Counter names for references: one sequence per prefix and year.
pub(crate) fn counter_name(prefix: &str, year: i32) -> String {
    format!("{prefix}-{year}")
}
