//! `/audit`: the audit log for operators (everything), auditors and municipal officers
//! (rows about their municipality's institutions): filters by institution, supplier,
//! actor, action and period; keyset pages; each row links to what it is about; the
//! filtered view exported as CSV (through [`crate::csv_export`], safe to open in Excel) or
//! JSON lines, streamed in batches so a million rows never sit in memory.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csv_export::CsvWriter;
use crate::db::audit::chain::format_timestamp;
use crate::db::audit::query::{self, AuditEntry, AuditFilter, Keyset};
use crate::db::catalog::{self, Supplier};
use crate::domain::InstitutionNumber;
use crate::domain::audit_actions;
use crate::domain::policy::{AuditScope, audit_scope};
use crate::domain::request_form::parse_typed_date;
use crate::error::AppError;
use crate::routes::audit_details::{DetailLine, readable};
use crate::routes::{Choice, Page, choices, copenhagen_day_start, datetime, non_empty, render};
use crate::startup::AppState;

const PAGE: i64 = 50;
const EXPORT_BATCH: i64 = 2_000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(export_csv).service(export_jsonl);
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct AuditQuery {
    institution: Option<String>,
    supplier: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<i64>,
}

impl AuditQuery {
    /// The filter's query string without the page bound, for links.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            ("institution", text(&self.institution)),
            ("supplier", text(&self.supplier)),
            ("actor", text(&self.actor)),
            ("action", text(&self.action)),
            ("from", text(&self.from)),
            ("to", text(&self.to)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    fn link(&self, path: &str, before: Option<i64>) -> String {
        let mut pairs = self.pairs();
        if let Some(b) = before {
            pairs.push(("before", b.to_string()));
        }
        format!(
            "{path}?{}",
            serde_html_form::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// Turns the typed filters into a query filter; problems are reported, never fatal.
async fn parse_filter(
    state: &AppState,
    q: &AuditQuery,
) -> Result<(AuditFilter, Vec<String>), AppError> {
    let mut problems = Vec::new();
    let mut filter = AuditFilter::default();
    if let Some(text) = non_empty(&q.institution) {
        match InstitutionNumber::parse(&text) {
            Ok(n) => filter.institution_number = Some(n.to_string()),
            Err(e) => problems.push(crate::routes::line_problems::malformed(
                &e,
                crate::i18n::current(),
            )),
        }
    }
    filter.supplier_id = non_empty(&q.supplier);
    filter.action = non_empty(&q.action);
    let tx = crate::i18n::texts();
    for (text, slot, until) in [
        (&q.from, &mut filter.from, false),
        (&q.to, &mut filter.until, true),
    ] {
        if let Some(t) = non_empty(text) {
            match parse_typed_date(&t) {
                Some(day) if until => *slot = day.next_day().map(copenhagen_day_start),
                Some(day) => *slot = Some(copenhagen_day_start(day)),
                None => problems.push(tx.t(if until {
                    "audit-bad-to"
                } else {
                    "audit-bad-from"
                })),
            }
        }
    }
    if let Some(email) = non_empty(&q.actor) {
        let lookup = email.clone();
        let user = state
            .db
            .run(move |conn| -> Result<_, AppError> {
                Ok(crate::db::users::find_by_email(conn, &lookup)?)
            })
            .await?;
        match user {
            Some(u) => filter.actor_user_id = Some(u.id),
            None => {
                problems.push(crate::i18n::texts().a("audit-no-such-actor", "email", &email));
                filter.actor_user_id = Some(String::new());
            }
        }
    }
    Ok((filter, problems))
}

fn scope_of(user: &CurrentUser) -> Result<AuditScope, AppError> {
    let scope = audit_scope(&user.actor());
    if scope.is_empty() {
        Err(AppError::Forbidden)
    } else {
        Ok(scope)
    }
}

/// One row as the viewer shows it.
struct AuditItem {
    seq: i64,
    when: String,
    actor: String,
    action_label: String,
    action: String,
    target_href: Option<String>,
    target: String,
    institution: Option<String>,
    details: Vec<DetailLine>,
    raw_details: String,
    client_addr: Option<String>,
}

/// The names the rows of a page refer to by code or id.
struct Names {
    scopes: Vec<crate::db::catalog::Scope>,
    municipalities: Vec<crate::db::register::Municipality>,
    people: Vec<(String, String)>,
    /// Each stored delegation description of the page, in the reader's words.
    delegations: Vec<(String, String)>,
}

fn item(e: &AuditEntry, names: &Names) -> AuditItem {
    let r = &e.row;
    let tx = crate::i18n::texts();
    let role = r.actor_role.as_deref().map(|code| tx.role_code(code));
    let actor = match (&e.actor_name, role) {
        (Some(name), Some(role)) => format!("{name} ({role})"),
        (Some(name), None) => name.clone(),
        (None, _) => tx.t("actor-system"),
    };
    let scope_name = |code: &str| {
        names.scopes.iter().find(|s| s.code == code).map_or_else(
            || code.to_string(),
            |s| tx.pick(&s.name_da, &s.name_en).to_string(),
        )
    };
    let municipality_name = |code: &str| {
        names
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| format!("{} ({code})", m.name))
    };
    let person = names
        .people
        .iter()
        .find(|(id, _)| r.target_type == "user" && *id == r.target_id)
        .map(|(_, name)| name.clone());
    let target_href = match r.target_type.as_str() {
        "request" => Some(format!("/requests/{}", r.target_id)),
        "agreement" => Some(format!("/agreements/{}", r.target_id)),
        _ => None,
    };
    let reference = serde_json::from_str::<serde_json::Value>(&r.details)
        .ok()
        .and_then(|d| {
            d.get("reference")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        });
    AuditItem {
        seq: r.seq,
        when: datetime(r.occurred_at),
        actor,
        action_label: crate::i18n::texts().audit_action(&r.action),
        action: r.action.clone(),
        target: reference
            .or(person)
            .unwrap_or_else(|| match r.target_type.as_str() {
                "institution" => format!("{} {}", tx.t("audit-target-institution"), r.target_id),
                _ => r.target_id.clone(),
            }),
        target_href,
        institution: r.institution_number.clone(),
        details: {
            let mut lines = readable(
                &r.details,
                &r.target_type,
                tx,
                &scope_name,
                &municipality_name,
            );
            if let Some(described) = &r.delegation {
                let words = names
                    .delegations
                    .iter()
                    .find(|(d, _)| d == described)
                    .map_or_else(|| described.clone(), |(_, w)| w.clone());
                lines.insert(
                    0,
                    DetailLine {
                        label: tx.t("detail-under-delegation"),
                        value: words,
                    },
                );
            }
            lines
        },
        raw_details: r.details.clone(),
        client_addr: r.client_addr.clone(),
    }
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    page: Page,
    items: Vec<AuditItem>,
    problems: Vec<String>,
    institution: String,
    actor: String,
    from: String,
    to: String,
    suppliers: Vec<Choice>,
    actions: Vec<Choice>,
    older: Option<String>,
    newest: Option<String>,
    export_csv: String,
    export_jsonl: String,
}

#[get("/audit")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let scope = scope_of(&user)?;
    let q = query.into_inner();
    let (filter, problems) = parse_filter(&state, &q).await?;
    let before = q.before;
    let (entries, suppliers, names) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let entries: Vec<AuditEntry> = query::page(
                conn,
                &scope,
                &filter,
                Keyset::NewestBefore(before),
                PAGE + 1,
            )?;
            let people: Vec<String> = entries
                .iter()
                .filter(|e| e.row.target_type == "user")
                .map(|e| e.row.target_id.clone())
                .collect();
            let mut delegations: Vec<(String, String)> = Vec::new();
            for described in entries.iter().filter_map(|e| e.row.delegation.as_deref()) {
                if delegations.iter().any(|(d, _)| d == described) {
                    continue;
                }
                let facts = crate::db::delegations::facts_of_described(conn, described)?;
                let words = match facts {
                    Some(facts) => {
                        crate::mail::compose::delegation_line(crate::i18n::texts(), Some(&facts))
                    }
                    None => described.to_string(),
                };
                delegations.push((described.to_string(), words));
            }
            let names = Names {
                scopes: catalog::scopes(conn)?,
                municipalities: crate::db::register::municipalities(conn)?,
                people: crate::db::users::display_names(conn, &people)?,
                delegations,
            };
            let suppliers: Vec<Supplier> = catalog::suppliers(conn)?;
            Ok((entries, suppliers, names))
        })
        .await?;
    let has_older = entries.len() as i64 > PAGE;
    let items: Vec<AuditItem> = entries
        .iter()
        .take(PAGE as usize)
        .map(|e| item(e, &names))
        .collect();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let supplier_now = text(&q.supplier);
    let action_now = text(&q.action);
    render(&AuditPage {
        page: Page::for_user(&user, "/audit"),
        older: if has_older {
            items.last().map(|i| q.link("/audit", Some(i.seq)))
        } else {
            None
        },
        newest: before.map(|_| q.link("/audit", None)),
        export_csv: q.link("/audit/export.csv", None),
        export_jsonl: q.link("/audit/export.jsonl", None),
        items,
        problems,
        institution: text(&q.institution),
        actor: text(&q.actor),
        from: text(&q.from),
        to: text(&q.to),
        suppliers: choices(
            suppliers.iter().map(|s| (s.id.as_str(), s.name.as_str())),
            &supplier_now,
        ),
        // From the code list, never from a scan of the log.
        actions: choices(
            audit_actions::ACTIONS
                .iter()
                .map(|code| (*code, crate::i18n::texts().audit_action(code))),
            &action_now,
        ),
    })
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

/// The export's columns (catalogue keys `audit-csv-…`; the header reads in the reader's
/// language).
const CSV_HEADER: [&str; 16] = [
    "audit-csv-seq",
    "audit-csv-time-utc",
    "audit-csv-actor",
    "audit-csv-actor-email",
    "audit-csv-role",
    "audit-csv-delegation",
    "audit-csv-action",
    "audit-csv-action-text",
    "audit-csv-target-type",
    "audit-csv-target-id",
    "audit-csv-institution-number",
    "audit-csv-supplier-id",
    "audit-csv-details",
    "audit-csv-client-addr",
    "audit-csv-request-id",
    "audit-csv-hash",
];

fn encode(entries: &[AuditEntry], format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => {
            let mut out = CsvWriter::rows();
            for e in entries {
                let r = &e.row;
                out.row([
                    r.seq.to_string().as_str(),
                    &format_timestamp(r.occurred_at),
                    e.actor_name
                        .clone()
                        .unwrap_or_else(|| crate::i18n::texts().t("actor-system"))
                        .as_str(),
                    e.actor_email.as_deref().unwrap_or(""),
                    r.actor_role.as_deref().unwrap_or(""),
                    r.delegation.as_deref().unwrap_or(""),
                    &r.action,
                    &crate::i18n::texts().audit_action(&r.action),
                    &r.target_type,
                    &r.target_id,
                    r.institution_number.as_deref().unwrap_or(""),
                    r.supplier_id.as_deref().unwrap_or(""),
                    &r.details,
                    r.client_addr.as_deref().unwrap_or(""),
                    r.request_id.as_deref().unwrap_or(""),
                    &r.hash,
                ])?;
            }
            out.into_bytes()
        }
        Format::JsonLines => {
            let mut out = Vec::new();
            for e in entries {
                let r = &e.row;
                let line = serde_json::json!({
                    "seq": r.seq, "occurred_at": format_timestamp(r.occurred_at),
                    "actor": e.actor_name, "actor_email": e.actor_email, "role": r.actor_role,
                    "delegation": r.delegation, "action": r.action, "target_type": r.target_type,
                    "target_id": r.target_id, "institution_number": r.institution_number,
                    "supplier_id": r.supplier_id,
                    "details": serde_json::from_str::<serde_json::Value>(&r.details).unwrap_or(serde_json::Value::Null),
                    "client_addr": r.client_addr, "request_id": r.request_id,
                    "prev_hash": r.prev_hash, "hash": r.hash,
                });
                serde_json::to_writer(&mut out, &line)?;
                out.push(b'\n');
            }
            Ok(out)
        }
    }
}

