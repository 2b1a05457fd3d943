//! People and their role assignments.

use crate::db::native::natively;
use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::schema::{role_assignments, users};
use crate::domain::{Role, RoleAssignment};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub language: String,
    pub status: String,
    pub created_at: PrimitiveDateTime,
    /// Wants one daily digest instead of a mail per event.
    pub mail_digest: bool,
    /// Base32 secret of the person's authenticator app, when the second factor is on.
    pub totp_secret: Option<String>,
}

impl User {
    /// A disabled person signs in nowhere and is linked to nothing.
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// Emails are compared case-insensitively: stored and looked up in lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(normalise_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// role, supplier, municipality, institution
type AssignmentRow = (String, Option<String>, Option<String>, Option<String>);

pub fn roles_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<RoleAssignment>> {
    let rows: Vec<AssignmentRow> = role_assignments::table
        .filter(role_assignments::user_id.eq(user_id))
        .order(role_assignments::created_at)
        .select((
            role_assignments::role,
            role_assignments::supplier_id,
            role_assignments::municipality_code,
            role_assignments::institution_number,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(role, supplier_id, municipality_code, institution_number)| {
                Some(RoleAssignment {
                    role: Role::parse(&role)?,
                    supplier_id,
                    municipality_code,
                    institution_number,
                })
            },
        )
        .collect())
}

/// A person and their role assignments in one round trip (who is asking, on every
/// signed-in request).
pub fn with_roles(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Option<(User, Vec<RoleAssignment>)>> {
    let rows: Vec<(User, RoleColumns)> = users::table
        .left_join(role_assignments::table)
        .filter(users::id.eq(user_id))
        .order(role_assignments::created_at.nullable())
        .select((
            User::as_select(),
            (
                role_assignments::role.nullable(),
                role_assignments::supplier_id.nullable(),
                role_assignments::municipality_code.nullable(),
                role_assignments::institution_number.nullable(),
            ),
        ))
        .load(conn)?;
    Ok(person_with_roles(rows))
}

/// A role assignment's columns as a left join gives them (all empty for a person with none).
pub(super) type RoleColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The person of rows of one person left-joined to their roles, with the roles.
pub(super) fn person_with_roles<U>(
    rows: impl IntoIterator<Item = (U, RoleColumns)>,
) -> Option<(U, Vec<RoleAssignment>)> {
    let mut roles = Vec::new();
    let mut user = None;
    for (u, (role, supplier_id, municipality_code, institution_number)) in rows {
        if let Some(role) = role.as_deref().and_then(Role::parse) {
            roles.push(RoleAssignment {
                role,
                supplier_id,
                municipality_code,
                institution_number,
            });
        }
        user.get_or_insert(u);
    }
    user.map(|u| (u, roles))
}

/// Creates a person (or returns the existing one with that email) with a password hash.
pub fn upsert(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    password_hash: Option<&str>,
) -> QueryResult<String> {
    let email = normalise_email(email);
    if let Some(user) = find_by_email(conn, &email)? {
        if let Some(hash) = password_hash {
            diesel::update(users::table.find(&user.id))
                .set(users::password_hash.eq(hash))
                .execute(conn)?;
        }
        return Ok(user.id);
    }
    let id = super::new_id();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(&email),
            users::display_name.eq(display_name),
            users::password_hash.eq(password_hash),
            users::language.eq("da"),
            users::status.eq("active"),
            users::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Adds a role assignment unless the person already holds exactly that one.
pub fn grant(
    conn: &mut DbConnection,
    user_id: &str,
    assignment: &RoleAssignment,
) -> QueryResult<bool> {
    if roles_of(conn, user_id)?.contains(assignment) {
        return Ok(false);
    }
    diesel::insert_into(role_assignments::table)
        .values((
            role_assignments::id.eq(super::new_id()),
            role_assignments::user_id.eq(user_id),
            role_assignments::role.eq(assignment.role.as_str()),
            role_assignments::supplier_id.eq(assignment.supplier_id.as_deref()),
            role_assignments::municipality_code.eq(assignment.municipality_code.as_deref()),
            role_assignments::institution_number.eq(assignment.institution_number.as_deref()),
            role_assignments::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A person's display name.
pub fn display_name(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    natively!(conn, |c| users::table
        .find(id)
        .select(users::display_name)
        .first(c)
        .optional())
}

/// Saves the language a person reads pages and mails in.
/// The display names of the people `ids` names that exist, by id.
pub fn display_names(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
}

pub fn set_language(conn: &mut DbConnection, user_id: &str, language: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::language.eq(language))
        .execute(conn)
        .map(|_| ())
}

/// Saves a person's mail language and their choice of immediate mail or a daily digest.
pub fn set_mail_preferences(
    conn: &mut DbConnection,
    user_id: &str,
    language: &str,
    digest: bool,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::language.eq(language), users::mail_digest.eq(digest)))
        .execute(conn)
        .map(|_| ())
}

/// Replaces a person's password, ends all their sessions and starts a new one for the
/// person who made the change, in one transaction with its audit row. Returns the new token.
pub fn change_password(
    conn: &mut DbConnection,
    caller: &super::audit::Caller,
    user_id: &str,
    hash: &str,
) -> QueryResult<String> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    let ended = super::sessions::end_all_for(conn, user_id)?;
    let token = super::sessions::create(conn, user_id, caller.client_addr.as_deref())?;
    super::audit::record(
        conn,
        caller,
        super::audit::Entry {
            action: "user.password_changed",
            target_type: "user",
            target_id: user_id,
            institution_number: None,
            supplier_id: None,
            details: serde_json::json!({ "sessions_ended": ended }),
        },
    )?;
    Ok(token)
}
