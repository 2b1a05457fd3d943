//! Operators' user administration: list and find people, create (and invite) them,
//! assign and remove roles, pre-register a provider subject, disable and enable. Each
//! change is one transaction with its audit row; a change of rights or a disabled
//! account ends the person's sessions, so their next session starts with the new rights.

use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::schema::{identities, municipalities, role_assignments, suppliers, users};
use super::users::{self as people, User};
use super::{register, sessions};
use crate::domain::institution_number::NumberError;
use crate::domain::{InstitutionNumber, Role, RoleAssignment};

/// One line in the people list.
#[derive(Debug, Clone)]
pub struct PersonLine {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub roles: Vec<Role>,
}

/// Up to `limit` people whose email or name contains `query`, by email, starting after
/// the email `after` (the previous page's last row).
pub fn list(
    conn: &mut DbConnection,
    query: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<PersonLine>> {
    let pattern = format!("%{}%", query.trim().to_lowercase());
    let mut q = users::table
        .filter(
            users::email
                .like(pattern.clone())
                .or(users::display_name.like(pattern)),
        )
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(users::email.gt(after.to_string()));
    }
    let rows: Vec<(String, String, String, String)> = q
        .order(users::email)
        .limit(limit)
        .select((users::id, users::email, users::display_name, users::status))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let held: Vec<(String, String)> = role_assignments::table
        .filter(role_assignments::user_id.eq_any(ids))
        .select((role_assignments::user_id, role_assignments::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, display_name, status)| {
            let mut roles: Vec<Role> = held
                .iter()
                .filter(|(user, _)| *user == id)
                .filter_map(|(_, role)| Role::parse(role))
                .collect();
            roles.dedup();
            PersonLine {
                id,
                email,
                display_name,
                status,
                roles,
            }
        })
        .collect())
}

/// A person as the operator sees them.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub user: User,
    /// (assignment id, assignment)
    pub assignments: Vec<(String, RoleAssignment)>,
    pub subjects: Vec<String>,
}

type AssignmentRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub fn detail(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<PersonDetail>> {
    let Some(user) = people::find(conn, user_id)? else {
        return Ok(None);
    };
    let rows: Vec<AssignmentRow> = role_assignments::table
        .filter(role_assignments::user_id.eq(user_id))
        .order(role_assignments::created_at)
        .select((
            role_assignments::id,
            role_assignments::role,
            role_assignments::supplier_id,
            role_assignments::municipality_code,
            role_assignments::institution_number,
        ))
        .load(conn)?;
    let assignments = rows
        .into_iter()
        .filter_map(
            |(id, role, supplier_id, municipality_code, institution_number)| {
                Some((
                    id,
                    RoleAssignment {
                        role: Role::parse(&role)?,
                        supplier_id,
                        municipality_code,
                        institution_number,
                    },
                ))
            },
        )
        .collect();
    let subjects = super::identities::subjects_of(conn, user_id)?;
    Ok(Some(PersonDetail {
        user,
        assignments,
        subjects,
    }))
}

/// Why a role and what it should cover do not make an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeProblem {
    /// No role, or one the portal does not know.
    NoRole,
    /// No supplier has that id or CVR number.
    UnknownSupplier,
    /// No municipality has that code.
    UnknownMunicipality,
    /// The text is not an institution number.
    BadNumber(NumberError),
    /// The institution is closed.
    Closed(String),
    /// The register has no institution with that number.
    NotInRegister(String),
}

/// Reads a role and what it covers from the form, checking the supplier, municipality
/// or institution exists.
pub fn assignment_from(
    conn: &mut DbConnection,
    role: &str,
    scope: &str,
) -> QueryResult<Result<RoleAssignment, ScopeProblem>> {
    let scope = scope.trim();
    let Some(role) = Role::parse(role) else {
        return Ok(Err(ScopeProblem::NoRole));
    };
    Ok(match role {
        Role::SupplierAdmin | Role::SupplierUser => {
            let found: Option<String> = suppliers::table
                .filter(suppliers::id.eq(scope).or(suppliers::cvr.eq(scope)))
                .select(suppliers::id)
                .first(conn)
                .optional()?;
            found
                .map(|id| RoleAssignment::supplier(role, &id))
                .ok_or(ScopeProblem::UnknownSupplier)
        }
        Role::Operator => Ok(RoleAssignment::portal(role)),
        Role::Auditor if scope.is_empty() => Ok(RoleAssignment::portal(role)),
        Role::MunicipalOfficer | Role::Auditor => {
            let found: Option<String> = municipalities::table
                .find(scope)
                .select(municipalities::code)
                .first(conn)
                .optional()?;
            found
                .map(|code| RoleAssignment::municipal(role, &code))
                .ok_or(ScopeProblem::UnknownMunicipality)
        }
        Role::InstitutionStaff => match InstitutionNumber::parse(scope) {
            Err(e) => Err(ScopeProblem::BadNumber(e)),
            Ok(number) => match register::find(conn, number.as_str())? {
                Some(i) if i.is_active() => Ok(RoleAssignment::institution(&i.number)),
                Some(_) => Err(ScopeProblem::Closed(number.as_str().to_string())),
                None => Err(ScopeProblem::NotInRegister(number.as_str().to_string())),
            },
        },
    })
}

fn assignment_json(a: &RoleAssignment) -> Value {
    json!({
        "role": a.role.as_str(),
        "supplier_id": a.supplier_id,
        "municipality_code": a.municipality_code,
        "institution_number": a.institution_number,
    })
}

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &'static str,
    user_id: &str,
    institution_number: Option<&str>,
    details: Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "user",
            target_id: user_id,
            institution_number,
            supplier_id: None,
            details,
        },
    )
}

