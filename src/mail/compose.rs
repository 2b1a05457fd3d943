//! Composing mail: each kind of notification is built as a [`Notification`] in the
//! recipient's language (Danish or English) and rendered by two askama templates into
//! the text and HTML parts. Mail carries references, institutions, services, scopes and
//! decisions — what both sides may see on the request page — and a link straight to it.

use askama::Template;
use std::collections::HashSet;

use crate::db::agreements::AgreementDetail;
use crate::db::mail::MailMessage;
use crate::db::requests::{RequestDetail, RequestScope};
use crate::domain::{AgreementStatus, Role};
use crate::routes::datetime;

#[derive(Debug, Clone)]
pub struct Notification {
    pub subject: String,
    pub heading: String,
    pub intro: String,
    pub items: Vec<Item>,
    pub outro: String,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub title: String,
    pub lines: Vec<String>,
    pub link: Option<String>,
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "mail/notification.txt")]
struct TextMail<'a> {
    n: &'a Notification,
    en: bool,
    profile: String,
}

#[derive(Template)]
#[template(path = "mail/notification.html")]
struct HtmlMail<'a> {
    n: &'a Notification,
    en: bool,
    profile: String,
}

pub fn render(n: &Notification, language: &str, base_url: &str) -> askama::Result<Rendered> {
    let en = language == "en";
    let profile = format!("{base_url}/profile");
    Ok(Rendered {
        subject: n.subject.clone(),
        text: TextMail {
            n,
            en,
            profile: profile.clone(),
        }
        .render()?,
        html: HtmlMail { n, en, profile }.render()?,
    })
}

/// Danish or English text.
fn tr(en: bool, da: &str, english: &str) -> String {
    if en {
        english.to_string()
    } else {
        da.to_string()
    }
}

