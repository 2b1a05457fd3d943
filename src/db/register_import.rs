//! Applying a register file. [`plan`] compares the file with the register and says what
//! would happen — new, changed, closed (with the pending requests that would lapse and the
//! agreements that would end), unchanged, and every refused row — without changing
//! anything: that is the dry run. [`apply`] carries a plan out inside the caller's
//! transaction, with an
//! audit row per change and the closures' consequences (requests lapse, agreements end,
//! both sides are mailed). Importing the same file twice changes nothing the second time.
//!
//! A number is closed only by an explicit status in the file, or because the operator
//! declared the file *complete* for a municipality and the number is missing from it (for
//! the levels the file carries). Closed numbers are never reopened. An empty field never
//! erases a stored value.
//!
//! The command line, the operators' page and the JSON API all import through
//! [`crate::app::register`]: the same checks, one transaction, a typed outcome.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde_json::json;
use time::Date;

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::register::{self, Institution};
use super::schema::{agreements, institutions, requests};
use crate::domain::codes::Level;
use crate::domain::register_file::{ParsedFile, RegisterRow, RowError, RowProblem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Closure {
    pub number: String,
    pub name: String,
    pub closed_on: Date,
    pub replaced_by: Option<String>,
    pub pending_requests: Vec<String>,
    pub open_agreements: Vec<String>,
    /// Line in the file, or `None` when closed because the file is complete and lacks it.
    pub line: Option<usize>,
}

#[derive(Debug, Default)]
pub struct ImportPlan {
    pub creates: Vec<RegisterRow>,
    pub changes: Vec<(RegisterRow, Vec<FieldChange>)>,
    pub closures: Vec<Closure>,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

impl ImportPlan {
    pub fn is_empty(&self) -> bool {
        self.creates.is_empty() && self.changes.is_empty() && self.closures.is_empty()
    }
}

fn level_of(i: &Institution) -> Option<Level> {
    Level::parse(&i.level)
}

/// What changes, field by field; `None` in the file keeps the stored value.
fn changes(existing: &Institution, row: &RegisterRow) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut compare = |field: &'static str, before: Option<&str>, after: Option<&str>| {
        if let Some(after) = after
            && before != Some(after)
        {
            out.push(FieldChange {
                field,
                before: before.map(str::to_string),
                after: Some(after.to_string()),
            });
        }
    };
    compare("name", Some(&existing.name), Some(&row.name));
    compare("level", Some(&existing.level), Some(row.level.as_str()));
    compare(
        "parent_number",
        existing.parent_number.as_deref(),
        row.parent_number.as_deref(),
    );
    compare(
        "inst_type_code",
        Some(&existing.inst_type_code),
        Some(&row.inst_type_code),
    );
    compare(
        "ownership_code",
        Some(&existing.ownership_code),
        Some(&row.ownership_code),
    );
    compare(
        "legal_basis_code",
        existing.legal_basis_code.as_deref(),
        row.legal_basis_code.as_deref(),
    );
    compare(
        "municipality_code",
        Some(&existing.municipality_code),
        Some(&row.municipality_code),
    );
    compare("cvr", existing.cvr.as_deref(), row.cvr.as_deref());
    compare(
        "p_number",
        existing.p_number.as_deref(),
        row.p_number.as_deref(),
    );
    compare("street", existing.street.as_deref(), row.street.as_deref());
    compare(
        "postal_code",
        existing.postal_code.as_deref(),
        row.postal_code.as_deref(),
    );
    compare("city", existing.city.as_deref(), row.city.as_deref());
    compare("email", existing.email.as_deref(), row.email.as_deref());
    compare("phone", existing.phone.as_deref(), row.phone.as_deref());
    out
}

