//! Every word a person reads, by language: the message catalogues
//! (`templates/locales/{da,en}/*.ftl`, Fluent, embedded at build time, plural rules from
//! the catalogue) and the language the request being served is read in.
//!
//! The language is chosen once per request ([`in_language`], from the visitor's switch
//! cookie or `Accept-Language`) and replaced by a signed-in person's saved choice when
//! their session is read ([`choose`]); pages, notices and error pages then read it with
//! [`current`]. Mails follow each recipient's own language instead.

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid};

use crate::domain::codes::{CodeList, Level};
use crate::domain::keyset::CappedCount;
use crate::domain::{AgreementStatus, Reason, RequestStatus, Role, SystemReason};

fluent_templates::static_loader! {
    static CATALOGUES = {
        locales: "./templates/locales",
        fallback_language: "da",
        // Pages are HTML: no Unicode isolation marks around arguments.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DANISH: LanguageIdentifier = langid!("da");
static ENGLISH: LanguageIdentifier = langid!("en");

/// The two languages of the portal; Danish by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Danish,
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Danish, Language::English];

    /// `da` or `en`, as `<html lang>`, cookies and the profile store it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Danish => "da",
            Self::English => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "da" => Some(Self::Danish),
            "en" => Some(Self::English),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Danish => &DANISH,
            Self::English => &ENGLISH,
        }
    }

    /// The words of this language.
    pub fn texts(self) -> Texts {
        Texts(self)
    }
}

tokio::task_local! {
    static CHOSEN: Cell<Language>;
}

/// Serves `work` (one request) in `language` until [`choose`] says otherwise.
pub async fn in_language<F: Future>(language: Language, work: F) -> F::Output {
    CHOSEN.scope(Cell::new(language), work).await
}

/// The signed-in person's saved choice replaces the visitor's for the rest of the request.
pub fn choose(language: Language) {
    let _ = CHOSEN.try_with(|chosen| chosen.set(language));
}

thread_local! {
    /// The language of the request a blocking thread is doing work for.
    static ON_THIS_THREAD: Cell<Option<Language>> = const { Cell::new(None) };
}

/// Runs `work` on a blocking thread in `language`, the language of the request it is
/// doing work for (the request's task-local does not reach the blocking pool).
pub fn on_this_thread<T>(language: Language, work: impl FnOnce() -> T) -> T {
    let before = ON_THIS_THREAD.with(|chosen| chosen.replace(Some(language)));
    let result = work();
    ON_THIS_THREAD.with(|chosen| chosen.set(before));
    result
}

/// The language of the request being served, also on a blocking thread doing its work
/// (Danish outside one).
pub fn current() -> Language {
    CHOSEN
        .try_with(Cell::get)
        .ok()
        .or_else(|| ON_THIS_THREAD.with(Cell::get))
        .unwrap_or_default()
}

/// The words of the request being served.
pub fn texts() -> Texts {
    current().texts()
}

/// A number of things, however a template holds it (by value or by reference).
pub trait Count {
    fn count(&self) -> i64;
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl Count for i32 {
    fn count(&self) -> i64 {
        i64::from(*self)
    }
}

impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// Looks up the words of one language. A key missing from the catalogue is shown as
/// `⟦key⟧`, which the tests look for, and logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Texts(pub Language);

impl Texts {
    pub fn language(&self) -> Language {
        self.0
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.with(key, &[])
    }

    /// The message `key` about `count` things (its `$count`, and its plural form).
    pub fn n(&self, key: &str, count: impl Count) -> String {
        self.with(key, &[("count", FluentValue::from(count.count()))])
    }

    /// The message `key` with one text argument `name`.
    pub fn a(&self, key: &str, name: &'static str, value: &str) -> String {
        self.with(key, &[(name, FluentValue::from(value.to_string()))])
    }

    /// The message `key` with two text arguments.
    pub fn with_two(
        &self,
        key: &str,
        first: &'static str,
        first_value: &str,
        second: &'static str,
        second_value: &str,
    ) -> String {
        self.with(
            key,
            &[
                (first, FluentValue::from(first_value.to_string())),
                (second, FluentValue::from(second_value.to_string())),
            ],
        )
    }

    /// The message `key` with its arguments.
    pub fn with(&self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let args: HashMap<&str, FluentValue<'_>> = args.iter().cloned().collect();
        let args = (!args.is_empty()).then_some(&args);
        // No fallback to the other language: a missing English text must show, not hide.
        match CATALOGUES.lookup_no_default_fallback(self.0.id(), key, args) {
            Some(text) => text,
            None => {
                tracing::warn!(
                    key,
                    language = self.0.code(),
                    "message missing from the catalogue"
                );
                format!("⟦{key}⟧")
            }
        }
    }

