//! The sentence a person reads for each refused line of a register file, from the
//! catalogues (`register-problem-*` in `api.ftl`) in the reader's language, made from the
//! facts the import returns.

use fluent_templates::fluent_bundle::FluentValue;

use super::language::Language;
use super::line_problems::malformed;
use crate::domain::register_file::RowProblem;

/// Why a register line was refused, as a whole sentence.
pub fn sentence(problem: &RowProblem, language: Language) -> String {
    use RowProblem::*;
    let tx = language.texts();
    match problem {
        EmptyFile => tx.t("register-problem-empty-file"),
        UnreadableHeader { detail } => tx.a("register-problem-unreadable-header", "detail", detail),
        UnknownKind => tx.t("register-problem-unknown-kind"),
        UnreadableLine { detail } => tx.a("register-problem-unreadable-line", "detail", detail),
        Missing { column } => tx.a("register-problem-missing", "column", column),
        BadNumber {
            column,
            value,
            error,
        } => tx.with(
            "register-problem-bad-number",
            &[
                ("column", FluentValue::from(column.to_string())),
                ("value", FluentValue::from(value.clone())),
                ("why", FluentValue::from(malformed(error, language))),
            ],
        ),
        WrongNumberKind { column, value } => tx.with_two(
            "register-problem-wrong-number-kind",
            "column",
            column,
            "value",
            value,
        ),
        NameTooLong { max } => tx.n("register-problem-name-too-long", *max),
        UnknownMunicipality { code } => {
            tx.a("register-problem-unknown-municipality", "value", code)
        }
        UnknownOwnership { code } => tx.a("register-problem-unknown-ownership", "value", code),
        NotDigits {
            column,
            value,
            digits,
        } => tx.with(
            "register-problem-not-digits",
            &[
                ("column", FluentValue::from(column.to_string())),
                ("value", FluentValue::from(value.clone())),
                ("count", FluentValue::from(*digits as i64)),
            ],
        ),
        NotAnEmail { value } => tx.a("register-problem-not-an-email", "value", value),
        UnknownStatus { value } => tx.a("register-problem-unknown-status", "value", value),
        NotADate { column, value } => tx.with_two(
            "register-problem-not-a-date",
            "column",
            column,
            "value",
            value,
        ),
        Duplicate { number } => tx.a("register-problem-duplicate", "number", number),
        UnknownParent { parent } => tx.a("register-problem-unknown-parent", "number", parent),
        ClosedNumberReused { number } => {
            tx.a("register-problem-closed-number-reused", "number", number)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NumberError;

    #[test]
    fn every_problem_reads_in_both_languages_and_names_its_value() {
        let problems = [
            RowProblem::Duplicate {
                number: "G12345".into(),
            },
            RowProblem::UnknownMunicipality { code: "999".into() },
            RowProblem::BadNumber {
                column: "EnhedsNummer",
                value: "X1".into(),
                error: NumberError::WrongLength(2),
            },
        ];
        for problem in &problems {
            let da = sentence(problem, Language::Danish);
            let en = sentence(problem, Language::English);
            assert_ne!(da, en, "{problem:?}");
            for text in [&da, &en] {
                assert!(text.ends_with('.'), "{text}");
            }
        }
        assert!(sentence(&problems[1], Language::English).contains("999"));
        assert!(sentence(&problems[2], Language::Danish).contains("6 tegn"));
        assert!(sentence(&problems[2], Language::English).contains("6 characters"));
    }
}
