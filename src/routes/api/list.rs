//! Paging every API list: `limit` (1–500, 100 unless given) and the opaque `cursor` a
//! page hands out for the next one — the sort key of its last row, never an offset.

use serde::Deserialize;
use utoipa::IntoParams;

use super::call::ApiCall;
use super::error::{ApiError, Code};

pub const MOST_PER_PAGE: i64 = 500;
const DEFAULT_PER_PAGE: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The `next_cursor` of the page before; the first page when left out.
    pub cursor: Option<String>,
    /// Rows per page, 1–500 (100 when left out).
    pub limit: Option<i64>,
}

pub fn page_size(call: &ApiCall, query: &ListQuery) -> Result<i64, ApiError> {
    match query.limit {
        None => Ok(DEFAULT_PER_PAGE),
        Some(n) if (1..=MOST_PER_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(call.error(Code::InvalidValue).at("limit")),
    }
}
