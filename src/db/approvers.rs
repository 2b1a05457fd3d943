//! Whether anybody can decide at an institution: the facts the policy's
//! [`someone_decides`] needs (active staff, active officers of the municipality, a
//! delegation in force), gathered set-based for many institutions at once. Used to warn a
//! supplier who files where nobody can decide yet, to tell mail recipients the truth, and
//! to give operators the list of pending requests that nobody can decide.

use std::collections::HashSet;

use diesel::prelude::*;
use time::Date;

use super::DbConnection;
use super::requests::{ListFilter, RequestRow, count_capped, list};
use super::schema::{delegations, institutions, requests, role_assignments, users};
use crate::domain::Role;
use crate::domain::codes::Ownership;
use crate::domain::keyset::CappedCount;
use crate::domain::policy::{DelegationKind, ViewScope, someone_decides};

/// The operators' list counts no further than this.
pub const COUNT_CAP: i64 = 10_000;

/// Under SQLite's bound-parameter limit.
const CHUNK: usize = 5000;

/// The institutions among `numbers` that nobody can decide for today.
pub fn without_approver(
    conn: &mut DbConnection,
    numbers: &[String],
    today: Date,
) -> QueryResult<HashSet<String>> {
    let mut nobody = HashSet::new();
    let mut unique: Vec<String> = numbers.to_vec();
    unique.sort();
    unique.dedup();
    for chunk in unique.chunks(CHUNK) {
        let found: Vec<(String, String, String)> = institutions::table
            .filter(institutions::number.eq_any(chunk))
            .select((
                institutions::number,
                institutions::ownership_code,
                institutions::municipality_code,
            ))
            .load(conn)?;
        let staffed: HashSet<String> = role_assignments::table
            .inner_join(users::table)
            .filter(role_assignments::role.eq(Role::InstitutionStaff.as_str()))
            .filter(users::status.eq("active"))
            .filter(role_assignments::institution_number.eq_any(chunk))
            .select(role_assignments::institution_number.assume_not_null())
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let mut municipalities: Vec<String> = found.iter().map(|(_, _, m)| m.clone()).collect();
        municipalities.sort();
        municipalities.dedup();
        let with_officer: HashSet<String> = role_assignments::table
            .inner_join(users::table)
            .filter(role_assignments::role.eq(Role::MunicipalOfficer.as_str()))
            .filter(users::status.eq("active"))
            .filter(role_assignments::municipality_code.eq_any(&municipalities))
            .select(role_assignments::municipality_code.assume_not_null())
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let delegated: HashSet<(String, String)> = delegations::table
            .filter(delegations::kind.eq(DelegationKind::InstitutionToMunicipality.as_str()))
            .filter(delegations::revoked_at.is_null())
            .filter(delegations::valid_from.le(today))
            .filter(delegations::valid_until.ge(today))
            .filter(delegations::institution_number.eq_any(chunk))
            .select((
                delegations::institution_number.assume_not_null(),
                delegations::municipality_code,
            ))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        for (number, ownership, municipality) in found {
            let decides = someone_decides(
                Ownership::from_code(&ownership),
                staffed.contains(&number),
                with_officer.contains(&municipality),
                delegated.contains(&(number.clone(), municipality.clone())),
            );
            if !decides {
                nobody.insert(number);
            }
        }
    }
    Ok(nobody)
}

/// Whether the institution's staff have delegated its decisions to `municipality_code`
/// today.
pub fn delegated_to_municipality(
    conn: &mut DbConnection,
    institution_number: &str,
    municipality_code: &str,
    today: Date,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        delegations::table
            .filter(delegations::kind.eq(DelegationKind::InstitutionToMunicipality.as_str()))
            .filter(delegations::institution_number.eq(institution_number))
            .filter(delegations::municipality_code.eq(municipality_code))
            .filter(delegations::revoked_at.is_null())
            .filter(delegations::valid_from.le(today))
            .filter(delegations::valid_until.ge(today)),
    ))
    .get_result(conn)
}

/// The institutions of a filing (batch) that nobody can decide for yet, sorted.
pub fn batch_without_approver(
    conn: &mut DbConnection,
    batch_id: &str,
    today: Date,
) -> QueryResult<Vec<String>> {
    let numbers: Vec<String> = requests::table
        .filter(requests::batch_id.eq(batch_id))
        .select(requests::institution_number)
        .load(conn)?;
    let mut nobody: Vec<String> = without_approver(conn, &numbers, today)?
        .into_iter()
        .collect();
    nobody.sort();
    Ok(nobody)
}

/// Pending requests that nobody can decide today, by klynge and institution (at most
/// `limit`), and how many there are, counted no further than [`COUNT_CAP`].
pub fn pending_without_approver(
    conn: &mut DbConnection,
    today: Date,
    limit: i64,
) -> QueryResult<(Vec<RequestRow>, CappedCount)> {
    let waiting: Vec<String> = requests::table
        .filter(requests::status.eq("pending"))
        .select(requests::institution_number)
        .distinct()
        .load(conn)?;
    let mut nobody: Vec<String> = without_approver(conn, &waiting, today)?
        .into_iter()
        .collect();
    if nobody.is_empty() {
        return Ok((Vec::new(), CappedCount::Exact(0)));
    }
    nobody.sort();
    let filter = ListFilter {
        status: Some("pending".into()),
        institution_numbers: nobody,
        by_klynge: true,
        ..ListFilter::default()
    };
    let everything = ViewScope {
        everything: true,
        ..ViewScope::default()
    };
    let rows = list(conn, &everything, None, &filter, None, limit)?;
    let total = count_capped(conn, &everything, None, &filter, COUNT_CAP)?;
    Ok((rows, total))
}
