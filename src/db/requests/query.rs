//! Reading requests: the role-scoped list with filters and pagination, and the detail
//! page's data with scopes, agreement and history.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Request;
use crate::db::DbConnection;
use crate::db::audit::{self, HistoryLine};
use crate::db::catalog::{Service, Supplier};
use crate::db::native::{any_of, natively};
use crate::db::register::Institution;
use crate::db::schema::{
    institutions, municipalities, request_scopes, requests, scopes, services, suppliers, users,
};
use crate::db::visibility::{filter_decidable, filter_visible};
use crate::domain::keyset;
use crate::domain::policy::{DecideScope, ViewScope};

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<String>,
    pub institution_number: Option<String>,
    pub municipality_code: Option<String>,
    pub reference: Option<String>,
    pub batch_id: Option<String>,
    /// Only requests at these institutions (no restriction when empty).
    pub institution_numbers: Vec<String>,
    /// Only these requests (no restriction when empty).
    pub ids: Vec<String>,
    /// Units of one klynge together (then institution, then newest first), for the inbox.
    pub by_klynge: bool,
}

#[derive(Debug, Clone, Queryable)]
pub struct RequestRow {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub kind: String,
    pub filed_at: PrimitiveDateTime,
    pub institution_number: String,
    pub institution_name: String,
    pub parent_number: Option<String>,
    pub municipality_code: String,
    pub ownership_code: String,
    pub supplier_id: String,
    pub service_name: String,
    pub supplier_name: String,
}

impl RequestRow {
    /// The policy's view of the row.
    pub fn target(&self) -> crate::domain::policy::Target<'_> {
        crate::domain::policy::Target {
            supplier_id: &self.supplier_id,
            institution_number: &self.institution_number,
            municipality_code: &self.municipality_code,
            ownership: crate::domain::codes::Ownership::from_code(&self.ownership_code),
        }
    }
}

impl RequestRow {
    /// The row's sort key in the list order `filter` asks for, as a keyset cursor.
    pub fn cursor(&self, filter: &ListFilter) -> String {
        let filed = keyset::timestamp_key(self.filed_at);
        if filter.by_klynge {
            keyset::encode(&[
                self.parent_number.clone().unwrap_or_default(),
                self.institution_number.clone(),
                filed,
                self.reference.clone(),
            ])
        } else {
            keyset::encode(&[filed, self.reference.clone()])
        }
    }
}

/// A keyset cursor decoded for the list order `filter` asks for.
enum After {
    Newest {
        filed_at: PrimitiveDateTime,
        reference: String,
    },
    Klynge {
        klynge: String,
        institution: String,
        filed_at: PrimitiveDateTime,
        reference: String,
    },
}

fn after(filter: &ListFilter, token: Option<&str>) -> Option<After> {
    let token = token?;
    if filter.by_klynge {
        let mut v = keyset::decode(token, 4)?.into_iter();
        let (klynge, institution, filed, reference) = (v.next()?, v.next()?, v.next()?, v.next()?);
        Some(After::Klynge {
            klynge,
            institution,
            filed_at: keyset::parse_timestamp_key(&filed)?,
            reference,
        })
    } else {
        let mut v = keyset::decode(token, 2)?.into_iter();
        let (filed, reference) = (v.next()?, v.next()?);
        Some(After::Newest {
            filed_at: keyset::parse_timestamp_key(&filed)?,
            reference,
        })
    }
}

/// A unit's klynge as a sort key: the parent number, or "" for institutions without one
/// (so both backends sort them first).
fn klynge_key() -> diesel::dsl::AssumeNotNull<requests::klynge_number> {
    // The request's copy of its institution's klynge ('' for none), kept true by the
    // database; it leads the inbox's index after municipality and status. NULL only
    // marks a row a bulk load left for the sweep to fill. A column, not SQL text, so the
    // statement is prepared once per connection.
    requests::klynge_number.assume_not_null()
}

