//! Mail about an agreement's life after approval: a hold put on or lifted ("sat i bero" /
//! genoptaget), by the institution side for one agreement or by the supplier for a whole
//! service. Both sides are told, each recipient once per event in their language; for a
//! service, each institution-side recipient gets one mail listing their agreements.

use serde::Deserialize;

use super::compose::{Item, Notification, institution_line};
use super::expand::{ByEmail, Composed, Context, ExpandError, queue};
use crate::db::DbConnection;
use crate::db::agreement_pauses::Side;
use crate::db::agreements::{self, AgreementDetail};
use crate::db::mail::outbox::Event;
use crate::db::mail::recipients;
use crate::domain::AgreementStatus;
use crate::i18n::Texts;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Payload {
    agreement_id: Option<String>,
    agreement_ids: Vec<String>,
    /// The day the end reminders were found due on; the days left are counted from it
    /// (a reminder queued before it was written counts from the day it is composed).
    as_of: Option<time::Date>,
    /// The reason given when the hold was put on (the hold may be lifted by the time the
    /// mail is composed).
    reason: Option<String>,
}

/// The agreement as a mail item: where, which service, the holds standing on it (except
/// `told`'s, when the mail itself is about that side's hold) and its status now.
fn item(tx: Texts, base_url: &str, a: &AgreementDetail, told: Option<Side>) -> Item {
    let mut lines = vec![
        institution_line(tx, &a.institution.number, &a.institution.name),
        tx.with_two(
            "mail-line-service",
            "service",
            &a.service.name,
            "supplier",
            &a.supplier.name,
        ),
    ];
    for h in a
        .agreement
        .holds()
        .into_iter()
        .filter(|h| Some(h.side) != told)
    {
        let side = crate::routes::agreement_pauses::side_label(tx, h.side);
        lines.push(tx.with_two("hold-by", "side", &side, "reason", &h.reason));
    }
    let status = AgreementStatus::parse(&a.agreement.status).unwrap_or(AgreementStatus::Ended);
    lines.push(tx.a(
        "mail-hold-status-now",
        "status",
        &tx.agreement_status(status.as_str()),
    ));
    Item {
        title: a.agreement.reference.clone(),
        lines,
        link: Some(format!("{base_url}/agreements/{}", a.agreement.id)),
    }
}

/// A hold on one agreement put on or lifted by the institution side.
pub fn agreement_hold(
    tx: Texts,
    base_url: &str,
    a: &AgreementDetail,
    suspended: bool,
    reason: Option<&str>,
) -> Notification {
    let still_held = !suspended && a.agreement.status == AgreementStatus::Suspended.as_str();
    let key = match (suspended, still_held) {
        (true, _) => "mail-hold-suspended",
        (false, false) => "mail-hold-resumed",
        (false, true) => "mail-hold-resumed-still-held",
    };
    let sentence = tx.a(key, "reference", &a.agreement.reference);
    Notification {
        subject: sentence.clone(),
        heading: sentence,
        intro: tx.t(if suspended {
            "mail-hold-suspended-intro"
        } else {
            "mail-hold-resumed-intro"
        }),
        items: vec![with_reason(tx, item(tx, base_url, a, None), a, reason)],
        outro: String::new(),
    }
}

/// The item with the reason the hold was put on with, unless a hold standing on the
/// agreement already shows it (the hold just put on): the reason is said once.
fn with_reason(tx: Texts, mut item: Item, a: &AgreementDetail, reason: Option<&str>) -> Item {
    if let Some(reason) = reason
        && !a.agreement.holds().iter().any(|h| h.reason == reason)
    {
        item.lines.push(tx.a("mail-line-reason", "reason", reason));
    }
    item
}

/// The supplier paused or resumed a service: the agreements concerned. The reason is said
/// once, after the intro; the items list only the holds the institutions hold besides.
pub fn service_hold(
    tx: Texts,
    base_url: &str,
    service: &str,
    theirs: &[&AgreementDetail],
    paused: bool,
    reason: Option<&str>,
) -> Notification {
    let key = if paused {
        "mail-hold-service-paused"
    } else {
        "mail-hold-service-resumed"
    };
    let sentence = tx.with(
        key,
        &[
            ("service", service.to_string().into()),
            ("count", theirs.len().into()),
        ],
    );
    Notification {
        subject: sentence.clone(),
        heading: sentence,
        intro: with_reason_sentence(
            tx,
            tx.t(if paused {
                "mail-hold-service-paused-intro"
            } else {
                "mail-hold-resumed-intro"
            }),
            reason,
        ),
        items: theirs
            .iter()
            .map(|a| item(tx, base_url, a, Some(Side::Supplier)))
            .collect(),
        outro: String::new(),
    }
}

/// The intro followed by the hold's reason, when there is one.
fn with_reason_sentence(tx: Texts, intro: String, reason: Option<&str>) -> String {
    match reason {
        Some(reason) => tx.with_two(
            "polish-mail-intro-reason",
            "intro",
            &intro,
            "reason",
            reason,
        ),
        None => intro,
    }
}

