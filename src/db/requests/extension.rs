//! What an extension request adds to: the agreement it extends (the open one for its
//! service and institution, or the one its approval extended) and the scopes that
//! agreement has from other requests — the "has already" side of the request's diff.

use diesel::prelude::*;

use super::Request;
use crate::db::DbConnection;
use crate::db::schema::{agreement_scopes, agreements, scopes};

/// A scope the extended agreement already has.
#[derive(Debug, Clone)]
pub struct HeldScope {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub sensitive: bool,
}

/// The agreement an extension request extends, and what it has apart from this request.
#[derive(Debug, Clone)]
pub struct Extension {
    pub agreement_id: String,
    pub agreement_reference: String,
    /// In catalogue order.
    pub has: Vec<HeldScope>,
}

/// The agreement `request` (an extension) extends: the one its approval granted scopes
/// on, else the open agreement for its service and institution; none if neither exists.
pub fn extended_agreement(
    conn: &mut DbConnection,
    request: &Request,
) -> QueryResult<Option<Extension>> {
    let granted_on: Option<(String, String)> = agreement_scopes::table
        .inner_join(agreements::table)
        .filter(agreement_scopes::request_id.eq(&request.id))
        .select((agreements::id, agreements::reference))
        .first(conn)
        .optional()?;
    let agreement = match granted_on {
        Some(found) => Some(found),
        None => agreements::table
            .filter(agreements::service_id.eq(&request.service_id))
            .filter(agreements::institution_number.eq(&request.institution_number))
            .filter(agreements::status.eq_any(["active", "suspended"]))
            .select((agreements::id, agreements::reference))
            .first(conn)
            .optional()?,
    };
    let Some((agreement_id, agreement_reference)) = agreement else {
        return Ok(None);
    };
    let has = agreement_scopes::table
        .inner_join(scopes::table)
        .filter(agreement_scopes::agreement_id.eq(&agreement_id))
        .filter(agreement_scopes::request_id.ne(&request.id))
        .order((scopes::sort_order, scopes::code))
        .select((
            scopes::code,
            scopes::name_da,
            scopes::name_en,
            scopes::sensitive,
        ))
        .load::<(String, String, String, bool)>(conn)?
        .into_iter()
        .map(|(code, name_da, name_en, sensitive)| HeldScope {
            code,
            name_da,
            name_en,
            sensitive,
        })
        .collect();
    Ok(Some(Extension {
        agreement_id,
        agreement_reference,
        has,
    }))
}
