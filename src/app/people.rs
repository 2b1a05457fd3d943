//! People administration: operators create and invite people, give and take roles,
//! attach the provider identity a person signs in with, and close or reopen accounts.
//! An operator changes other people's rights and sign-in, never their own: nobody raises
//! their own rights, attaches their own identity to someone else, or locks themselves out.

use serde_json::json;

use super::{Acting, Error, Result};
use crate::db::account_tokens::{self, Purpose};
use crate::db::audit::{self, Caller};
use crate::db::sessions;
use crate::db::user_admin::{self, ScopeProblem, StaffGrant};
use crate::db::{DbConnection, users, write_tx};
use crate::domain::policy::manages_users;
use crate::domain::{Role, RoleAssignment};

/// Longest provider subject accepted.
const MAX_SUBJECT: usize = 255;

/// A person as the operator describes them on the form.
#[derive(Debug, Clone)]
pub struct NewPerson<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    /// The supplier's CVR, the municipality code or the institution number the role covers.
    pub scope: &'a str,
    /// Mail them an invitation to choose a password.
    pub invite: bool,
}

/// What is wrong with a [`NewPerson`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonProblem {
    BadEmail,
    NoName,
    Scope(ScopeProblem),
    /// Someone already has this email (normalised).
    EmailTaken(String),
}

/// What a create came to.
#[derive(Debug)]
pub enum Created {
    /// The new person's id.
    Person(String),
    Refused(Vec<PersonProblem>),
}

/// What a change to a person came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Nothing to do: they already held the role.
    Unchanged,
    /// The operator tried to change their own rights, identity or account.
    Yourself,
    /// Closing this account would leave the portal without an active operator.
    LastOperator,
    /// The role's scope does not name a supplier, municipality or open institution.
    Scope(ScopeProblem),
    /// The provider subject is empty or too long.
    BadSubject,
    /// The subject belongs to someone else, or the person already has one.
    SubjectTaken,
}

