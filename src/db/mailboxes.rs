//! Shared mailboxes (the `notification_addresses` table): registering and removing one,
//! each with its audit row, and listing those of some institutions and municipalities.
//! The mail side reads them in [`super::mail::recipients`].

use diesel::prelude::*;
use serde_json::json;
use time::PrimitiveDateTime;

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::schema::notification_addresses as na;
use crate::domain::mailbox::{MailKinds, MailboxOwner, NewMailbox};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = na)]
pub struct Mailbox {
    pub id: String,
    pub institution_number: Option<String>,
    pub municipality_code: Option<String>,
    pub email: String,
    pub created_at: PrimitiveDateTime,
    pub label: Option<String>,
    pub language: String,
    pub new_requests: bool,
    pub reminders: bool,
    pub outcomes: bool,
    pub created_by: Option<String>,
}

impl Mailbox {
    pub fn owner(&self) -> Option<MailboxOwner> {
        match (&self.institution_number, &self.municipality_code) {
            (Some(i), _) => Some(MailboxOwner::Institution(i.clone())),
            (None, Some(m)) => Some(MailboxOwner::Municipality(m.clone())),
            (None, None) => None,
        }
    }

    pub fn kinds(&self) -> MailKinds {
        MailKinds {
            new_requests: self.new_requests,
            reminders: self.reminders,
            outcomes: self.outcomes,
        }
    }
}

/// Why a mailbox was not registered.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("the owner already has this address")]
    AlreadyRegistered,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn owner_details(owner: &MailboxOwner) -> serde_json::Value {
    match owner {
        MailboxOwner::Institution(n) => json!({ "institution": n }),
        MailboxOwner::Municipality(m) => json!({ "municipality": m }),
    }
}

fn exists(conn: &mut DbConnection, owner: &MailboxOwner, email: &str) -> QueryResult<bool> {
    let q = na::table.filter(na::email.eq(email)).into_boxed();
    let q = match owner {
        MailboxOwner::Institution(n) => q.filter(na::institution_number.eq(n.clone())),
        MailboxOwner::Municipality(m) => q
            .filter(na::institution_number.is_null())
            .filter(na::municipality_code.eq(m.clone())),
    };
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

/// Registers a mailbox for `owner`, audited as `mailbox.added`; returns its id.
pub fn add(
    conn: &mut DbConnection,
    caller: &Caller,
    owner: &MailboxOwner,
    new: &NewMailbox,
) -> Result<String, AddError> {
    if exists(conn, owner, &new.email)? {
        return Err(AddError::AlreadyRegistered);
    }
    let id = super::new_id();
    let (institution, municipality) = match owner {
        MailboxOwner::Institution(n) => (Some(n.as_str()), None),
        MailboxOwner::Municipality(m) => (None, Some(m.as_str())),
    };
    diesel::insert_into(na::table)
        .values((
            na::id.eq(&id),
            na::institution_number.eq(institution),
            na::municipality_code.eq(municipality),
            na::email.eq(&new.email),
            na::created_at.eq(super::now()),
            na::label.eq(new.label.as_deref()),
            na::language.eq(new.language),
            na::new_requests.eq(new.kinds.new_requests),
            na::reminders.eq(new.kinds.reminders),
            na::outcomes.eq(new.kinds.outcomes),
            na::created_by.eq(caller.user_id.as_deref()),
        ))
        .execute(conn)?;
    let mut details = owner_details(owner);
    details["email"] = json!(new.email);
    details["label"] = json!(new.label);
    details["language"] = json!(new.language);
    details["kinds"] = json!(
        new.kinds
            .kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
    );
    audit::record(
        conn,
        caller,
        Entry {
            action: "mailbox.added",
            target_type: "mailbox",
            target_id: &id,
            institution_number: institution,
            supplier_id: None,
            details,
        },
    )?;
    Ok(id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Mailbox>> {
    na::table
        .find(id)
        .select(Mailbox::as_select())
        .first(conn)
        .optional()
}

/// Removes a mailbox, audited as `mailbox.removed`; false when it was already gone.
pub fn remove(conn: &mut DbConnection, caller: &Caller, mailbox: &Mailbox) -> QueryResult<bool> {
    let removed = diesel::delete(na::table.find(&mailbox.id)).execute(conn)?;
    if removed == 0 {
        return Ok(false);
    }
    let mut details = mailbox
        .owner()
        .map(|o| owner_details(&o))
        .unwrap_or_else(|| json!({}));
    details["email"] = json!(mailbox.email);
    audit::record(
        conn,
        caller,
        Entry {
            action: "mailbox.removed",
            target_type: "mailbox",
            target_id: &mailbox.id,
            institution_number: mailbox.institution_number.as_deref(),
            supplier_id: None,
            details,
        },
    )?;
    Ok(true)
}

/// The mailboxes of these institutions and (municipal ones of) these municipalities, by
/// owner and address.
pub fn of_owners(
    conn: &mut DbConnection,
    institutions: &[String],
    municipalities: &[String],
) -> QueryResult<Vec<Mailbox>> {
    let mut found: Vec<Mailbox> = Vec::new();
    for chunk in institutions.chunks(super::IN_LIST_CHUNK) {
        found.extend(
            na::table
                .filter(na::institution_number.eq_any(chunk))
                .select(Mailbox::as_select())
                .load(conn)?,
        );
    }
    if !municipalities.is_empty() {
        found.extend(
            na::table
                .filter(na::institution_number.is_null())
                .filter(na::municipality_code.eq_any(municipalities))
                .select(Mailbox::as_select())
                .load(conn)?,
        );
    }
    found.sort_by(|a, b| {
        (&a.municipality_code, &a.institution_number, &a.email).cmp(&(
            &b.municipality_code,
            &b.institution_number,
            &b.email,
        ))
    });
    Ok(found)
}

/// The municipality's own mailboxes that receive mail of this kind.
pub fn municipal_receiving(
    conn: &mut DbConnection,
    municipality: &str,
    kind: crate::domain::mailbox::MailKind,
) -> QueryResult<Vec<Mailbox>> {
    Ok(of_owners(conn, &[], &[municipality.to_string()])?
        .into_iter()
        .filter(|m| m.kinds().receives(kind))
        .collect())
}
