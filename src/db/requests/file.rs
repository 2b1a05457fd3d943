//! Filing: one form, one or many institution numbers, one request per institution,
//! all in one transaction with their audit rows and one outbox row for the batch.
//!
//! Every number is checked against the register and the existing requests and
//! agreements; if any line is refused, nothing is filed and each refused line says why.
//! A klynge (daginstitution) number files one request per active anvisningsenhed.
//! When an open agreement already covers some of the scopes, the request becomes an
//! *extension* asking only for the missing ones; if it covers all, the line is refused.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde_json::json;
use time::Date;

use super::counter_name;
use crate::db::audit::{self, Caller, Entry};
use crate::db::register::{self, Institution};
use crate::db::schema::{agreement_scopes, agreements, request_scopes, requests};
use crate::db::{DbConnection, counters, outbox};
use crate::domain::request_form::{LineError, LineProblem, RequestDraft};
use crate::domain::{InstitutionNumber, NumberKind};

pub struct FileCommand {
    pub supplier_id: String,
    pub draft: RequestDraft,
    pub today: Date,
    /// From this date on, no new request may target an A-number.
    pub a_number_cutoff: Date,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("some institution lines were refused")]
    Lines(Vec<LineError>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone)]
pub struct Filed {
    pub batch_id: String,
    /// (request id, reference, institution number, kind)
    pub requests: Vec<(String, String, String, String)>,
}

/// One institution a request will be filed against, and the line that led to it.
struct FilingTarget {
    line: usize,
    typed: String,
    institution: Institution,
}

fn refuse(line: usize, typed: &str, problem: LineProblem) -> LineError {
    LineError {
        line,
        text: typed.to_string(),
        problem,
    }
}

/// What the register says against each number, for a form that has other errors too,
/// so every problem is reported in one round.
pub fn register_problems(
    conn: &mut DbConnection,
    numbers: &[(usize, InstitutionNumber)],
    today: Date,
    a_number_cutoff: Date,
) -> QueryResult<Vec<LineError>> {
    Ok(resolve_targets(conn, numbers, today, a_number_cutoff)?
        .err()
        .unwrap_or_default())
}

/// Resolves the typed numbers to the institutions requests will target.
fn resolve_targets(
    conn: &mut DbConnection,
    typed: &[(usize, InstitutionNumber)],
    today: Date,
    a_number_cutoff: Date,
) -> QueryResult<Result<Vec<FilingTarget>, Vec<LineError>>> {
    let numbers: Vec<String> = typed.iter().map(|(_, n)| n.to_string()).collect();
    let found: BTreeMap<String, Institution> = register::find_many(conn, &numbers)?
        .into_iter()
        .map(|i| (i.number.clone(), i))
        .collect();
    let klynger: Vec<String> = found
        .values()
        .filter(|i| i.level == "daginstitution")
        .map(|i| i.number.clone())
        .collect();
    let mut units_by_klynge: BTreeMap<String, Vec<Institution>> = BTreeMap::new();
    for unit in register::active_units_of(conn, &klynger)? {
        units_by_klynge
            .entry(unit.parent_number.clone().unwrap_or_default())
            .or_default()
            .push(unit);
    }

    let mut errors = Vec::new();
    let mut targets: Vec<FilingTarget> = Vec::new();
    let mut seen = BTreeSet::new();
    for (line, number) in typed {
        let typed = number.as_str();
        let Some(inst) = found.get(typed) else {
            errors.push(refuse(*line, typed, LineProblem::NotInRegister));
            continue;
        };
        if number.kind() == NumberKind::Legacy && today >= a_number_cutoff {
            errors.push(refuse(
                *line,
                typed,
                LineProblem::LegacyNumber {
                    cutoff: a_number_cutoff,
                    successor: inst.replaced_by.clone(),
                },
            ));
            continue;
        }
        if !inst.is_active() {
            errors.push(refuse(
                *line,
                typed,
                LineProblem::Closed {
                    closed_on: inst.closed_on,
                    successor: inst.replaced_by.clone(),
                },
            ));
            continue;
        }
        let expanded: Vec<Institution> = if inst.level == "daginstitution" {
            match units_by_klynge.get(typed) {
                Some(units) => units.clone(),
                None => {
                    errors.push(refuse(*line, typed, LineProblem::NoActiveUnits));
                    continue;
                }
            }
        } else {
            vec![inst.clone()]
        };
        for institution in expanded {
            if seen.insert(institution.number.clone()) {
                targets.push(FilingTarget {
                    line: *line,
                    typed: typed.to_string(),
                    institution,
                });
            }
        }
    }
    Ok(if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    })
}

