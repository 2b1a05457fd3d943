//! The institution register and the municipalities: lookups for filing and deciding,
//! and the searchable register list.

use crate::db::native::natively;
use diesel::prelude::*;
use time::Date;

use super::DbConnection;
use super::schema::{institutions, municipalities};
use crate::domain::codes::Ownership;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = institutions)]
pub struct Institution {
    pub number: String,
    pub name: String,
    pub level: String,
    pub parent_number: Option<String>,
    pub inst_type_code: String,
    pub ownership_code: String,
    pub legal_basis_code: Option<String>,
    pub municipality_code: String,
    pub cvr: Option<String>,
    pub p_number: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
    pub closed_on: Option<Date>,
    pub replaced_by: Option<String>,
}

impl Institution {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    pub fn ownership(&self) -> Option<Ownership> {
        Ownership::from_code(&self.ownership_code)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = municipalities)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub region: String,
}

/// Chunk size for `IN (…)` lists, well under SQLite's bound-parameter limit.
pub const CHUNK: usize = 500;

pub fn find(conn: &mut DbConnection, number: &str) -> QueryResult<Option<Institution>> {
    institutions::table
        .find(number)
        .select(Institution::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConnection, numbers: &[String]) -> QueryResult<Vec<Institution>> {
    let mut found = Vec::with_capacity(numbers.len());
    for chunk in numbers.chunks(CHUNK) {
        found.extend(
            institutions::table
                .filter(institutions::number.eq_any(chunk))
                .select(Institution::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

/// Active units under the given klynge numbers.
pub fn active_units_of(
    conn: &mut DbConnection,
    parents: &[String],
) -> QueryResult<Vec<Institution>> {
    let mut found = Vec::new();
    for chunk in parents.chunks(CHUNK) {
        found.extend(
            institutions::table
                .filter(institutions::parent_number.eq_any(chunk))
                .filter(institutions::status.eq("active"))
                .order(institutions::number)
                .select(Institution::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

pub fn municipalities(conn: &mut DbConnection) -> QueryResult<Vec<Municipality>> {
    natively!(conn, |c| municipalities::table
        .order(municipalities::name)
        .select(Municipality::as_select())
        .load(c))
}

pub fn municipality_name(conn: &mut DbConnection, code: &str) -> QueryResult<Option<String>> {
    municipalities::table
        .find(code)
        .select(municipalities::name)
        .first(conn)
        .optional()
}

/// Filters for the register list.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub text: Option<String>,
    pub municipality_code: Option<String>,
    pub include_closed: bool,
}

/// Up to `limit` institutions matching the filter, by municipality and number, starting
/// after the keyset cursor `after_token` (the previous page's last row).
pub fn search(
    conn: &mut DbConnection,
    filter: &RegisterFilter,
    after_token: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(Institution, String)>> {
    let mut q = institutions::table
        .inner_join(municipalities::table)
        .into_boxed();
    if let Some(text) = &filter.text {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        q = q.filter(
            institutions::number
                .eq(text.to_uppercase())
                .or(institutions::name.like(pattern)),
        );
    }
    if let Some(code) = &filter.municipality_code {
        q = q.filter(institutions::municipality_code.eq(code.clone()));
    }
    if !filter.include_closed {
        q = q.filter(institutions::status.eq("active"));
    }
    if let Some(v) = after_token.and_then(|t| crate::domain::keyset::decode(t, 2)) {
        q = q.filter(
            institutions::municipality_code
                .gt(v[0].clone())
                .or(institutions::municipality_code
                    .eq(v[0].clone())
                    .and(institutions::number.gt(v[1].clone()))),
        );
    }
    q.order((institutions::municipality_code, institutions::number))
        .limit(limit)
        .select((Institution::as_select(), municipalities::name))
        .load(conn)
}

impl Institution {
    /// The institution's place in the register list, as a keyset cursor.
    pub fn cursor(&self) -> String {
        crate::domain::keyset::encode(&[self.municipality_code.clone(), self.number.clone()])
    }
}