    /// Of a name held in both languages, the one of this language.
    pub fn pick<'a>(&self, danish: &'a str, english: &'a str) -> &'a str {
        match self.0 {
            Language::Danish => danish,
            Language::English => english,
        }
    }

    /// A whole number as this language groups its digits (1.000 / 1,000).
    pub fn number(&self, n: i64) -> String {
        let separator = match self.0 {
            Language::Danish => '.',
            Language::English => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }

    /// A count that stopped at its cap: "12", or "mere end 1.000" / "more than 1,000".
    pub fn capped(&self, count: CappedCount) -> String {
        match count {
            CappedCount::Exact(n) => self.number(n),
            CappedCount::MoreThan(n) => self.with(
                "count-more-than",
                &[("shown", FluentValue::from(self.number(n)))],
            ),
        }
    }

    /// The message `key` about a capped count (past the cap, its plural form).
    pub fn about(&self, key: &str, count: CappedCount) -> String {
        match count {
            CappedCount::Exact(n) => self.n(key, n),
            CappedCount::MoreThan(n) => self.n(key, n.max(2)),
        }
    }

    /// A role's name (`role-<code>`).
    pub fn role(&self, role: Role) -> String {
        self.t(&format!("role-{}", role.as_str()))
    }

    /// A role's name from its stored code; an unknown code is shown as it is.
    pub fn role_code(&self, code: &str) -> String {
        Role::parse(code).map_or_else(|| code.to_string(), |role| self.role(role))
    }

    /// A request's state from its stored code (`request-status-<code>`).
    pub fn request_status(&self, code: &str) -> String {
        match RequestStatus::parse(code) {
            Some(status) => self.t(&format!("request-status-{}", status.as_str())),
            None => self.t("status-unknown"),
        }
    }

    /// An agreement's state from its stored code (`agreement-status-<code>`).
    pub fn agreement_status(&self, code: &str) -> String {
        match AgreementStatus::parse(code) {
            Some(status) => self.t(&format!("agreement-status-{}", status.as_str())),
            None => self.t("status-unknown"),
        }
    }

    /// What an audit action code means; a code the list does not know is shown as it is.
    pub fn audit_action(&self, code: &str) -> String {
        if crate::domain::audit_actions::is_known(code) {
            self.t(&crate::domain::audit_actions::key(code))
        } else {
            code.to_string()
        }
    }

    /// Why a request or agreement ended, in this language: a reason the system gave from
    /// its code and arguments (`reason-<code>`), a person's own words as they wrote them.
    /// Pages, mails and the API all word reasons here.
    pub fn reason(&self, reason: &Reason) -> String {
        let system = match reason {
            Reason::Typed(text) => return text.clone(),
            Reason::System(system) => system,
        };
        let key = format!("reason-{}", system.code());
        match system {
            SystemReason::InstitutionClosed {
                number,
                successor: Some(successor),
            } => self.with_two(
                "reason-institution-closed-continued",
                "number",
                number,
                "successor",
                successor,
            ),
            SystemReason::InstitutionClosed { number, .. } => self.a(&key, "number", number),
            SystemReason::EndDatePassed => self.t(&key),
            SystemReason::ServiceRetired { service } => self.a(&key, "service", service),
            SystemReason::MovedToSuccessor {
                from,
                to,
                reference,
            } => self.with(
                &key,
                &[
                    ("from", FluentValue::from(from.as_str())),
                    ("to", FluentValue::from(to.as_str())),
                    ("reference", FluentValue::from(reference.as_str())),
                ],
            ),
        }
    }

    /// A level of the register's hierarchy (`level-<code>`).
    pub fn level(&self, level: Level) -> String {
        self.t(&format!("level-{}", level.as_str()))
    }

    /// A coded field as code and text, "101 – Vuggestue"; a code the list does not know is
    /// kept and said to be unknown.
    pub fn code(&self, list: CodeList, code: &str) -> String {
        if list.knows(code) {
            let text = self.t(&format!("code-{}-{}", list.key(), code));
            format!("{code} – {text}")
        } else {
            self.a(&format!("code-{}-unknown", list.key()), "code", code)
        }
    }

    /// Whether the catalogue of this language has `key` itself (not through the fallback),
    /// whatever arguments it takes.
    pub fn has(&self, key: &str) -> bool {
        match CATALOGUES.lookup_single_language::<&str>(self.0.id(), key, None) {
            Ok(_) => true,
            // Found, but missing its arguments (the crate does not export its error type).
            Err(e) => e.to_string().starts_with("Fluent errors"),
        }
    }
}

#[cfg(test)]
mod tests;
