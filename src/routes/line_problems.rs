//! The sentence a person reads for each refused institution line of a filing, in Danish
//! or English, made from the facts the use case returns (until the message catalogues
//! take these words over).

use time::Date;

use super::language::Language;
use crate::domain::NumberError;
use crate::domain::request_form::{LineError, LineProblem, format_date};

pub(super) fn pick(language: Language, da: String, en: String) -> String {
    match language {
        Language::Danish => da,
        Language::English => en,
    }
}

/// What the line is about: the number typed, or the unit under it.
fn subject(e: &LineError, unit: &Option<String>, language: Language) -> String {
    match unit {
        Some(unit) => pick(
            language,
            format!("Enheden {unit} under {}", e.text),
            format!("The unit {unit} under {}", e.text),
        ),
        None => e.text.clone(),
    }
}

pub(super) fn malformed(error: &NumberError, language: Language) -> String {
    let en = match error {
        NumberError::Empty => "The institution number is missing.".to_string(),
        NumberError::WrongLength(n) => format!("An institution number has 6 characters, not {n}."),
        NumberError::BadPrefix(c) => {
            format!("An institution number starts with G, A or a digit, not «{c}».")
        }
        NumberError::NotADigit(c) => {
            format!("After the first character only digits may follow; «{c}» is not a digit.")
        }
    };
    pick(language, error.to_string(), en)
}

fn closed(
    number: &str,
    on: Option<Date>,
    successor: &Option<String>,
    language: Language,
) -> String {
    let (da_when, en_when) = on
        .map(|d| {
            (
                format!(" den {}", format_date(d)),
                format!(" on {}", format_date(d)),
            )
        })
        .unwrap_or_default();
    match successor {
        Some(next) => pick(
            language,
            format!("{number} er lukket{da_when}. Brug i stedet {next}."),
            format!("{number} closed{en_when}. Use {next} instead."),
        ),
        None => pick(
            language,
            format!("{number} er lukket{da_when} og kan ikke modtage anmodninger."),
            format!("{number} closed{en_when} and cannot receive requests."),
        ),
    }
}

/// Why `e`'s line was refused, as a whole sentence.
pub fn sentence(e: &LineError, language: Language) -> String {
    let typed = &e.text;
    match &e.problem {
        LineProblem::Malformed(error) => malformed(error, language),
        LineProblem::NotInRegister => pick(
            language,
            format!("{typed} findes ikke i institutionsregisteret."),
            format!("{typed} is not in the institution register."),
        ),
        LineProblem::LegacyNumber { cutoff, successor } => {
            let cutoff = format_date(*cutoff);
            let (da, en) = match successor {
                Some(g) => (format!("Brug G-nummeret {g}."), format!("Use the G-number {g}.")),
                None => (
                    "Registeret kender endnu ikke institutionens G-nummer; kontakt institutionen."
                        .to_string(),
                    "The register does not know the institution's G-number yet; contact the institution."
                        .to_string(),
                ),
            };
            pick(
                language,
                format!("A-numre kan ikke bruges til nye anmodninger efter {cutoff}. {da}"),
                format!("A-numbers cannot be used for new requests after {cutoff}. {en}"),
            )
        }
        LineProblem::Closed {
            closed_on,
            successor,
        } => closed(typed, *closed_on, successor, language),
        LineProblem::NoActiveUnits => pick(
            language,
            format!("Daginstitutionen {typed} har ingen aktive anvisningsenheder."),
            format!("The daycare institution {typed} has no active units."),
        ),
        LineProblem::AlreadyPending { unit, reference } => {
            let what = subject(e, unit, language);
            match reference {
                Some(reference) => pick(
                    language,
                    format!("{what}: tjenesten har allerede en ventende anmodning ({reference})."),
                    format!("{what}: the service already has a pending request ({reference})."),
                ),
                None => pick(
                    language,
                    format!(
                        "{what}: tjenesten har netop fået en ventende anmodning her eller ved en af de følgende institutioner. Send igen for at se hvilke."
                    ),
                    format!(
                        "{what}: the service has just got a pending request here or at one of the following institutions. Send again to see which."
                    ),
                ),
            }
        }
        LineProblem::AlreadyCovered { unit, agreement } => {
            let what = subject(e, unit, language);
            pick(
                language,
                format!("{what}: aftale {agreement} dækker allerede alle de valgte dataadgange."),
                format!("{what}: agreement {agreement} already covers every scope asked for."),
            )
        }
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
            "G10001 er lukket den 2026-08-01. Brug i stedet G10002."
        );
        assert_eq!(
            sentence(&closed, Language::English),
            "G10001 closed on 2026-08-01. Use G10002 instead."
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
    }
}