fn scope_names<'a>(en: bool, scopes: impl Iterator<Item = &'a RequestScope>) -> String {
    scopes
        .map(|s| {
            let name = if en { &s.name_en } else { &s.name_da };
            if s.sensitive {
                format!("{name} ({})", tr(en, "følsom", "sensitive"))
            } else {
                name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn request_item(en: bool, base_url: &str, d: &RequestDetail) -> Item {
    Item {
        title: format!(
            "{} – {} ({})",
            d.request.reference, d.service.name, d.supplier.name
        ),
        lines: vec![
            format!(
                "{}: {} {}",
                tr(en, "Institution", "Institution"),
                d.institution.number,
                d.institution.name
            ),
            format!(
                "{}: {}",
                tr(en, "Dataadgange", "Data scopes"),
                scope_names(en, d.scopes.iter())
            ),
        ],
        link: Some(format!("{base_url}/requests/{}", d.request.id)),
    }
}

/// An item for a request that nobody can decide yet, saying so and what must happen.
fn undecidable_item(en: bool, base_url: &str, d: &RequestDetail) -> Item {
    let mut item = request_item(en, base_url, d);
    item.lines.push(if en {
        format!(
            "Nobody can decide this request yet: {} has no registered approver in Tilslutning. \
             The institution's management must have an employee registered as approver \
             (role: Institution staff for {}); Tilslutning's operators register them on request. \
             Until then the request waits, and the operators have it on their list.",
            d.institution.name, d.institution.number
        )
    } else {
        format!(
            "Ingen kan afgøre denne anmodning endnu: {} har ingen registreret godkender i Tilslutning. \
             Institutionens ledelse skal have en medarbejder registreret som godkender \
             (rollen Institutionspersonale for {}); Tilslutnings drift opretter godkenderen efter aftale. \
             Indtil da venter anmodningen, og driften har den på sin liste.",
            d.institution.name, d.institution.number
        )
    });
    item
}

/// The items of a mail about waiting requests: those nobody can decide yet say so.
fn waiting_items(
    en: bool,
    base_url: &str,
    requests: &[&RequestDetail],
    nobody: &HashSet<String>,
) -> Vec<Item> {
    requests
        .iter()
        .map(|d| {
            if nobody.contains(&d.institution.number) {
                undecidable_item(en, base_url, d)
            } else {
                request_item(en, base_url, d)
            }
        })
        .collect()
}

/// How a mail about waiting requests ends: a call to decide where someone can, and the
/// truth where nobody can yet.
fn waiting_outro(en: bool, requests: &[&RequestDetail], nobody: &HashSet<String>) -> String {
    let undecidable = requests
        .iter()
        .filter(|d| nobody.contains(&d.institution.number))
        .count();
    if undecidable == 0 {
        tr(
            en,
            "Godkend eller afvis i Tilslutning.",
            "Approve or reject in Tilslutning.",
        )
    } else if undecidable == requests.len() {
        tr(
            en,
            "Ingen kan godkende eller afvise disse anmodninger, før institutionen har en registreret godkender. Kontakt Tilslutnings drift for at få en godkender oprettet.",
            "Nobody can approve or reject these requests until the institution has a registered approver. Contact Tilslutning's operators to have one registered.",
        )
    } else {
        tr(
            en,
            "Godkend eller afvis i Tilslutning. De anmodninger, der er markeret ovenfor, kan ingen afgøre, før institutionen har en registreret godkender.",
            "Approve or reject in Tilslutning. Nobody can decide the requests marked above until the institution has a registered approver.",
        )
    }
}

/// To an approver: new requests, one mail listing every institution of a filing.
/// Requests at institutions in `nobody` have no one to decide them yet, and say so.
pub fn new_requests(
    en: bool,
    base_url: &str,
    requests: &[&RequestDetail],
    nobody: &HashSet<String>,
) -> Notification {
    let subject = match requests {
        [one] => format!(
            "{}: {} ({})",
            tr(en, "Ny anmodning om dataadgang", "New data-access request"),
            one.request.reference,
            one.institution.name
        ),
        many => format!(
            "{} {}",
            many.len(),
            tr(
                en,
                "nye anmodninger om dataadgang",
                "new data-access requests"
            )
        ),
    };
    let all_undecidable = requests
        .iter()
        .all(|d| nobody.contains(&d.institution.number));
    Notification {
        heading: if all_undecidable {
            tr(
                en,
                "Nye anmodninger – institutionen mangler en godkender",
                "New requests – the institution has no approver",
            )
        } else {
            tr(
                en,
                "Nye anmodninger venter på afgørelse",
                "New requests are waiting for a decision",
            )
        },
        intro: if all_undecidable {
            tr(
                en,
                "En leverandør har anmodet om dataadgang til en institution, som ingen i Tilslutning kan afgøre for endnu. Du får besked, fordi du er institutionens eller kommunens kontakt:",
                "A supplier has requested data access at an institution that nobody in Tilslutning can decide for yet. You are told as the institution's or municipality's contact:",
            )
        } else {
            tr(
                en,
                "En leverandør har anmodet om dataadgang til institutioner, du kan afgøre for:",
                "A supplier has requested data access at institutions you decide for:",
            )
        },
        items: waiting_items(en, base_url, requests, nobody),
        outro: waiting_outro(en, requests, nobody),
        subject,
    }
}

/// To an approver: requests that have waited long.
pub fn reminder(
    en: bool,
    base_url: &str,
    requests: &[&RequestDetail],
    days: i64,
    nobody: &HashSet<String>,
) -> Notification {
    Notification {
        subject: format!(
            "{} {}",
            requests.len(),
            tr(
                en,
                "anmodninger venter stadig på din afgørelse",
                "requests are still waiting for your decision"
            )
        ),
        heading: tr(en, "Påmindelse", "Reminder"),
        intro: if en {
            format!("These requests have waited more than {days} days:")
        } else {
            format!("Disse anmodninger har ventet mere end {days} dage:")
        },
        items: waiting_items(en, base_url, requests, nobody),
        outro: waiting_outro(en, requests, nobody),
    }
}

fn role_label(en: bool, code: Option<&str>) -> String {
    let texts = if en {
        crate::i18n::Language::English
    } else {
        crate::i18n::Language::Danish
    }
    .texts();
    code.and_then(Role::parse)
        .map(|r| texts.role(r))
        .unwrap_or_default()
}

/// To the supplier: the decision, as a receipt (who, in which role, when, which scopes).
pub fn decision(en: bool, base_url: &str, d: &RequestDetail) -> Notification {
    let approved = d.request.status == "approved";
    let granted = scope_names(en, d.scopes.iter().filter(|s| s.granted == Some(true)));
    let refused = scope_names(en, d.scopes.iter().filter(|s| s.granted != Some(true)));
    let mut lines = vec![
        format!(
            "{}: {} {}",
            tr(en, "Institution", "Institution"),
            d.institution.number,
            d.institution.name
        ),
        format!(
            "{}: {} ({}), {}",
            tr(en, "Afgjort af", "Decided by"),
            d.decided_by_name.clone().unwrap_or_default(),
            role_label(en, d.request.decided_role.as_deref()),
            d.request.decided_at.map(datetime).unwrap_or_default()
        ),
    ];
    if let Some(delegation) = &d.request.decided_delegation {
        lines.push(format!("{}: {delegation}", tr(en, "Under", "Under")));
    }
    if approved {
        lines.push(format!("{}: {granted}", tr(en, "Godkendt", "Approved")));
        if !refused.is_empty() {
            lines.push(format!(
                "{}: {refused}",
                tr(en, "Ikke godkendt", "Not approved")
            ));
        }
        if let Some((_, reference)) = &d.agreement {
            lines.push(format!("{}: {reference}", tr(en, "Aftale", "Agreement")));
        }
        if let Some(comment) = &d.request.decision_reason {
            lines.push(format!("{}: {comment}", tr(en, "Kommentar", "Comment")));
        }
    } else {
        lines.push(format!(
            "{}: {}",
            tr(en, "Begrundelse", "Reason"),
            d.request.decision_reason.clone().unwrap_or_default()
        ));
    }
    let verdict = if approved {
        tr(en, "godkendt", "approved")
    } else {
        tr(en, "afvist", "rejected")
    };
    Notification {
        subject: format!(
            "{} {}: {verdict}",
            tr(en, "Afgørelse på", "Decision on"),
            d.request.reference
        ),
        heading: format!("{} {verdict}", d.request.reference),
        intro: format!(
            "{} – {} ({})",
            d.service.name, d.institution.name, d.municipality_name
        ),
        items: vec![Item {
            title: d.request.reference.clone(),
            lines,
            link: Some(format!("{base_url}/requests/{}", d.request.id)),
        }],
        outro: tr(
            en,
            "Denne mail er en kvittering for afgørelsen.",
            "This mail is a receipt for the decision.",
        ),
    }
}

/// To the institution side: the supplier withdrew a request.
pub fn withdrawn(en: bool, base_url: &str, d: &RequestDetail) -> Notification {
    Notification {
        subject: format!(
            "{} {}",
            d.request.reference,
            tr(en, "er trukket tilbage", "was withdrawn")
        ),
        heading: tr(en, "Anmodning trukket tilbage", "Request withdrawn"),
        intro: tr(
            en,
            "Leverandøren har trukket anmodningen tilbage. Du skal ikke gøre mere.",
            "The supplier withdrew the request. Nothing more to do.",
        ),
        items: vec![request_item(en, base_url, d)],
        outro: String::new(),
    }
}

/// To both sides: a request lapsed (institution closed, service retired).
pub fn lapsed(en: bool, base_url: &str, d: &RequestDetail) -> Notification {
    let mut item = request_item(en, base_url, d);
    item.lines.push(format!(
        "{}: {}",
        tr(en, "Årsag", "Reason"),
        d.request.decision_reason.clone().unwrap_or_default()
    ));
    Notification {
        subject: format!(
            "{} {}",
            d.request.reference,
            tr(en, "er bortfaldet", "has lapsed")
        ),
        heading: tr(en, "Anmodning bortfaldet", "Request lapsed"),
        intro: tr(
            en,
            "Anmodningen kan ikke længere afgøres.",
            "The request can no longer be decided.",
        ),
        items: vec![item],
        outro: String::new(),
    }
}

/// To the other side: an agreement was terminated, revoked, or ended.
pub fn agreement_closed(en: bool, base_url: &str, a: &AgreementDetail) -> Notification {
    let status = AgreementStatus::parse(&a.agreement.status).unwrap_or(AgreementStatus::Ended);
    let (verb_da, verb_en) = match status {
        AgreementStatus::Terminated => (
            "er opsagt af leverandøren",
            "was terminated by the supplier",
        ),
        AgreementStatus::Revoked => (
            "er tilbagekaldt af institutionen",
            "was revoked by the institution",
        ),
        _ => ("er udløbet", "has ended"),
    };
    let mut lines = vec![
        format!(
            "{}: {} {}",
            tr(en, "Institution", "Institution"),
            a.institution.number,
            a.institution.name
        ),
        format!(
            "{}: {} ({})",
            tr(en, "Tjeneste", "Service"),
            a.service.name,
            a.supplier.name
        ),
    ];
    if let Some(reason) = &a.agreement.close_reason {
        lines.push(format!("{}: {reason}", tr(en, "Begrundelse", "Reason")));
    }
    Notification {
        subject: format!(
            "{} {} {}",
            tr(en, "Aftale", "Agreement"),
            a.agreement.reference,
            tr(en, verb_da, verb_en)
        ),
        heading: format!("{} {}", a.agreement.reference, tr(en, verb_da, verb_en)),
        intro: tr(
            en,
            "Dataadgangen efter aftalen er ophørt.",
            "Data access under the agreement has stopped.",
        ),
        items: vec![Item {
            title: a.agreement.reference.clone(),
            lines,
            link: Some(format!("{base_url}/agreements/{}", a.agreement.id)),
        }],
        outro: String::new(),
    }
}

/// To the supplier: an agreement moved from a legacy A-number to its G-number.
pub fn agreement_moved(en: bool, base_url: &str, a: &AgreementDetail) -> Notification {
    Notification {
        subject: format!(
            "{} {} {} {}",
            tr(en, "Aftale flyttet til", "Agreement moved to"),
            a.institution.number,
            "–",
            a.agreement.reference
        ),
        heading: tr(
            en,
            "Aftalen er flyttet til institutionens G-nummer",
            "The agreement moved to the institution's G-number",
        ),
        intro: tr(
            en,
            "Institutionens gamle A-nummer udfases. Aftalen gælder nu for G-nummeret; brug det i jeres integration.",
            "The institution's old A-number is being phased out. The agreement now applies to the G-number; use it in your integration.",
        ),
        items: vec![Item {
            title: format!("{} – {}", a.agreement.reference, a.service.name),
            lines: vec![format!(
                "{}: {} {}",
                tr(en, "Institution", "Institution"),
                a.institution.number,
                a.institution.name
            )],
            link: Some(format!("{base_url}/agreements/{}", a.agreement.id)),
        }],
        outro: String::new(),
    }
}

/// One mail with everything held for a digest recipient.
pub fn digest(en: bool, held: &[&MailMessage]) -> Notification {
    Notification {
        subject: format!(
            "{}: {} {}",
            tr(
                en,
                "Daglig oversigt fra Tilslutning",
                "Daily digest from Tilslutning"
            ),
            held.len(),
            tr(en, "beskeder", "messages")
        ),
        heading: tr(en, "Daglig oversigt", "Daily digest"),
        intro: tr(en, "Siden sidste oversigt:", "Since the last digest:"),
        items: held
            .iter()
            .map(|m| Item {
                title: m.subject.clone(),
                lines: m
                    .text_body
                    .lines()
                    .skip(2)
                    .take_while(|l| *l != "--")
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                link: None,
            })
            .collect(),
        outro: String::new(),
    }
}

/// To a person: a single-use link to choose a password, for an invitation or a reset.
/// Sent straight away, never held for a digest.
pub fn account_link(en: bool, invitation: bool, link: &str, inviter: Option<&str>) -> Notification {
    let (subject, heading, intro, title, valid) = if invitation {
        (
            tr(
                en,
                "Du er inviteret til Tilslutning",
                "You are invited to Tilslutning",
            ),
            tr(en, "Velkommen til Tilslutning", "Welcome to Tilslutning"),
            match inviter {
                Some(name) => format!(
                    "{name} {}",
                    tr(
                        en,
                        "har oprettet dig i Tilslutning.",
                        "has added you to Tilslutning."
                    )
                ),
                None => tr(
                    en,
                    "Du er oprettet i Tilslutning.",
                    "You have been added to Tilslutning.",
                ),
            },
            tr(en, "Vælg din adgangskode", "Choose your password"),
            tr(
                en,
                "Linket virker i 7 dage og kun én gang.",
                "The link works for 7 days, and once.",
            ),
        )
    } else {
        (
            tr(
                en,
                "Ny adgangskode til Tilslutning",
                "New password for Tilslutning",
            ),
            tr(en, "Vælg en ny adgangskode", "Choose a new password"),
            tr(
                en,
                "Nogen har bedt om at nulstille adgangskoden til din konto.",
                "Someone asked to reset the password of your account.",
            ),
            tr(en, "Vælg en ny adgangskode", "Choose a new password"),
            tr(
                en,
                "Linket virker i en time og kun én gang.",
                "The link works for one hour, and once.",
            ),
        )
    };
    Notification {
        subject,
        heading,
        intro,
        items: vec![Item {
            title,
            lines: vec![valid],
            link: Some(link.to_string()),
        }],
        outro: if invitation {
            String::new()
        } else {
            tr(
                en,
                "Har du ikke selv bedt om det, kan du se bort fra mailen. Din adgangskode er uændret.",
                "If you did not ask for this, ignore this mail. Your password is unchanged.",
            )
        },
    }
}