/// Streams the filtered log, oldest first, a batch at a time from the blocking pool.
async fn export(
    state: &AppState,
    user: &CurrentUser,
    q: AuditQuery,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let scope = scope_of(user)?;
    let (filter, problems) = parse_filter(state, &q).await?;
    if let Some(problem) = problems.first() {
        return Err(AppError::BadRequest(problem.clone()));
    }
    let head = match format {
        Format::Csv => CsvWriter::with_header(CSV_HEADER.map(|key| crate::i18n::texts().t(key)))
            .map_err(anyhow::Error::from)
            .and_then(CsvWriter::into_bytes)?,
        Format::JsonLines => Vec::new(),
    };
    let (content_type, file) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "revisionslog.csv"),
        Format::JsonLines => ("application/x-ndjson; charset=utf-8", "revisionslog.jsonl"),
    };
    let mut after = 0;
    Ok(super::download::stream(
        &state.db,
        content_type,
        file,
        head,
        move |conn| {
            let batch = query::page(
                conn,
                &scope,
                &filter,
                Keyset::OldestAfter(after),
                EXPORT_BATCH,
            )?;
            let Some(last) = batch.last() else {
                return Ok(None);
            };
            after = last.row.seq;
            encode(&batch, format).map(Some)
        },
    ))
}

#[get("/audit/export.csv")]
async fn export_csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    export(&state, &user, query.into_inner(), Format::Csv).await
}

#[get("/audit/export.jsonl")]
async fn export_jsonl(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    export(&state, &user, query.into_inner(), Format::JsonLines).await
}

#[cfg(test)]
mod header_tests {
    #[test]
    fn the_export_header_is_in_both_catalogues() {
        for language in crate::i18n::Language::ALL {
            for key in super::CSV_HEADER {
                assert!(language.texts().has(key), "{language:?} lacks {key}");
            }
        }
    }
}
