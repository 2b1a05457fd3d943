//! Data-access agreements: the role-scoped list, the detail with its scopes and history,
//! and ending one (terminated by the supplier, revoked by the institution side) with a
//! guarded update, its audit row and its outbox row in one transaction.

use crate::db::native::natively;
use diesel::prelude::*;
use serde_json::json;
use time::{Date, PrimitiveDateTime};

use super::audit::{self, Caller, Entry, HistoryLine};
use super::catalog::{Service, Supplier};
use super::register::Institution;
use super::requests::Request;
use super::schema::{
    agreement_scopes, agreements, institutions, municipalities, requests, scopes, services,
    suppliers, users,
};
use super::visibility::filter_visible;
use super::{DbConnection, outbox};
use crate::domain::keyset;
use crate::domain::policy::ViewScope;
use crate::domain::{AgreementStatus, Reason, SystemReason};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agreements)]
pub struct Agreement {
    pub id: String,
    pub reference: String,
    pub request_id: String,
    pub service_id: String,
    pub institution_number: String,
    pub status: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub approved_by: String,
    pub approved_role: String,
    pub created_at: PrimitiveDateTime,
    pub closed_at: Option<PrimitiveDateTime>,
    pub closed_by: Option<String>,
    pub close_reason: Option<String>,
    pub close_reason_code: Option<String>,
    pub close_reason_args: Option<String>,
    pub institution_paused_at: Option<PrimitiveDateTime>,
    pub institution_pause_reason: Option<String>,
    pub supplier_paused_at: Option<PrimitiveDateTime>,
    pub supplier_pause_reason: Option<String>,
}

impl Agreement {
    /// The holds ("sat i bero") standing on it, institution side first.
    pub fn holds(&self) -> Vec<super::agreement_pauses::Hold> {
        super::agreement_pauses::holds(
            (
                self.institution_paused_at,
                self.institution_pause_reason.as_deref(),
            ),
            (
                self.supplier_paused_at,
                self.supplier_pause_reason.as_deref(),
            ),
        )
    }

    /// Why it ended: the words of the person who ended it, or the system's reason.
    pub fn reason(&self) -> Option<crate::domain::Reason> {
        crate::domain::Reason::from_columns(
            self.close_reason.as_deref(),
            self.close_reason_code.as_deref(),
            self.close_reason_args.as_deref(),
        )
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct AgreementRow {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub created_at: PrimitiveDateTime,
    pub institution_number: String,
    pub institution_name: String,
    pub service_name: String,
    pub supplier_name: String,
    pub institution_pause_reason: Option<String>,
    pub supplier_pause_reason: Option<String>,
}

impl AgreementRow {
    /// The reasons of the holds standing on it: (the institution side's, the supplier's).
    pub fn hold_reasons(&self) -> [(crate::db::agreement_pauses::Side, Option<&str>); 2] {
        use crate::db::agreement_pauses::Side;
        [
            (Side::Institution, self.institution_pause_reason.as_deref()),
            (Side::Supplier, self.supplier_pause_reason.as_deref()),
        ]
    }
}

#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub status: Option<String>,
    pub institution_number: Option<String>,
}

/// "The agreement is open" (active or suspended) written out as SQL, the very predicate
/// of the `agreements_one_open` index. A bound `status = ANY($1)` cannot prove that
/// predicate, so a prepared statement's generic plan on PostgreSQL (and SQLite, which
/// plans before binding) never reads the index: a national filing's coverage check read
/// 78,000 agreements per chunk (35 ms) instead of none. Only for the hot lookups by
/// service and institution; the text makes a statement uncached, which they can afford.
pub(crate) fn is_open() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql("agreements.status IN ('active', 'suspended')")
}

