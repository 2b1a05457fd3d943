//! The agreement change feed's reads: the audit log's agreement rows after a sequence
//! number, in sequence order — which is commit order, since every writer holds the
//! chain's head from its first audit row until it commits — with each agreement as it
//! stands now.

use std::collections::HashMap;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::access::AgreementFacts;
use super::schema::{agreement_scopes, agreements, audit_log, services};

/// One change: its place in the feed, what happened, to which agreement, when.
#[derive(Debug, Clone, Queryable)]
pub struct ChangeRow {
    pub seq: i64,
    pub action: String,
    pub agreement_id: String,
    pub occurred_at: PrimitiveDateTime,
}

/// An agreement as the feed shows it: its facts, service, supplier and scopes now.
#[derive(Debug, Clone)]
pub struct AgreementNow {
    pub facts: AgreementFacts,
    pub service_id: String,
    pub supplier_id: String,
    pub scopes: Vec<String>,
}

/// Up to `limit` agreement changes after `after_seq`, with the agreements they touched.
pub fn after(
    conn: &mut DbConnection,
    after_seq: i64,
    limit: i64,
) -> QueryResult<(Vec<ChangeRow>, HashMap<String, AgreementNow>)> {
    // Written out, not bound: planned once for any value, `target_type = $1` reads like
    // any kind of row, and PostgreSQL walked the whole log in order (0.5-5 s a page at
    // national size) instead of the agreement rows of `audit_log_target_seq`.
    let changes: Vec<ChangeRow> = audit_log::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "audit_log.target_type = 'agreement'",
        ))
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq)
        .limit(limit)
        .select((
            audit_log::seq,
            audit_log::action,
            audit_log::target_id,
            audit_log::occurred_at,
        ))
        .load(conn)?;
    let mut ids: Vec<String> = changes.iter().map(|c| c.agreement_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut found = HashMap::new();
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        let rows: Vec<(AgreementFacts, String, String)> = agreements::table
            .inner_join(services::table)
            .filter(agreements::id.eq_any(chunk))
            .select((
                AgreementFacts::as_select(),
                agreements::service_id,
                services::supplier_id,
            ))
            .load(conn)?;
        let scopes: Vec<(String, String)> = agreement_scopes::table
            .filter(agreement_scopes::agreement_id.eq_any(chunk))
            .order((agreement_scopes::agreement_id, agreement_scopes::scope_code))
            .select((agreement_scopes::agreement_id, agreement_scopes::scope_code))
            .load(conn)?;
        let mut scopes_of: HashMap<String, Vec<String>> = HashMap::new();
        for (agreement, scope) in scopes {
            scopes_of.entry(agreement).or_default().push(scope);
        }
        for (facts, service_id, supplier_id) in rows {
            let scopes = scopes_of.remove(&facts.id).unwrap_or_default();
            found.insert(
                facts.id.clone(),
                AgreementNow {
                    facts,
                    service_id,
                    supplier_id,
                    scopes,
                },
            );
        }
    }
    Ok((changes, found))
}
