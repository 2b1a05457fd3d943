//! Requests: filing them, reading one, its supplier withdrawing it, its approver deciding
//! it, and deciding many at once from the inbox. A
//! request the person may not see does not exist for them (`NotFound`); an action they
//! may not take on one they see is `Forbidden`. Two people deciding at once: one wins,
//! the other is told what the request became.

use std::collections::HashMap;

use time::Date;

use super::bulk_decisions::{BulkCommand, BulkOutcome};
use super::{Acting, Error, Result};
use crate::db::requests::{
    self, DecideError, Decided, Decision, FileCommand, FileError, Filed, ListFilter, RequestDetail,
    RequestRow, RequestScope,
};
use crate::db::{DbConnection, catalog, write_tx};
use crate::domain::RequestStatus;
use crate::domain::codes::Ownership;
use crate::domain::policy::{self, Action, Target, decide_scope};
use crate::domain::request_form::{
    FieldProblem, FormErrors, LineError, RequestDraft, RequestFormInput,
};

/// The policy's view of a request.
pub fn target(d: &RequestDetail) -> Target<'_> {
    Target {
        supplier_id: &d.supplier.id,
        institution_number: &d.institution.number,
        municipality_code: &d.institution.municipality_code,
        ownership: Ownership::from_code(&d.institution.ownership_code),
    }
}

/// The request with its scopes, agreement and history, if `acting` may see it.
pub fn read(conn: &mut DbConnection, acting: &Acting, id: &str) -> Result<RequestDetail> {
    let detail = requests::detail(conn, id)?.ok_or(Error::NotFound)?;
    acting.may(Action::ViewRequest, &target(&detail), Error::NotFound)?;
    Ok(detail)
}

/// Reads the request and checks that `acting` may take `action` on it.
fn read_for(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    action: Action,
) -> Result<RequestDetail> {
    let detail = read(conn, acting, id)?;
    acting.may(action, &target(&detail), Error::Forbidden)?;
    Ok(detail)
}

/// What a withdrawal or decision came to when it did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Someone else got there first: the request now has this status.
    AlreadyDecided(RequestStatus),
    /// The decision as given cannot be carried out.
    Invalid(DecisionProblem),
}

/// What is wrong with a decision as the approver gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    /// Neither approve nor reject was chosen.
    NoDecision,
    /// Approve with no scope ticked.
    NoScopeChosen,
    /// A scope ticked that the request does not ask for.
    ScopeNotRequested,
    /// Reject without a reason (the supplier is shown it).
    NoReason,
    /// Approve part of the request, with a scope left out and no reason given for it
    /// ([`DecisionForm::missing_refusal_reasons`] names them).
    NoRefusalReason,
}

/// A decision as the approver gives it on the page or through the API.
#[derive(Debug, Clone, Default)]
pub struct DecisionForm {
    /// `approve` or `reject`.
    pub decision: String,
    /// The scopes granted (approve).
    pub scopes: Vec<String>,
    /// Approve every scope the request asks for (the API's approval without a list).
    pub all_scopes: bool,
    /// The reason (reject) or a comment for the supplier (approve).
    pub reason: String,
    /// Why each scope left out of an approval is refused (scope code, the approver's
    /// words); blank ones count as not given, those for granted scopes are not kept.
    pub refusal_reasons: Vec<(String, String)>,
}

impl DecisionForm {
    /// The decision this form asks for, checked against the scopes the request asks for.
    pub fn parse(&self, requested: &[String]) -> std::result::Result<Decision, DecisionProblem> {
        match self.decision.as_str() {
            "approve" if self.scopes.is_empty() => Err(DecisionProblem::NoScopeChosen),
            "approve"
                if self.scopes.iter().any(|s| !requested.contains(s))
                    || self.given_reasons().any(|(s, _)| !requested.contains(s)) =>
            {
                Err(DecisionProblem::ScopeNotRequested)
            }
            "approve" if !self.missing_refusal_reasons(requested).is_empty() => {
                Err(DecisionProblem::NoRefusalReason)
            }
            "approve" => Ok(Decision::Approve {
                scopes: self.scopes.clone(),
                comment: Some(self.reason.clone()),
                refusal_reasons: self
                    .given_reasons()
                    .filter(|(s, _)| !self.scopes.contains(s))
                    .map(|(s, why)| (s.clone(), why.to_string()))
                    .collect(),
            }),
            "reject" if self.reason.trim().is_empty() => Err(DecisionProblem::NoReason),
            "reject" => Ok(Decision::Reject {
                reason: self.reason.trim().to_string(),
            }),
            _ => Err(DecisionProblem::NoDecision),
        }
    }
}

