//! Data-access agreements: the role-scoped list, the detail with its scopes and history,
//! and ending one (terminated by the supplier, revoked by the institution side) with a
//! guarded update, its audit row and its outbox row in one transaction.

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
use super::{DbConnection, outbox, write_tx};
use crate::domain::AgreementStatus;
use crate::domain::policy::ViewScope;

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
}

#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub status: Option<String>,
    pub institution_number: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    view: &ViewScope,
    filter: &AgreementFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AgreementRow>, i64)> {
    let build = || {
        let mut q = agreements::table
            .inner_join(services::table.inner_join(suppliers::table))
            .inner_join(institutions::table)
            .into_boxed();
        q = filter_visible!(q, view, agreements::institution_number);
        if let Some(status) = &filter.status {
            q = q.filter(agreements::status.eq(status.clone()));
        }
        if let Some(number) = &filter.institution_number {
            q = q.filter(agreements::institution_number.eq(number.clone()));
        }
        q
    };
    // As for requests: with nothing filtering on the joined tables, count the table alone.
    let total = if view.everything {
        let mut q = agreements::table.into_boxed();
        if let Some(status) = &filter.status {
            q = q.filter(agreements::status.eq(status.clone()));
        }
        if let Some(number) = &filter.institution_number {
            q = q.filter(agreements::institution_number.eq(number.clone()));
        }
        q.count().get_result(conn)?
    } else {
        build().count().get_result(conn)?
    };
    let rows = build()
        .order((agreements::created_at.desc(), agreements::reference.desc()))
        .offset(offset)
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
        ))
        .load(conn)?;
    Ok((rows, total))
}

#[derive(Debug, Clone)]
pub struct AgreementScope {
    pub code: String,
    pub name_da: String,
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
    )> = agreements::table
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
        .first(conn)
        .optional()?;
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
    let scopes = agreement_scopes::table
        .inner_join(scopes::table)
        .inner_join(requests::table.on(requests::id.eq(agreement_scopes::request_id)))
        .filter(agreement_scopes::agreement_id.eq(id))
        .order((scopes::sort_order, scopes::code))
        .select((
            scopes::code,
            scopes::name_da,
            scopes::sensitive,
            agreement_scopes::granted_at,
            requests::reference,
        ))
        .load::<(String, String, bool, PrimitiveDateTime, String)>(conn)?
        .into_iter()
        .map(
            |(code, name_da, sensitive, granted_at, request_reference)| AgreementScope {
                code,
                name_da,
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
    agreement_scopes::table
        .inner_join(agreements::table)
        .filter(agreement_scopes::request_id.eq(&request.id))
        .select((agreements::id, agreements::reference))
        .first(conn)
        .optional()
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

/// Ends an open agreement as `Terminated` (supplier) or `Revoked` (institution side,
/// reason required).
pub fn end(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    next: AgreementStatus,
    reason: Option<&str>,
) -> Result<(), EndError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if next == AgreementStatus::Revoked && reason.is_none() {
        return Err(EndError::ReasonRequired);
    }
    write_tx(conn, |conn| end_in(conn, caller, id, next, reason))
}

/// [`end`] inside a transaction the caller already holds (a register import).
pub fn end_in(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    next: AgreementStatus,
    reason: Option<&str>,
) -> Result<(), EndError> {
    let (agreement, supplier_id): (Agreement, String) = agreements::table
        .inner_join(services::table)
        .filter(agreements::id.eq(id))
        .select((Agreement::as_select(), services::supplier_id))
        .first(conn)
        .optional()?
        .ok_or(EndError::NotFound)?;
    let changed = diesel::update(
        agreements::table
            .filter(agreements::id.eq(id))
            .filter(agreements::status.eq_any(["active", "suspended"])),
    )
    .set((
        agreements::status.eq(next.as_str()),
        agreements::closed_at.eq(super::now()),
        agreements::closed_by.eq(caller.user_id.as_deref()),
        agreements::close_reason.eq(reason),
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
            details: json!({
                "reference": agreement.reference,
                "before": agreement.status, "after": next.as_str(), "reason": reason,
            }),
        },
    )?;
    outbox::enqueue(conn, &action, json!({ "agreement_id": id }))?;
    Ok(())
}

/// One active agreement as the public transparency page shows it: no people, no reasons.
#[derive(Debug, Clone)]
pub struct PublicAgreement {
    pub service: String,
    pub supplier: String,
    pub supplier_cvr: String,
    pub since: Date,
    pub scopes: Vec<String>,
}

/// Who has data access at an institution today.
pub fn public_for_institution(
    conn: &mut DbConnection,
    number: &str,
) -> QueryResult<Vec<PublicAgreement>> {
    let rows: Vec<(String, String, String, String, Date, String)> = agreements::table
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
        ))
        .load(conn)?;
    let mut out: Vec<(String, PublicAgreement)> = Vec::new();
    for (id, service, supplier, supplier_cvr, since, scope) in rows {
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
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, a)| a).collect())
}
