//! SQL built at run time (a variable number of rows or conditions) with `$n` placeholders,
//! which both backends accept, and values bound by type: user text never enters the SQL.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::{DbConnection, MultiBackend};

/// A value bound into dynamically built SQL.
pub enum Bind {
    Text(String),
    BigInt(i64),
    Timestamp(NaiveDateTime),
}

/// SQL text with `$n` placeholders and their values, built up piece by piece.
#[derive(Default)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Adds a value and returns its placeholder.
    pub fn bind(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    pub fn ids(&mut self, ids: &[i64]) -> String {
        let list: Vec<String> = ids.iter().map(|id| self.bind(Bind::BigInt(*id))).collect();
        list.join(", ")
    }

    pub fn boxed(
        self,
    ) -> diesel::query_builder::BoxedSqlQuery<'static, MultiBackend, diesel::query_builder::SqlQuery>
    {
        let mut q = diesel::sql_query(self.text).into_boxed::<MultiBackend>();
        for b in self.binds {
            q = match b {
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::BigInt(v) => q.bind::<BigInt, _>(v),
                Bind::Timestamp(v) => q.bind::<Timestamp, _>(v),
            };
        }
        q
    }

    pub fn execute(self, conn: &mut DbConnection) -> QueryResult<usize> {
        self.boxed().execute(conn)
    }

    pub fn load<T>(self, conn: &mut DbConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<MultiBackend> + 'static,
    {
        self.boxed().load(conn)
    }
}

/// `column IN (ids)` as one statement whatever the number of ids, so that the connection's
/// prepared-statement cache keeps it: Diesel's `eq_any` writes one placeholder per id on SQLite
/// and prepares the statement again on every call. The ids travel as one text value,
/// `1,2,3`, unpacked by the database (`json_each` on SQLite, a `bigint[]` on PostgreSQL).
pub fn in_ids<C>(column: C, ids: &[i64]) -> InIds<C> {
    InIds {
        column,
        list: id_list(ids),
    }
}

/// The ids as one text value, `1,2,3`.
pub fn id_list(ids: &[i64]) -> String {
    use std::fmt::Write;
    let mut list = String::with_capacity(ids.len() * 8);
    for (i, id) in ids.iter().enumerate() {
        let _ = write!(list, "{}{id}", if i > 0 { "," } else { "" });
    }
    list
}

#[derive(Debug, Clone, diesel::query_builder::QueryId)]
pub struct InIds<C> {
    column: C,
    list: String,
}

impl<C: Expression> Expression for InIds<C> {
    type SqlType = diesel::sql_types::Bool;
}

impl<C: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for InIds<C> {}

impl<C: SelectableExpression<QS>, QS: ?Sized> SelectableExpression<QS> for InIds<C> {}

impl<C: diesel::expression::ValidGrouping<()>> diesel::expression::ValidGrouping<()> for InIds<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: diesel::query_builder::QueryFragment<MultiBackend>>
    diesel::query_builder::QueryFragment<MultiBackend> for InIds<C>
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    ) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        push_in_list(out.reborrow(), &self.list)?;
        out.push_sql(")");
        Ok(())
    }
}

/// ` IN (ids)` for a list made by [`in_ids`], one bound text value whatever its length.
pub fn push_in_list<'b>(
    mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
    list: &'b String,
) -> QueryResult<()> {
    let sqlite = matches!(out.backend(), MultiBackend::Sqlite(_));
    out.push_sql(if sqlite {
        " IN (SELECT value FROM json_each('[' || "
    } else {
        " = ANY(CAST('{' || "
    });
    out.push_bind_param::<Text, String>(list)?;
    out.push_sql(if sqlite {
        " || ']'))"
    } else {
        " || '}' AS BIGINT[]))"
    });
    Ok(())
}