fn closure_of(
    conn: &mut DbConnection,
    inst: &Institution,
    closed_on: Date,
    replaced_by: Option<String>,
    line: Option<usize>,
) -> QueryResult<Closure> {
    let pending_requests = requests::table
        .filter(requests::institution_number.eq(&inst.number))
        .filter(requests::status.eq("pending"))
        .select(requests::id)
        .load(conn)?;
    let open_agreements = agreements::table
        .filter(agreements::institution_number.eq(&inst.number))
        .filter(agreements::status.eq_any(["active", "suspended"]))
        .select(agreements::id)
        .load(conn)?;
    Ok(Closure {
        number: inst.number.clone(),
        name: inst.name.clone(),
        closed_on,
        replaced_by: replaced_by.or_else(|| inst.replaced_by.clone()),
        pending_requests,
        open_agreements,
        line,
    })
}

/// Compares a parsed file with the register. `complete_for` names a municipality whose
/// institutions (of the levels in the file) are all in the file: the missing ones close.
pub fn plan(
    conn: &mut DbConnection,
    parsed: ParsedFile,
    complete_for: Option<&str>,
    today: Date,
) -> QueryResult<ImportPlan> {
    let mut plan = ImportPlan {
        errors: parsed.errors,
        ..ImportPlan::default()
    };
    let numbers: Vec<String> = parsed.rows.iter().map(|r| r.number.clone()).collect();
    let parents: Vec<String> = parsed
        .rows
        .iter()
        .filter_map(|r| r.parent_number.clone())
        .collect();
    let mut wanted: Vec<String> = numbers.iter().chain(parents.iter()).cloned().collect();
    wanted.sort();
    wanted.dedup();
    let existing: BTreeMap<String, Institution> = register::find_many(conn, &wanted)?
        .into_iter()
        .map(|i| (i.number.clone(), i))
        .collect();
    let in_file: BTreeSet<&str> = numbers.iter().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    for row in parsed.rows {
        if !seen.insert(row.number.clone()) {
            plan.errors.push(RowError {
                line: row.line,
                problem: RowProblem::Duplicate {
                    number: row.number.clone(),
                },
            });
            continue;
        }
        if let Some(parent) = &row.parent_number
            && !existing.contains_key(parent)
            && !in_file.contains(parent.as_str())
        {
            plan.errors.push(RowError {
                line: row.line,
                problem: RowProblem::UnknownParent {
                    parent: parent.clone(),
                },
            });
            continue;
        }
        match existing.get(&row.number) {
            None => plan.creates.push(row),
            Some(current) if !current.is_active() => {
                if row.active == Some(true) {
                    plan.errors.push(RowError {
                        line: row.line,
                        problem: RowProblem::ClosedNumberReused {
                            number: row.number.clone(),
                        },
                    });
                } else {
                    plan.unchanged += 1;
                }
            }
            Some(current) => {
                if row.active == Some(false) {
                    let closed_on = row.closed_on.unwrap_or(today);
                    plan.closures.push(closure_of(
                        conn,
                        current,
                        closed_on,
                        row.replaced_by.clone(),
                        Some(row.line),
                    )?);
                }
                let diff = changes(current, &row);
                if diff.is_empty() {
                    if row.active != Some(false) {
                        plan.unchanged += 1;
                    }
                } else {
                    plan.changes.push((row, diff));
                }
            }
        }
    }
    if let Some(code) = complete_for {
        let levels: BTreeSet<&str> = plan
            .creates
            .iter()
            .map(|r| r.level.as_str())
            .chain(plan.changes.iter().map(|(r, _)| r.level.as_str()))
            .chain(
                existing
                    .values()
                    .filter(|i| in_file.contains(i.number.as_str()))
                    .filter_map(|i| level_of(i).map(Level::as_str)),
            )
            .collect();
        let missing: Vec<Institution> = institutions::table
            .filter(institutions::municipality_code.eq(code))
            .filter(institutions::status.eq("active"))
            .select(Institution::as_select())
            .load(conn)?
            .into_iter()
            .filter(|i| levels.contains(i.level.as_str()) && !in_file.contains(i.number.as_str()))
            .collect();
        for inst in missing {
            plan.closures
                .push(closure_of(conn, &inst, today, None, None)?);
        }
    }
    Ok(plan)
}

