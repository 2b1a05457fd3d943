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

/// Why a field of the form was refused: the facts, for the page and the API to put in
/// words (which depend on the field too: a missing purpose and a missing start date are
/// asked for differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// Left empty, and it may not be.
    Missing,
    /// Longer than `max` characters.
    TooLong {
        max: usize,
    },
    /// A chosen scope the catalogue does not know.
    UnknownScope,
    /// A chosen scope the operators have retired: no longer offered for filing.
    RetiredScope,
    /// The service does not exist or is retired.
    UnknownService,
    /// Not a date as `<input type="date">` sends it.
    NotADate,
    StartInThePast,
    EndNotAfterStart,
    /// More than `max` institution numbers.
    TooManyInstitutions {
        max: usize,
    },
}

impl FieldProblem {
    /// A code that stays the same across releases.
    pub fn code(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::TooLong { .. } => "too_long",
            Self::UnknownScope => "unknown_scope",
            Self::RetiredScope => "retired_scope",
            Self::UnknownService => "unknown_service",
            Self::NotADate => "not_a_date",
            Self::StartInThePast => "start_in_the_past",
            Self::EndNotAfterStart => "end_not_after_start",
            Self::TooManyInstitutions { .. } => "too_many_institutions",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub fields: Vec<(&'static str, FieldProblem)>,
    pub lines: Vec<LineError>,
}

impl FormErrors {
    pub fn field(&mut self, name: &'static str, problem: FieldProblem) {
        self.fields.push((name, problem));
    }

    pub fn get(&self, name: &str) -> Option<FieldProblem> {
        self.fields
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, p)| *p)
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

/// `DD-MM-YYYY`, `DD.MM.YYYY` or `DD/MM/YYYY`, as Danes write dates.
pub fn parse_day_first(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split(['-', '.', '/']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// A date typed into a form: as the calendar sends it (`YYYY-MM-DD`), or day first where
/// the browser offers no calendar and the person types it as Danes write dates.
pub fn parse_typed_date(text: &str) -> Option<Date> {
    parse_date(text).or_else(|| parse_day_first(text))
}

pub fn format_date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn bounded_text(
    errors: &mut FormErrors,
    field: &'static str,
    text: &str,
    required: bool,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.field(field, FieldProblem::Missing);
        }
        return None;
    }
    if text.chars().count() > MAX_TEXT {
        errors.field(field, FieldProblem::TooLong { max: MAX_TEXT });
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
            errors.field("service_id", FieldProblem::Missing);
        }

        let scopes: BTreeSet<String> = self.scopes.iter().map(|s| s.trim().to_string()).collect();
        if scopes.is_empty() {
            errors.field("scopes", FieldProblem::Missing);
        } else if scopes.iter().any(|s| !known_scopes.contains(s)) {
            errors.field("scopes", FieldProblem::UnknownScope);
        }

        let purpose = bounded_text(&mut errors, "purpose", &self.purpose, true);
        let needs_reason = scopes.iter().any(|s| sensitive.contains(s));
        let sensitive_reason = bounded_text(
            &mut errors,
            "sensitive_reason",
            &self.sensitive_reason,
            needs_reason,
        );
        let message = bounded_text(&mut errors, "message", &self.message, false);

        let wished_start = match parse_typed_date(&self.wished_start) {
            None if self.wished_start.trim().is_empty() => {
                errors.field("wished_start", FieldProblem::Missing);
                None
            }
            None => {
                errors.field("wished_start", FieldProblem::NotADate);
                None
            }
            Some(d) if d < today => {
                errors.field("wished_start", FieldProblem::StartInThePast);
                None
            }
            Some(d) => Some(d),
        };
        let wished_end = if self.wished_end.trim().is_empty() {
            None
        } else {
            match (parse_typed_date(&self.wished_end), wished_start) {
                (None, _) => {
                    errors.field("wished_end", FieldProblem::NotADate);
                    None
                }
                (Some(end), Some(start)) if end <= start => {
                    errors.field("wished_end", FieldProblem::EndNotAfterStart);
                    None
                }
                (Some(end), _) => Some(end),
            }
        };

        let token_count = split_numbers(&self.institutions).len();
        let mut numbers = Vec::new();
        if token_count == 0 {
            errors.field("institutions", FieldProblem::Missing);
        } else if token_count > MAX_INSTITUTIONS {
            errors.field(
                "institutions",
                FieldProblem::TooManyInstitutions {
                    max: MAX_INSTITUTIONS,
                },
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
        form.wished_start = "1. december".into();
        let errors = form
            .parse(date!(2026 - 11 - 23), &known(), &["CPR".into()])
            .expect_err("invalid");
        assert_eq!(
            errors.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(errors.get("sensitive_reason"), Some(FieldProblem::Missing));
        assert_eq!(errors.get("wished_start"), Some(FieldProblem::NotADate));
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

    #[test]
    fn a_typed_date_may_be_day_first_as_danes_write_it() {
        let day = date!(2027 - 01 - 15);
        for text in [
            "2027-01-15",
            "15.01.2027",
            "15-01-2027",
            "15/1/2027",
            " 15.1.2027 ",
        ] {
            assert_eq!(parse_typed_date(text), Some(day), "{text}");
        }
        for text in ["15.01.27", "31.02.2027", "2027/01/15", "i morgen", ""] {
            assert_eq!(parse_typed_date(text), None, "{text}");
        }
    }
}
