//! Renewing an agreement in one click: the supplier files, from the open agreement, a
//! request carrying its service, scopes and purpose with a new wished end date, marked as
//! a renewal. Approving it moves the same agreement's end date (see `db::renewals`).

use time::Date;

use super::{Acting, Error, Result};
use crate::db::renewals::{self, RenewError};
use crate::db::{DbConnection, write_tx};
use crate::domain::AgreementStatus;
use crate::domain::policy::Action;

/// Why a renewal was not filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenewRefusal {
    /// The agreement has ended (as this).
    NotOpen(AgreementStatus),
    /// A request for the service at the institution is pending already (its reference).
    AlreadyPending(String),
    /// The new end date is not after the current one.
    EndTooEarly,
}

/// Files the renewal of the agreement `id` to end on `wished_end`; the request's
/// (id, reference).
pub fn renew(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    wished_end: Option<Date>,
) -> Result<std::result::Result<(String, String), RenewRefusal>> {
    let detail = super::agreements::read(conn, acting, id)?;
    let target = super::agreements::target(&detail);
    acting.may(Action::RenewAgreement, &target, Error::Forbidden)?;
    let caller = acting.caller_for(Action::RenewAgreement, &target);
    match write_tx(conn, |conn| renewals::file(conn, &caller, id, wished_end)) {
        Ok(filed) => Ok(Ok(filed)),
        Err(RenewError::NotOpen(s)) => Ok(Err(RenewRefusal::NotOpen(s))),
        Err(RenewError::AlreadyPending(r)) => Ok(Err(RenewRefusal::AlreadyPending(r))),
        Err(RenewError::EndTooEarly) => Ok(Err(RenewRefusal::EndTooEarly)),
        Err(RenewError::NotFound) => Err(Error::NotFound),
        Err(RenewError::Database(e)) => Err(e.into()),
    }
}