/// Scopes each target's open agreement already covers, with the agreement's reference.
fn covered_scopes(
    conn: &mut DbConnection,
    service_id: &str,
    numbers: &[String],
) -> QueryResult<BTreeMap<String, (String, BTreeSet<String>)>> {
    let mut covered: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for chunk in numbers.chunks(register::CHUNK) {
        let rows: Vec<(String, String, String)> = agreements::table
            .inner_join(agreement_scopes::table)
            .filter(agreements::service_id.eq(service_id))
            .filter(agreements::institution_number.eq_any(chunk))
            .filter(crate::db::agreements::is_open())
            .select((
                agreements::institution_number,
                agreements::reference,
                agreement_scopes::scope_code,
            ))
            .load(conn)?;
        for (number, reference, scope) in rows {
            covered
                .entry(number)
                .or_insert_with(|| (reference, BTreeSet::new()))
                .1
                .insert(scope);
        }
    }
    Ok(covered)
}

fn pending_references(
    conn: &mut DbConnection,
    service_id: &str,
    numbers: &[String],
) -> QueryResult<BTreeMap<String, String>> {
    let mut pending = BTreeMap::new();
    for chunk in numbers.chunks(register::CHUNK) {
        let rows: Vec<(String, String)> = requests::table
            .filter(requests::service_id.eq(service_id))
            .filter(requests::institution_number.eq_any(chunk))
            .filter(requests::status.eq("pending"))
            .select((requests::institution_number, requests::reference))
            .load(conn)?;
        pending.extend(rows);
    }
    Ok(pending)
}

impl FilingTarget {
    /// The unit the request is for, when the line named its daycare institution.
    fn unit(&self) -> Option<String> {
        (self.typed != self.institution.number).then(|| self.institution.number.clone())
    }
}

/// Requests inserted per statement (14 columns each, under SQLite's bound-parameter
/// limit).
const INSERT_CHUNK: usize = 1000;

