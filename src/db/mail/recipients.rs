//! Who is told (DESIGN §5). The institution side of a request is its approvers — staff
//! attached to the institution and, for a *kommunal* institution (or one whose staff
//! delegated to the municipality), the municipality's daycare officers and the
//! municipality's shared mailboxes — plus the institution's own shared mailboxes and its
//! contact email. A shared mailbox gets only the kinds of mail it chose
//! ([`MailKind`]), in its own language, never as a digest. With nobody there, mail falls
//! back to the municipality's officers and shared mailboxes, and last to the portal's
//! operators: a request is never silently unseen. The supplier side is the supplier's
//! users plus the service's contact email. Escalations of waiting requests go to the
//! municipality ([`municipality_escalation`]), then to the operators.

use diesel::prelude::*;

use super::Recipient;
use crate::db::DbConnection;
use crate::db::register::Institution;
use crate::db::schema::{role_assignments, users};
use crate::domain::Role;
use crate::domain::codes::Ownership;
use crate::domain::mailbox::MailKind;

type PersonRow = (String, String, bool);

fn people(rows: Vec<PersonRow>) -> impl Iterator<Item = Recipient> {
    rows.into_iter().map(|(email, language, digest)| Recipient {
        email,
        language,
        digest,
    })
}

fn load_people(
    conn: &mut DbConnection,
    role: Role,
    filter: impl FnOnce(RoleQuery) -> RoleQuery,
) -> QueryResult<Vec<Recipient>> {
    let base = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(role.as_str()))
        .filter(users::status.eq("active"))
        .into_boxed();
    let rows: Vec<PersonRow> = filter(base)
        .select((users::email, users::language, users::mail_digest))
        .load(conn)?;
    Ok(people(rows).collect())
}

type RoleQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Filter<
        diesel::dsl::Filter<
            diesel::dsl::InnerJoin<role_assignments::table, users::table>,
            diesel::dsl::Eq<role_assignments::role, &'static str>,
        >,
        diesel::dsl::Eq<users::status, &'static str>,
    >,
    <DbConnection as diesel::Connection>::Backend,
>;

/// The shared mailboxes of the institution and (municipal ones of) the municipality that
/// receive mail of `kind`, each in the language it was registered with, never as a digest.
fn mailboxes(
    conn: &mut DbConnection,
    institution: Option<&str>,
    municipality: Option<&str>,
    kind: MailKind,
) -> QueryResult<Vec<Recipient>> {
    let institutions: Vec<String> = institution.map(str::to_string).into_iter().collect();
    let municipalities: Vec<String> = municipality.map(str::to_string).into_iter().collect();
    Ok(
        crate::db::mailboxes::of_owners(conn, &institutions, &municipalities)?
            .into_iter()
            .filter(|m| m.kinds().receives(kind))
            .map(|m| Recipient {
                language: m.language,
                ..Recipient::mailbox(&m.email)
            })
            .collect(),
    )
}

/// Keeps the first of each address (people before mailboxes, so a person's language wins).
fn distinct(all: Vec<Recipient>) -> Vec<Recipient> {
    let mut seen = std::collections::HashSet::new();
    all.into_iter()
        .filter(|r| !r.email.is_empty() && seen.insert(r.email.to_lowercase()))
        .collect()
}

/// The portal's active operators.
pub fn operators(conn: &mut DbConnection) -> QueryResult<Vec<Recipient>> {
    load_people(conn, Role::Operator, |q| q)
}

/// The institution side of a request or agreement at `inst`, for an outcome (a
/// withdrawal, a lapse, an agreement that ended).
pub fn institution_side(
    conn: &mut DbConnection,
    inst: &Institution,
) -> QueryResult<Vec<Recipient>> {
    institution_side_for(conn, inst, MailKind::Outcomes)
}

/// The institution side of a request or agreement at `inst`, for mail of `kind`: shared
/// mailboxes are told only what they chose to receive.
pub fn institution_side_for(
    conn: &mut DbConnection,
    inst: &Institution,
    kind: MailKind,
) -> QueryResult<Vec<Recipient>> {
    let number = inst.number.clone();
    let municipality = inst.municipality_code.clone();
    // The municipality's officers decide for a kommunal institution, and for another one
    // while its staff have delegated to the municipality.
    let kommunal = inst.ownership() == Some(Ownership::Municipal)
        || crate::db::approvers::delegated_to_municipality(
            conn,
            &number,
            &municipality,
            crate::db::now().date(),
        )?;
    let mut all = load_people(conn, Role::InstitutionStaff, |q| {
        q.filter(role_assignments::institution_number.eq(number.clone()))
    })?;
    if kommunal {
        let m = municipality.clone();
        all.extend(load_people(conn, Role::MunicipalOfficer, move |q| {
            q.filter(role_assignments::municipality_code.eq(m))
        })?);
        all.extend(mailboxes(conn, Some(&number), Some(&municipality), kind)?);
    } else {
        all.extend(mailboxes(conn, Some(&number), None, kind)?);
    }
    all.extend(inst.email.as_deref().map(Recipient::mailbox));
    if all.is_empty() {
        let m = municipality.clone();
        all.extend(load_people(conn, Role::MunicipalOfficer, move |q| {
            q.filter(role_assignments::municipality_code.eq(m))
        })?);
        all.extend(mailboxes(conn, None, Some(&municipality), kind)?);
    }
    if all.is_empty() {
        all = operators(conn)?;
    }
    Ok(distinct(all))
}

/// The supplier side: its users and the service's contact email.
pub fn supplier_side(
    conn: &mut DbConnection,
    supplier_id: &str,
    service_contact: Option<&str>,
) -> QueryResult<Vec<Recipient>> {
    let mut all = Vec::new();
    for role in [Role::SupplierAdmin, Role::SupplierUser] {
        let id = supplier_id.to_string();
        all.extend(load_people(conn, role, move |q| {
            q.filter(role_assignments::supplier_id.eq(id))
        })?);
    }
    all.extend(service_contact.map(Recipient::mailbox));
    if all.is_empty() {
        all = operators(conn)?;
    }
    Ok(distinct(all))
}

/// Who hears of requests escalated to a municipality: its shared mailboxes that receive
/// reminders and escalations; without one, its active officers; without those either,
/// the operators. Tells which of the three it is.
pub fn municipality_escalation(
    conn: &mut DbConnection,
    municipality: &str,
) -> QueryResult<(Vec<Recipient>, EscalatedTo)> {
    let boxes = mailboxes(conn, None, Some(municipality), MailKind::Reminders)?;
    if !boxes.is_empty() {
        return Ok((distinct(boxes), EscalatedTo::Mailbox));
    }
    let m = municipality.to_string();
    let officers = load_people(conn, Role::MunicipalOfficer, move |q| {
        q.filter(role_assignments::municipality_code.eq(m))
    })?;
    if !officers.is_empty() {
        return Ok((distinct(officers), EscalatedTo::Officers));
    }
    Ok((distinct(operators(conn)?), EscalatedTo::Operators))
}

/// Where an escalation to a municipality went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalatedTo {
    Mailbox,
    Officers,
    Operators,
}

impl EscalatedTo {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mailbox => "mailbox",
            Self::Officers => "officers",
            Self::Operators => "operators",
        }
    }
}
