//! A supplier admin's colleagues: listing the supplier's people, inviting one (a new
//! account with the supplier user or supplier admin role at this supplier only, mailed an
//! invitation link as operators' invitations are), changing one between user and admin,
//! and removing one. An admin never gives a role outside their supplier, and the
//! supplier's last admin stays one.

use super::{Acting, Error, Result};
use crate::db::account_tokens::{self, Purpose};
use crate::db::catalog::{self, Supplier};
use crate::db::colleagues::{self, Colleague, Removal, RoleChange};
use crate::db::{DbConnection, users, write_tx};
use crate::domain::Role;
use crate::domain::administration::{MAX_NAME, email_address};
use crate::domain::policy::{self, may_manage_colleagues};

/// The supplier, if `acting` is its admin (`NotFound` for a supplier they do not work
/// for, `Forbidden` for their own without the admin role).
fn supplier_for(conn: &mut DbConnection, acting: &Acting, supplier_id: &str) -> Result<Supplier> {
    let supplier = catalog::supplier(conn, supplier_id)?.ok_or(Error::NotFound)?;
    if may_manage_colleagues(&acting.actor, supplier_id) {
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

pub fn list(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
) -> Result<(Supplier, Vec<Colleague>)> {
    let supplier = supplier_for(conn, acting, supplier_id)?;
    Ok((supplier, colleagues::list(conn, supplier_id)?))
}

/// A colleague as the admin describes them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Invitation {
    pub email: String,
    pub display_name: String,
    /// `supplier_user` or `supplier_admin`.
    pub role: String,
}

/// What is wrong with an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteProblem {
    BadEmail,
    NoName,
    /// Not one of the two supplier roles.
    BadRole,
    /// Someone already has this email.
    EmailTaken(String),
}

/// Creates the colleague and mails the invitation; their id, or what was wrong.
pub fn invite(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    form: &Invitation,
    base_url: &str,
) -> Result<std::result::Result<String, Vec<(&'static str, InviteProblem)>>> {
    supplier_for(conn, acting, supplier_id)?;
    let email = users::normalise_email(&form.email);
    let name = form.display_name.trim();
    let mut problems = Vec::new();
    if email.len() > 254 || email_address(&email).is_err() {
        problems.push(("email", InviteProblem::BadEmail));
    }
    if name.is_empty() || name.chars().count() > MAX_NAME {
        problems.push(("display_name", InviteProblem::NoName));
    }
    let role = Role::parse(form.role.trim()).filter(|r| r.is_supplier());
    if role.is_none() {
        problems.push(("role", InviteProblem::BadRole));
    }
    let (Some(role), true) = (role, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let caller = acting.caller(Some(Role::SupplierAdmin));
    let created = write_tx(conn, |conn| -> Result<Option<String>> {
        let Some(id) = colleagues::create(conn, &caller, supplier_id, &email, name, role)? else {
            return Ok(None);
        };
        let person = users::find(conn, &id)?.ok_or(Error::NotFound)?;
        account_tokens::mail_link(
            conn,
            base_url,
            &person,
            Purpose::Invitation,
            Some(&acting.display_name),
        )?;
        colleagues::record_invitation(conn, &caller, &id, supplier_id)?;
        Ok(Some(id))
    });
    match created {
        Ok(Some(id)) => Ok(Ok(id)),
        Ok(None) => Ok(Err(vec![("email", InviteProblem::EmailTaken(email))])),
        Err(e) if e.is_unique_violation() => {
            Ok(Err(vec![("email", InviteProblem::EmailTaken(email))]))
        }
        Err(e) => Err(e),
    }
}

/// Removes a colleague from the supplier.
pub fn remove(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    user_id: &str,
) -> Result<Removal> {
    supplier_for(conn, acting, supplier_id)?;
    let caller = acting.caller(Some(Role::SupplierAdmin));
    Ok(write_tx(conn, |conn| {
        colleagues::remove(conn, &caller, supplier_id, user_id)
    })?)
}

/// Makes a colleague a supplier user or a supplier admin (`role`, as the form or API
/// sends it); `None` when `role` is not one of the two.
pub fn change_role(
    conn: &mut DbConnection,
    acting: &Acting,
    supplier_id: &str,
    user_id: &str,
    role: &str,
) -> Result<Option<RoleChange>> {
    supplier_for(conn, acting, supplier_id)?;
    let Some(role) = Role::parse(role.trim()).filter(|r| r.is_supplier()) else {
        return Ok(None);
    };
    let caller = acting.caller(Some(Role::SupplierAdmin));
    Ok(Some(write_tx(conn, |conn| {
        colleagues::change_role(conn, &caller, supplier_id, user_id, role)
    })?))
}
