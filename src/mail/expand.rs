//! Turning one outbox event into messages: find who must be told, compose in each
//! recipient's language, queue one message per recipient — all in the transaction that
//! marks the event processed, so an event is expanded exactly once.

use std::collections::BTreeMap;

use diesel::QueryResult;
use serde::Deserialize;

use super::compose::{self, Notification};
use crate::db::mail::outbox::Event;
use crate::db::mail::{self, Recipient, recipients};
use crate::db::requests::RequestDetail;
use crate::db::{DbConnection, agreements, approvers, delegations, requests};
use crate::domain::mailbox::MailKind;
use crate::i18n::Texts;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Payload {
    request_id: Option<String>,
    request_ids: Vec<String>,
    agreement_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExpandError {
    #[error("event {0} refers to something that does not exist")]
    Missing(String),
    #[error("event payload unreadable: {0}")]
    Payload(#[from] serde_json::Error),
    #[error("rendering mail: {0}")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What the worker needs to know besides the event.
pub struct Context<'a> {
    pub base_url: &'a str,
    pub reminder_days: i64,
}

/// One message composed for one recipient, to be stored with its event.
pub struct Composed {
    pub recipient: Recipient,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub(super) fn queue(
    out: &mut Vec<Composed>,
    ctx: &Context<'_>,
    to: &[Recipient],
    build: impl Fn(Texts) -> Notification,
) -> Result<usize, ExpandError> {
    for recipient in to {
        let tx = recipient.language().texts();
        let rendered = compose::render(&build(tx), tx, ctx.base_url)?;
        out.push(Composed {
            recipient: recipient.clone(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
        });
    }
    Ok(to.len())
}

/// Stores the messages an event was expanded into (inside the transaction that marks
/// the event processed).
pub fn store(conn: &mut DbConnection, event_id: &str, messages: &[Composed]) -> QueryResult<()> {
    for m in messages {
        mail::enqueue(
            conn,
            Some(event_id),
            &m.recipient,
            &m.subject,
            &m.text,
            &m.html,
        )?;
    }
    Ok(())
}

pub(super) fn request(conn: &mut DbConnection, id: &str) -> Result<RequestDetail, ExpandError> {
    requests::summary(conn, id)?.ok_or_else(|| ExpandError::Missing(id.to_string()))
}

/// Recipients gathered by email address, each with the indexes (into the caller's list,
/// in the order added) of what they are to hear about, so each person gets one mail
/// listing all of theirs. The tag `T` given with a recipient's first appearance travels
/// with them (the end reminders' "supplier side"); the rest use `()`. Groups come out in
/// order of email address.
pub struct ByEmail<T = ()> {
    groups: BTreeMap<String, (Recipient, T, Vec<usize>)>,
}

impl<T> Default for ByEmail<T> {
    fn default() -> Self {
        Self {
            groups: BTreeMap::new(),
        }
    }
}

impl<T> ByEmail<T> {
    /// `recipient` is to hear about item `index`.
    pub fn add(&mut self, recipient: Recipient, tag: T, index: usize) {
        self.groups
            .entry(recipient.email.clone())
            .or_insert_with(|| (recipient, tag, Vec::new()))
            .2
            .push(index);
    }

    /// Everyone in `to` is to hear about item `index`.
    pub fn add_all(&mut self, to: impl IntoIterator<Item = Recipient>, index: usize)
    where
        T: Default,
    {
        for recipient in to {
            self.add(recipient, T::default(), index);
        }
    }

    /// Each recipient, their tag and their items, by email address.
    pub fn into_groups(self) -> impl Iterator<Item = (Recipient, T, Vec<usize>)> {
        self.groups.into_values()
    }
}

/// Requests grouped by who must hear about them, so an approver of many institutions in
/// one filing gets one mail listing them all.
fn group_by_approver(
    conn: &mut DbConnection,
    details: &[RequestDetail],
    kind: MailKind,
) -> QueryResult<ByEmail> {
    let mut groups = ByEmail::default();
    for (index, d) in details.iter().enumerate() {
        groups.add_all(
            recipients::institution_side_for(conn, &d.institution, kind)?,
            index,
        );
    }
    Ok(groups)
}

/// The messages one event becomes: who must be told, each in their language. Reads only;
/// the worker stores them with [`store`] in the short transaction that marks the event
/// processed, so no write lock is held while it looks up and renders.
pub fn expand(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    event: &Event,
) -> Result<Vec<Composed>, ExpandError> {
    let mut out = Vec::new();
    expand_into(conn, ctx, event, &mut out)?;
    Ok(out)
}

fn expand_into(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    event: &Event,
    out: &mut Vec<Composed>,
) -> Result<usize, ExpandError> {
    let payload: Payload = serde_json::from_str(&event.payload)?;
    match event.topic.as_str() {
        topic @ ("requests.filed" | "requests.reminder") => {
            let details = payload
                .request_ids
                .iter()
                .map(|id| request(conn, id))
                .collect::<Result<Vec<_>, _>>()?;
            let numbers: Vec<String> = details
                .iter()
                .map(|d| d.institution.number.clone())
                .collect();
            let nobody = approvers::without_approver(conn, &numbers, crate::db::now().date())?;
            let kind = if topic == "requests.filed" {
                MailKind::NewRequests
            } else {
                MailKind::Reminders
            };
            let mut sent = 0;
            for (recipient, (), indexes) in group_by_approver(conn, &details, kind)?.into_groups() {
                let theirs: Vec<&RequestDetail> = indexes.iter().map(|i| &details[*i]).collect();
                sent += queue(out, ctx, &[recipient], |tx| {
                    if topic == "requests.filed" {
                        compose::new_requests(tx, ctx.base_url, &theirs, &nobody)
                    } else {
                        compose::reminder(tx, ctx.base_url, &theirs, ctx.reminder_days, &nobody)
                    }
                })?;
            }
            Ok(sent)
        }
        "request.decided" | "request.withdrawn" | "request.lapsed" => {
            let id = payload
                .request_id
                .ok_or_else(|| ExpandError::Missing(event.id.clone()))?;
            let d = request(conn, &id)?;
            match event.topic.as_str() {
                "request.decided" => {
                    let to = recipients::supplier_side(
                        conn,
                        &d.supplier.id,
                        d.service.contact_email.as_deref(),
                    )?;
                    let delegation = match &d.request.decided_delegation {
                        Some(described) => delegations::facts_of_described(conn, described)?,
                        None => None,
                    };
                    queue(out, ctx, &to, |tx| {
                        compose::decision(tx, ctx.base_url, &d, delegation.as_ref())
                    })
                }
                "request.withdrawn" => {
                    let to = recipients::institution_side(conn, &d.institution)?;
                    queue(out, ctx, &to, |tx| compose::withdrawn(tx, ctx.base_url, &d))
                }
                _ => {
                    let mut to = recipients::supplier_side(
                        conn,
                        &d.supplier.id,
                        d.service.contact_email.as_deref(),
                    )?;
                    to.extend(recipients::institution_side(conn, &d.institution)?);
                    queue(out, ctx, &to, |tx| compose::lapsed(tx, ctx.base_url, &d))
                }
            }
        }
        "agreement.moved" => {
            let id = payload
                .agreement_id
                .ok_or_else(|| ExpandError::Missing(event.id.clone()))?;
            let a = agreements::detail(conn, &id)?.ok_or(ExpandError::Missing(id))?;
            let to = recipients::supplier_side(
                conn,
                &a.supplier.id,
                a.service.contact_email.as_deref(),
            )?;
            queue(out, ctx, &to, |tx| {
                compose::agreement_moved(tx, ctx.base_url, &a)
            })
        }
        "agreement.terminated" | "agreement.revoked" | "agreement.ended" => {
            let id = payload
                .agreement_id
                .ok_or_else(|| ExpandError::Missing(event.id.clone()))?;
            let a = agreements::detail(conn, &id)?.ok_or(ExpandError::Missing(id))?;
            let mut to = Vec::new();
            if event.topic != "agreement.terminated" {
                to.extend(recipients::supplier_side(
                    conn,
                    &a.supplier.id,
                    a.service.contact_email.as_deref(),
                )?);
            }
            if event.topic != "agreement.revoked" {
                to.extend(recipients::institution_side(conn, &a.institution)?);
            }
            queue(out, ctx, &to, |tx| {
                compose::agreement_closed(tx, ctx.base_url, &a)
            })
        }
        "agreement.suspended" | "agreement.resumed" | "service.paused" | "service.resumed" => {
            super::lifecycle::expand_hold(conn, ctx, event, out)
        }
        "agreements.ending" => super::lifecycle::expand_ending(conn, ctx, event, out),
        topic @ ("requests.escalated" | "requests.escalated_to_operators") => {
            super::escalation::expand(conn, ctx, topic, &event.payload, out)
        }
        other => {
            tracing::warn!(topic = other, "no mail for this event");
            Ok(0)
        }
    }
}

#[cfg(test)]
mod by_email_tests {
    use super::ByEmail;
    use crate::db::mail::Recipient;

    fn to(email: &str) -> Recipient {
        Recipient {
            email: email.to_string(),
            language: "da".to_string(),
            digest: false,
        }
    }

    #[test]
    fn each_address_once_with_its_items_and_its_first_tag_in_address_order() {
        let mut groups: ByEmail<bool> = ByEmail::default();
        groups.add(to("b@x.dk"), true, 0);
        groups.add(to("a@x.dk"), false, 0);
        groups.add(to("b@x.dk"), false, 1);
        groups.add(to("a@x.dk"), true, 2);
        let out: Vec<(String, bool, Vec<usize>)> = groups
            .into_groups()
            .map(|(r, tag, items)| (r.email, tag, items))
            .collect();
        assert_eq!(
            out,
            vec![
                ("a@x.dk".to_string(), false, vec![0, 2]),
                ("b@x.dk".to_string(), true, vec![0, 1]),
            ]
        );
        let mut plain: ByEmail = ByEmail::default();
        plain.add_all([to("c@x.dk"), to("c@x.dk")], 3);
        let items: Vec<Vec<usize>> = plain.into_groups().map(|(_, (), i)| i).collect();
        assert_eq!(items, vec![vec![3, 3]], "as the loops it replaces did");
    }
}
