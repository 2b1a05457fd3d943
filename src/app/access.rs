//! The access check: may service S read scope C at institution N on day D? Answered for
//! many institutions and scopes at once from each institution's agreement with the
//! service as it stands now, for data providers holding an access-check token.

use time::Date;

use super::api_tokens::Caller;
use super::{Error, Result};
use crate::db::DbConnection;
use crate::db::access::{self, AgreementFacts};
use crate::domain::AgreementStatus;

/// Most pairs one question may ask about.
pub const MOST_PAIRS: usize = 10_000;

/// One question: a service, the scopes and institutions it asks about, and the day.
#[derive(Debug, Clone)]
pub struct Question {
    pub service_id: String,
    pub scopes: Vec<String>,
    pub institution_numbers: Vec<String>,
    pub on: Date,
}

/// The answer for one institution and scope.
#[derive(Debug, Clone)]
pub struct Answer {
    pub institution_number: String,
    pub scope: String,
    pub allowed: bool,
    /// The institution's agreement with the service (open, or else its latest), if any.
    pub agreement: Option<AgreementFacts>,
}

impl Answer {
    pub fn status(&self) -> Option<AgreementStatus> {
        self.agreement.as_ref().and_then(AgreementFacts::status)
    }
}

/// Why a question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessProblem {
    UnknownService,
    UnknownScope(String),
}

/// Whether the agreement lets its service read `scope` on `on`: it is active (not paused,
/// not closed), `on` falls in its period and the scope was granted.
pub fn allows(agreement: &AgreementFacts, scopes: &[String], scope: &str, on: Date) -> bool {
    agreement.status() == Some(AgreementStatus::Active)
        && agreement.starts_on <= on
        && agreement.ends_on.is_none_or(|end| on <= end)
        && scopes.iter().any(|s| s == scope)
}

/// Answers every (institution, scope) pair of the question, institutions first.
pub fn check(
    conn: &mut DbConnection,
    caller: &Caller,
    question: &Question,
) -> Result<std::result::Result<Vec<Answer>, AccessProblem>> {
    if !matches!(caller, Caller::AccessCheck { .. }) {
        return Err(Error::Forbidden);
    }
    let found = access::agreements_of(conn, &question.service_id, &question.institution_numbers)?;
    let mut answers =
        Vec::with_capacity(question.institution_numbers.len() * question.scopes.len());
    for number in &question.institution_numbers {
        let agreement = found.get(number);
        for scope in &question.scopes {
            answers.push(Answer {
                institution_number: number.clone(),
                scope: scope.clone(),
                allowed: agreement.is_some_and(|(a, scopes)| allows(a, scopes, scope, question.on)),
                agreement: agreement.map(|(a, _)| a.clone()),
            });
        }
    }
    if answers.iter().all(|a| a.allowed) {
        return Ok(Ok(answers));
    }
    // A "no" may come from a mistyped service or scope: those are refused, not answered.
    if found.is_empty() && !access::service_exists(conn, &question.service_id)? {
        return Ok(Err(AccessProblem::UnknownService));
    }
    let known = access::known_scopes(conn, &question.scopes)?;
    if let Some(unknown) = question.scopes.iter().find(|s| !known.contains(s)) {
        return Ok(Err(AccessProblem::UnknownScope(unknown.clone())));
    }
    Ok(Ok(answers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn agreement(status: &str, ends_on: Option<Date>) -> AgreementFacts {
        AgreementFacts {
            id: "a".into(),
            reference: "AFT-1".into(),
            institution_number: "G10001".into(),
            status: status.into(),
            starts_on: date!(2026 - 01 - 01),
            ends_on,
        }
    }

    #[test]
    fn only_an_active_agreement_in_its_period_with_the_scope_allows() {
        let scopes = vec!["STAMDATA".to_string()];
        let on = date!(2026 - 06 - 01);
        assert!(allows(&agreement("active", None), &scopes, "STAMDATA", on));
        assert!(!allows(&agreement("active", None), &scopes, "FRAVAER", on));
        assert!(!allows(
            &agreement("suspended", None),
            &scopes,
            "STAMDATA",
            on
        ));
        assert!(!allows(
            &agreement("revoked", None),
            &scopes,
            "STAMDATA",
            on
        ));
        assert!(!allows(
            &agreement("active", None),
            &scopes,
            "STAMDATA",
            date!(2025 - 12 - 31)
        ));
        let ends = Some(date!(2026 - 06 - 01));
        assert!(allows(&agreement("active", ends), &scopes, "STAMDATA", on));
        assert!(!allows(
            &agreement("active", ends),
            &scopes,
            "STAMDATA",
            date!(2026 - 06 - 02)
        ));
    }
}
