//! The access check's reads: for one service and many institutions, each institution's
//! open agreement (or, where none is open, its latest closed one) with its scopes. Open
//! agreements are found on the `agreements_one_open` index, their scopes on the
//! primary key of `agreement_scopes`.

use std::collections::HashMap;

use diesel::prelude::*;
use time::Date;

use super::DbConnection;
use super::schema::{agreement_scopes, agreements, scopes, services};
use crate::domain::AgreementStatus;

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
/// or the latest closed one where none is open; institutions with none are left out.
pub fn agreements_of(
    conn: &mut DbConnection,
    service_id: &str,
    institution_numbers: &[String],
) -> QueryResult<HashMap<String, (AgreementFacts, Vec<String>)>> {
    let mut found: HashMap<String, AgreementFacts> = HashMap::new();
    for chunk in institution_numbers.chunks(super::IN_LIST_CHUNK) {
        let open: Vec<AgreementFacts> = agreements::table
            .filter(agreements::service_id.eq(service_id))
            .filter(agreements::institution_number.eq_any(chunk))
            .filter(super::agreements::is_open())
            .select(AgreementFacts::as_select())
            .load(conn)?;
        found.extend(open.into_iter().map(|a| (a.institution_number.clone(), a)));
    }
    let closed_wanted: Vec<&String> = institution_numbers
        .iter()
        .filter(|n| !found.contains_key(*n))
        .collect();
    for chunk in closed_wanted.chunks(super::IN_LIST_CHUNK) {
        let closed: Vec<AgreementFacts> = agreements::table
            .filter(agreements::service_id.eq(service_id))
            .filter(agreements::institution_number.eq_any(chunk))
            .order(agreements::created_at.desc())
            .select(AgreementFacts::as_select())
            .load(conn)?;
        for a in closed {
            found.entry(a.institution_number.clone()).or_insert(a);
        }
    }
    let ids: Vec<String> = found.values().map(|a| a.id.clone()).collect();
    let mut scopes_of: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        let rows: Vec<(String, String)> = agreement_scopes::table
            .filter(agreement_scopes::agreement_id.eq_any(chunk))
            .select((agreement_scopes::agreement_id, agreement_scopes::scope_code))
            .load(conn)?;
        for (agreement, scope) in rows {
            scopes_of.entry(agreement).or_default().push(scope);
        }
    }
    Ok(found
        .into_iter()
        .map(|(number, a)| {
            let scopes = scopes_of.remove(&a.id).unwrap_or_default();
            (number, (a, scopes))
        })
        .collect())
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