fn new_institution(row: &RegisterRow) -> Institution {
    Institution {
        number: row.number.clone(),
        name: row.name.clone(),
        level: row.level.as_str().into(),
        parent_number: row.parent_number.clone(),
        inst_type_code: row.inst_type_code.clone(),
        ownership_code: row.ownership_code.clone(),
        legal_basis_code: row.legal_basis_code.clone(),
        municipality_code: row.municipality_code.clone(),
        cvr: row.cvr.clone(),
        p_number: row.p_number.clone(),
        street: row.street.clone(),
        postal_code: row.postal_code.clone(),
        city: row.city.clone(),
        email: row.email.clone(),
        phone: row.phone.clone(),
        status: if row.active == Some(false) {
            "closed".into()
        } else {
            "active".into()
        },
        closed_on: if row.active == Some(false) {
            row.closed_on
        } else {
            None
        },
        replaced_by: row.replaced_by.clone(),
    }
}

/// Rows per statement when creating or changing institutions.
const WRITE_CHUNK: usize = 1_000;

/// The columns a register row sets, and whether an empty field keeps the stored value.
const UPDATED_COLUMNS: [(&str, bool); 14] = [
    ("name", false),
    ("level", false),
    ("parent_number", true),
    ("inst_type_code", false),
    ("ownership_code", false),
    ("legal_basis_code", true),
    ("municipality_code", false),
    ("cvr", true),
    ("p_number", true),
    ("street", true),
    ("postal_code", true),
    ("city", true),
    ("email", true),
    ("phone", true),
];

