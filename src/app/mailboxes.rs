//! Shared mailboxes: an institution's staff register the addresses that receive the
//! institution's notifications, a municipality's officers the municipality's (the rules
//! are the policy's `ManageInstitutionMailboxes` and `ManageMunicipalMailboxes`). Each
//! change is one transaction with its audit row.

use super::{Acting, Error, Result};
use crate::db::mailboxes::{self, AddError, Mailbox};
use crate::db::{DbConnection, register, write_tx};
use crate::domain::Role;
use crate::domain::mailbox::{MailKind, MailboxOwner, MailboxProblem, NewMailbox};
use crate::domain::policy::{self, Action, Actor, Target};

/// A mailbox as a form or an API call gives it.
#[derive(Debug, Clone, Default)]
pub struct MailboxForm {
    pub email: String,
    pub label: String,
    /// `da` (the default when empty) or `en`.
    pub language: String,
    /// [`MailKind`] codes; unknown ones are ignored.
    pub kinds: Vec<String>,
}

/// An owner a person may register mailboxes for, with its name.
#[derive(Debug, Clone)]
pub struct OwnerChoice {
    pub owner: MailboxOwner,
    pub name: String,
}

/// What the mailbox page shows: whose mailboxes the person keeps, and those mailboxes.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub owners: Vec<OwnerChoice>,
    pub mailboxes: Vec<Mailbox>,
}

/// An action with the facts of its policy target: institution number, municipality code
/// and ownership.
type OwnedTarget = (
    Action,
    String,
    String,
    Option<crate::domain::codes::Ownership>,
);

/// The action and policy target of managing `owner`'s mailboxes; `None` when the owner
/// does not exist.
fn target_of(conn: &mut DbConnection, owner: &MailboxOwner) -> Result<Option<OwnedTarget>> {
    Ok(match owner {
        MailboxOwner::Institution(n) => register::find(conn, n)?.map(|i| {
            (
                Action::ManageInstitutionMailboxes,
                i.number.clone(),
                i.municipality_code.clone(),
                i.ownership(),
            )
        }),
        MailboxOwner::Municipality(m) => register::municipality_name(conn, m)?.map(|_| {
            (
                Action::ManageMunicipalMailboxes,
                String::new(),
                m.clone(),
                None,
            )
        }),
    })
}

/// Asks the policy whether `acting` keeps `owner`'s mailboxes; the audit caller if so.
fn allowed(
    conn: &mut DbConnection,
    acting: &Acting,
    owner: &MailboxOwner,
) -> Result<crate::db::audit::Caller> {
    let (action, number, municipality, ownership) =
        target_of(conn, owner)?.ok_or(Error::NotFound)?;
    let target = Target {
        supplier_id: "",
        institution_number: &number,
        municipality_code: &municipality,
        ownership,
    };
    acting.may(action, &target, Error::Forbidden)?;
    Ok(acting.caller_for(action, &target))
}

/// Registers a mailbox for `owner`; its id, or what was wrong with the form.
pub fn add(
    conn: &mut DbConnection,
    acting: &Acting,
    owner: &MailboxOwner,
    form: &MailboxForm,
) -> Result<std::result::Result<String, MailboxProblem>> {
    let caller = allowed(conn, acting, owner)?;
    let kinds: Vec<MailKind> = form
        .kinds
        .iter()
        .filter_map(|k| MailKind::parse(k))
        .collect();
    let new = match NewMailbox::parse(&form.email, &form.label, &form.language, &kinds) {
        Ok(new) => new,
        Err(problem) => return Ok(Err(problem)),
    };
    let outcome = write_tx(conn, |conn| {
        match mailboxes::add(conn, &caller, owner, &new) {
            Ok(id) => Ok(Ok(id)),
            Err(AddError::AlreadyRegistered) => {
                Ok(Err(MailboxProblem::AlreadyRegistered(new.email.clone())))
            }
            Err(AddError::Database(e)) => Err(Error::from(e)),
        }
    });
    match outcome {
        Err(e) if e.is_unique_violation() => {
            Ok(Err(MailboxProblem::AlreadyRegistered(new.email.clone())))
        }
        other => other,
    }
}

/// Removes a mailbox; what it was.
pub fn remove(conn: &mut DbConnection, acting: &Acting, id: &str) -> Result<Mailbox> {
    let mailbox = mailboxes::find(conn, id)?.ok_or(Error::NotFound)?;
    let owner = mailbox.owner().ok_or(Error::NotFound)?;
    let caller = allowed(conn, acting, &owner)?;
    write_tx(conn, |conn| -> Result<()> {
        if !mailboxes::remove(conn, &caller, &mailbox)? {
            return Err(Error::NotFound);
        }
        Ok(())
    })?;
    Ok(mailbox)
}

/// The owners whose mailboxes `actor` keeps (from their roles, each asked of the policy),
/// and those owners' mailboxes.
pub fn overview(conn: &mut DbConnection, actor: &Actor) -> Result<Overview> {
    let institutions: Vec<String> = actor
        .roles
        .iter()
        .filter(|r| r.role == Role::InstitutionStaff)
        .filter_map(|r| r.institution_number.clone())
        .collect();
    let municipalities: Vec<String> = actor
        .roles
        .iter()
        .filter(|r| r.role == Role::MunicipalOfficer)
        .filter_map(|r| r.municipality_code.clone())
        .collect();
    let mut owners = Vec::new();
    let mut kept_institutions = Vec::new();
    for i in register::find_many(conn, &institutions)? {
        let target = Target {
            supplier_id: "",
            institution_number: &i.number,
            municipality_code: &i.municipality_code,
            ownership: i.ownership(),
        };
        if policy::allows(actor, Action::ManageInstitutionMailboxes, &target) {
            kept_institutions.push(i.number.clone());
            owners.push(OwnerChoice {
                name: format!("{} {}", i.number, i.name),
                owner: MailboxOwner::Institution(i.number),
            });
        }
    }
    let mut kept_municipalities = Vec::new();
    for m in municipalities {
        let target = Target {
            supplier_id: "",
            institution_number: "",
            municipality_code: &m,
            ownership: None,
        };
        if !policy::allows(actor, Action::ManageMunicipalMailboxes, &target) {
            continue;
        }
        if let Some(name) = register::municipality_name(conn, &m)? {
            kept_municipalities.push(m.clone());
            owners.push(OwnerChoice {
                name,
                owner: MailboxOwner::Municipality(m),
            });
        }
    }
    let mailboxes = mailboxes::of_owners(conn, &kept_institutions, &kept_municipalities)?;
    Ok(Overview { owners, mailboxes })
}
