//! The "file a data-access request" form, parsed into a [`RequestDraft`] or a set of
//! messages that say, per field and per pasted line, what is wrong.
//!
//! Only what can be checked without the database happens here: formats, lengths, dates and
//! the institution-number syntax. Whether a number exists, is closed, is a klynge or is
//! already covered is decided by the filing use case, which reports back in the same shape.

use std::collections::BTreeSet;

use serde::Deserialize;
use time::Date;

use super::institution_number::{InstitutionNumber, NumberError};

pub const MAX_TEXT: usize = 2000;
/// A national filing: every daycare unit of the country at once.
pub const MAX_INSTITUTIONS: usize = 10_000;

/// The form exactly as typed; re-rendered unchanged when something is wrong.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestFormInput {
    pub service_id: String,
    pub scopes: Vec<String>,
    pub purpose: String,
    pub sensitive_reason: String,
    pub wished_start: String,
    pub wished_end: String,
    pub message: String,
    pub institutions: String,
}

/// A valid filing, ready for the use case.
#[derive(Debug, Clone)]
pub struct RequestDraft {
    pub service_id: String,
    pub scopes: Vec<String>,
    pub purpose: String,
    pub sensitive_reason: Option<String>,
    pub wished_start: Date,
    pub wished_end: Option<Date>,
    pub message: Option<String>,
    /// Distinct numbers in the order typed, each with the line it came from.
    pub numbers: Vec<(usize, InstitutionNumber)>,
}

/// A problem with one pasted institution line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub text: String,
    pub problem: LineProblem,
}

/// Why an institution line was refused: the facts, for the page and the API to put in
/// words. Where the line named a daycare institution and the problem is one of its
/// units, `unit` names the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not an institution number at all.
    Malformed(NumberError),
    NotInRegister,
    /// An A-number on or after `cutoff`; `successor` is its G-number when the register
    /// knows it.
    LegacyNumber {
        cutoff: Date,
        successor: Option<String>,
    },
    Closed {
        closed_on: Option<Date>,
        successor: Option<String>,
    },
    /// A daycare institution whose units are all closed.
    NoActiveUnits,
    /// The service has a pending request here: `reference`, or, when it was filed a
    /// moment ago by someone else, none known yet.
    AlreadyPending {
        unit: Option<String>,
        reference: Option<String>,
    },
    /// An open agreement already holds every scope asked for.
    AlreadyCovered {
        unit: Option<String>,
        agreement: String,
    },
}

impl LineProblem {
    /// A code that stays the same across releases.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed_number",
            Self::NotInRegister => "not_in_register",
            Self::LegacyNumber { .. } => "legacy_number",
            Self::Closed { .. } => "institution_closed",
            Self::NoActiveUnits => "no_active_units",
            Self::AlreadyPending { .. } => "already_pending",
            Self::AlreadyCovered { .. } => "already_covered",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub fields: Vec<(&'static str, String)>,
    pub lines: Vec<LineError>,
}

impl FormErrors {
    pub fn field(&mut self, name: &'static str, message: impl Into<String>) {
        self.fields.push((name, message.into()));
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.lines.is_empty()
    }
}

/// The date format of `<input type="date">`.
const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), DATE).ok()
}

pub fn format_date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn bounded_text(
    errors: &mut FormErrors,
    field: &'static str,
    text: &str,
    required: &str,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        if !required.is_empty() {
            errors.field(field, required);
        }
        return None;
    }
    if text.chars().count() > MAX_TEXT {
        errors.field(field, format!("Højst {MAX_TEXT} tegn."));
        return None;
    }
    Some(text.to_string())
}

/// Splits the pasted list into (line number, token) pairs: one or more numbers per line,
/// separated by spaces, commas or semicolons.
pub fn split_numbers(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .flat_map(|(i, line)| {
            line.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|t| !t.is_empty())
                .map(move |t| (i + 1, t.to_string()))
        })
        .collect()
}

impl RequestFormInput {
    /// The distinct well-formed numbers (with their line), and the malformed lines.
    pub fn numbers(&self) -> (Vec<(usize, InstitutionNumber)>, Vec<LineError>) {
        let mut numbers: Vec<(usize, InstitutionNumber)> = Vec::new();
        let mut errors = Vec::new();
        for (line, token) in split_numbers(&self.institutions)
            .into_iter()
            .take(MAX_INSTITUTIONS)
        {
            match InstitutionNumber::parse(&token) {
                Ok(n) if numbers.iter().any(|(_, seen)| *seen == n) => {}
                Ok(n) => numbers.push((line, n)),
                Err(e) => errors.push(LineError {
                    line,
                    text: token,
                    problem: LineProblem::Malformed(e),
                }),
            }
        }
        (numbers, errors)
    }

