//! Putting agreements on hold and lifting the hold ("sat i bero" / "til venter"): the
//! institution side suspends one agreement with a reason and resumes it; a supplier pauses
//! a whole service (all its open agreements) with a reason and resumes it.
//!
//! Each side lifts only its own hold: an agreement both sides hold stays suspended until
//! both have resumed it. The access check answers no while any hold stands.

use super::{Acting, Error, Result};
use crate::db::agreement_pauses::{self, PauseError, ServiceChange, ServiceHolds};
use crate::db::{DbConnection, catalog, write_tx};
use crate::domain::AgreementStatus;
use crate::domain::policy::{Action, Target};

/// Why a hold was not put on or lifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseRefusal {
    /// Putting on a hold needs a reason.
    ReasonRequired,
    /// The agreement has ended (as this).
    NotOpen(AgreementStatus),
    /// This side holds it already (someone got there first).
    AlreadyHeld,
    /// This side holds no hold to lift (someone got there first).
    NotHeld,
    /// The service has no open agreement to pause or none this side holds.
    NothingToChange,
}

fn refusal(e: PauseError) -> Result<PauseRefusal> {
    match e {
        PauseError::NotFound => Err(Error::NotFound),
        PauseError::NotOpen(s) => Ok(PauseRefusal::NotOpen(s)),
        PauseError::AlreadyHeld => Ok(PauseRefusal::AlreadyHeld),
        PauseError::NotHeld => Ok(PauseRefusal::NotHeld),
        PauseError::Database(e) => Err(e.into()),
    }
}

/// The institution side puts its hold on the agreement `id`, with `reason`.
pub fn suspend(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    reason: &str,
) -> Result<std::result::Result<(), PauseRefusal>> {
    let detail = super::agreements::read(conn, acting, id)?;
    let target = super::agreements::target(&detail);
    acting.may(Action::SuspendAgreement, &target, Error::Forbidden)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(PauseRefusal::ReasonRequired));
    }
    let caller = acting.caller_for(Action::SuspendAgreement, &target);
    match write_tx(conn, |conn| {
        agreement_pauses::suspend(conn, &caller, id, reason)
    }) {
        Ok(()) => Ok(Ok(())),
        Err(e) => refusal(e).map(Err),
    }
}

/// The institution side lifts its hold on the agreement `id`; `Ok(true)` when it is active
/// again, `Ok(false)` when the supplier still holds it.
pub fn resume(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
) -> Result<std::result::Result<bool, PauseRefusal>> {
    let detail = super::agreements::read(conn, acting, id)?;
    let target = super::agreements::target(&detail);
    acting.may(Action::ResumeAgreement, &target, Error::Forbidden)?;
    let caller = acting.caller_for(Action::ResumeAgreement, &target);
    match write_tx(conn, |conn| agreement_pauses::resume(conn, &caller, id)) {
        Ok(active) => Ok(Ok(active)),
        Err(e) => refusal(e).map(Err),
    }
}

/// The policy's view of a service: its supplier, no institution.
fn service_target(supplier_id: &str) -> Target<'_> {
    Target {
        supplier_id,
        institution_number: "",
        municipality_code: "",
        ownership: None,
    }
}

/// The service `id` if `acting` may take `action` on it: `NotFound` for a service they do
/// not see, `Forbidden` for one they see but may not do this to (as for agreements).
fn service_for(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    action: Action,
) -> Result<catalog::Service> {
    let (service, _) = catalog::service_with_supplier(conn, id)?.ok_or(Error::NotFound)?;
    let refused = if crate::domain::policy::sees_service(&acting.actor, &service.supplier_id) {
        Error::Forbidden
    } else {
        Error::NotFound
    };
    acting.may(action, &service_target(&service.supplier_id), refused)?;
    Ok(service)
}

/// The supplier puts its hold on every open agreement of the service `id`; returns the
/// agreements it changed.
pub fn pause_service(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    reason: &str,
) -> Result<std::result::Result<ServiceChange, PauseRefusal>> {
    let service = service_for(conn, acting, id, Action::PauseService)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(PauseRefusal::ReasonRequired));
    }
    let caller = acting.caller_for(Action::PauseService, &service_target(&service.supplier_id));
    let changed = write_tx(conn, |conn| {
        agreement_pauses::pause_service(conn, &caller, id, reason)
    })?;
    if changed.agreements.is_empty() {
        return Ok(Err(PauseRefusal::NothingToChange));
    }
    Ok(Ok(changed))
}

/// The supplier lifts its hold on the service `id`'s agreements; those the institution
/// side does not hold are active again.
pub fn resume_service(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
) -> Result<std::result::Result<ServiceChange, PauseRefusal>> {
    let service = service_for(conn, acting, id, Action::ResumeService)?;
    let caller = acting.caller_for(Action::ResumeService, &service_target(&service.supplier_id));
    let changed = write_tx(conn, |conn| {
        agreement_pauses::resume_service(conn, &caller, id)
    })?;
    if changed.agreements.is_empty() {
        return Ok(Err(PauseRefusal::NothingToChange));
    }
    Ok(Ok(changed))
}

/// The active services of the supplier `supplier_id` with their open and held agreements,
/// when `acting` may pause them (its own staff); empty for anyone else (an operator sees
/// the services page, not the pause buttons).
pub fn services_of_supplier(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
) -> Result<Vec<ServiceHolds>> {
    if !crate::domain::policy::allows(
        &acting.actor,
        Action::PauseService,
        &service_target(supplier_id),
    ) {
        return Ok(Vec::new());
    }
    Ok(agreement_pauses::services_of(
        conn,
        &[supplier_id.to_string()],
    )?)
}

/// The services `acting` may pause, with their open and held agreements.
pub fn services(conn: &mut DbConnection, acting: &Acting) -> Result<Vec<ServiceHolds>> {
    let suppliers = crate::domain::policy::filing_suppliers(&acting.actor);
    if suppliers.is_empty() {
        return Err(Error::Forbidden);
    }
    Ok(agreement_pauses::services_of(conn, &suppliers)?)
}
