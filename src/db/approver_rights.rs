//! Who holds the right to decide at institutions, as facts for the approver-rights page
//! and its API: the active staff attached to each institution, the active officers of
//! each municipality, and the delegations (fuldmagter) in force today — institutions'
//! staff letting the municipality decide, officers letting a colleague decide. Whether
//! officers decide at an institution is the policy's rule; this only gathers.

use std::collections::HashMap;

use diesel::prelude::*;
use time::Date;

use super::DbConnection;
use super::register::Institution;
use super::schema::{delegations, institutions, role_assignments, users};
use crate::domain::Role;
use crate::domain::policy::DelegationKind;

/// A person holding a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub email: String,
}

/// A delegation in force: who gave it, to whom (none: to the municipality), its period.
#[derive(Debug, Clone)]
pub struct InForce {
    pub granted_by: String,
    pub granted_to: Option<String>,
    pub valid_from: Date,
    pub valid_until: Date,
}

/// The facts about some institutions and their municipalities.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Staff by institution number.
    pub staff: HashMap<String, Vec<Holder>>,
    /// Officers by municipality code.
    pub officers: HashMap<String, Vec<Holder>>,
    /// Delegations from an institution to its municipality, by institution number.
    pub institution_delegations: HashMap<String, Vec<InForce>>,
    /// Delegations from an officer to a colleague, by municipality code.
    pub colleague_delegations: HashMap<String, Vec<InForce>>,
}

/// The first `limit` active institutions administered by `municipality` after the
/// number `after` (from the start without it), by number: a page of the approvers list.
pub fn institutions_of(
    conn: &mut DbConnection,
    municipality: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Institution>> {
    let mut q = institutions::table
        .filter(institutions::municipality_code.eq(municipality))
        .filter(institutions::status.eq("active"))
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(institutions::number.gt(after.to_string()));
    }
    q.order(institutions::number)
        .limit(limit)
        .select(Institution::as_select())
        .load(conn)
}

fn holders(
    conn: &mut DbConnection,
    role: Role,
    numbers: &[String],
    municipalities: &[String],
) -> QueryResult<Vec<(String, Holder)>> {
    let q = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(role.as_str()))
        .filter(users::status.eq("active"));
    let rows: Vec<(Option<String>, String, String)> = if role == Role::InstitutionStaff {
        q.filter(role_assignments::institution_number.eq_any(numbers))
            .select((
                role_assignments::institution_number,
                users::display_name,
                users::email,
            ))
            .order(users::display_name)
            .load(conn)?
    } else {
        q.filter(role_assignments::municipality_code.eq_any(municipalities))
            .select((
                role_assignments::municipality_code,
                users::display_name,
                users::email,
            ))
            .order(users::display_name)
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .filter_map(|(key, name, email)| Some((key?, Holder { name, email })))
        .collect())
}

/// A delegation row: kind, institution, municipality, granted by, granted to, period.
type DelegationRow = (
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Date,
    Date,
);

/// Gathers the facts about `numbers` (at most a few thousand) and `municipalities`.
pub fn facts(
    conn: &mut DbConnection,
    numbers: &[String],
    municipalities: &[String],
    today: Date,
) -> QueryResult<Facts> {
    let mut facts = Facts::default();
    for chunk in numbers.chunks(super::IN_LIST_CHUNK) {
        for (number, h) in holders(conn, Role::InstitutionStaff, chunk, &[])? {
            facts.staff.entry(number).or_default().push(h);
        }
    }
    for (code, h) in holders(conn, Role::MunicipalOfficer, &[], municipalities)? {
        facts.officers.entry(code).or_default().push(h);
    }
    let in_force = delegations::table
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::valid_from.le(today))
        .filter(delegations::valid_until.ge(today));
    let mut rows: Vec<DelegationRow> = Vec::new();
    for chunk in numbers.chunks(super::IN_LIST_CHUNK) {
        rows.extend(
            in_force
                .filter(delegations::kind.eq(DelegationKind::InstitutionToMunicipality.as_str()))
                .filter(delegations::institution_number.eq_any(chunk))
                .select((
                    delegations::kind,
                    delegations::institution_number,
                    delegations::municipality_code,
                    delegations::granted_by,
                    delegations::granted_to,
                    delegations::valid_from,
                    delegations::valid_until,
                ))
                .load::<DelegationRow>(conn)?,
        );
    }
    rows.extend(
        in_force
            .filter(delegations::kind.eq(DelegationKind::OfficerToColleague.as_str()))
            .filter(delegations::municipality_code.eq_any(municipalities))
            .select((
                delegations::kind,
                delegations::institution_number,
                delegations::municipality_code,
                delegations::granted_by,
                delegations::granted_to,
                delegations::valid_from,
                delegations::valid_until,
            ))
            .load::<DelegationRow>(conn)?,
    );
    let mut ids: Vec<String> = rows
        .iter()
        .flat_map(|r| [Some(r.3.clone()), r.4.clone()])
        .flatten()
        .collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    for (kind, institution, municipality, by, to, from, until) in rows {
        let entry = InForce {
            granted_by: name(&by),
            granted_to: to.as_deref().map(name),
            valid_from: from,
            valid_until: until,
        };
        match (DelegationKind::parse(&kind), institution) {
            (Some(DelegationKind::InstitutionToMunicipality), Some(n)) => facts
                .institution_delegations
                .entry(n)
                .or_default()
                .push(entry),
            (Some(DelegationKind::OfficerToColleague), _) => facts
                .colleague_delegations
                .entry(municipality)
                .or_default()
                .push(entry),
            _ => {}
        }
    }
    Ok(facts)
}