impl DecisionForm {
    /// The reasons actually written, trimmed.
    fn given_reasons(&self) -> impl Iterator<Item = (&String, &str)> {
        self.refusal_reasons
            .iter()
            .map(|(s, why)| (s, why.trim()))
            .filter(|(_, why)| !why.is_empty())
    }

    /// The requested scopes an approval leaves out without a reason for leaving them out
    /// (none for a rejection: it has its one reason).
    pub fn missing_refusal_reasons(&self, requested: &[String]) -> Vec<String> {
        if self.decision != "approve" || self.all_scopes {
            return Vec::new();
        }
        requested
            .iter()
            .filter(|s| !self.scopes.contains(s))
            .filter(|s| !self.given_reasons().any(|(code, _)| code == *s))
            .cloned()
            .collect()
    }
}

fn refusal(e: DecideError) -> Result<Refusal> {
    match e {
        DecideError::AlreadyDecided(status) => Ok(Refusal::AlreadyDecided(status)),
        DecideError::NoScopes => Ok(Refusal::Invalid(DecisionProblem::NoScopeChosen)),
        DecideError::ReasonRequired => Ok(Refusal::Invalid(DecisionProblem::NoReason)),
        DecideError::RefusalReasonRequired => {
            Ok(Refusal::Invalid(DecisionProblem::NoRefusalReason))
        }
        DecideError::NotFound => Err(Error::NotFound),
        DecideError::Database(e) => Err(e.into()),
    }
}

/// The supplier withdraws a pending request.
pub fn withdraw(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
) -> Result<std::result::Result<(), Refusal>> {
    let detail = read_for(conn, acting, id, Action::WithdrawRequest)?;
    let caller = acting.caller_for(Action::WithdrawRequest, &target(&detail));
    match write_tx(conn, |conn| requests::withdraw(conn, &caller, id)) {
        Ok(()) => Ok(Ok(())),
        Err(e) => refusal(e).map(Err),
    }
}

/// The approver approves (all or some scopes, with a comment) or rejects (with a reason).
pub fn decide(
    conn: &mut DbConnection,
    acting: &Acting,
    id: &str,
    form: &DecisionForm,
) -> Result<std::result::Result<Decided, Refusal>> {
    let detail = read_for(conn, acting, id, Action::DecideRequest)?;
    let requested: Vec<String> = detail.scopes.iter().map(|s| s.code.clone()).collect();
    let all;
    let form = if form.all_scopes {
        all = DecisionForm {
            scopes: requested.clone(),
            ..form.clone()
        };
        &all
    } else {
        form
    };
    let decision = match form.parse(&requested) {
        Ok(decision) => decision,
        Err(problem) => return Ok(Err(Refusal::Invalid(problem))),
    };
    let caller = acting.caller_for(Action::DecideRequest, &target(&detail));
    match write_tx(conn, |conn| requests::decide(conn, &caller, id, &decision)) {
        Ok(decided) => Ok(Ok(decided)),
        Err(e) => refusal(e).map(Err),
    }
}

/// Why a filing was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRefusal {
    /// The service does not exist or is retired.
    UnknownService,
    /// These institution lines were refused (the rest would have been fine).
    Lines(Vec<LineError>),
    /// The supplier is not verified by the operators yet, so it may not file.
    SupplierNotVerified,
}

/// Why a filing from a form (the page's or the API's) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRefusal {
    /// The service does not exist or is retired.
    UnknownService,
    /// Fields and institution lines that were refused: the form's objections and the
    /// register's, in one round.
    Form(FormErrors),
    /// The supplier is not verified by the operators yet, so it may not file.
    SupplierNotVerified,
}