    /// `sensitive` holds the scope codes that need a written reason; `known_scopes` all codes.
    pub fn parse(
        &self,
        today: Date,
        known_scopes: &[String],
        sensitive: &[String],
    ) -> Result<RequestDraft, FormErrors> {
        let mut errors = FormErrors::default();

        let service_id = self.service_id.trim().to_string();
        if service_id.is_empty() {
            errors.field("service_id", "Vælg den tjeneste, anmodningen gælder.");
        }

        let scopes: BTreeSet<String> = self.scopes.iter().map(|s| s.trim().to_string()).collect();
        if scopes.is_empty() {
            errors.field("scopes", "Vælg mindst én dataadgang.");
        } else if scopes.iter().any(|s| !known_scopes.contains(s)) {
            errors.field(
                "scopes",
                "En af de valgte dataadgange findes ikke. Vælg igen.",
            );
        }

        let purpose = bounded_text(
            &mut errors,
            "purpose",
            &self.purpose,
            "Beskriv formålet med dataadgangen.",
        );
        let needs_reason = scopes.iter().any(|s| sensitive.contains(s));
        let sensitive_reason = bounded_text(
            &mut errors,
            "sensitive_reason",
            &self.sensitive_reason,
            if needs_reason {
                "Følsomme dataadgange kræver en skriftlig begrundelse."
            } else {
                ""
            },
        );
        let message = bounded_text(&mut errors, "message", &self.message, "");

        let wished_start = match parse_date(&self.wished_start) {
            None if self.wished_start.trim().is_empty() => {
                errors.field("wished_start", "Angiv den ønskede startdato.");
                None
            }
            None => {
                errors.field("wished_start", "Datoen skal skrives som ÅÅÅÅ-MM-DD.");
                None
            }
            Some(d) if d < today => {
                errors.field("wished_start", "Startdatoen må ikke ligge før i dag.");
                None
            }
            Some(d) => Some(d),
        };
        let wished_end = if self.wished_end.trim().is_empty() {
            None
        } else {
            match (parse_date(&self.wished_end), wished_start) {
                (None, _) => {
                    errors.field("wished_end", "Datoen skal skrives som ÅÅÅÅ-MM-DD.");
                    None
                }
                (Some(end), Some(start)) if end <= start => {
                    errors.field("wished_end", "Slutdatoen skal ligge efter startdatoen.");
                    None
                }
                (Some(end), _) => Some(end),
            }
        };

        let token_count = split_numbers(&self.institutions).len();
        let mut numbers = Vec::new();
        if token_count == 0 {
            errors.field("institutions", "Angiv mindst ét institutionsnummer.");
        } else if token_count > MAX_INSTITUTIONS {
            errors.field(
                "institutions",
                format!("Højst {MAX_INSTITUTIONS} institutionsnumre i én anmodning."),
            );
        } else {
            let (good, bad) = self.numbers();
            numbers = good;
            errors.lines = bad;
        }

        match (errors.is_empty(), purpose, wished_start) {
            (true, Some(purpose), Some(wished_start)) => Ok(RequestDraft {
                service_id,
                scopes: scopes.into_iter().collect(),
                purpose,
                sensitive_reason,
                wished_start,
                wished_end,
                message,
                numbers,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> RequestFormInput {
        RequestFormInput {
            service_id: "svc".into(),
            scopes: vec!["STAMDATA".into()],
            purpose: "Pladsanvisning".into(),
            wished_start: "2026-12-01".into(),
            institutions: "G10001\n101001, G10002\n\n".into(),
            ..Default::default()
        }
    }

    fn known() -> Vec<String> {
        vec!["STAMDATA".into(), "CPR".into()]
    }

    #[test]
    fn a_good_form_parses_with_line_numbers() {
        let draft = input()
            .parse(date!(2026 - 11 - 23), &known(), &["CPR".into()])
            .expect("valid");
        let lines: Vec<(usize, String)> = draft
            .numbers
            .iter()
            .map(|(l, n)| (*l, n.to_string()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (1, "G10001".into()),
                (2, "101001".into()),
                (2, "G10002".into())
            ]
        );
    }

    #[test]
    fn every_bad_line_and_field_is_reported() {
        let mut form = input();
        form.institutions = "G10001\nX1\nG1234a".into();
        form.scopes = vec!["CPR".into()];
        form.wished_start = "01-12-2026".into();
        let errors = form
            .parse(date!(2026 - 11 - 23), &known(), &["CPR".into()])
            .expect_err("invalid");
        assert_eq!(
            errors.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert!(errors.get("sensitive_reason").is_some());
        assert!(errors.get("wished_start").is_some());
    }

    #[test]
    fn end_must_follow_start_and_start_not_be_past() {
        let mut form = input();
        form.wished_end = "2026-11-30".into();
        let errors = form
            .parse(date!(2026 - 11 - 23), &known(), &[])
            .expect_err("invalid");
        assert!(errors.get("wished_end").is_some());
        let mut form = input();
        form.wished_start = "2026-11-01".into();
        assert!(form.parse(date!(2026 - 11 - 23), &known(), &[]).is_err());
    }
}