/// Lists up to `limit` requests the person may see (optionally only those they may
/// decide), in the filter's order, starting after the keyset cursor `after_token` (the
/// previous page's last row). Nothing is counted.
pub fn list(
    conn: &mut DbConnection,
    view: &ViewScope,
    decidable: Option<&DecideScope>,
    filter: &ListFilter,
    after_token: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    natively!(conn, |c| {
        let mut q = requests::table
            .inner_join(services::table.inner_join(suppliers::table))
            .inner_join(institutions::table)
            .into_boxed();
        if !decidable.is_some_and(|scope| view.covers(scope)) {
            q = filter_visible!(
                q,
                view,
                requests::institution_number,
                requests::municipality_code
            );
        }
        if let Some(scope) = decidable {
            q = filter_decidable!(
                q,
                scope,
                requests::institution_number,
                requests::municipality_code
            );
        }
        if let Some(status) = &filter.status {
            q = q.filter(requests::status.eq(status.clone()));
        }
        if let Some(number) = &filter.institution_number {
            q = q.filter(
                requests::institution_number
                    .eq(number.clone())
                    .or(institutions::parent_number.eq(number.clone())),
            );
        }
        if let Some(code) = &filter.municipality_code {
            q = q.filter(requests::municipality_code.eq(code.clone()));
        }
        if let Some(reference) = &filter.reference {
            q = q.filter(requests::reference.eq(reference.clone()));
        }
        if let Some(batch) = &filter.batch_id {
            q = q.filter(requests::batch_id.eq(batch.clone()));
        }
        if !filter.institution_numbers.is_empty() {
            q = q.filter(requests::institution_number.eq_any(filter.institution_numbers.clone()));
        }
        if !filter.ids.is_empty() {
            q = q.filter(requests::id.eq_any(filter.ids.clone()));
        }
        q = match after(filter, after_token) {
            None => q,
            Some(After::Newest {
                filed_at,
                reference,
            }) => q.filter(
                requests::filed_at.lt(filed_at).or(requests::filed_at
                    .eq(filed_at)
                    .and(requests::reference.lt(reference))),
            ),
            Some(After::Klynge {
                klynge,
                institution,
                filed_at,
                reference,
            }) => q.filter(
                klynge_key()
                    .gt(klynge.clone())
                    .or(klynge_key().eq(klynge).and(
                        requests::institution_number.gt(institution.clone()).or(
                            requests::institution_number.eq(institution).and(
                                requests::filed_at.lt(filed_at).or(requests::filed_at
                                    .eq(filed_at)
                                    .and(requests::reference.lt(reference))),
                            ),
                        ),
                    )),
            ),
        };
        q = if filter.by_klynge {
            q.order((
                klynge_key().asc(),
                requests::institution_number.asc(),
                requests::filed_at.desc(),
                requests::reference.desc(),
            ))
        } else {
            q.order((requests::filed_at.desc(), requests::reference.desc()))
        };
        q.limit(limit)
            .select((
                requests::id,
                requests::reference,
                requests::status,
                requests::kind,
                requests::filed_at,
                requests::institution_number,
                institutions::name,
                institutions::parent_number,
                institutions::municipality_code,
                institutions::ownership_code,
                services::supplier_id,
                services::name,
                suppliers::name,
            ))
            .load(c)
    })
}

/// How many requests [`list`] would give, counted no further than `cap`.
pub fn count_capped(
    conn: &mut DbConnection,
    view: &ViewScope,
    decidable: Option<&DecideScope>,
    filter: &ListFilter,
    cap: i64,
) -> QueryResult<keyset::CappedCount> {
    let found = list(conn, view, decidable, filter, None, cap + 1)?.len() as i64;
    Ok(keyset::CappedCount::from_found(found, cap))
}

