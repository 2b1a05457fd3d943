//! Delegations (fuldmagter): staff of a non-kommunal institution let the municipality
//! decide for it; an officer lets a named colleague decide for the municipality for a
//! period. Whoever is concerned may end one.

use time::Date;

use super::{Acting, Error, Result};
use crate::db::delegations::{self, GrantError, NewDelegation};
use crate::db::{DbConnection, register, users, write_tx};
use crate::domain::policy::{
    DelegationKind, may_act_under_delegation, may_delegate_institution, may_delegate_municipality,
    may_revoke_delegation,
};
use crate::domain::request_form::parse_typed_date;

/// A delegation as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct DelegationForm {
    /// `institution` (to the municipality) or `colleague` (to another officer).
    pub kind: String,
    pub institution: String,
    pub municipality: String,
    /// The colleague's email.
    pub colleague: String,
    pub valid_from: String,
    pub valid_until: String,
}

/// Why a delegation was not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DelegationProblem {
    /// Neither kind was chosen.
    NoKind,
    /// A date is missing or not a date.
    BadDates,
    EndBeforeStart,
    /// The period ended before today.
    AlreadyOver,
    /// An officer named themselves.
    Yourself,
    /// No active person has this email.
    NoSuchPerson(String),
    /// The person is not an officer of the municipality (its name, or its code when
    /// the name is unknown).
    NotAnOfficer {
        email: String,
        municipality: String,
    },
}

/// Gives a delegation; returns its id.
pub fn grant(
    conn: &mut DbConnection,
    acting: &Acting,
    form: &DelegationForm,
    today: Date,
) -> Result<std::result::Result<String, DelegationProblem>> {
    use DelegationProblem as P;
    let (from, until) = match (
        parse_typed_date(&form.valid_from),
        parse_typed_date(&form.valid_until),
    ) {
        (Some(f), Some(u)) if u < f => return Ok(Err(P::EndBeforeStart)),
        (Some(_), Some(u)) if u < today => return Ok(Err(P::AlreadyOver)),
        (Some(f), Some(u)) => (f, u),
        _ => return Ok(Err(P::BadDates)),
    };
    let new = match form.kind.as_str() {
        "institution" => {
            let inst = register::find(conn, &form.institution)?;
            let allowed = inst
                .as_ref()
                .is_some_and(|i| may_delegate_institution(&acting.actor, &i.number, i.ownership()));
            if !allowed {
                return Err(Error::Forbidden);
            }
            NewDelegation::InstitutionToMunicipality {
                institution_number: form.institution.clone(),
            }
        }
        "colleague" => {
            if !may_delegate_municipality(&acting.actor, &form.municipality) {
                return Err(Error::Forbidden);
            }
            let email = form.colleague.trim();
            let Some(colleague) = users::find_by_email(conn, email)?.filter(|u| u.is_active())
            else {
                return Ok(Err(P::NoSuchPerson(email.to_string())));
            };
            if colleague.id == acting.user_id() {
                return Ok(Err(P::Yourself));
            }
            let roles = users::roles_of(conn, &colleague.id)?;
            if !may_act_under_delegation(
                DelegationKind::OfficerToColleague,
                &form.municipality,
                &roles,
            ) {
                let municipality = register::municipality_name(conn, &form.municipality)?
                    .unwrap_or_else(|| form.municipality.clone());
                return Ok(Err(P::NotAnOfficer {
                    email: colleague.email,
                    municipality,
                }));
            }
            NewDelegation::OfficerToColleague {
                municipality_code: form.municipality.clone(),
                colleague_id: colleague.id,
            }
        }
        _ => return Ok(Err(P::NoKind)),
    };
    let caller = acting.caller(None);
    write_tx(conn, |conn| {
        // The colleague's roles may have changed since the check above: ask again, in the
        // transaction that gives the delegation.
        if let NewDelegation::OfficerToColleague {
            municipality_code,
            colleague_id,
        } = &new
            && !may_act_under_delegation(
                DelegationKind::OfficerToColleague,
                municipality_code,
                &users::roles_of(conn, colleague_id)?,
            )
        {
            return Ok(Err(P::NotAnOfficer {
                email: form.colleague.trim().to_string(),
                municipality: form.municipality.clone(),
            }));
        }
        match delegations::grant(conn, &caller, new, from, until) {
            Ok(id) => Ok(Ok(id)),
            Err(GrantError::UnknownInstitution) => Err(Error::NotFound),
            Err(GrantError::Database(e)) => Err(e.into()),
        }
    })
}

/// Ends a delegation early.
pub fn revoke(conn: &mut DbConnection, acting: &Acting, id: &str) -> Result<()> {
    let d = delegations::find(conn, id)?.ok_or(Error::NotFound)?;
    if !may_revoke_delegation(
        &acting.actor,
        &d.granted_by,
        d.institution_number.as_deref(),
        &d.municipality_code,
    ) {
        return Err(Error::Forbidden);
    }
    write_tx(conn, |conn| {
        delegations::revoke(conn, &acting.caller(None), id)
    })?;
    Ok(())
}
