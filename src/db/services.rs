//! A supplier's services as its admins and the operators keep them: the list, creating
//! and editing one, and retiring it. Retiring lapses the service's pending requests (the
//! system's reason `service-retired`) and, as the person retiring it chose, ends its open
//! agreements (terminated by the supplier, with the same reason) or keeps them running
//! until they end on their own or either side ends them. A retired service takes no new
//! requests. Each change is one audit row about the supplier, in the caller's
//! [`write_tx`](super::write_tx).

use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::catalog::Service;
use super::schema::{agreements, requests, services};
use crate::domain::administration::ServiceFields;
use crate::domain::{AgreementStatus, Reason, SystemReason};

/// Every service of the supplier, active ones first, by name.
pub fn of_supplier(conn: &mut DbConnection, supplier_id: &str) -> QueryResult<Vec<Service>> {
    let mut all: Vec<Service> = services::table
        .filter(services::supplier_id.eq(supplier_id))
        .order(services::name)
        .select(Service::as_select())
        .load(conn)?;
    all.sort_by_key(|s| s.status != "active");
    Ok(all)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Service>> {
    services::table
        .find(id)
        .select(Service::as_select())
        .first(conn)
        .optional()
}

fn fields_json(f: &ServiceFields) -> Value {
    json!({
        "name": f.name, "description": f.description, "website": f.website,
        "privacy_url": f.privacy_url, "contact_email": f.contact_email,
    })
}

fn service_json(s: &Service) -> Value {
    json!({
        "name": s.name, "description": s.description, "website": s.website,
        "privacy_url": s.privacy_url, "contact_email": s.contact_email,
    })
}

fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    action: &str,
    service_id: &str,
    supplier_id: &str,
    details: Value,
) -> QueryResult<()> {
    audit::record(
        conn,
        caller,
        Entry {
            action,
            target_type: "service",
            target_id: service_id,
            institution_number: None,
            supplier_id: Some(supplier_id),
            details,
        },
    )
}

/// Creates an active service for the supplier; returns its id.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    supplier_id: &str,
    fields: &ServiceFields,
) -> QueryResult<String> {
    let id = super::new_id();
    diesel::insert_into(services::table)
        .values(&Service {
            id: id.clone(),
            supplier_id: supplier_id.to_string(),
            name: fields.name.clone(),
            description: fields.description.clone(),
            website: fields.website.clone(),
            privacy_url: fields.privacy_url.clone(),
            contact_email: fields.contact_email.clone(),
            status: "active".into(),
            created_at: super::now(),
        })
        .execute(conn)?;
    record(
        conn,
        caller,
        "service.created",
        &id,
        supplier_id,
        fields_json(fields),
    )?;
    Ok(id)
}

/// Changes a service's fields; `false` when nothing changed (it is audited only when
/// something did).
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    before: &Service,
    fields: &ServiceFields,
) -> QueryResult<bool> {
    let old = service_json(before);
    let new = fields_json(fields);
    if old == new {
        return Ok(false);
    }
    diesel::update(services::table.find(&before.id))
        .set((
            services::name.eq(&fields.name),
            services::description.eq(&fields.description),
            services::website.eq(&fields.website),
            services::privacy_url.eq(&fields.privacy_url),
            services::contact_email.eq(&fields.contact_email),
        ))
        .execute(conn)?;
    record(
        conn,
        caller,
        "service.changed",
        &before.id,
        &before.supplier_id,
        json!({ "name": fields.name, "changes": super::changes(&old, &new) }),
    )?;
    Ok(true)
}

/// What retiring a service touches: its pending requests and its open agreements.
#[derive(Debug, Clone, Default)]
pub struct RetireFacts {
    pub pending_requests: Vec<String>,
    pub open_agreements: Vec<String>,
}

pub fn retire_facts(conn: &mut DbConnection, service_id: &str) -> QueryResult<RetireFacts> {
    Ok(RetireFacts {
        pending_requests: requests::table
            .filter(requests::service_id.eq(service_id))
            .filter(requests::status.eq("pending"))
            .order(requests::id)
            .select(requests::id)
            .load(conn)?,
        open_agreements: agreements::table
            .filter(agreements::service_id.eq(service_id))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .order(agreements::id)
            .select(agreements::id)
            .load(conn)?,
    })
}

/// What a retirement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub lapsed_requests: usize,
    pub ended_agreements: usize,
    pub kept_agreements: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RetireError {
    #[error("the service is already retired")]
    AlreadyRetired,
    #[error("{0}")]
    Consequence(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Retires an active service: lapses its pending requests and ends its open agreements
/// (`end_agreements`) or keeps them. A second retirement finds it retired.
pub fn retire(
    conn: &mut DbConnection,
    caller: &Caller,
    service: &Service,
    end_agreements: bool,
) -> Result<Retired, RetireError> {
    let changed = diesel::update(
        services::table
            .find(&service.id)
            .filter(services::status.eq("active")),
    )
    .set(services::status.eq("retired"))
    .execute(conn)?;
    if changed != 1 {
        return Err(RetireError::AlreadyRetired);
    }
    let facts = retire_facts(conn, &service.id)?;
    let reason = SystemReason::ServiceRetired {
        service: service.name.clone(),
    };
    record(
        conn,
        caller,
        "service.retired",
        &service.id,
        &service.supplier_id,
        json!({
            "before": "active", "after": "retired", "name": service.name,
            "lapsed_requests": facts.pending_requests.len(),
            "agreements": if end_agreements { "terminated" } else { "kept" },
            "open_agreements": facts.open_agreements.len(),
        }),
    )?;
    for request in &facts.pending_requests {
        super::requests::lapse(conn, caller, request, &reason)
            .map_err(|e| RetireError::Consequence(format!("lapsing {request}: {e}")))?;
    }
    let mut done = Retired {
        lapsed_requests: facts.pending_requests.len(),
        ended_agreements: 0,
        kept_agreements: facts.open_agreements.len(),
    };
    if end_agreements {
        for agreement in &facts.open_agreements {
            super::agreements::end(
                conn,
                caller,
                agreement,
                AgreementStatus::Terminated,
                Some(&Reason::System(reason.clone())),
            )
            .map_err(|e| RetireError::Consequence(format!("ending {agreement}: {e}")))?;
        }
        done.ended_agreements = done.kept_agreements;
        done.kept_agreements = 0;
    }
    Ok(done)
}