/// Checks a filing form against the scope catalogue and the register and files it.
pub fn file_form(
    conn: &mut DbConnection,
    acting: &Acting,
    input: &RequestFormInput,
    today: Date,
    a_number_cutoff: Date,
) -> Result<std::result::Result<Filed, FormRefusal>> {
    let scopes = catalog::scopes(conn)?;
    let known: Vec<String> = scopes.iter().map(|s| s.code.clone()).collect();
    let sensitive: Vec<String> = scopes
        .iter()
        .filter(|s| s.sensitive)
        .map(|s| s.code.clone())
        .collect();
    // A retired scope is known (requests and agreements name it) but not accepted.
    let chose_retired = input.scopes.iter().any(|chosen| {
        scopes
            .iter()
            .any(|s| s.is_retired() && s.code == chosen.trim())
    });
    let parsed = match input.parse(today, &known, &sensitive) {
        Ok(_) if chose_retired => Err(FormErrors {
            fields: vec![("scopes", FieldProblem::RetiredScope)],
            lines: Vec::new(),
        }),
        Err(mut errors) if chose_retired => {
            if errors.get("scopes").is_none() {
                errors.field("scopes", FieldProblem::RetiredScope);
            }
            Err(errors)
        }
        parsed => parsed,
    };
    let mut draft = match parsed {
        Ok(draft) => draft,
        Err(mut errors) => {
            let (numbers, _) = input.numbers();
            errors.lines.extend(requests::register_problems(
                conn,
                &numbers,
                today,
                a_number_cutoff,
            )?);
            errors.lines.sort_by_key(|l| l.line);
            return Ok(Err(FormRefusal::Form(errors)));
        }
    };
    draft.service_id = input.service_id.trim().to_string();
    Ok(match file(conn, acting, draft, today, a_number_cutoff)? {
        Ok(filed) => Ok(filed),
        Err(FileRefusal::UnknownService) => Err(FormRefusal::UnknownService),
        Err(FileRefusal::SupplierNotVerified) => Err(FormRefusal::SupplierNotVerified),
        Err(FileRefusal::Lines(lines)) => Err(FormRefusal::Form(FormErrors {
            fields: Vec::new(),
            lines,
        })),
    })
}

/// Files one request per institution of the draft for the draft's service, for the
/// service's supplier, if `acting` files for that supplier.
pub fn file(
    conn: &mut DbConnection,
    acting: &Acting,
    draft: RequestDraft,
    today: Date,
    a_number_cutoff: Date,
) -> Result<std::result::Result<Filed, FileRefusal>> {
    let found = catalog::service_with_supplier(conn, &draft.service_id)?
        .filter(|(s, _)| s.status == "active");
    let Some((service, supplier)) = found else {
        return Ok(Err(FileRefusal::UnknownService));
    };
    let target = Target {
        supplier_id: &service.supplier_id,
        institution_number: "",
        municipality_code: "",
        ownership: None,
    };
    acting.may(Action::FileRequest, &target, Error::Forbidden)?;
    if !supplier.verified {
        return Ok(Err(FileRefusal::SupplierNotVerified));
    }
    let caller = acting.caller(policy::acting_role(
        &acting.actor,
        Action::FileRequest,
        &target,
    ));
    let cmd = FileCommand {
        supplier_id: service.supplier_id.clone(),
        draft,
        today,
        a_number_cutoff,
    };
    match write_tx(conn, |conn| requests::file(conn, &caller, &cmd)) {
        Ok(filed) => Ok(Ok(filed)),
        Err(FileError::Lines(lines)) => Ok(Err(FileRefusal::Lines(lines))),
        Err(FileError::Database(e)) => Err(e.into()),
    }
}

/// A page of request rows and each row's scopes, by request id.
pub type RequestPage = (Vec<RequestRow>, HashMap<String, Vec<RequestScope>>);