fn only_operators(acting: &Acting) -> Result<()> {
    if manages_users(&acting.actor) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Refuses anyone but operators; `Some(Outcome::Yourself)` when the operator names
/// themselves (their own rights, identity and account are another operator's to change).
fn operator_on_someone_else(acting: &Acting, user_id: &str) -> Result<Option<Outcome>> {
    only_operators(acting)?;
    Ok((acting.user_id() == user_id).then_some(Outcome::Yourself))
}

fn exists(conn: &mut DbConnection, user_id: &str) -> Result<()> {
    users::find(conn, user_id)?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

/// Mails an invitation in the caller's transaction, and audits it.
fn send_invitation(
    conn: &mut DbConnection,
    acting: &Acting,
    base_url: &str,
    user_id: &str,
) -> Result<()> {
    let person = users::find(conn, user_id)?.ok_or(Error::NotFound)?;
    account_tokens::mail_link(
        conn,
        base_url,
        &person,
        Purpose::Invitation,
        Some(&acting.display_name),
    )?;
    user_admin::record_invitation(conn, &acting.caller(Some(Role::Operator)), user_id)?;
    Ok(())
}

/// Creates a person with their first role, and invites them if asked.
pub fn create(
    conn: &mut DbConnection,
    acting: &Acting,
    form: &NewPerson<'_>,
    base_url: &str,
) -> Result<Created> {
    only_operators(acting)?;
    let email = users::normalise_email(form.email);
    let caller = acting.caller(Some(Role::Operator));
    let outcome = write_tx(conn, |conn| -> Result<Created> {
        let mut problems = Vec::new();
        if !email.contains('@') || email.len() > 254 {
            problems.push(PersonProblem::BadEmail);
        }
        let name = form.display_name.trim();
        if name.is_empty() {
            problems.push(PersonProblem::NoName);
        }
        let assignment = match user_admin::assignment_from(conn, form.role, form.scope)? {
            Ok(a) => Some(a),
            Err(problem) => {
                problems.push(PersonProblem::Scope(problem));
                None
            }
        };
        let (Some(assignment), true) = (assignment, problems.is_empty()) else {
            return Ok(Created::Refused(problems));
        };
        let Some(id) = user_admin::create(conn, &caller, &email, name, &assignment)? else {
            return Ok(Created::Refused(vec![PersonProblem::EmailTaken(
                email.clone(),
            )]));
        };
        if form.invite {
            send_invitation(conn, acting, base_url, &id)?;
        }
        Ok(Created::Person(id))
    });
    match outcome {
        Err(e) if e.is_unique_violation() => {
            Ok(Created::Refused(vec![PersonProblem::EmailTaken(email)]))
        }
        other => other,
    }
}

/// Gives a person a role covering `scope`.
pub fn add_role(
    conn: &mut DbConnection,
    acting: &Acting,
    user_id: &str,
    role: &str,
    scope: &str,
) -> Result<Outcome> {
    if let Some(yourself) = operator_on_someone_else(acting, user_id)? {
        return Ok(yourself);
    }
    let caller = acting.caller(Some(Role::Operator));
    write_tx(conn, |conn| {
        exists(conn, user_id)?;
        Ok(match user_admin::assignment_from(conn, role, scope)? {
            Err(problem) => Outcome::Scope(problem),
            Ok(a) if user_admin::add_role(conn, &caller, user_id, &a)? => Outcome::Done,
            Ok(_) => Outcome::Unchanged,
        })
    })
}

/// Takes one of a person's roles away.
pub fn remove_role(
    conn: &mut DbConnection,
    acting: &Acting,
    user_id: &str,
    assignment_id: &str,
) -> Result<Outcome> {
    if let Some(yourself) = operator_on_someone_else(acting, user_id)? {
        return Ok(yourself);
    }
    let caller = acting.caller(Some(Role::Operator));
    write_tx(conn, |conn| {
        if user_admin::remove_role(conn, &caller, user_id, assignment_id)? {
            Ok(Outcome::Done)
        } else {
            Err(Error::NotFound)
        }
    })
}

/// Closes (`active = false`) or reopens an account; the last active operator stays open.
pub fn set_active(
    conn: &mut DbConnection,
    acting: &Acting,
    user_id: &str,
    active: bool,
) -> Result<Outcome> {
    only_operators(acting)?;
    if !active && acting.user_id() == user_id {
        return Ok(Outcome::Yourself);
    }
    let caller = acting.caller(Some(Role::Operator));
    write_tx(conn, |conn| {
        if !active && user_admin::is_last_active_operator(conn, user_id)? {
            return Ok(Outcome::LastOperator);
        }
        user_admin::set_active(conn, &caller, user_id, active)?;
        Ok(Outcome::Done)
    })
}

/// Mails a person an invitation (again).
pub fn invite(
    conn: &mut DbConnection,
    acting: &Acting,
    user_id: &str,
    base_url: &str,
) -> Result<Outcome> {
    only_operators(acting)?;
    write_tx(conn, |conn| {
        send_invitation(conn, acting, base_url, user_id)
    })?;
    Ok(Outcome::Done)
}

/// The command line's `create-operator`: creates the person, or sets a new password for
/// one who exists (ending their sessions), and gives them the operator role — as the
/// system, in one transaction with its audit rows. Returns the person's id.
pub fn ensure_operator(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<String> {
    let caller = Caller::default();
    write_tx(conn, |conn| {
        let existing = users::find_by_email(conn, email)?;
        let id = users::upsert(conn, email, display_name, Some(password_hash))?;
        if existing.is_some() {
            sessions::end_all_for(conn, &id)?;
            audit::record_for_user(
                conn,
                &caller,
                "user.password_reset",
                &id,
                json!({ "source": "create-operator" }),
            )?;
        } else {
            audit::record_for_user(
                conn,
                &caller,
                "user.created",
                &id,
                json!({
                    "email": users::normalise_email(email),
                    "display_name": display_name,
                    "source": "create-operator",
                }),
            )?;
        }
        user_admin::add_role(conn, &caller, &id, &RoleAssignment::portal(Role::Operator))?;
        Ok(id)
    })
}

/// Makes the active person with `email` an approver (staff) of the institution, from
/// the operators' list of institutions nobody decides for.
pub fn grant_staff(
    conn: &mut DbConnection,
    acting: &Acting,
    email: &str,
    institution_number: &str,
) -> Result<StaffGrant> {
    only_operators(acting)?;
    let caller = acting.caller(Some(Role::Operator));
    Ok(write_tx(conn, |conn| {
        user_admin::grant_staff_by_email(conn, &caller, email, institution_number)
    })?)
}

/// Pre-registers the provider subject `subject` of `issuer` as the person's sign-in.
pub fn add_subject(
    conn: &mut DbConnection,
    acting: &Acting,
    user_id: &str,
    issuer: &str,
    subject: &str,
) -> Result<Outcome> {
    if let Some(yourself) = operator_on_someone_else(acting, user_id)? {
        return Ok(yourself);
    }
    let subject = subject.trim();
    if subject.is_empty() || subject.len() > MAX_SUBJECT {
        return Ok(Outcome::BadSubject);
    }
    let caller = acting.caller(Some(Role::Operator));
    let added = write_tx(conn, |conn| -> Result<bool> {
        exists(conn, user_id)?;
        Ok(user_admin::add_subject(
            conn, &caller, user_id, issuer, subject,
        )?)
    });
    match added {
        Ok(true) => Ok(Outcome::Done),
        Ok(false) => Ok(Outcome::SubjectTaken),
        Err(e) if e.is_unique_violation() => Ok(Outcome::SubjectTaken),
        Err(e) => Err(e),
    }
}