/// The mail for a hold event, to both sides.
pub fn expand_hold(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    event: &Event,
    out: &mut Vec<Composed>,
) -> Result<usize, ExpandError> {
    let payload: Payload = serde_json::from_str(&event.payload)?;
    let missing = || ExpandError::Missing(event.id.clone());
    match event.topic.as_str() {
        topic @ ("agreement.suspended" | "agreement.resumed") => {
            let id = payload.agreement_id.ok_or_else(missing)?;
            let a = agreements::detail(conn, &id)?.ok_or(ExpandError::Missing(id))?;
            let mut to = recipients::supplier_side(
                conn,
                &a.supplier.id,
                a.service.contact_email.as_deref(),
            )?;
            to.extend(recipients::institution_side(conn, &a.institution)?);
            let suspended = topic == "agreement.suspended";
            queue(out, ctx, &to, |tx| {
                agreement_hold(tx, ctx.base_url, &a, suspended, payload.reason.as_deref())
            })
        }
        topic => {
            let paused = topic == "service.paused";
            let mut details = Vec::with_capacity(payload.agreement_ids.len());
            for id in &payload.agreement_ids {
                details.push(
                    agreements::detail(conn, id)?
                        .ok_or_else(|| ExpandError::Missing(id.clone()))?,
                );
            }
            let Some(first) = details.first() else {
                return Ok(0);
            };
            let service = first.service.name.clone();
            let supplier_side = recipients::supplier_side(
                conn,
                &first.supplier.id,
                first.service.contact_email.as_deref(),
            )?;
            let all: Vec<&AgreementDetail> = details.iter().collect();
            let mut sent = queue(out, ctx, &supplier_side, |tx| {
                service_hold(
                    tx,
                    ctx.base_url,
                    &service,
                    &all,
                    paused,
                    payload.reason.as_deref(),
                )
            })?;
            let mut groups: ByEmail = ByEmail::default();
            for (index, d) in details.iter().enumerate() {
                groups.add_all(recipients::institution_side(conn, &d.institution)?, index);
            }
            for (recipient, (), indexes) in groups.into_groups() {
                let theirs: Vec<&AgreementDetail> = indexes.iter().map(|i| &details[*i]).collect();
                sent += queue(out, ctx, &[recipient], |tx| {
                    service_hold(
                        tx,
                        ctx.base_url,
                        &service,
                        &theirs,
                        paused,
                        payload.reason.as_deref(),
                    )
                })?;
            }
            Ok(sent)
        }
    }
}

/// The days from `as_of` to the agreement's end date (none left once it has passed).
fn days_left(a: &AgreementDetail, as_of: time::Date) -> i64 {
    a.agreement
        .ends_on
        .map_or(0, |ends| (ends - as_of).whole_days().max(0))
}

/// Before the end date: the agreements (of one recipient) and the days each has left as of
/// `as_of`, in the catalogue's plural forms.
pub fn ending(
    tx: Texts,
    base_url: &str,
    theirs: &[&AgreementDetail],
    as_of: time::Date,
    supplier: bool,
) -> Notification {
    let ends = |a: &AgreementDetail| {
        a.agreement
            .ends_on
            .map(crate::routes::date)
            .unwrap_or_default()
    };
    let subject = match theirs {
        [one] => tx.with(
            "polish-ending-one",
            &[
                ("reference", one.agreement.reference.clone().into()),
                ("date", ends(one).into()),
                ("days", days_left(one, as_of).into()),
            ],
        ),
        many => tx.with(
            "polish-ending-many",
            &[
                ("count", many.len().into()),
                (
                    "days",
                    many.iter()
                        .map(|a| days_left(a, as_of))
                        .max()
                        .unwrap_or_default()
                        .into(),
                ),
            ],
        ),
    };
    let items = theirs
        .iter()
        .map(|a| {
            let mut item = item(tx, base_url, a, None);
            item.lines.push(tx.with(
                "polish-ending-line",
                &[
                    ("date", ends(a).into()),
                    ("days", days_left(a, as_of).into()),
                ],
            ));
            item
        })
        .collect();
    Notification {
        subject: subject.clone(),
        heading: subject,
        intro: tx.t("mail-ending-intro"),
        items,
        outro: tx.t(if supplier {
            "mail-ending-outro-supplier"
        } else {
            "mail-ending-outro-institution"
        }),
    }
}

/// The reminders before an end date, to both sides, one mail per recipient listing theirs.
pub fn expand_ending(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    event: &Event,
    out: &mut Vec<Composed>,
) -> Result<usize, ExpandError> {
    let payload: Payload = serde_json::from_str(&event.payload)?;
    let as_of = payload.as_of.unwrap_or_else(|| crate::db::now().date());
    let mut details = Vec::with_capacity(payload.agreement_ids.len());
    for id in &payload.agreement_ids {
        // One that ended or was renewed meanwhile is left out of the reminder.
        if let Some(d) = agreements::detail(conn, id)?
            && AgreementStatus::parse(&d.agreement.status).is_some_and(AgreementStatus::is_open)
        {
            details.push(d);
        }
    }
    // Tagged with the side a recipient is first found on: a supplier's user is told how to
    // renew, the institution side what a renewal will ask of it.
    let mut groups: ByEmail<bool> = ByEmail::default();
    for (index, d) in details.iter().enumerate() {
        let supplier_side =
            recipients::supplier_side(conn, &d.supplier.id, d.service.contact_email.as_deref())?;
        let institution_side = recipients::institution_side(conn, &d.institution)?;
        for (r, is_supplier) in supplier_side
            .into_iter()
            .map(|r| (r, true))
            .chain(institution_side.into_iter().map(|r| (r, false)))
        {
            groups.add(r, is_supplier, index);
        }
    }
    let mut sent = 0;
    for (recipient, is_supplier, indexes) in groups.into_groups() {
        let theirs: Vec<&AgreementDetail> = indexes.iter().map(|i| &details[*i]).collect();
        sent += queue(out, ctx, &[recipient], |tx| {
            ending(tx, ctx.base_url, &theirs, as_of, is_supplier)
        })?;
    }
    Ok(sent)
}
