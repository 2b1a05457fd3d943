//! Who holds approver rights: for each institution a person covers (staff their own
//! institutions, officers every active institution of their municipality — the policy's
//! `ViewApprovers`), who may decide there: its staff, the municipality's officers when the
//! institution is kommunal or has delegated to the municipality (with the delegation's
//! period), and colleagues deciding for an officer under a delegation in force.

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

#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub municipalities: Vec<MunicipalityRights>,
    pub institutions: Vec<InstitutionRights>,
}

/// The approver rights at the institutions `actor` covers; `Forbidden` for a person who
/// covers none (suppliers, operators, auditors).
pub fn overview(conn: &mut DbConnection, actor: &Actor, today: Date) -> Result<Overview> {
    let mut candidates = Vec::new();
    let own: Vec<String> = actor
        .roles
        .iter()
        .filter(|r| r.role == Role::InstitutionStaff)
        .filter_map(|r| r.institution_number.clone())
        .collect();
    candidates.extend(register::find_many(conn, &own)?);
    for r in &actor.roles {
        if let (Role::MunicipalOfficer, Some(m)) = (r.role, &r.municipality_code) {
            candidates.extend(approver_rights::institutions_of(conn, m)?);
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
    if candidates.is_empty() {
        return Err(Error::Forbidden);
    }
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
    })
}