/// Creates a person with their first role; `Ok(None)` if the email is taken.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    email: &str,
    display_name: &str,
    assignment: &RoleAssignment,
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
        None,
        json!({ "email": people::normalise_email(email), "display_name": display_name }),
    )?;
    add_role(conn, caller, &id, assignment)?;
    Ok(Some(id))
}

/// Gives a person a role; `false` if they already hold exactly it.
pub fn add_role(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    assignment: &RoleAssignment,
) -> QueryResult<bool> {
    if !people::grant(conn, user_id, assignment)? {
        return Ok(false);
    }
    let ended = sessions::end_all_for(conn, user_id)?;
    let mut details = assignment_json(assignment);
    details["sessions_ended"] = json!(ended);
    record(
        conn,
        caller,
        "user.role_granted",
        user_id,
        assignment.institution_number.as_deref(),
        details,
    )?;
    Ok(true)
}

/// Takes a role assignment away; `false` if it is not the person's.
pub fn remove_role(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    assignment_id: &str,
) -> QueryResult<bool> {
    let Some(detail) = detail(conn, user_id)? else {
        return Ok(false);
    };
    let Some((_, assignment)) = detail
        .assignments
        .iter()
        .find(|(id, _)| id == assignment_id)
    else {
        return Ok(false);
    };
    if assignment.role == Role::Operator && is_last_active_operator(conn, user_id)? {
        return Ok(false);
    }
    diesel::delete(role_assignments::table.find(assignment_id)).execute(conn)?;
    let ended = sessions::end_all_for(conn, user_id)?;
    let mut details = assignment_json(assignment);
    details["sessions_ended"] = json!(ended);
    record(
        conn,
        caller,
        "user.role_removed",
        user_id,
        assignment.institution_number.as_deref(),
        details,
    )?;
    Ok(true)
}

/// Disables (ending every session) or enables a person; `false` if nothing changed.
pub fn set_active(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    active: bool,
) -> QueryResult<bool> {
    let (from, to) = if active {
        ("disabled", "active")
    } else {
        ("active", "disabled")
    };
    let changed = diesel::update(users::table.find(user_id).filter(users::status.eq(from)))
        .set(users::status.eq(to))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    let ended = sessions::end_all_for(conn, user_id)?;
    record(
        conn,
        caller,
        if active {
            "user.enabled"
        } else {
            "user.disabled"
        },
        user_id,
        None,
        json!({ "sessions_ended": ended }),
    )?;
    Ok(true)
}

/// Pre-registers the provider subject a person will sign in with; `false` if the
/// subject already belongs to someone, or the person already has one there.
pub fn add_subject(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
    issuer: &str,
    subject: &str,
) -> QueryResult<bool> {
    let taken = diesel::select(diesel::dsl::exists(
        identities::table
            .filter(identities::issuer.eq(issuer))
            .filter(identities::subject.eq(subject)),
    ))
    .get_result::<bool>(conn)?;
    if taken || super::identities::has_identity_at(conn, user_id, issuer)? {
        return Ok(false);
    }
    super::identities::pre_register(conn, user_id, issuer, subject)?;
    record(
        conn,
        caller,
        "user.subject_registered",
        user_id,
        None,
        json!({ "issuer": issuer, "subject": subject }),
    )?;
    Ok(true)
}

/// Whether `user_id` is the only active operator, whom the portal must not lose. Checks
/// on the operators run one after another, so two operators cannot each remove the other.
pub fn is_last_active_operator(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    super::serialise_on(conn, "operators")?;
    let operators: Vec<String> = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(Role::Operator.as_str()))
        .filter(users::status.eq("active"))
        .select(users::id)
        .distinct()
        .load(conn)?;
    Ok(operators.iter().all(|id| id == user_id))
}

/// Records that an invitation link was mailed.
pub fn record_invitation(
    conn: &mut DbConnection,
    caller: &Caller,
    user_id: &str,
) -> QueryResult<()> {
    record(conn, caller, "user.invited", user_id, None, json!({}))
}

/// What giving a person the staff role from the operators' "no approver" list came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffGrant {
    /// The person now decides for the institution.
    Granted { user_id: String },
    /// They already held the role.
    AlreadyHeld { user_id: String },
    /// No active person has that email (create them first).
    NoSuchPerson,
    /// The number is not an active institution of the register.
    NotAnInstitution(ScopeProblem),
    /// An operator does not change their own roles.
    Yourself,
}

/// Gives the active person with `email` the staff role at `institution_number`, in one
/// transaction with its audit row (and their sessions ended, as every change of rights).
pub fn grant_staff_by_email(
    conn: &mut DbConnection,
    caller: &Caller,
    email: &str,
    institution_number: &str,
) -> QueryResult<StaffGrant> {
    let assignment =
        match assignment_from(conn, Role::InstitutionStaff.as_str(), institution_number)? {
            Ok(a) => a,
            Err(problem) => return Ok(StaffGrant::NotAnInstitution(problem)),
        };
    let Some(person) = people::find_by_email(conn, email)?.filter(|p| p.is_active()) else {
        return Ok(StaffGrant::NoSuchPerson);
    };
    if caller.user_id.as_deref() == Some(person.id.as_str()) {
        return Ok(StaffGrant::Yourself);
    }
    if add_role(conn, caller, &person.id, &assignment)? {
        Ok(StaffGrant::Granted { user_id: person.id })
    } else {
        Ok(StaffGrant::AlreadyHeld { user_id: person.id })
    }
}