/// Writes the file's values for existing institutions in one statement: the rows travel
/// as one JSON array, so a national file is a handful of round trips, not one per row.
/// An empty optional field keeps the stored value; status and closure stay as they are.
fn update_many(conn: &mut DbConnection, rows: &[&RegisterRow]) -> QueryResult<usize> {
    use diesel::sql_types::Text;
    if rows.is_empty() {
        return Ok(0);
    }
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "number": r.number, "name": r.name, "level": r.level.as_str(),
                "parent_number": r.parent_number, "inst_type_code": r.inst_type_code,
                "ownership_code": r.ownership_code, "legal_basis_code": r.legal_basis_code,
                "municipality_code": r.municipality_code, "cvr": r.cvr, "p_number": r.p_number,
                "street": r.street, "postal_code": r.postal_code, "city": r.city,
                "email": r.email, "phone": r.phone,
            })
        })
        .collect();
    let json = serde_json::Value::Array(values).to_string();
    let assignments = |value: &dyn Fn(&str) -> String, stored: &str| {
        UPDATED_COLUMNS
            .iter()
            .map(|(column, keeps)| match keeps {
                true => format!("{column} = COALESCE({}, {stored}.{column})", value(column)),
                false => format!("{column} = {}", value(column)),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match conn {
        DbConnection::Postgresql(pg) => {
            let record = std::iter::once("number".to_string())
                .chain(UPDATED_COLUMNS.iter().map(|(c, _)| c.to_string()))
                .map(|c| format!("{c} text"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE institutions AS i SET {} FROM jsonb_to_recordset($1::jsonb) AS v({record}) WHERE i.number = v.number",
                assignments(&|c| format!("v.{c}"), "i")
            );
            diesel::sql_query(sql).bind::<Text, _>(json).execute(pg)
        }
        DbConnection::Sqlite(lite) => {
            let sql = format!(
                "UPDATE institutions SET {} FROM json_each(?) AS v WHERE institutions.number = v.value ->> 'number'",
                assignments(&|c| format!("(v.value ->> '{c}')"), "institutions")
            );
            diesel::sql_query(sql).bind::<Text, _>(json).execute(lite)
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub created: usize,
    pub changed: usize,
    pub closed: usize,
    pub lapsed_requests: usize,
    pub ended_agreements: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Consequence(String),
}

fn entry<'a>(action: &'a str, number: &'a str, details: serde_json::Value) -> Entry<'a> {
    Entry {
        action,
        target_type: "institution",
        target_id: number,
        institution_number: Some(number),
        supplier_id: None,
        details,
    }
}

/// Carries out a plan inside the caller's [`write_tx`](crate::db::write_tx).
pub fn apply(
    conn: &mut DbConnection,
    caller: &Caller,
    plan: &ImportPlan,
    source: &str,
) -> Result<Applied, ApplyError> {
    let mut done = Applied::default();
    // Klynger before their units, so every parent exists.
    let mut creates: Vec<&RegisterRow> = plan.creates.iter().collect();
    creates.sort_by_key(|r| r.level != Level::Daginstitution);
    let new_rows: Vec<Institution> = creates.iter().map(|r| new_institution(r)).collect();
    for chunk in new_rows.chunks(WRITE_CHUNK) {
        crate::db::insert_batch!(conn, institutions::table, chunk)?;
    }
    if new_rows.len() >= WRITE_CHUNK && matches!(conn, DbConnection::Postgresql(_)) {
        // A register that grew by thousands (a first national import) would otherwise be
        // planned from the statistics of an almost empty table: the lookups by number
        // below and in the next import became sequential scans, 100 ms per 500 numbers.
        diesel::sql_query("ANALYZE institutions").execute(conn)?;
    }
    audit::record_many(
        conn,
        caller,
        creates
            .iter()
            .map(|row| {
                entry(
                    "register.created",
                    &row.number,
                    json!({ "after": {
                        "name": row.name, "level": row.level.as_str(), "parent_number": row.parent_number,
                        "ownership_code": row.ownership_code, "municipality_code": row.municipality_code,
                        "status": if row.active == Some(false) { "closed" } else { "active" },
                    }, "source": source }),
                )
            })
            .collect(),
    )?;
    done.created = creates.len();
    let changed: Vec<&RegisterRow> = plan.changes.iter().map(|(row, _)| row).collect();
    for chunk in changed.chunks(WRITE_CHUNK) {
        update_many(conn, chunk)?;
    }
    audit::record_many(
        conn,
        caller,
        plan.changes
            .iter()
            .map(|(row, diff)| {
                let details: Vec<serde_json::Value> = diff
                    .iter()
                    .map(|c| json!({ "field": c.field, "before": c.before, "after": c.after }))
                    .collect();
                entry(
                    "register.changed",
                    &row.number,
                    json!({ "changes": details, "source": source }),
                )
            })
            .collect(),
    )?;
    done.changed = changed.len();
    for closure in &plan.closures {
        diesel::update(
            institutions::table
                .find(&closure.number)
                .filter(institutions::status.eq("active")),
        )
        .set((
            institutions::status.eq("closed"),
            institutions::closed_on.eq(Some(closure.closed_on)),
            institutions::replaced_by.eq(&closure.replaced_by),
        ))
        .execute(conn)?;
        audit::record(
            conn,
            caller,
            entry(
                "register.closed",
                &closure.number,
                json!({
                    "closed_on": crate::domain::request_form::format_date(closure.closed_on),
                    "replaced_by": closure.replaced_by, "source": source,
                    "lapsed_requests": closure.pending_requests.len(), "ended_agreements": closure.open_agreements.len(),
                }),
            ),
        )?;
        let reason = crate::domain::SystemReason::InstitutionClosed {
            number: closure.number.clone(),
            successor: closure.replaced_by.clone(),
        };
        for request in &closure.pending_requests {
            crate::db::requests::lapse(conn, &Caller::default(), request, &reason)
                .map_err(|e| ApplyError::Consequence(format!("lapsing {request}: {e}")))?;
            done.lapsed_requests += 1;
        }
        for agreement in &closure.open_agreements {
            crate::db::agreements::end(
                conn,
                &Caller::default(),
                agreement,
                crate::domain::AgreementStatus::Ended,
                Some(&crate::domain::Reason::System(reason.clone())),
            )
            .map_err(|e| ApplyError::Consequence(format!("ending {agreement}: {e}")))?;
            done.ended_agreements += 1;
        }
        done.closed += 1;
    }
    audit::record(
        conn,
        caller,
        Entry {
            action: "register.imported",
            target_type: "register",
            target_id: source,
            institution_number: None,
            supplier_id: None,
            details: json!({ "created": done.created, "changed": done.changed, "closed": done.closed,
            "unchanged": plan.unchanged, "refused_rows": plan.errors.len() }),
        },
    )?;
    Ok(done)
}