#[derive(Debug, Clone)]
pub struct RequestScope {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub sensitive: bool,
    pub granted: Option<bool>,
    /// The approver's reason for leaving this scope out of a partial approval, as typed.
    pub refusal_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RequestDetail {
    pub request: Request,
    pub service: Service,
    pub supplier: Supplier,
    pub institution: Institution,
    pub municipality_name: String,
    pub filed_by_name: String,
    pub decided_by_name: Option<String>,
    pub scopes: Vec<RequestScope>,
    /// (id, reference) of the agreement this request created or extended.
    pub agreement: Option<(String, String)>,
    /// For an extension: the agreement it extends and the scopes that agreement already has.
    pub extends: Option<super::Extension>,
    pub history: Vec<HistoryLine>,
    /// (id, reference) of the agreement a renewal request renews.
    pub renews: Option<(String, String)>,
}

/// The scopes of many requests at once (for list rows), by request id, in catalogue order.
/// One statement whose text does not vary with the number of requests; the rows are put
/// in order here (the database would sort them in a temporary tree).
pub fn scopes_by_request(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> QueryResult<std::collections::HashMap<String, Vec<RequestScope>>> {
    let mut found: std::collections::HashMap<String, Vec<(i32, RequestScope)>> =
        std::collections::HashMap::new();
    if request_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    type Row = (
        String,
        String,
        String,
        String,
        bool,
        i32,
        Option<bool>,
        Option<String>,
    );
    let rows: Vec<Row> = natively!(conn, |c| request_scopes::table
        .inner_join(scopes::table)
        .filter(any_of(request_scopes::request_id, request_ids))
        .select((
            request_scopes::request_id,
            scopes::code,
            scopes::name_da,
            scopes::name_en,
            scopes::sensitive,
            scopes::sort_order,
            request_scopes::granted,
            request_scopes::refusal_reason,
        ))
        .load(c))?;
    for (request_id, code, name_da, name_en, sensitive, sort_order, granted, refusal_reason) in rows
    {
        found.entry(request_id).or_default().push((
            sort_order,
            RequestScope {
                code,
                name_da,
                name_en,
                sensitive,
                granted,
                refusal_reason,
            },
        ));
    }
    Ok(found
        .into_iter()
        .map(|(request_id, mut scopes)| {
            scopes.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
            (request_id, scopes.into_iter().map(|(_, s)| s).collect())
        })
        .collect())
}

pub fn scope_codes(conn: &mut DbConnection, request_id: &str) -> QueryResult<Vec<String>> {
    request_scopes::table
        .filter(request_scopes::request_id.eq(request_id))
        .select(request_scopes::scope_code)
        .load(conn)
}

/// A request with everything its page shows, history included.
pub fn detail(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RequestDetail>> {
    let Some(mut found) = summary(conn, id)? else {
        return Ok(None);
    };
    found.history = audit::history(conn, &[("request", id)])?;
    Ok(Some(found))
}

/// A request as [`detail`] gives it, without its history (for mail).
pub fn summary(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RequestDetail>> {
    let deciders = diesel::alias!(users as deciders);
    type Row = (
        Request,
        Service,
        Supplier,
        Institution,
        String,
        String,
        Option<String>,
    );
    let row: Option<Row> = natively!(conn, |c| requests::table
        .inner_join(services::table.inner_join(suppliers::table))
        .inner_join(institutions::table.inner_join(municipalities::table))
        .inner_join(users::table.on(users::id.eq(requests::filed_by)))
        .left_join(
            deciders.on(deciders
                .field(users::id)
                .nullable()
                .eq(requests::decided_by)),
        )
        .filter(requests::id.eq(id))
        .select((
            Request::as_select(),
            Service::as_select(),
            Supplier::as_select(),
            Institution::as_select(),
            municipalities::name,
            users::display_name,
            deciders.field(users::display_name).nullable(),
        ))
        .first(c)
        .optional())?;
    let Some((
        request,
        service,
        supplier,
        institution,
        municipality_name,
        filed_by_name,
        decided_by_name,
    )) = row
    else {
        return Ok(None);
    };
    let scopes = scopes_by_request(conn, &[id.to_string()])?
        .remove(id)
        .unwrap_or_default();
    let agreement = if request.status == "approved" {
        crate::db::agreements::for_request(conn, &request)?
    } else {
        None
    };
    let renews = match &request.renews_agreement_id {
        Some(renewed) => crate::db::renewals::reference_of(conn, renewed)?,
        None => None,
    };
    // A renewal is stored as an extension of the same scopes: it adds nothing to show.
    let extends = if request.kind == "extension" && request.renews_agreement_id.is_none() {
        super::extended_agreement(conn, &request)?
    } else {
        None
    };
    Ok(Some(RequestDetail {
        extends,
        request,
        service,
        supplier,
        institution,
        municipality_name,
        filed_by_name,
        decided_by_name,
        scopes,
        agreement,
        history: Vec::new(),
        renews,
    }))
}
