//! Who holds approver rights: for each institution a person covers (staff their own
//! institutions, officers every active institution of their municipality — the policy's
//! `ViewApprovers`), who may decide there: its staff, the municipality's officers when the
//! institution is kommunal or has delegated to the municipality (with the delegation's
//! period), and colleagues deciding for an officer under a delegation in force. It is
//! read a page at a time, by institution number (keyset: after the last number shown).

use time::Date;

use super::{Error, Result};
use crate::db::approver_rights::{self, Holder, InForce};
use crate::db::{DbConnection, register};
use crate::domain::Role;
use crate::domain::codes::Ownership;
use crate::domain::policy::{self, Action, Actor, Target};

/// One institution and who decides there.
#[derive(Debug, Clone)]
pub struct InstitutionRights {
    pub number: String,
    pub name: String,
    pub ownership_code: String,
    pub municipality_code: String,
    pub staff: Vec<Holder>,
    /// Whether the municipality's officers (and their colleagues under delegation) decide
    /// here: the institution is kommunal, or delegated to the municipality.
    pub officers_decide: bool,
    /// The institution's delegations to the municipality in force today.
    pub delegations: Vec<InForce>,
}

/// One municipality: its officers and their colleagues deciding under delegation.
#[derive(Debug, Clone)]
pub struct MunicipalityRights {
    pub code: String,
    pub name: String,
    pub officers: Vec<Holder>,
    pub delegations: Vec<InForce>,
}

/// One page of the approver rights: its institutions and their municipalities.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    /// The municipalities of this page's institutions.
    pub municipalities: Vec<MunicipalityRights>,
    pub institutions: Vec<InstitutionRights>,
    /// The number of the page's last institution when more follow: where the next page
    /// starts (after it).
    pub next_after: Option<String>,
}

/// A page of the approver rights at the institutions `actor` covers, by number: at most
/// `limit` institutions after the number `after` (from the first without it); `Forbidden`
/// for a person who covers none (suppliers, operators, auditors). A municipal officer of
/// a large municipality covers thousands, so nothing reads them all at once.
pub fn overview(
    conn: &mut DbConnection,
    actor: &Actor,
    today: Date,
    after: Option<&str>,
    limit: i64,
) -> Result<Overview> {
    let covers_some = actor.roles.iter().any(|r| {
        matches!(
            (r.role, &r.institution_number, &r.municipality_code),
            (Role::InstitutionStaff, Some(_), _) | (Role::MunicipalOfficer, _, Some(_))
        )
    });
    if !covers_some {
        return Err(Error::Forbidden);
    }
    let limit = limit.max(1);
    let mut candidates = Vec::new();
    let own: Vec<String> = actor
        .roles
        .iter()
        .filter(|r| r.role == Role::InstitutionStaff)
        .filter_map(|r| r.institution_number.clone())
        .filter(|n| after.is_none_or(|a| n.as_str() > a))
        .collect();
    candidates.extend(register::find_many(conn, &own)?);
    for r in &actor.roles {
        if let (Role::MunicipalOfficer, Some(m)) = (r.role, &r.municipality_code) {
            // Each source gives its first page and a row more; merged, the first of
            // them are the page.
            candidates.extend(approver_rights::institutions_of(conn, m, after, limit + 1)?);
        }
    }
    candidates.sort_by(|a, b| a.number.cmp(&b.number));
    candidates.dedup_by(|a, b| a.number == b.number);
    candidates.retain(|i| {
        policy::allows(
            actor,
            Action::ViewApprovers,
            &Target {
                supplier_id: "",
                institution_number: &i.number,
                municipality_code: &i.municipality_code,
                ownership: i.ownership(),
            },
        )
    });
    if candidates.is_empty() && after.is_none() {
        return Err(Error::Forbidden);
    }
    let next_after = if candidates.len() as i64 > limit {
        candidates.truncate(limit as usize);
        candidates.last().map(|i| i.number.clone())
    } else {
        None
    };
    let numbers: Vec<String> = candidates.iter().map(|i| i.number.clone()).collect();
    let mut codes: Vec<String> = candidates
        .iter()
        .map(|i| i.municipality_code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    let mut facts = approver_rights::facts(conn, &numbers, &codes, today)?;
    let mut municipalities = Vec::new();
    for code in codes {
        municipalities.push(MunicipalityRights {
            name: register::municipality_name(conn, &code)?.unwrap_or_else(|| code.clone()),
            officers: facts.officers.remove(&code).unwrap_or_default(),
            delegations: facts
                .colleague_delegations
                .remove(&code)
                .unwrap_or_default(),
            code,
        });
    }
    let institutions = candidates
        .into_iter()
        .map(|i| {
            let delegations = facts
                .institution_delegations
                .remove(&i.number)
                .unwrap_or_default();
            InstitutionRights {
                staff: facts.staff.remove(&i.number).unwrap_or_default(),
                // Whether officers (any) decide here, by the policy's rule.
                officers_decide: policy::someone_decides(
                    Ownership::from_code(&i.ownership_code),
                    false,
                    true,
                    !delegations.is_empty(),
                ),
                delegations,
                number: i.number,
                name: i.name,
                ownership_code: i.ownership_code,
                municipality_code: i.municipality_code,
            }
        })
        .collect();
    Ok(Overview {
        municipalities,
        institutions,
        next_after,
    })
}