/// Files `cmd`: one request per usable line, their audit rows and the approvers' notice,
/// or every refused line. Runs inside the caller's [`write_tx`](crate::db::write_tx).
pub fn file(
    conn: &mut DbConnection,
    caller: &Caller,
    cmd: &FileCommand,
) -> Result<Filed, FileError> {
    let year = cmd.today.year();
    let counter = counter_name("DA", year);
    counters::ensure(conn, &counter)?;
    let targets = resolve_targets(conn, &cmd.draft.numbers, cmd.today, cmd.a_number_cutoff)?
        .map_err(FileError::Lines)?;
    let numbers: Vec<String> = targets
        .iter()
        .map(|t| t.institution.number.clone())
        .collect();
    let pending = pending_references(conn, &cmd.draft.service_id, &numbers)?;
    let covered = covered_scopes(conn, &cmd.draft.service_id, &numbers)?;
    let requested: BTreeSet<String> = cmd.draft.scopes.iter().cloned().collect();

    let mut errors = Vec::new();
    let mut planned: Vec<(&FilingTarget, &'static str, Vec<String>)> = Vec::new();
    for target in &targets {
        let number = &target.institution.number;
        if let Some(reference) = pending.get(number) {
            errors.push(refuse(
                target.line,
                &target.typed,
                LineProblem::AlreadyPending {
                    unit: target.unit(),
                    reference: Some(reference.clone()),
                },
            ));
            continue;
        }
        match covered.get(number) {
            Some((reference, have)) => {
                let missing: Vec<String> = requested.difference(have).cloned().collect();
                if missing.is_empty() {
                    errors.push(refuse(
                        target.line,
                        &target.typed,
                        LineProblem::AlreadyCovered {
                            unit: target.unit(),
                            agreement: reference.clone(),
                        },
                    ));
                } else {
                    planned.push((target, "extension", missing));
                }
            }
            None => planned.push((target, "new", cmd.draft.scopes.clone())),
        }
    }
    if !errors.is_empty() {
        return Err(FileError::Lines(errors));
    }

    let first = counters::reserve(conn, &counter, planned.len() as i64)?;
    let batch_id = crate::db::new_id();
    let filed_at = crate::db::now();
    let filed_by = caller.user_id.clone().unwrap_or_default();
    let mut filed = Vec::with_capacity(planned.len());
    let mut scope_rows: Vec<(String, String)> = Vec::new();
    let mut audit_details = Vec::with_capacity(planned.len());
    for (offset, (target, kind, scopes)) in planned.iter().enumerate() {
        let id = crate::db::new_id();
        let reference = counters::format_reference("DA", year, first + offset as i64);
        let number = target.institution.number.clone();
        scope_rows.extend(scopes.iter().map(|s| (id.clone(), s.clone())));
        audit_details.push(json!({
            "reference": reference, "kind": kind, "scopes": scopes,
            "service_id": cmd.draft.service_id, "batch_id": batch_id,
            "via": (target.typed != number).then_some(&target.typed),
        }));
        let municipality = target.institution.municipality_code.clone();
        let klynge = target.institution.parent_number.clone().unwrap_or_default();
        filed.push((
            id,
            reference,
            number,
            kind.to_string(),
            municipality,
            klynge,
        ));
    }
    // Set-based: the requests, their scopes and their audit rows in a few statements.
    for (chunk_index, chunk) in filed.chunks(INSERT_CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(id, reference, number, kind, municipality, klynge)| {
                (
                    requests::id.eq(id),
                    requests::reference.eq(reference),
                    requests::batch_id.eq(&batch_id),
                    requests::service_id.eq(&cmd.draft.service_id),
                    requests::institution_number.eq(number),
                    requests::kind.eq(kind),
                    requests::purpose.eq(&cmd.draft.purpose),
                    requests::sensitive_reason.eq(cmd.draft.sensitive_reason.as_deref()),
                    requests::wished_start.eq(cmd.draft.wished_start),
                    requests::wished_end.eq(cmd.draft.wished_end),
                    requests::message.eq(cmd.draft.message.as_deref()),
                    requests::status.eq("pending"),
                    requests::filed_by.eq(&filed_by),
                    requests::filed_at.eq(filed_at),
                    requests::municipality_code.eq(Some(municipality)),
                    requests::klynge_number.eq(Some(klynge)),
                )
            })
            .collect();
        crate::db::insert_batch!(conn, requests::table, &rows).map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                // Someone filed for the same service and one of these institutions
                // in the meantime: the filing is refused whole, nothing is written.
                let (target, _, _) = &planned[chunk_index * INSERT_CHUNK];
                FileError::Lines(vec![refuse(
                    target.line,
                    &target.typed,
                    LineProblem::AlreadyPending {
                        unit: target.unit(),
                        reference: None,
                    },
                )])
            } else {
                e.into()
            }
        })?;
    }
    for chunk in scope_rows.chunks(INSERT_CHUNK * 4) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(id, scope)| {
                (
                    request_scopes::request_id.eq(id),
                    request_scopes::scope_code.eq(scope),
                )
            })
            .collect();
        crate::db::insert_batch!(conn, request_scopes::table, &rows)?;
    }
    let entries = filed
        .iter()
        .zip(audit_details)
        .map(|((id, _, number, ..), details)| Entry {
            action: "request.filed",
            target_type: "request",
            target_id: id,
            institution_number: Some(number),
            supplier_id: Some(&cmd.supplier_id),
            details,
        })
        .collect();
    audit::record_many(conn, caller, entries)?;
    outbox::enqueue(
        conn,
        "requests.filed",
        json!({ "batch_id": batch_id, "request_ids": filed.iter().map(|f| &f.0).collect::<Vec<_>>() }),
    )?;
    Ok(Filed {
        batch_id,
        requests: filed
            .into_iter()
            .map(|(id, reference, number, kind, ..)| (id, reference, number, kind))
            .collect(),
    })
}
