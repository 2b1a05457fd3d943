//! Composing mail: each kind of notification is built as a [`Notification`] in the
//! recipient's language from the mail catalogue (`templates/locales/*/mail.ftl`) and
//! rendered by two askama templates into the text and HTML parts. Mail carries
//! references, institutions, services, scopes and decisions — what both sides may see on
//! the request page — and a link straight to it.

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use std::collections::HashSet;

use crate::db::agreements::AgreementDetail;
use crate::db::delegations::DelegationFacts;
use crate::db::mail::MailMessage;
use crate::db::requests::{RequestDetail, RequestScope};
use crate::domain::policy::DelegationKind;
use crate::domain::{AgreementStatus, Reason, Role, SystemReason};
use crate::i18n::Texts;
use crate::routes::{date, datetime};

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

/// The footer every mail ends with, in the recipient's language.
struct Footer {
    why: String,
    /// The text part's sentence, with the profile page's address.
    choose_text: String,
    /// The HTML part's sentence around its link to the profile page.
    before_link: String,
    link: String,
    after_link: String,
    profile: String,
}

impl Footer {
    fn new(tx: Texts, base_url: &str) -> Self {
        let profile = format!("{base_url}/profile");
        // The catalogue holds the whole sentence; the link goes where `$page` stands.
        const PLACE: &str = "\u{1}";
        let choose = tx.a("mail-footer-choose", "page", PLACE);
        let (before_link, after_link) = choose
            .split_once(PLACE)
            .map(|(b, a)| (b.to_string(), a.to_string()))
            .unwrap_or((choose.clone(), String::new()));
        Footer {
            why: tx.t("mail-footer-why"),
            choose_text: tx.a("mail-footer-choose-text", "url", &profile),
            before_link,
            link: tx.t("mail-footer-page"),
            after_link,
            profile,
        }
    }
}

#[derive(Template)]
#[template(path = "mail/notification.txt")]
struct TextMail<'a> {
    n: &'a Notification,
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "mail/notification.html")]
struct HtmlMail<'a> {
    n: &'a Notification,
    lang: &'static str,
    footer: &'a Footer,
}

/// The text and HTML parts of `n`, for a reader of `tx`'s language.
pub fn render(n: &Notification, tx: Texts, base_url: &str) -> askama::Result<Rendered> {
    let footer = Footer::new(tx, base_url);
    Ok(Rendered {
        subject: n.subject.clone(),
        text: TextMail { n, footer: &footer }.render()?,
        html: HtmlMail {
            n,
            lang: tx.language().code(),
            footer: &footer,
        }
        .render()?,
    })
}

/// The message `key` about `count` things: `$count` chooses the plural form, `$shown`
/// is the count with its digits grouped.
pub(super) fn counted(tx: Texts, key: &str, count: usize) -> String {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    tx.with(
        key,
        &[
            ("count", FluentValue::from(count)),
            ("shown", FluentValue::from(tx.number(count))),
        ],
    )
}