/// A page of requests `acting` may see (with `decidable`, only those they may decide),
/// in the filter's order after the keyset cursor, with their scopes.
pub fn list(
    conn: &mut DbConnection,
    acting: &Acting,
    filter: &ListFilter,
    decidable: bool,
    after: Option<&str>,
    limit: i64,
) -> Result<RequestPage> {
    let view = policy::view_scope(&acting.actor);
    let decide = decide_scope(&acting.actor);
    if view.is_empty() || (decidable && decide.is_empty()) {
        return Ok((Vec::new(), HashMap::new()));
    }
    let rows = requests::list(
        conn,
        &view,
        decidable.then_some(&decide),
        filter,
        after,
        limit,
    )?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let scopes = requests::scopes_by_request(conn, &ids)?;
    Ok((rows, scopes))
}

/// Decides many pending requests at once (the ones chosen, or all the filter matches),
/// each as far as `acting` may decide it; sensitive scopes only where confirmed.
pub fn bulk_decide(
    conn: &mut DbConnection,
    acting: &Acting,
    command: &BulkCommand,
) -> Result<BulkOutcome> {
    if decide_scope(&acting.actor).is_empty() {
        return Err(Error::Forbidden);
    }
    super::bulk_decisions::bulk_decide(conn, &acting.actor, &acting.caller(None), command)
        .map_err(|e| Error::Storage(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(decision: &str, scopes: &[&str], reason: &str) -> DecisionForm {
        DecisionForm {
            decision: decision.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            reason: reason.into(),
            all_scopes: false,
            refusal_reasons: Vec::new(),
        }
    }

    #[test]
    fn a_decision_form_names_what_is_wrong_with_it() {
        let requested = vec!["STAMDATA".to_string(), "FRAVAER".to_string()];
        let problem = |f: DecisionForm| f.parse(&requested).err();
        assert_eq!(
            problem(form("approve", &[], "")),
            Some(DecisionProblem::NoScopeChosen)
        );
        assert_eq!(
            problem(form("approve", &["STAMDATA", "KARAKTERER"], "")),
            Some(DecisionProblem::ScopeNotRequested)
        );
        assert_eq!(
            problem(form("reject", &[], "  ")),
            Some(DecisionProblem::NoReason)
        );
        assert_eq!(
            problem(form("", &["STAMDATA"], "x")),
            Some(DecisionProblem::NoDecision)
        );
        let mut blank = form("approve", &["FRAVAER"], "");
        blank.refusal_reasons = vec![("STAMDATA".into(), "   ".into())];
        assert_eq!(
            blank.missing_refusal_reasons(&requested),
            ["STAMDATA".to_string()]
        );
        assert_eq!(problem(blank), Some(DecisionProblem::NoRefusalReason));
        let mut elsewhere = form("approve", &["FRAVAER", "STAMDATA"], "");
        elsewhere.refusal_reasons = vec![("KARAKTERER".into(), "no".into())];
        assert_eq!(problem(elsewhere), Some(DecisionProblem::ScopeNotRequested));
        // A whole rejection has its one reason, not one per scope.
        assert!(
            form("reject", &[], "no")
                .missing_refusal_reasons(&requested)
                .is_empty()
        );
    }

    #[test]
    fn a_good_form_becomes_the_decision_it_asks_for() {
        let requested = vec!["STAMDATA".to_string(), "FRAVAER".to_string()];
        let mut partial = form("approve", &["FRAVAER"], "ok");
        partial.refusal_reasons = vec![
            ("STAMDATA".into(), " not needed here ".into()),
            ("FRAVAER".into(), "typed, then granted after all".into()),
        ];
        match partial.parse(&requested) {
            Ok(Decision::Approve {
                scopes,
                comment,
                refusal_reasons,
            }) => {
                assert_eq!(scopes, ["FRAVAER"]);
                assert_eq!(comment.as_deref(), Some("ok"));
                assert_eq!(
                    refusal_reasons,
                    [("STAMDATA".to_string(), "not needed here".to_string())]
                );
            }
            other => panic!("{other:?}"),
        }
        match form("reject", &[], "  not needed ").parse(&requested) {
            Ok(Decision::Reject { reason }) => assert_eq!(reason, "not needed"),
            other => panic!("{other:?}"),
        }
    }
}
