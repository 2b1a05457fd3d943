//! A supplier's services, run by the supplier's admins (or an operator for any supplier):
//! the list, creating and editing one, and retiring it. Retiring is two steps: the first
//! answer says what it will touch ([`RetireStep::Confirm`]: the pending requests that
//! will lapse, the open agreements), and the person chooses whether the agreements end
//! now or run on until they end by themselves ([`AgreementChoice`]). We offer both: a
//! supplier retiring a product at once ends its agreements; one that stops selling it
//! while existing customers keep it running keeps them.

use super::{Acting, Error, Result};
use crate::db::catalog::{self, Service, Supplier};
use crate::db::services::{self, RetireError, RetireFacts, Retired};
use crate::db::{DbConnection, write_tx};
use crate::domain::Role;
use crate::domain::administration::{Problems, ServiceInput};
use crate::domain::policy::{self, may_manage_services};

/// The role a person acts in on a supplier's account: its admin, or an operator.
fn role_on(acting: &Acting, supplier_id: &str) -> Role {
    if policy::admin_of(&acting.actor)
        .iter()
        .any(|s| s == supplier_id)
    {
        Role::SupplierAdmin
    } else {
        Role::Operator
    }
}

/// The supplier, if `acting` may manage its services; a supplier they cannot see is
/// `NotFound`, their own supplier without the admin role `Forbidden`.
pub fn supplier_for(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
) -> Result<Supplier> {
    let supplier = catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)?;
    if may_manage_services(&acting.actor, supplier_id) {
        return Ok(supplier);
    }
    let works_there = policy::filing_suppliers(&acting.actor)
        .iter()
        .any(|s| s == supplier_id);
    Err(if works_there {
        Error::Forbidden
    } else {
        Error::NotFound
    })
}

/// The supplier and its services, for whoever manages them.
pub fn list(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
) -> Result<(Supplier, Vec<Service>)> {
    let supplier = supplier_for(conn, acting, supplier_id)?;
    let all = services::of_supplier(conn, supplier_id)?;
    Ok((supplier, all))
}

/// The supplier and its services for its services page, which its staff see too (to
/// pause and resume services; only its admins and operators edit them).
pub fn overview(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
) -> Result<(Supplier, Vec<Service>)> {
    let supplier = catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)?;
    if !policy::sees_service(&acting.actor, supplier_id) {
        return Err(Error::NotFound);
    }
    let all = services::of_supplier(conn, supplier_id)?;
    Ok((supplier, all))
}

/// One service of the supplier.
pub fn read(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    service_id: &str,
) -> Result<(Supplier, Service)> {
    let supplier = supplier_for(conn, acting, supplier_id)?;
    let service = services::find(conn, service_id)?
        .filter(|s| s.supplier_id == supplier_id)
        .ok_or(Error::NotFound)?;
    Ok((supplier, service))
}

/// Creates a service; the problems with the form when it does not parse.
pub fn create(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    input: &ServiceInput,
) -> Result<std::result::Result<String, Problems>> {
    supplier_for(conn, acting, supplier_id)?;
    let fields = match input.parse() {
        Ok(f) => f,
        Err(problems) => return Ok(Err(problems)),
    };
    let caller = acting.caller(Some(role_on(acting, supplier_id)));
    let id = write_tx(conn, |conn| {
        services::create(conn, &caller, supplier_id, &fields)
    })?;
    Ok(Ok(id))
}

/// Changes a service's fields (also a retired one's, which stays retired).
pub fn update(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    service_id: &str,
    input: &ServiceInput,
) -> Result<std::result::Result<bool, Problems>> {
    let (_, before) = read(conn, acting, supplier_id, service_id)?;
    let fields = match input.parse() {
        Ok(f) => f,
        Err(problems) => return Ok(Err(problems)),
    };
    let caller = acting.caller(Some(role_on(acting, supplier_id)));
    let changed = write_tx(conn, |conn| {
        services::update(conn, &caller, &before, &fields)
    })?;
    Ok(Ok(changed))
}

/// What to do with a retired service's open agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementChoice {
    /// Terminate them now, with the retirement as the reason.
    EndNow,
    /// Keep them in force until they end by themselves or either side ends them.
    KeepRunning,
}

impl AgreementChoice {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "end" | "terminate" => Some(Self::EndNow),
            "keep" => Some(Self::KeepRunning),
            _ => None,
        }
    }
}

/// Where a retirement stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetireStep {
    /// Not done yet: what it would touch, for the person to confirm and choose.
    Confirm {
        pending_requests: usize,
        open_agreements: usize,
    },
    Done(Retired),
    /// It was retired already.
    AlreadyRetired,
}

/// Retires a service when `choice` is given; without one, says what it would touch.
pub fn retire(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    service_id: &str,
    choice: Option<AgreementChoice>,
) -> Result<RetireStep> {
    let (_, service) = read(conn, acting, supplier_id, service_id)?;
    if service.status != "active" {
        return Ok(RetireStep::AlreadyRetired);
    }
    let Some(choice) = choice else {
        let RetireFacts {
            pending_requests,
            open_agreements,
        } = services::retire_facts(conn, service_id)?;
        return Ok(RetireStep::Confirm {
            pending_requests: pending_requests.len(),
            open_agreements: open_agreements.len(),
        });
    };
    let caller = acting.caller(Some(role_on(acting, supplier_id)));
    match write_tx(conn, |conn| {
        services::retire(conn, &caller, &service, choice == AgreementChoice::EndNow)
    }) {
        Ok(done) => Ok(RetireStep::Done(done)),
        Err(RetireError::AlreadyRetired) => Ok(RetireStep::AlreadyRetired),
        Err(RetireError::Consequence(e)) => Err(Error::Storage(anyhow::anyhow!(e))),
        Err(RetireError::Database(e)) => Err(e.into()),
    }
}
