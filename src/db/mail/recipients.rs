//! Who is told (DESIGN §5). The institution side of a request is its approvers — staff
//! attached to the institution and, for a *kommunal* institution (or one whose staff
//! delegated to the municipality), the municipality's daycare officers — plus registered shared mailboxes and the institution's contact
//! email. With nobody there, mail falls back to the municipality's officers and mailboxes,
//! and last to the portal's operators: a request is never silently unseen. The supplier
//! side is the supplier's users plus the service's contact email.

use diesel::prelude::*;

use super::Recipient;
use crate::db::DbConnection;
use crate::db::register::Institution;
use crate::db::schema::{notification_addresses, role_assignments, users};
use crate::domain::Role;
use crate::domain::codes::Ownership;

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

fn mailboxes(
    conn: &mut DbConnection,
    institution: Option<&str>,
    municipality: Option<&str>,
) -> QueryResult<Vec<Recipient>> {
    let mut q = notification_addresses::table.into_boxed();
    q = match (institution, municipality) {
        (Some(i), Some(m)) => q.filter(
            notification_addresses::institution_number
                .eq(i.to_string())
                .or(notification_addresses::municipality_code.eq(m.to_string())),
        ),
        (Some(i), None) => q.filter(notification_addresses::institution_number.eq(i.to_string())),
        (None, Some(m)) => q.filter(notification_addresses::municipality_code.eq(m.to_string())),
        (None, None) => return Ok(Vec::new()),
    };
    let emails: Vec<String> = q.select(notification_addresses::email).load(conn)?;
    Ok(emails.iter().map(|e| Recipient::mailbox(e)).collect())
}

/// Keeps the first of each address (people before mailboxes, so a person's language wins).
fn distinct(all: Vec<Recipient>) -> Vec<Recipient> {
    let mut seen = std::collections::HashSet::new();
    all.into_iter()
        .filter(|r| !r.email.is_empty() && seen.insert(r.email.to_lowercase()))
        .collect()
}

fn operators(conn: &mut DbConnection) -> QueryResult<Vec<Recipient>> {
    load_people(conn, Role::Operator, |q| q)
}

/// The institution side of a request or agreement at `inst`.
pub fn institution_side(
    conn: &mut DbConnection,
    inst: &Institution,
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
        all.extend(mailboxes(conn, Some(&number), Some(&municipality))?);
    } else {
        all.extend(mailboxes(conn, Some(&number), None)?);
    }
    all.extend(inst.email.as_deref().map(Recipient::mailbox));
    if all.is_empty() {
        let m = municipality.clone();
        all.extend(load_people(conn, Role::MunicipalOfficer, move |q| {
            q.filter(role_assignments::municipality_code.eq(m))
        })?);
        all.extend(mailboxes(conn, None, Some(&municipality))?);
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
