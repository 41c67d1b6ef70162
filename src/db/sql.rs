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