/// Lists up to `limit` agreements the person may see, newest first, starting after the
/// keyset cursor `after_token` (the previous page's last row). Nothing is counted.
pub fn list(
    conn: &mut DbConnection,
    view: &ViewScope,
    filter: &AgreementFilter,
    after_token: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AgreementRow>> {
    natively!(conn, |c| {
        let mut q = agreements::table
            .inner_join(services::table.inner_join(suppliers::table))
            .inner_join(institutions::table)
            .into_boxed();
        q = filter_visible!(
            q,
            view,
            agreements::institution_number,
            agreements::municipality_code
        );
        if let Some(status) = &filter.status {
            q = q.filter(agreements::status.eq(status.clone()));
        }
        if let Some(number) = &filter.institution_number {
            q = q.filter(agreements::institution_number.eq(number.clone()));
        }
        let after = after_token
            .and_then(|t| keyset::decode(t, 2))
            .and_then(|v| Some((keyset::parse_timestamp_key(&v[0])?, v[1].clone())));
        if let Some((created_at, reference)) = after {
            q = q.filter(
                agreements::created_at
                    .lt(created_at)
                    .or(agreements::created_at
                        .eq(created_at)
                        .and(agreements::reference.lt(reference))),
            );
        }
        q.order((agreements::created_at.desc(), agreements::reference.desc()))
            .limit(limit)
            .select((
                agreements::id,
                agreements::reference,
                agreements::status,
                agreements::starts_on,
                agreements::ends_on,
                agreements::created_at,
                agreements::institution_number,
                institutions::name,
                services::name,
                suppliers::name,
                agreements::institution_pause_reason,
                agreements::supplier_pause_reason,
            ))
            .load(c)
    })
}

/// What the agreements report adds to a list row: who approved it, in which role, how it
/// closed, and its scopes (catalogue order).
#[derive(Debug, Clone, Default)]
pub struct ReportFacts {
    pub approved_by_name: String,
    pub approved_role: String,
    pub closed_at: Option<PrimitiveDateTime>,
    pub close_reason: Option<String>,
    pub scopes: Vec<String>,
}

/// The report's facts for these agreements, by id.
pub fn report_facts(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, ReportFacts>> {
    let mut found: std::collections::HashMap<String, ReportFacts> = Default::default();
    for chunk in ids.chunks(super::IN_LIST_CHUNK) {
        type Row = (
            String,
            String,
            String,
            Option<PrimitiveDateTime>,
            Option<String>,
        );
        let rows: Vec<Row> = agreements::table
            .inner_join(users::table.on(users::id.eq(agreements::approved_by)))
            .filter(agreements::id.eq_any(chunk))
            .select((
                agreements::id,
                users::display_name,
                agreements::approved_role,
                agreements::closed_at,
                agreements::close_reason,
            ))
            .load(conn)?;
        for (id, name, role, closed_at, close_reason) in rows {
            found.insert(
                id,
                ReportFacts {
                    approved_by_name: name,
                    approved_role: role,
                    closed_at,
                    close_reason,
                    scopes: Vec::new(),
                },
            );
        }
        let scope_rows: Vec<(String, String)> = agreement_scopes::table
            .inner_join(scopes::table)
            .filter(agreement_scopes::agreement_id.eq_any(chunk))
            .order((
                agreement_scopes::agreement_id,
                scopes::sort_order,
                scopes::code,
            ))
            .select((agreement_scopes::agreement_id, scopes::code))
            .load(conn)?;
        for (id, code) in scope_rows {
            if let Some(facts) = found.get_mut(&id) {
                facts.scopes.push(code);
            }
        }
    }
    Ok(found)
}

/// How many agreements [`list`] would give, counted no further than `cap`.
pub fn count_capped(
    conn: &mut DbConnection,
    view: &ViewScope,
    filter: &AgreementFilter,
    cap: i64,
) -> QueryResult<keyset::CappedCount> {
    let found = list(conn, view, filter, None, cap + 1)?.len() as i64;
    Ok(keyset::CappedCount::from_found(found, cap))
}

impl AgreementRow {
    /// The row's sort key as a keyset cursor.
    pub fn cursor(&self) -> String {
        keyset::encode(&[
            keyset::timestamp_key(self.created_at),
            self.reference.clone(),
        ])
    }
}

#[derive(Debug, Clone)]
pub struct AgreementScope {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub sensitive: bool,
    pub granted_at: PrimitiveDateTime,
    pub request_reference: String,
}

#[derive(Debug, Clone)]
pub struct AgreementDetail {
    pub agreement: Agreement,
    pub service: Service,
    pub supplier: Supplier,
    pub institution: Institution,
    pub municipality_name: String,
    pub approved_by_name: String,
    pub origin_reference: String,
    pub scopes: Vec<AgreementScope>,
    pub history: Vec<HistoryLine>,
}

pub fn detail(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AgreementDetail>> {
    let row: Option<(
        Agreement,
        Service,
        Supplier,
        Institution,
        String,
        String,
        String,
    )> = natively!(conn, |c| agreements::table
        .inner_join(services::table.inner_join(suppliers::table))
        .inner_join(institutions::table.inner_join(municipalities::table))
        .inner_join(users::table.on(users::id.eq(agreements::approved_by)))
        .inner_join(requests::table.on(requests::id.eq(agreements::request_id)))
        .filter(agreements::id.eq(id))
        .select((
            Agreement::as_select(),
            Service::as_select(),
            Supplier::as_select(),
            Institution::as_select(),
            municipalities::name,
            users::display_name,
            requests::reference,
        ))
        .first(c)
        .optional())?;
    let Some((
        agreement,
        service,
        supplier,
        institution,
        municipality_name,
        approved_by_name,
        origin_reference,
    )) = row
    else {
        return Ok(None);
    };
    let scopes = natively!(conn, |c| agreement_scopes::table
        .inner_join(scopes::table)
        .inner_join(requests::table.on(requests::id.eq(agreement_scopes::request_id)))
        .filter(agreement_scopes::agreement_id.eq(id))
        .order((scopes::sort_order, scopes::code))
        .select((
            scopes::code,
            scopes::name_da,
            scopes::name_en,
            scopes::sensitive,
            agreement_scopes::granted_at,
            requests::reference,
        ))
        .load::<(String, String, String, bool, PrimitiveDateTime, String)>(c))?
    .into_iter()
    .map(
        |(code, name_da, name_en, sensitive, granted_at, request_reference)| AgreementScope {
            code,
            name_da,
            name_en,
            sensitive,
            granted_at,
            request_reference,
        },
    )
    .collect();
    let history = audit::history(conn, &[("agreement", id)])?;
    Ok(Some(AgreementDetail {
        agreement,
        service,
        supplier,
        institution,
        municipality_name,
        approved_by_name,
        origin_reference,
        scopes,
        history,
    }))
}

/// The agreement an approved request created or extended.
pub fn for_request(
    conn: &mut DbConnection,
    request: &Request,
) -> QueryResult<Option<(String, String)>> {
    natively!(conn, |c| agreement_scopes::table
        .inner_join(agreements::table)
        .filter(agreement_scopes::request_id.eq(&request.id))
        .select((agreements::id, agreements::reference))
        .first(c)
        .optional())
}

#[derive(Debug, thiserror::Error)]
pub enum EndError {
    #[error("the agreement does not exist")]
    NotFound,
    #[error("the agreement has already ended ({0:?})")]
    AlreadyEnded(AgreementStatus),
    #[error("a reason is required")]
    ReasonRequired,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Ends an open agreement as `Terminated` (supplier), `Revoked` (institution side, reason
/// required) or `Ended` (the system: a closure, an end date passed), with the person's
/// words or the system's reason. Runs inside the caller's [`write_tx`](super::write_tx).
pub fn end(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    next: AgreementStatus,
    reason: Option<&Reason>,
) -> Result<(), EndError> {
    if next == AgreementStatus::Revoked && reason.is_none() {
        return Err(EndError::ReasonRequired);
    }
    let (agreement, supplier_id): (Agreement, String) = agreements::table
        .inner_join(services::table)
        .filter(agreements::id.eq(id))
        .select((Agreement::as_select(), services::supplier_id))
        .first(conn)
        .optional()?
        .ok_or(EndError::NotFound)?;
    let (reason_text, reason_code, reason_args) = reason.map(Reason::columns).unwrap_or_default();
    let changed = diesel::update(
        agreements::table
            .filter(agreements::id.eq(id))
            .filter(agreements::status.eq_any(["active", "suspended"])),
    )
    .set((
        agreements::status.eq(next.as_str()),
        agreements::closed_at.eq(super::now()),
        agreements::closed_by.eq(caller.user_id.as_deref()),
        agreements::close_reason.eq(reason_text),
        agreements::close_reason_code.eq(reason_code),
        agreements::close_reason_args.eq(reason_args),
    ))
    .execute(conn)?;
    if changed != 1 {
        let status = AgreementStatus::parse(&agreement.status).unwrap_or(AgreementStatus::Ended);
        return Err(EndError::AlreadyEnded(status));
    }
    let action = format!("agreement.{}", next.as_str());
    audit::record(
        conn,
        caller,
        Entry {
            action: &action,
            target_type: "agreement",
            target_id: id,
            institution_number: Some(&agreement.institution_number),
            supplier_id: Some(&supplier_id),
            details: {
                let (reason, reason_code, reason_args) = Reason::audit_fields(reason);
                json!({
                    "reference": agreement.reference,
                    "before": agreement.status, "after": next.as_str(), "reason": reason,
                    "reason_code": reason_code, "reason_args": reason_args,
                })
            },
        },
    )?;
    outbox::enqueue(conn, &action, json!({ "agreement_id": id }))?;
    Ok(())
}

/// One active agreement as the public transparency page shows it: no people, no reasons;
/// the purpose the supplier gave and the service's privacy policy.
#[derive(Debug, Clone)]
pub struct PublicAgreement {
    pub service: String,
    pub supplier: String,
    pub supplier_cvr: String,
    pub since: Date,
    pub scopes: Vec<String>,
    pub purpose: String,
    pub privacy_url: Option<String>,
}

type PublicRow = (
    String,
    String,
    String,
    String,
    Date,
    String,
    String,
    Option<String>,
);

/// Who has data access at an institution today.
pub fn public_for_institution(
    conn: &mut DbConnection,
    number: &str,
) -> QueryResult<Vec<PublicAgreement>> {
    let rows: Vec<PublicRow> = agreements::table
        .inner_join(services::table.inner_join(suppliers::table))
        .inner_join(agreement_scopes::table.inner_join(scopes::table))
        .filter(agreements::institution_number.eq(number))
        .filter(agreements::status.eq("active"))
        .order((services::name, agreements::id, scopes::sort_order))
        .select((
            agreements::id,
            services::name,
            suppliers::name,
            suppliers::cvr,
            agreements::starts_on,
            scopes::name_da,
            agreements::request_id,
            services::privacy_url,
        ))
        .load(conn)?;
    let request_ids: Vec<&String> = rows.iter().map(|r| &r.6).collect();
    let purposes: Vec<(String, String)> = super::schema::requests::table
        .filter(super::schema::requests::id.eq_any(request_ids))
        .select((
            super::schema::requests::id,
            super::schema::requests::purpose,
        ))
        .load(conn)?;
    let purpose_of = |request: &str| {
        purposes
            .iter()
            .find(|(id, _)| id == request)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    };
    let mut out: Vec<(String, PublicAgreement)> = Vec::new();
    for (id, service, supplier, supplier_cvr, since, scope, request, privacy_url) in rows {
        match out.last_mut() {
            Some((last, a)) if *last == id => a.scopes.push(scope),
            _ => out.push((
                id,
                PublicAgreement {
                    service,
                    supplier,
                    supplier_cvr,
                    since,
                    scopes: vec![scope],
                    purpose: purpose_of(&request),
                    privacy_url: privacy_url
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, a)| a).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("the agreement does not exist")]
    NotFound,
    #[error("the agreement is not open")]
    NotOpen,
    #[error("the institution has no successor number")]
    NoSuccessor,
    #[error("the successor {0} is closed")]
    SuccessorClosed(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Moves an open agreement from a legacy A-number to the G-number that replaces it: the
/// scopes go to the service's agreement at the G-number (created if there is none, with a
/// new reference), and the A-number agreement ends. Returns the agreement at the G-number.
/// Runs inside the caller's [`write_tx`](super::write_tx).
pub fn move_to_successor(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<String, MoveError> {
    super::counters::ensure(
        conn,
        &super::requests::counter_name("AF", super::now().year()),
    )?;
    let agreement: Agreement = agreements::table
        .find(id)
        .select(Agreement::as_select())
        .first(conn)
        .optional()?
        .ok_or(MoveError::NotFound)?;
    if !AgreementStatus::parse(&agreement.status).is_some_and(AgreementStatus::is_open) {
        return Err(MoveError::NotOpen);
    }
    let old =
        super::register::find(conn, &agreement.institution_number)?.ok_or(MoveError::NotFound)?;
    let successor_number = old.replaced_by.clone().ok_or(MoveError::NoSuccessor)?;
    let successor =
        super::register::find(conn, &successor_number)?.ok_or(MoveError::NoSuccessor)?;
    if !successor.is_active() {
        return Err(MoveError::SuccessorClosed(successor_number));
    }
    let supplier_id: String = services::table
        .find(&agreement.service_id)
        .select(services::supplier_id)
        .first(conn)?;
    let now = super::now();
    let existing: Option<(String, String)> = agreements::table
        .filter(agreements::service_id.eq(&agreement.service_id))
        .filter(agreements::institution_number.eq(&successor_number))
        .filter(agreements::status.eq_any(["active", "suspended"]))
        .select((agreements::id, agreements::reference))
        .first(conn)
        .optional()?;
    let (target, target_reference) = match existing {
        Some(found) => found,
        None => {
            let year = now.year();
            let first =
                super::counters::reserve(conn, &super::requests::counter_name("AF", year), 1)?;
            let new_id = super::new_id();
            let reference = super::counters::format_reference("AF", year, first);
            diesel::insert_into(agreements::table)
                .values((
                    agreements::id.eq(&new_id),
                    agreements::reference.eq(&reference),
                    agreements::request_id.eq(&agreement.request_id),
                    agreements::service_id.eq(&agreement.service_id),
                    agreements::institution_number.eq(&successor_number),
                    agreements::status.eq("active"),
                    agreements::starts_on.eq(agreement.starts_on),
                    agreements::ends_on.eq(agreement.ends_on),
                    agreements::approved_by.eq(&agreement.approved_by),
                    agreements::approved_role.eq(&agreement.approved_role),
                    agreements::created_at.eq(now),
                ))
                .execute(conn)?;
            (new_id, reference)
        }
    };
    let moved: Vec<(String, String)> = agreement_scopes::table
        .filter(agreement_scopes::agreement_id.eq(id))
        .select((agreement_scopes::scope_code, agreement_scopes::request_id))
        .load(conn)?;
    let have: Vec<String> = agreement_scopes::table
        .filter(agreement_scopes::agreement_id.eq(&target))
        .select(agreement_scopes::scope_code)
        .load(conn)?;
    for (scope, request) in moved.iter().filter(|(s, _)| !have.contains(s)) {
        diesel::insert_into(agreement_scopes::table)
            .values((
                agreement_scopes::agreement_id.eq(&target),
                agreement_scopes::scope_code.eq(scope),
                agreement_scopes::request_id.eq(request),
                agreement_scopes::granted_at.eq(now),
            ))
            .execute(conn)?;
    }
    let (reason_code, reason_args) = SystemReason::MovedToSuccessor {
        from: old.number.clone(),
        to: successor_number.clone(),
        reference: target_reference.clone(),
    }
    .stored();
    diesel::update(agreements::table.find(id))
        .set((
            agreements::status.eq(AgreementStatus::Ended.as_str()),
            agreements::closed_at.eq(now),
            agreements::closed_by.eq(caller.user_id.as_deref()),
            agreements::close_reason_code.eq(reason_code),
            agreements::close_reason_args.eq(&reason_args),
        ))
        .execute(conn)?;
    let details = json!({ "from": old.number, "to": successor_number, "from_reference": agreement.reference,
        "to_reference": target_reference, "scopes": moved.iter().map(|(s, _)| s).collect::<Vec<_>>() });
    for (target_id, number) in [
        (id, old.number.as_str()),
        (target.as_str(), successor_number.as_str()),
    ] {
        audit::record(
            conn,
            caller,
            Entry {
                action: "agreement.moved",
                target_type: "agreement",
                target_id,
                institution_number: Some(number),
                supplier_id: Some(&supplier_id),
                details: details.clone(),
            },
        )?;
    }
    outbox::enqueue(
        conn,
        "agreement.moved",
        json!({ "agreement_id": target, "from_agreement_id": id }),
    )?;
    Ok(target)
}

/// An open agreement still at a legacy A-number, for the operators' report.
#[derive(Debug, Clone, Queryable)]
pub struct LegacyAgreement {
    pub municipality_code: String,
    pub municipality_name: String,
    pub institution_number: String,
    pub institution_name: String,
    pub replaced_by: Option<String>,
    pub id: String,
    pub reference: String,
    pub service: String,
    pub supplier: String,
}

pub fn on_a_numbers(conn: &mut DbConnection) -> QueryResult<Vec<LegacyAgreement>> {
    agreements::table
        .inner_join(services::table.inner_join(suppliers::table))
        .inner_join(institutions::table.inner_join(municipalities::table))
        .filter(agreements::status.eq_any(["active", "suspended"]))
        .filter(agreements::institution_number.like("A%"))
        .order((
            municipalities::name,
            agreements::institution_number,
            services::name,
        ))
        .select((
            municipalities::code,
            municipalities::name,
            agreements::institution_number,
            institutions::name,
            institutions::replaced_by,
            agreements::id,
            agreements::reference,
            services::name,
            suppliers::name,
        ))
        .load(conn)
}
