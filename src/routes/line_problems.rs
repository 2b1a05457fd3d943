//! The sentence a person reads for each refused institution line of a filing, from the
//! catalogues (`line-problem-*`, `number-error-*` in `api.ftl`) in the reader's language,
//! made from the facts the use case returns. The filing page and the API both show them.

use fluent_templates::fluent_bundle::FluentValue;
use time::Date;

use super::language::Language;
use crate::domain::NumberError;
use crate::domain::request_form::{LineError, LineProblem};
use crate::i18n::Texts;

/// A day as the portal writes it in both languages, 01.08.2026.
fn day(d: Date) -> String {
    super::format::date(d)
}

/// What the line is about: the number typed, or the unit under it.
fn subject(tx: Texts, e: &LineError, unit: &Option<String>) -> String {
    match unit {
        Some(unit) => tx.with_two("line-problem-unit", "unit", unit, "number", &e.text),
        None => e.text.clone(),
    }
}

/// Why a text is not an institution number.
pub(crate) fn malformed(error: &NumberError, language: Language) -> String {
    let tx = language.texts();
    match error {
        NumberError::Empty => tx.t("number-error-empty"),
        NumberError::WrongLength(n) => tx.n("number-error-wrong-length", *n),
        NumberError::BadPrefix(c) => tx.a("number-error-bad-prefix", "char", &c.to_string()),
        NumberError::NotADigit(c) => tx.a("number-error-not-a-digit", "char", &c.to_string()),
    }
}

fn closed(tx: Texts, number: &str, on: Option<Date>, successor: &Option<String>) -> String {
    let mut args = vec![("number", FluentValue::from(number.to_string()))];
    if let Some(on) = on {
        args.push(("on", FluentValue::from(day(on))));
    }
    if let Some(next) = successor {
        args.push(("successor", FluentValue::from(next.clone())));
    }
    let key = match (on.is_some(), successor.is_some()) {
        (true, true) => "line-problem-closed-on-successor",
        (true, false) => "line-problem-closed-on",
        (false, true) => "line-problem-closed-successor",
        (false, false) => "line-problem-closed",
    };
    tx.with(key, &args)
}

/// Why `e`'s line was refused, as a whole sentence.
pub fn sentence(e: &LineError, language: Language) -> String {
    let tx = language.texts();
    let typed = &e.text;
    match &e.problem {
        LineProblem::Malformed(error) => malformed(error, language),
        LineProblem::NotInRegister => tx.a("line-problem-not-in-register", "number", typed),
        LineProblem::LegacyNumber { cutoff, successor } => {
            let cutoff = day(*cutoff);
            match successor {
                Some(g) => tx.with_two(
                    "line-problem-legacy-number",
                    "cutoff",
                    &cutoff,
                    "successor",
                    g,
                ),
                None => tx.a("line-problem-legacy-number-no-successor", "cutoff", &cutoff),
            }
        }
        LineProblem::Closed {
            closed_on,
            successor,
        } => closed(tx, typed, *closed_on, successor),
        LineProblem::NoActiveUnits => tx.a("line-problem-no-active-units", "number", typed),
        LineProblem::AlreadyPending { unit, reference } => {
            let what = subject(tx, e, unit);
            match reference {
                Some(reference) => tx.with_two(
                    "line-problem-already-pending",
                    "subject",
                    &what,
                    "reference",
                    reference,
                ),
                None => tx.a("line-problem-just-pending", "subject", &what),
            }
        }
        LineProblem::AlreadyCovered { unit, agreement } => tx.with_two(
            "line-problem-already-covered",
            "subject",
            &subject(tx, e, unit),
            "agreement",
            agreement,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn line(text: &str, problem: LineProblem) -> LineError {
        LineError {
            line: 1,
            text: text.into(),
            problem,
        }
    }

    #[test]
    fn each_fact_is_said_in_both_languages_with_what_helps() {
        let closed = line(
            "G10001",
            LineProblem::Closed {
                closed_on: Some(date!(2026 - 08 - 01)),
                successor: Some("G10002".into()),
            },
        );
        assert_eq!(
            sentence(&closed, Language::Danish),
            "G10001 er lukket den 01.08.2026. Brug i stedet G10002."
        );
        assert_eq!(
            sentence(&closed, Language::English),
            "G10001 closed on 01.08.2026. Use G10002 instead."
        );
        let covered = line(
            "G20000",
            LineProblem::AlreadyCovered {
                unit: Some("G20001".into()),
                agreement: "AFT-2026-000001".into(),
            },
        );
        assert!(sentence(&covered, Language::Danish).starts_with("Enheden G20001 under G20000:"));
        assert!(sentence(&covered, Language::English).contains("AFT-2026-000001 already covers"));
        let malformed = line("X1", LineProblem::Malformed(NumberError::WrongLength(2)));
        assert_eq!(
            sentence(&malformed, Language::English),
            "An institution number has 6 characters, not 2."
        );
        assert_eq!(
            sentence(&malformed, Language::Danish),
            NumberError::WrongLength(2).to_string(),
            "the catalogue says what the domain's own account says"
        );
        let legacy = line(
            "A10001",
            LineProblem::LegacyNumber {
                cutoff: date!(2027 - 01 - 01),
                successor: None,
            },
        );
        assert!(sentence(&legacy, Language::Danish).contains("efter 01.01.2027. Registeret"));
        assert!(sentence(&legacy, Language::English).contains("after 01.01.2027. The register"));
        let problems = [
            closed,
            covered,
            malformed,
            legacy,
            line("G1", LineProblem::NotInRegister),
            line("G1", LineProblem::NoActiveUnits),
            line(
                "G1",
                LineProblem::Closed {
                    closed_on: None,
                    successor: None,
                },
            ),
            line(
                "G1",
                LineProblem::AlreadyPending {
                    unit: None,
                    reference: None,
                },
            ),
            line("G1", LineProblem::Malformed(NumberError::BadPrefix('X'))),
        ];
        for problem in &problems {
            for language in Language::ALL {
                let text = sentence(problem, language);
                assert!(!text.contains('⟦') && text.ends_with('.'), "{text}");
            }
        }
    }
}
