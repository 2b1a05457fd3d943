//! A supplier's people as its admins see them: the list of colleagues (supplier users
//! and admins of that supplier), inviting a new one (a new account with one supplier
//! role, mailed an invitation to choose a password) and removing one (every role the
//! person holds at this supplier; their sessions end), or changing one between user and
//! admin (their sessions end too). The last active admin of a supplier is never removed
//! nor made a user. Rows are audited about the supplier, in the caller's
//! [`write_tx`](super::write_tx).

use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::schema::{role_assignments, users};
use super::users as people;
use crate::domain::{Role, RoleAssignment};

/// One colleague: the person and their roles at the supplier.
#[derive(Debug, Clone)]
pub struct Colleague {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub roles: Vec<Role>,
}

impl Colleague {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::SupplierAdmin)
    }
}

/// Everyone holding a role at the supplier, by email.
pub fn list(conn: &mut DbConnection, supplier_id: &str) -> QueryResult<Vec<Colleague>> {
    let rows: Vec<(String, String, String, String, String)> = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::supplier_id.eq(supplier_id))
        .order((users::email, role_assignments::role))
        .select((
            users::id,
            users::email,
            users::display_name,
            users::status,
            role_assignments::role,
        ))
        .load(conn)?;
    let mut out: Vec<Colleague> = Vec::new();
    for (user_id, email, display_name, status, role) in rows {
        let Some(role) = Role::parse(&role).filter(|r| r.is_supplier()) else {
            continue;
        };
        match out.last_mut() {
            Some(last) if last.user_id == user_id => last.roles.push(role),
            _ => out.push(Colleague {
                user_id,
                email,
                display_name,
                status,
                roles: vec![role],
            }),
        }
    }
    Ok(out)
}

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    user_id: &str,
    supplier_id: &str,
    details: Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "user",
            target_id: user_id,
            institution_number: None,
            supplier_id: Some(supplier_id),
            details,
        },
    )
}

/// Creates the person with one role at the supplier; `None` when the email belongs to
/// someone already (an operator attaches an existing account to a second supplier).
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    supplier_id: &str,
    email: &str,
    display_name: &str,
    role: Role,
) -> QueryResult<Option<String>> {
    if people::find_by_email(conn, email)?.is_some() {
        return Ok(None);
    }
    let id = people::upsert(conn, email, display_name, None)?;
    record(
        conn,
        caller,
        "user.created",
        &id,
        supplier_id,
        json!({ "email": people::normalise_email(email), "display_name": display_name }),
    )?;
    people::grant(conn, &id, &RoleAssignment::supplier(role, supplier_id))?;
    record(
        conn,
        caller,
        "user.role_granted",
        &id,
        supplier_id,
        json!({ "role": role.as_str(), "supplier_id": supplier_id }),
    )?;
    Ok(Some(id))
}

/// Records that an invitation link was mailed to a colleague.
pub fn record_invitation(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    supplier_id: &str,
) -> QueryResult<()> {
    record(
        conn,
        caller,
        "user.invited",
        user_id,
        supplier_id,
        json!({}),
    )
}

/// What removing a colleague came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// They hold no role at this supplier.
    NotColleague,
    /// They are the supplier's last active admin.
    LastAdmin,
}

/// How many of the supplier's colleagues other than `user_id` are active admins.
fn other_active_admins(all: &[Colleague], user_id: &str) -> usize {
    all.iter()
        .filter(|c| c.user_id != user_id && c.is_admin() && c.status == "active")
        .count()
}

/// Audits each of `roles` as taken from the person at the supplier, with how many of
/// their sessions ended.
fn record_removed(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    supplier_id: &str,
    roles: &[Role],
    ended: usize,
) -> QueryResult<()> {
    for role in roles {
        record(
            conn,
            caller,
            "user.role_removed",
            user_id,
            supplier_id,
            json!({ "role": role.as_str(), "supplier_id": supplier_id, "sessions_ended": ended }),
        )?;
    }
    Ok(())
}

/// Takes every role the person holds at the supplier, and ends their sessions. Checks on
/// one supplier's admins run one after another, so two admins cannot remove each other.
pub fn remove(
    conn: &mut DbConnection,
    caller: &Caller,
    supplier_id: &str,
    user_id: &str,
) -> QueryResult<Removal> {
    super::serialise_on(conn, &format!("supplier-admins:{supplier_id}"))?;
    let all = list(conn, supplier_id)?;
    let Some(person) = all.iter().find(|c| c.user_id == user_id) else {
        return Ok(Removal::NotColleague);
    };
    if person.is_admin() && other_active_admins(&all, user_id) == 0 {
        return Ok(Removal::LastAdmin);
    }
    diesel::delete(
        role_assignments::table
            .filter(role_assignments::user_id.eq(user_id))
            .filter(role_assignments::supplier_id.eq(supplier_id)),
    )
    .execute(conn)?;
    let ended = super::sessions::end_all_for(conn, user_id)?;
    record_removed(conn, caller, user_id, supplier_id, &person.roles, ended)?;
    Ok(Removal::Removed)
}

/// What changing a colleague's role came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Changed,
    /// They hold that role, and only it, already.
    Unchanged,
    /// They hold no role at this supplier.
    NotColleague,
    /// They are the supplier's last active admin, and the change would leave it none.
    LastAdmin,
}

/// Makes the colleague hold `role` (supplier user or supplier admin), and only it, at the
/// supplier: the roles taken and the one given are audited like any other, and their
/// sessions end (a change of rights). The last active admin is never made a user; checks
/// on one supplier's admins run one after another, as for removal.
pub fn change_role(
    conn: &mut DbConnection,
    caller: &Caller,
    supplier_id: &str,
    user_id: &str,
    role: Role,
) -> QueryResult<RoleChange> {
    super::serialise_on(conn, &format!("supplier-admins:{supplier_id}"))?;
    let all = list(conn, supplier_id)?;
    let Some(person) = all.iter().find(|c| c.user_id == user_id) else {
        return Ok(RoleChange::NotColleague);
    };
    if person.roles == [role] {
        return Ok(RoleChange::Unchanged);
    }
    if person.is_admin() && role != Role::SupplierAdmin && other_active_admins(&all, user_id) == 0 {
        return Ok(RoleChange::LastAdmin);
    }
    let taken: Vec<Role> = person
        .roles
        .iter()
        .copied()
        .filter(|r| *r != role)
        .collect();
    for old in &taken {
        diesel::delete(
            role_assignments::table
                .filter(role_assignments::user_id.eq(user_id))
                .filter(role_assignments::supplier_id.eq(supplier_id))
                .filter(role_assignments::role.eq(old.as_str())),
        )
        .execute(conn)?;
    }
    let given = people::grant(conn, user_id, &RoleAssignment::supplier(role, supplier_id))?;
    let ended = super::sessions::end_all_for(conn, user_id)?;
    record_removed(conn, caller, user_id, supplier_id, &taken, ended)?;
    if given {
        record(
            conn,
            caller,
            "user.role_granted",
            user_id,
            supplier_id,
            json!({ "role": role.as_str(), "supplier_id": supplier_id }),
        )?;
    }
    Ok(RoleChange::Changed)
}