fn scope_names<'a>(tx: Texts, scopes: impl Iterator<Item = &'a RequestScope>) -> String {
    scopes
        .map(|s| {
            let name = tx.pick(&s.name_da, &s.name_en);
            if s.sensitive {
                tx.a("mail-scope-sensitive", "name", name)
            } else {
                name.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn institution_line(tx: Texts, number: &str, name: &str) -> String {
    tx.with_two("mail-line-institution", "number", number, "name", name)
}

fn request_item(tx: Texts, base_url: &str, d: &RequestDetail) -> Item {
    let mut lines = vec![institution_line(
        tx,
        &d.institution.number,
        &d.institution.name,
    )];
    lines.extend(scope_lines(tx, d));
    if let Some((_, renews)) = &d.renews {
        lines.insert(0, tx.a("request-renews", "reference", renews));
    }
    Item {
        title: format!(
            "{} – {} ({})",
            d.request.reference, d.service.name, d.supplier.name
        ),
        lines,
        link: Some(format!("{base_url}/requests/{}", d.request.id)),
    }
}

/// The scopes a request asks for; for an extension, what the agreement already has and
/// what is added.
fn scope_lines(tx: Texts, d: &RequestDetail) -> Vec<String> {
    let asked = scope_names(tx, d.scopes.iter());
    let Some(x) = &d.extends else {
        return vec![tx.a("mail-line-scopes", "scopes", &asked)];
    };
    let has = x
        .has
        .iter()
        .map(|s| {
            let name = tx.pick(&s.name_da, &s.name_en);
            if s.sensitive {
                tx.a("mail-scope-sensitive", "name", name)
            } else {
                name.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let has = if has.is_empty() {
        tx.t("extension-have-none")
    } else {
        has
    };
    vec![
        tx.with_two(
            "mail-line-extension-have",
            "reference",
            &x.agreement_reference,
            "scopes",
            &has,
        ),
        tx.a("mail-line-extension-added", "scopes", &asked),
    ]
}

/// An item for a request that nobody can decide yet, saying so and what must happen.
fn undecidable_item(tx: Texts, base_url: &str, d: &RequestDetail) -> Item {
    let mut item = request_item(tx, base_url, d);
    item.lines.push(tx.with(
        "mail-undecidable",
        &[
            (
                "institution",
                FluentValue::from(d.institution.name.as_str()),
            ),
            ("number", FluentValue::from(d.institution.number.as_str())),
            ("role", FluentValue::from(tx.role(Role::InstitutionStaff))),
        ],
    ));
    item
}

/// The items of a mail about waiting requests: those nobody can decide yet say so.
pub(super) fn waiting_items(
    tx: Texts,
    base_url: &str,
    requests: &[&RequestDetail],
    nobody: &HashSet<String>,
) -> Vec<Item> {
    requests
        .iter()
        .map(|d| {
            if nobody.contains(&d.institution.number) {
                undecidable_item(tx, base_url, d)
            } else {
                request_item(tx, base_url, d)
            }
        })
        .collect()
}

/// How a mail about waiting requests ends: a call to decide where someone can, and the
/// truth where nobody can yet.
fn waiting_outro(tx: Texts, requests: &[&RequestDetail], nobody: &HashSet<String>) -> String {
    let undecidable = requests
        .iter()
        .filter(|d| nobody.contains(&d.institution.number))
        .count();
    if undecidable == 0 {
        tx.t("mail-outro-decide")
    } else if undecidable == requests.len() {
        tx.n("mail-outro-nobody", undecidable)
    } else {
        tx.t("mail-outro-some")
    }
}

/// To an approver: new requests, one mail listing every institution of a filing.
/// Requests at institutions in `nobody` have no one to decide them yet, and say so.
pub fn new_requests(
    tx: Texts,
    base_url: &str,
    requests: &[&RequestDetail],
    nobody: &HashSet<String>,
) -> Notification {
    let subject = match requests {
        [one] => tx.with_two(
            "mail-new-subject-one",
            "reference",
            &one.request.reference,
            "institution",
            &one.institution.name,
        ),
        many => counted(tx, "mail-new-subject-many", many.len()),
    };
    let all_undecidable = requests
        .iter()
        .all(|d| nobody.contains(&d.institution.number));
    Notification {
        heading: if all_undecidable {
            tx.n("mail-new-heading-no-approver", requests.len())
        } else {
            tx.n("mail-new-heading", requests.len())
        },
        intro: if all_undecidable {
            tx.t("mail-new-intro-no-approver")
        } else {
            tx.n("mail-new-intro", requests.len())
        },
        items: waiting_items(tx, base_url, requests, nobody),
        outro: waiting_outro(tx, requests, nobody),
        subject,
    }
}

/// To an approver: requests that have waited long.
pub fn reminder(
    tx: Texts,
    base_url: &str,
    requests: &[&RequestDetail],
    days: i64,
    nobody: &HashSet<String>,
) -> Notification {
    let count = i64::try_from(requests.len()).unwrap_or(i64::MAX);
    Notification {
        subject: counted(tx, "mail-reminder-subject", requests.len()),
        heading: tx.t("mail-reminder-heading"),
        intro: tx.with(
            "mail-reminder-intro",
            &[
                ("count", FluentValue::from(count)),
                ("days", FluentValue::from(days)),
            ],
        ),
        items: waiting_items(tx, base_url, requests, nobody),
        outro: waiting_outro(tx, requests, nobody),
    }
}

/// Who decided and when: in their role, or under a delegation (said in words, with what
/// the delegation was when its facts are known).
fn decided_by_lines(
    tx: Texts,
    d: &RequestDetail,
    delegation: Option<&DelegationFacts>,
) -> Vec<String> {
    let name = d.decided_by_name.clone().unwrap_or_default();
    let when = d.request.decided_at.map(datetime).unwrap_or_default();
    let role = d.request.decided_role.as_deref().and_then(Role::parse);
    let args = |extra: Option<(&'static str, String)>| {
        let mut args = vec![
            ("name", FluentValue::from(name.clone())),
            ("when", FluentValue::from(when.clone())),
        ];
        args.extend(extra.map(|(k, v)| (k, FluentValue::from(v))));
        args
    };
    let mut lines = Vec::new();
    match (role, &d.request.decided_delegation) {
        (Some(role), None) => {
            lines.push(tx.with("mail-decided-by-role", &args(Some(("role", tx.role(role))))));
        }
        (_, Some(_)) => {
            lines.push(tx.with("mail-decided-by-delegation", &args(None)));
            lines.push(delegation_line(tx, delegation));
        }
        (None, None) => lines.push(tx.with("mail-decided-by", &args(None))),
    }
    lines
}

/// What a decision's delegation was, in words (the request page says it the same way).
pub fn delegation_line(tx: Texts, delegation: Option<&DelegationFacts>) -> String {
    let Some(f) = delegation else {
        return tx.t("mail-delegation-unknown");
    };
    let period = [
        (
            "municipality",
            FluentValue::from(f.municipality_name.as_str()),
        ),
        ("from", FluentValue::from(date(f.valid_from))),
        ("until", FluentValue::from(date(f.valid_until))),
    ];
    match (f.kind, &f.institution) {
        (DelegationKind::InstitutionToMunicipality, Some((number, name))) => {
            let mut args = period.to_vec();
            args.push(("institution", FluentValue::from(format!("{number} {name}"))));
            tx.with("mail-delegation-institution", &args)
        }
        (DelegationKind::InstitutionToMunicipality, None) => tx.t("mail-delegation-unknown"),
        (DelegationKind::OfficerToColleague, _) => {
            let mut args = period.to_vec();
            args.push(("grantor", FluentValue::from(f.granted_by_name.clone())));
            tx.with("mail-delegation-colleague", &args)
        }
    }
}

/// To the supplier: the decision, as a receipt (who, in which role or under which
/// delegation, when, which scopes). `delegation` holds the facts of the delegation the
/// decision rests on, if it rests on one.
pub fn decision(
    tx: Texts,
    base_url: &str,
    d: &RequestDetail,
    delegation: Option<&DelegationFacts>,
) -> Notification {
    let approved = d.request.status == "approved";
    let granted = scope_names(tx, d.scopes.iter().filter(|s| s.granted == Some(true)));
    // Refused scopes with the approver's reason get a line each; any without one (decided
    // before reasons were asked for) share a line.
    let refused = scope_names(
        tx,
        d.scopes
            .iter()
            .filter(|s| s.granted != Some(true) && s.refusal_reason.is_none()),
    );
    let refused_with_reasons: Vec<String> = d
        .scopes
        .iter()
        .filter(|s| s.granted != Some(true))
        .filter_map(|s| {
            s.refusal_reason.as_ref().map(|why| {
                tx.with_two(
                    "mail-line-refused-scope",
                    "scope",
                    &scope_names(tx, std::iter::once(s)),
                    "reason",
                    why,
                )
            })
        })
        .collect();
    let mut lines = vec![institution_line(
        tx,
        &d.institution.number,
        &d.institution.name,
    )];
    lines.extend(decided_by_lines(tx, d, delegation));
    let reason = d.request.reason().map(|r| tx.reason(&r));
    if approved {
        lines.push(tx.a("mail-line-granted", "scopes", &granted));
        lines.extend(refused_with_reasons);
        if !refused.is_empty() {
            lines.push(tx.a("mail-line-refused", "scopes", &refused));
        }
        if let Some((_, reference)) = &d.agreement {
            lines.push(tx.a("mail-line-agreement", "reference", reference));
        }
        if let Some(comment) = &reason {
            lines.push(tx.a("mail-line-comment", "comment", comment));
        }
    } else {
        lines.push(tx.a("mail-line-reason", "reason", &reason.unwrap_or_default()));
    }
    let (subject, heading) = if approved {
        (
            "mail-decision-subject-approved",
            "mail-decision-heading-approved",
        )
    } else {
        (
            "mail-decision-subject-rejected",
            "mail-decision-heading-rejected",
        )
    };
    let reference = &d.request.reference;
    Notification {
        subject: tx.a(subject, "reference", reference),
        heading: tx.a(heading, "reference", reference),
        intro: tx.with(
            "mail-decision-intro",
            &[
                ("service", FluentValue::from(d.service.name.as_str())),
                (
                    "institution",
                    FluentValue::from(d.institution.name.as_str()),
                ),
                (
                    "municipality",
                    FluentValue::from(d.municipality_name.as_str()),
                ),
            ],
        ),
        items: vec![Item {
            title: reference.clone(),
            lines,
            link: Some(format!("{base_url}/requests/{}", d.request.id)),
        }],
        outro: tx.t("mail-decision-outro"),
    }
}

/// To the institution side: the supplier withdrew a request.
pub fn withdrawn(tx: Texts, base_url: &str, d: &RequestDetail) -> Notification {
    let mut item = request_item(tx, base_url, d);
    if let (Some(name), Some(when)) = (&d.decided_by_name, d.request.decided_at) {
        item.lines
            .push(tx.with_two("mail-line-withdrawn", "name", name, "when", &datetime(when)));
    }
    Notification {
        subject: tx.a("mail-withdrawn-subject", "reference", &d.request.reference),
        heading: tx.t("mail-withdrawn-heading"),
        intro: tx.t("mail-withdrawn-intro"),
        items: vec![item],
        outro: String::new(),
    }
}

/// To both sides: a request lapsed (institution closed, service retired).
pub fn lapsed(tx: Texts, base_url: &str, d: &RequestDetail) -> Notification {
    let mut item = request_item(tx, base_url, d);
    if let Some(when) = d.request.decided_at {
        item.lines
            .push(tx.a("mail-line-lapsed", "when", &datetime(when)));
    }
    if let Some(reason) = d.request.reason() {
        item.lines
            .push(tx.a("mail-line-cause", "reason", &tx.reason(&reason)));
    }
    Notification {
        subject: tx.a("mail-lapsed-subject", "reference", &d.request.reference),
        heading: tx.t("mail-lapsed-heading"),
        intro: tx.t("mail-lapsed-intro"),
        items: vec![item],
        outro: String::new(),
    }
}

/// To the other side: an agreement was terminated, revoked, or ended.
pub fn agreement_closed(tx: Texts, base_url: &str, a: &AgreementDetail) -> Notification {
    let status = AgreementStatus::parse(&a.agreement.status).unwrap_or(AgreementStatus::Ended);
    let reason = a.agreement.reason();
    let what = match status {
        AgreementStatus::Terminated => "mail-agreement-terminated",
        AgreementStatus::Revoked => "mail-agreement-revoked",
        _ if reason == Some(Reason::System(SystemReason::EndDatePassed)) => {
            "mail-agreement-expired"
        }
        _ => "mail-agreement-ended",
    };
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
    if let Some(reason) = &reason {
        lines.push(tx.a("mail-line-reason", "reason", &tx.reason(reason)));
    }
    let sentence = tx.a(what, "reference", &a.agreement.reference);
    Notification {
        subject: sentence.clone(),
        heading: sentence,
        intro: tx.t("mail-agreement-closed-intro"),
        items: vec![Item {
            title: a.agreement.reference.clone(),
            lines,
            link: Some(format!("{base_url}/agreements/{}", a.agreement.id)),
        }],
        outro: String::new(),
    }
}

/// To the supplier: an agreement moved from a legacy A-number to its G-number.
pub fn agreement_moved(tx: Texts, base_url: &str, a: &AgreementDetail) -> Notification {
    Notification {
        subject: tx.with_two(
            "mail-moved-subject",
            "number",
            &a.institution.number,
            "reference",
            &a.agreement.reference,
        ),
        heading: tx.t("mail-moved-heading"),
        intro: tx.t("mail-moved-intro"),
        items: vec![Item {
            title: tx.with_two(
                "mail-moved-title",
                "reference",
                &a.agreement.reference,
                "service",
                &a.service.name,
            ),
            lines: vec![institution_line(
                tx,
                &a.institution.number,
                &a.institution.name,
            )],
            link: Some(format!("{base_url}/agreements/{}", a.agreement.id)),
        }],
        outro: String::new(),
    }
}

/// One mail with everything held for a digest recipient.
pub fn digest(tx: Texts, held: &[&MailMessage]) -> Notification {
    Notification {
        subject: counted(tx, "mail-digest-subject", held.len()),
        heading: tx.t("mail-digest-heading"),
        intro: tx.t("mail-digest-intro"),
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
pub fn account_link(
    tx: Texts,
    invitation: bool,
    link: &str,
    inviter: Option<&str>,
) -> Notification {
    let item = |title: &str, valid: &str| Item {
        title: tx.t(title),
        lines: vec![tx.t(valid)],
        link: Some(link.to_string()),
    };
    if invitation {
        Notification {
            subject: tx.t("mail-invite-subject"),
            heading: tx.t("mail-invite-heading"),
            intro: match inviter {
                Some(name) => tx.a("mail-invite-intro-by", "inviter", name),
                None => tx.t("mail-invite-intro"),
            },
            items: vec![item("mail-invite-title", "mail-invite-valid")],
            outro: String::new(),
        }
    } else {
        Notification {
            subject: tx.t("mail-reset-subject"),
            heading: tx.t("mail-reset-heading"),
            intro: tx.t("mail-reset-intro"),
            items: vec![item("mail-reset-heading", "mail-reset-valid")],
            outro: tx.t("mail-reset-outro"),
        }
    }
}
