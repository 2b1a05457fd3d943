//! Mail about requests escalated because they have waited too long (DESIGN §5, §9): to the
//! municipality that administers each institution — its shared mailbox that takes
//! reminders and escalations, or its officers when it has none, or the operators when it
//! has neither — and later to the operators. Each recipient gets one mail listing all the
//! requests escalated to them in a sweep, in their language.

use std::collections::{BTreeMap, HashSet};

use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;

use super::compose::{self, Notification};
use super::expand::{self, Composed, Context, ExpandError};
use crate::db::DbConnection;
use crate::db::mail::{Recipient, recipients};
use crate::db::requests::RequestDetail;
use crate::i18n::Texts;

/// The outbox event's payload: the requests, and the threshold they passed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Payload {
    request_ids: Vec<String>,
    days: i64,
}

/// The messages of a `requests.escalated` or `requests.escalated_to_operators` event.
pub fn expand(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    topic: &str,
    payload: &str,
    out: &mut Vec<Composed>,
) -> Result<usize, ExpandError> {
    let payload: Payload = serde_json::from_str(payload)?;
    let details = payload
        .request_ids
        .iter()
        .map(|id| expand::request(conn, id))
        .collect::<Result<Vec<_>, _>>()?;
    let mut groups: expand::ByEmail = expand::ByEmail::default();
    let to_operators = topic == "requests.escalated_to_operators";
    if to_operators {
        let operators = recipients::operators(conn)?;
        for index in 0..details.len() {
            groups.add_all(operators.clone(), index);
        }
    } else {
        let mut by_municipality: BTreeMap<String, Vec<Recipient>> = BTreeMap::new();
        for (index, d) in details.iter().enumerate() {
            let code = d.institution.municipality_code.clone();
            if !by_municipality.contains_key(&code) {
                let (to, _) = recipients::municipality_escalation(conn, &code)?;
                by_municipality.insert(code.clone(), to);
            }
            groups.add_all(by_municipality[&code].clone(), index);
        }
    }
    let mut sent = 0;
    for (recipient, (), indexes) in groups.into_groups() {
        let theirs: Vec<&RequestDetail> = indexes.iter().map(|i| &details[*i]).collect();
        sent += expand::queue(out, ctx, &[recipient], |tx| {
            escalated(tx, ctx.base_url, &theirs, payload.days, to_operators)
        })?;
    }
    Ok(sent)
}

/// One mail listing requests that have waited more than `days`.
fn escalated(
    tx: Texts,
    base_url: &str,
    requests: &[&RequestDetail],
    days: i64,
    to_operators: bool,
) -> Notification {
    let count = i64::try_from(requests.len()).unwrap_or(i64::MAX);
    let (subject, heading, intro, outro) = if to_operators {
        (
            "mail-escalated-operators-subject",
            "mail-escalated-operators-heading",
            "mail-escalated-operators-intro",
            "mail-escalated-operators-outro",
        )
    } else {
        (
            "mail-escalated-subject",
            "mail-escalated-heading",
            "mail-escalated-intro",
            "mail-escalated-outro",
        )
    };
    Notification {
        subject: compose::counted(tx, subject, requests.len()),
        heading: tx.t(heading),
        intro: tx.with(
            intro,
            &[
                ("count", FluentValue::from(count)),
                ("days", FluentValue::from(days)),
            ],
        ),
        items: compose::waiting_items(tx, base_url, requests, &HashSet::new()),
        outro: tx.t(outro),
    }
}
