//! The institution register: operators (and the command line, as the system) import the
//! national registers' files, with a dry run first.

use super::{Acting, Error, Result};
use crate::db::DbConnection;
use crate::db::audit::Caller;
use crate::db::register_import::{self, ImportError, ImportOutcome, ImportRequest, Refusal};
use crate::domain::Role;
use crate::domain::policy::maintains_register;

/// Imports (or, as a dry run, only compares) a register file, as `acting`.
pub fn import(
    conn: &mut DbConnection,
    acting: &Acting,
    request: ImportRequest,
) -> Result<std::result::Result<ImportOutcome, Refusal>> {
    if !maintains_register(&acting.actor) {
        return Err(Error::Forbidden);
    }
    import_as(conn, &acting.caller(Some(Role::Operator)), request)
}

/// Imports as `caller` without asking the policy: the command line, run by whoever runs
/// the server, acts as the system itself.
pub fn import_as(
    conn: &mut DbConnection,
    caller: &Caller,
    request: ImportRequest,
) -> Result<std::result::Result<ImportOutcome, Refusal>> {
    match register_import::run(conn, caller, request) {
        Ok(outcome) => Ok(Ok(outcome)),
        Err(ImportError::Refused(refusal)) => Ok(Err(refusal)),
        Err(e) => Err(Error::Storage(e.into())),
    }
}
