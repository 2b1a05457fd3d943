//! The operators' mail desk: an undeliverable mail is queued again, and audited.

use serde_json::json;

use super::{Acting, Error, Result};
use crate::db::audit::{self, Entry};
use crate::db::{DbConnection, mail, write_tx};
use crate::domain::Role;
use crate::domain::policy::handles_mail;

/// Queues an undeliverable mail for sending again; `NotFound` unless it exists and was
/// undeliverable.
pub fn retry(conn: &mut DbConnection, acting: &Acting, id: &str) -> Result<()> {
    if !handles_mail(&acting.actor) {
        return Err(Error::Forbidden);
    }
    let caller = acting.caller(Some(Role::Operator));
    write_tx(conn, |conn| {
        let message = mail::find(conn, id)?.ok_or(Error::NotFound)?;
        if !mail::retry(conn, id)? {
            return Err(Error::NotFound);
        }
        audit::record(
            conn,
            &caller,
            Entry {
                action: "mail.retried",
                target_type: "mail",
                target_id: id,
                institution_number: None,
                supplier_id: None,
                details: json!({ "recipient": message.recipient, "subject": message.subject }),
            },
        )?;
        Ok(())
    })
}
