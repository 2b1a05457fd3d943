//! Reads on a hot path run on the backend's own connection, not through the
//! `MultiConnection`: its wrapper writes the whole statement text out again on every
//! pass diesel makes over a query (the cache check and the binding each make one), even
//! when the prepared statement is cached, which cost a page a fifth of its time. The
//! query is still written once: [`natively!`] compiles it for each backend.
//!
//! Also here: [`any_of`], a `column IN (…)` whose statement text does not depend on how
//! many values it holds, so SQLite prepares it once per connection as PostgreSQL's
//! `= ANY(…)` already is (diesel's own `eq_any` is prepared again on every call on SQLite).

use diesel::QueryResult;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bool, Text};
use diesel::sqlite::Sqlite;

/// Runs `$body` with `$c` bound to the backend's own connection inside `$conn` (a
/// `&mut DbConnection`). `$body` is compiled once per backend, so it must be written in
/// diesel's backend-neutral DSL and must not call functions that take a `DbConnection`.
#[macro_export]
macro_rules! natively {
    ($conn:expr, |$c:ident| $body:expr) => {{
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    }};
}
pub use natively;

/// `column IN (values)` for a text column, prepared once per connection whatever the
/// number of values: `IN (SELECT value FROM json_each(?))` on SQLite, `= ANY(?)` on
/// PostgreSQL. Holds any number of values in its one bound parameter.
pub fn any_of<C>(column: C, values: &[String]) -> AnyOf<C> {
    AnyOf {
        column,
        json: serde_json::to_string(values).expect("a list of strings is JSON"),
        values: values.to_vec(),
    }
}

/// See [`any_of`].
#[derive(Debug, Clone)]
pub struct AnyOf<C> {
    column: C,
    /// The values as a JSON array, SQLite's one parameter.
    json: String,
    /// The values as an array, PostgreSQL's one parameter.
    values: Vec<String>,
}

impl<C> Expression for AnyOf<C>
where
    C: Expression<SqlType = Text>,
{
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for AnyOf<C>
where
    C: AppearsOnTable<QS>,
    Self: Expression,
{
}

impl<C, QS> SelectableExpression<QS> for AnyOf<C>
where
    C: SelectableExpression<QS>,
    Self: AppearsOnTable<QS>,
{
}

impl<C, GroupBy> ValidGrouping<GroupBy> for AnyOf<C>
where
    C: ValidGrouping<GroupBy>,
{
    type IsAggregate = C::IsAggregate;
}

/// Names the statement by its column alone: the values are all in one parameter.
#[derive(Debug)]
pub struct AnyOfId<C>(std::marker::PhantomData<C>);

impl<C: QueryId> QueryId for AnyOf<C> {
    type QueryId = AnyOfId<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}
