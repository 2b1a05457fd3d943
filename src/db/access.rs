//! The access check's reads: for one service and many institutions, each institution's
//! open agreement (or, where none is open, its latest closed one) with its scopes. Open
//! agreements are found on the `agreements_one_open` index, closed ones on
//! `agreements_service_institution`, their scopes on the primary key of `agreement_scopes`.

use std::collections::HashMap;

use diesel::prelude::*;
use time::Date;

use super::DbConnection;
use super::schema::{agreement_scopes, agreements, scopes, services};
use crate::domain::AgreementStatus;

/// The statuses of an open agreement.
const OPEN: [&str; 2] = ["active", "suspended"];

/// An agreement as the access check answers from it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agreements)]
pub struct AgreementFacts {
    pub id: String,
    pub reference: String,
    pub institution_number: String,
    pub status: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

impl AgreementFacts {
    pub fn status(&self) -> Option<AgreementStatus> {
        AgreementStatus::parse(&self.status)
    }
}

/// The agreement each institution has with `service_id`, with its scopes: the open one,
/// or the latest closed one where none is open; institutions with none are left out. The
/// open ones and their scopes come in one statement (one round trip for a single pair);
/// only institutions without an open one are looked up again, on
/// `agreements_service_institution`.
pub fn agreements_of(
    conn: &mut DbConnection,
    service_id: &str,
    institution_numbers: &[String],
) -> QueryResult<HashMap<String, (AgreementFacts, Vec<String>)>> {
    let mut found: HashMap<String, (AgreementFacts, Vec<String>)> = HashMap::new();
    for chunk in institution_numbers.chunks(super::IN_LIST_CHUNK) {
        let query = agreements::table
            .left_join(agreement_scopes::table)
            .filter(agreements::service_id.eq(service_id))
            // Spelled out rather than the shared SQL literal, which diesel may not keep
            // prepared: this is the statement data providers run the most.
            .filter(
                agreements::status
                    .eq(OPEN[0])
                    .or(agreements::status.eq(OPEN[1])),
            )
            .select((
                AgreementFacts::as_select(),
                agreement_scopes::scope_code.nullable(),
            ))
            .into_boxed();
        // One number is asked by `=`: SQLite cannot keep an `IN (…)` list prepared.
        let query = match chunk {
            [one] => query.filter(agreements::institution_number.eq(one)),
            many => query.filter(agreements::institution_number.eq_any(many)),
        };
        let open: Vec<(AgreementFacts, Option<String>)> = query.load(conn)?;
        keep(&mut found, open);
    }
    let closed_wanted: Vec<String> = institution_numbers
        .iter()
        .filter(|n| !found.contains_key(*n))
        .cloned()
        .collect();
    for chunk in closed_wanted.chunks(super::IN_LIST_CHUNK) {
        let closed: Vec<(AgreementFacts, Option<String>)> = agreements::table
            .left_join(agreement_scopes::table)
            .filter(agreements::service_id.eq(service_id))
            .filter(agreements::institution_number.eq_any(chunk))
            .order((agreements::created_at.desc(), agreements::id))
            .select((
                AgreementFacts::as_select(),
                agreement_scopes::scope_code.nullable(),
            ))
            .load(conn)?;
        keep(&mut found, closed);
    }
    Ok(found)
}

/// Keeps each institution's first agreement of `rows` with its scopes (rows come newest
/// first, one per scope: an older agreement of the same institution does not replace it).
fn keep(
    found: &mut HashMap<String, (AgreementFacts, Vec<String>)>,
    rows: Vec<(AgreementFacts, Option<String>)>,
) {
    for (facts, scope) in rows {
        let entry = found
            .entry(facts.institution_number.clone())
            .or_insert_with(|| (facts.clone(), Vec::new()));
        if entry.0.id == facts.id {
            entry.1.extend(scope);
        }
    }
}

/// Whether a service with this id exists (retired ones too: their agreements are history).
pub fn service_exists(conn: &mut DbConnection, service_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(services::table.find(service_id))).get_result(conn)
}

/// Which of these scope codes are in the catalogue.
pub fn known_scopes(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<String>> {
    scopes::table
        .filter(scopes::code.eq_any(codes))
        .select(scopes::code)
        .load(conn)
}
