//! One agreement: reading it, the supplier terminating it, the institution side revoking
//! it (with a reason the supplier is shown), and moving one on a legacy A-number to the
//! G-number that replaces it. Unseen agreements are `NotFound`, actions not allowed on a
//! seen one `Forbidden`.

use std::collections::HashMap;

use super::{Acting, Error, Result};
use crate::db::agreement_changes::{self, AgreementNow, ChangeRow};
use crate::db::agreements::{
    self, AgreementDetail, AgreementFilter, AgreementRow, EndError, MoveError, ReportFacts,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::AgreementStatus;
use crate::domain::codes::Ownership;
use crate::domain::policy::{self, Action, Target};

/// The policy's view of an agreement.
pub fn target(d: &AgreementDetail) -> Target<'_> {
    Target {
        supplier_id: &d.supplier.id,
        institution_number: &d.institution.number,
        municipality_code: &d.institution.municipality_code,
        ownership: Ownership::from_code(&d.institution.ownership_code),
    }
}

/// The agreement with its scopes and history, if `acting` may see it.
pub fn read(conn: &mut DbConnection, acting: &Acting, id: &str) -> Result<AgreementDetail> {
    let detail = agreements::detail(conn, id)?.ok_or(Error::NotFound)?;
    acting.may(Action::ViewAgreement, &target(&detail), Error::NotFound)?;
    Ok(detail)
}

fn read_for(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    action: Action,
) -> Result<AgreementDetail> {
    let detail = read(conn, acting, id)?;
    acting.may(action, &target(&detail), Error::Forbidden)?;
    Ok(detail)
}

/// Why an agreement did not end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndRefusal {
    /// A revocation needs a reason.
    ReasonRequired,
    /// It had already ended, as this.
    AlreadyEnded(AgreementStatus),
}

/// How an agreement ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The supplier stops using it.
    Terminate,
    /// The institution side withdraws its consent.
    Revoke,
}

impl Ending {
    /// What the policy is asked about this ending.
    pub fn action(self) -> Action {
        match self {
            Self::Terminate => Action::TerminateAgreement,
            Self::Revoke => Action::RevokeAgreement,
        }
    }

    pub fn status(self) -> AgreementStatus {
        match self {
            Self::Terminate => AgreementStatus::Terminated,
            Self::Revoke => AgreementStatus::Revoked,
        }
    }
}

/// Ends an open agreement; `reason` is required to revoke.
pub fn end(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    ending: Ending,
    reason: &str,
) -> Result<std::result::Result<(), EndRefusal>> {
    let detail = read_for(conn, acting, id, ending.action())?;
    if ending == Ending::Revoke && reason.trim().is_empty() {
        return Ok(Err(EndRefusal::ReasonRequired));
    }
    let caller = acting.caller_for(ending.action(), &target(&detail));
    match write_tx(conn, |conn| {
        agreements::end(
            conn,
            &caller,
            id,
            ending.status(),
            crate::domain::Reason::typed(Some(reason)).as_ref(),
        )
    }) {
        Ok(()) => Ok(Ok(())),
        Err(EndError::AlreadyEnded(status)) => Ok(Err(EndRefusal::AlreadyEnded(status))),
        Err(EndError::ReasonRequired) => Ok(Err(EndRefusal::ReasonRequired)),
        Err(EndError::NotFound) => Err(Error::NotFound),
        Err(EndError::Database(e)) => Err(e.into()),
    }
}

/// A page of agreements `acting` may see, newest first, after the keyset cursor.
pub fn list(
    conn: &mut DbConnection,
    acting: &Acting,
    filter: &AgreementFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AgreementRow>> {
    let view = policy::view_scope(&acting.actor);
    if view.is_empty() {
        return Ok(Vec::new());
    }
    Ok(agreements::list(conn, &view, filter, after, limit)?)
}

/// One line of the agreements report: the list row and what the report adds.
#[derive(Debug, Clone)]
pub struct ReportLine {
    pub row: AgreementRow,
    pub facts: ReportFacts,
}

/// A page of the agreements report for `acting`: every agreement in their view, newest
/// first after the keyset cursor, with who approved it, how it closed and its scopes.
pub fn report(
    conn: &mut DbConnection,
    acting: &Acting,
    filter: &AgreementFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ReportLine>> {
    let rows = list(conn, acting, filter, after, limit)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut facts = agreements::report_facts(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| ReportLine {
            facts: facts.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// Up to `limit` agreement changes after the feed position `after_seq`, for a data
/// provider's access-check token, with each agreement as it stands now.
pub fn changes(
    conn: &mut DbConnection,
    caller: &crate::app::api_tokens::Caller,
    after_seq: i64,
    limit: i64,
) -> Result<(Vec<ChangeRow>, HashMap<String, AgreementNow>)> {
    if !matches!(caller, crate::app::api_tokens::Caller::AccessCheck { .. }) {
        return Err(Error::Forbidden);
    }
    Ok(agreement_changes::after(conn, after_seq, limit)?)
}

/// Why an agreement could not move to the successor number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveRefusal {
    NotOpen,
    NoSuccessor,
    SuccessorClosed(String),
}

/// Moves an agreement on a legacy A-number to its G-number (an institution-side change,
/// allowed to whoever may revoke the agreement); returns the new agreement's id.
pub fn move_to_successor(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
) -> Result<std::result::Result<String, MoveRefusal>> {
    let detail = read_for(conn, acting, id, Action::RevokeAgreement)?;
    let caller = acting.caller_for(Action::RevokeAgreement, &target(&detail));
    match write_tx(conn, |conn| {
        agreements::move_to_successor(conn, &caller, id)
    }) {
        Ok(new_id) => Ok(Ok(new_id)),
        Err(MoveError::NotOpen) => Ok(Err(MoveRefusal::NotOpen)),
        Err(MoveError::NoSuccessor) => Ok(Err(MoveRefusal::NoSuccessor)),
        Err(MoveError::SuccessorClosed(g)) => Ok(Err(MoveRefusal::SuccessorClosed(g))),
        Err(MoveError::NotFound) => Err(Error::NotFound),
        Err(MoveError::Database(e)) => Err(e.into()),
    }
}
