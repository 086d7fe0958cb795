//! One way to write SQL for both backends: statements are built with sea-query, rendered for
//! the connected backend (`?` placeholders on SQLite, `$n` on PostgreSQL: sqlx's `Any` driver
//! does not rewrite them) and their values bound.

use netbox_framework::migrations::Backend;
use sea_query::{
    PostgresQueryBuilder, QueryStatementBuilder, SqliteQueryBuilder, Value as SqlValue,
};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyArguments;

/// A statement ready to run on a connection or the pool.
pub type Statement = sqlx::query::Query<'static, sqlx::Any, AnyArguments>;

/// `statement` rendered for `backend`, with its values bound.
///
/// ```
/// use netbox_app::db::statement as sql;
/// use netbox_framework::migrations::Backend;
/// use sea_query::{Expr, ExprTrait, Query};
///
/// let select = Query::select().column("id").from("dcim_site").and_where(Expr::col("name").eq("x")).take();
/// assert_eq!(sql::render(Backend::Sqlite, &select).0, r#"SELECT "id" FROM "dcim_site" WHERE "name" = ?"#);
/// assert_eq!(sql::render(Backend::Postgres, &select).0, r#"SELECT "id" FROM "dcim_site" WHERE "name" = $1"#);
/// ```
pub fn statement(backend: Backend, statement: &impl QueryStatementBuilder) -> Statement {
    let (sql, values) = render(backend, statement);
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in values {
        query = match value {
            SqlValue::Bool(value) => query.bind(value),
            SqlValue::Int(value) => query.bind(value.map(i64::from)),
            SqlValue::BigInt(value) => query.bind(value),
            SqlValue::Unsigned(value) => query.bind(value.map(i64::from)),
            // LIMIT and OFFSET, which the engine makes from non-negative i64s.
            SqlValue::BigUnsigned(value) => {
                query.bind(value.map(|v| i64::try_from(v).unwrap_or(i64::MAX)))
            }
            SqlValue::Double(value) => query.bind(value),
            SqlValue::String(value) => query.bind(value),
            SqlValue::Bytes(value) => query.bind(value),
            // The host builds values of the types above only (field values, ids, pages, times).
            other => unreachable!("a SQL value of a type the host never builds: {other:?}"),
        };
    }
    query
}

/// The SQL text and values of `statement` for `backend`.
pub fn render(backend: Backend, statement: &impl QueryStatementBuilder) -> (String, Vec<SqlValue>) {
    let (sql, values) = match backend {
        Backend::Sqlite => statement.build_any(&SqliteQueryBuilder),
        Backend::Postgres => statement.build_any(&PostgresQueryBuilder),
    };
    (sql, values.into_iter().collect())
}

/// The current time as stored in `created`, `last_updated`, the change log and the migration
/// records (RFC 3339, UTC, whole seconds).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}
