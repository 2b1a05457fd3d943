//! The sentence a person reads for each refused line of a register file, in Danish or
//! English, made from the facts the import returns (until the message catalogues take
//! these words over).

use super::language::Language;
use super::line_problems::{malformed, pick};
use crate::domain::register_file::RowProblem;

/// Why a register line was refused, as a whole sentence.
pub fn sentence(problem: &RowProblem, language: Language) -> String {
    use RowProblem::*;
    match problem {
        EmptyFile => pick(language, "Filen er tom.".into(), "The file is empty.".into()),
        UnreadableHeader { detail } => pick(
            language,
            format!("Overskriftslinjen kunne ikke læses: {detail}"),
            format!("The header line could not be read: {detail}"),
        ),
        UnknownKind => pick(
            language,
            "Ukendt filtype: overskriften skal have EnhedsNummer, daginstitutionsNummer eller InstitutionsNummer.".into(),
            "Unknown kind of file: the header must name EnhedsNummer, daginstitutionsNummer or InstitutionsNummer.".into(),
        ),
        UnreadableLine { detail } => pick(
            language,
            format!("Linjen kunne ikke læses: {detail}"),
            format!("The line could not be read: {detail}"),
        ),
        Missing { column } => pick(
            language,
            format!("{column} mangler."),
            format!("{column} is missing."),
        ),
        BadNumber {
            column,
            value,
            error,
        } => format!("{column} «{value}»: {}", malformed(error, language)),
        WrongNumberKind { column, value } => pick(
            language,
            format!("{column} «{value}» har ikke det forventede format."),
            format!("{column} «{value}» is not the kind of number this file holds."),
        ),
        NameTooLong { max } => pick(
            language,
            format!("Navnet er længere end {max} tegn."),
            format!("The name is longer than {max} characters."),
        ),
        UnknownMunicipality { code } => pick(
            language,
            format!("admKommuneKode «{code}» er ikke en dansk kommunekode."),
            format!("admKommuneKode «{code}» is not a Danish municipality code."),
        ),
        UnknownOwnership { code } => pick(
            language,
            format!("ejerformKode «{code}» er ukendt (1–4)."),
            format!("ejerformKode «{code}» is not one of the ownership codes (1–4)."),
        ),
        NotDigits {
            column,
            value,
            digits,
        } => pick(
            language,
            format!("{column} «{value}» skal være {digits} cifre."),
            format!("{column} «{value}» must be {digits} digits."),
        ),
        NotAnEmail { value } => pick(
            language,
            format!("Email «{value}» er ikke en e-mailadresse."),
            format!("Email «{value}» is not an e-mail address."),
        ),
        UnknownStatus { value } => pick(
            language,
            format!("Status «{value}» skal være aktiv eller lukket."),
            format!("Status «{value}» must be aktiv (active) or lukket (closed)."),
        ),
        NotADate { column, value } => pick(
            language,
            format!("{column} «{value}» er ikke en dato."),
            format!("{column} «{value}» is not a date."),
        ),
        Duplicate { number } => pick(
            language,
            format!("{number} står mere end én gang i filen."),
            format!("{number} appears more than once in the file."),
        ),
        UnknownParent { parent } => pick(
            language,
            format!("Daginstitutionen {parent} findes hverken i registeret eller i filen."),
            format!("The daycare institution {parent} is neither in the register nor in the file."),
        ),
        ClosedNumberReused { number } => pick(
            language,
            format!("{number} er lukket; lukkede numre genbruges aldrig."),
            format!("{number} is closed; closed numbers are never reused."),
        ),
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
