//! The sentence a person reads for each refused field of the filing form, in the reader's
//! language, made from the facts the form returns. The page and the JSON API both use it.

use crate::domain::request_form::FieldProblem;

/// What was wrong with `field` (a form field's name), in the reader's language.
pub fn sentence(field: &str, problem: FieldProblem) -> String {
    let tx = crate::i18n::texts();
    match problem {
        FieldProblem::Missing => tx.t(&missing_key(field)),
        FieldProblem::TooLong { max } => tx.n("field-too-long", max),
        FieldProblem::UnknownScope => tx.t("field-unknown-scope"),
        FieldProblem::RetiredScope => tx.t("field-retired-scope"),
        FieldProblem::UnknownService => tx.t("field-unknown-service"),
        FieldProblem::NotADate => tx.t("field-not-a-date"),
        FieldProblem::StartInThePast => tx.t("field-start-in-the-past"),
        FieldProblem::EndNotAfterStart => tx.t("field-end-not-after-start"),
        FieldProblem::TooManyInstitutions { max } => tx.n("field-too-many-institutions", max),
    }
}

/// The fields a filing needs, each asked for in its own words (the catalogue tests read it).
#[cfg(test)]
pub const REQUIRED_FIELDS: [&str; 6] = [
    "service_id",
    "scopes",
    "purpose",
    "sensitive_reason",
    "wished_start",
    "institutions",
];

#[cfg(test)]
pub fn missing_keys() -> impl Iterator<Item = String> {
    REQUIRED_FIELDS.iter().map(|field| missing_key(field))
}

/// The catalogue key asking for a missing `field`.
fn missing_key(field: &str) -> String {
    format!("field-{field}-missing")
}
