//! Shared mailboxes (DESIGN §5): an address an institution's staff or a municipality's
//! officers register so that a ticket system or a team inbox gets their notifications.
//!
//! Decisions written down here:
//! - A mailbox belongs to one institution or one municipality ([`MailboxOwner`]).
//! - It chooses which notifications it receives ([`MailKind`]): *new requests*;
//!   *reminders and escalations* of requests left waiting; and *outcomes* — withdrawals,
//!   lapses and agreements ended, revoked, terminated or moved on the institution side.
//!   Decisions themselves go to the supplier, never to a mailbox.
//! - A mailbox is not a person: it has no digest (every mail goes at once, a filing for
//!   many institutions still one mail per mailbox) and it reads Danish unless the form
//!   chose English.
//! - The address is trimmed and lower-cased; one address is registered once per owner.

/// Whose mailbox it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxOwner {
    Institution(String),
    Municipality(String),
}

impl MailboxOwner {
    /// As a form's choice names it: `institution:G10601`, `municipality:101`.
    pub fn code(&self) -> String {
        match self {
            Self::Institution(n) => format!("institution:{n}"),
            Self::Municipality(m) => format!("municipality:{m}"),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().split_once(':')? {
            ("institution", n) if !n.is_empty() => Some(Self::Institution(n.to_string())),
            ("municipality", m) if !m.is_empty() => Some(Self::Municipality(m.to_string())),
            _ => None,
        }
    }
}

/// The kinds of notification a mailbox may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A request was filed for the institution.
    NewRequests,
    /// A request is still waiting: the periodic reminder, and escalation to the municipality.
    Reminders,
    /// A request was withdrawn or lapsed, an agreement ended, revoked, terminated or moved.
    Outcomes,
}

impl MailKind {
    pub const ALL: [MailKind; 3] = [Self::NewRequests, Self::Reminders, Self::Outcomes];

    /// As forms and the API name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewRequests => "new_requests",
            Self::Reminders => "reminders",
            Self::Outcomes => "outcomes",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code.trim())
    }
}

/// Which kinds a mailbox receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailKinds {
    pub new_requests: bool,
    pub reminders: bool,
    pub outcomes: bool,
}

impl MailKinds {
    pub fn of(kinds: &[MailKind]) -> Self {
        Self {
            new_requests: kinds.contains(&MailKind::NewRequests),
            reminders: kinds.contains(&MailKind::Reminders),
            outcomes: kinds.contains(&MailKind::Outcomes),
        }
    }

    pub fn receives(self, kind: MailKind) -> bool {
        match kind {
            MailKind::NewRequests => self.new_requests,
            MailKind::Reminders => self.reminders,
            MailKind::Outcomes => self.outcomes,
        }
    }

    pub fn kinds(self) -> Vec<MailKind> {
        MailKind::ALL
            .into_iter()
            .filter(|k| self.receives(*k))
            .collect()
    }
}

/// Why a mailbox could not be registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxProblem {
    /// The address is empty or not an email address.
    BadAddress,
    /// The label is longer than [`LABEL_MAX`].
    LabelTooLong,
    /// No kind of notification was chosen.
    NoKinds,
    /// The language is neither `da` nor `en`.
    BadLanguage,
    /// The owner already has this address.
    AlreadyRegistered(String),
}

pub const LABEL_MAX: usize = 100;

/// A mailbox as typed, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMailbox {
    pub email: String,
    pub label: Option<String>,
    pub language: &'static str,
    pub kinds: MailKinds,
}

/// Whether `text` is a plausible single email address: one `@`, a non-empty local part,
/// a domain with a dot and no empty label, no spaces or brackets, at most 254 characters.
pub fn parse_address(text: &str) -> Option<String> {
    let email = text.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    let bad = |c: char| c.is_whitespace() || "<>()[],;:\\\"@".contains(c);
    if local.is_empty() || local.len() > 64 || local.chars().any(bad) || domain.chars().any(bad) {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let fine = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    fine.then_some(email)
}

impl NewMailbox {
    pub fn parse(
        email: &str,
        label: &str,
        language: &str,
        kinds: &[MailKind],
    ) -> Result<Self, MailboxProblem> {
        let email = parse_address(email).ok_or(MailboxProblem::BadAddress)?;
        let label = label.trim();
        if label.chars().count() > LABEL_MAX {
            return Err(MailboxProblem::LabelTooLong);
        }
        let language = match language.trim() {
            "" | "da" => "da",
            "en" => "en",
            _ => return Err(MailboxProblem::BadLanguage),
        };
        let kinds = MailKinds::of(kinds);
        if kinds.kinds().is_empty() {
            return Err(MailboxProblem::NoKinds);
        }
        Ok(Self {
            email,
            label: (!label.is_empty()).then(|| label.to_string()),
            language,
            kinds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_normalised() {
        assert_eq!(
            parse_address("  Sager@Kommune.DK "),
            Some("sager@kommune.dk".into())
        );
        for bad in [
            "",
            "sager",
            "sager@",
            "@kommune.dk",
            "sager@kommune",
            "sa ger@kommune.dk",
            "a@b@c.dk",
            "sager@kommune..dk",
            "sager@-kommune.dk",
            "<sager@kommune.dk>",
        ] {
            assert_eq!(parse_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_mailbox_needs_an_address_and_a_kind() {
        let ok = NewMailbox::parse("a@b.dk", " Sager ", "", &[MailKind::NewRequests])
            .expect("a good mailbox");
        assert_eq!(ok.label.as_deref(), Some("Sager"));
        assert_eq!(ok.language, "da");
        assert!(ok.kinds.new_requests && !ok.kinds.reminders);
        assert_eq!(
            NewMailbox::parse("a@b.dk", "", "da", &[]),
            Err(MailboxProblem::NoKinds)
        );
        assert_eq!(
            NewMailbox::parse("nope", "", "da", &MailKind::ALL),
            Err(MailboxProblem::BadAddress)
        );
        assert_eq!(
            NewMailbox::parse("a@b.dk", "", "sv", &MailKind::ALL),
            Err(MailboxProblem::BadLanguage)
        );
        assert_eq!(
            NewMailbox::parse("a@b.dk", &"x".repeat(101), "da", &MailKind::ALL),
            Err(MailboxProblem::LabelTooLong)
        );
    }
}
