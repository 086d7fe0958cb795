//! What the host derives from each model's schema and keeps in the database beside the
//! model's own tables, as one migration per model named `auto_<model>` (after the owner's own
//! migrations, re-applied whenever the schema or the owner's migrations change):
//!
//! - an index for the model's `ordering` (with `id`, so every page is read in index order),
//!   and one per foreign-key and choice column (the filters lists are most often narrowed by)
//!   and per field declared `#[field(index)]`;
//! - a search index over the model's `search_fields` for `?q=`: a SQLite FTS5 table with the
//!   trigram tokenizer, kept current by triggers, or on PostgreSQL a `pg_trgm` GIN index on
//!   the fields joined (see [`search_text`]; when the extension can be created, otherwise
//!   search reads the table);
//! - the model's row count, so that an unfiltered list does not count the table: on SQLite
//!   in `core_rowcount` by row triggers (writers are serialized anyway); on PostgreSQL as one
//!   change row per writing statement in `core_rowcount_change` (so that writers never wait
//!   for each other on a counter), folded into `core_rowcount` by [`compact_counts`].
//!
//! Unique columns need no index of their own: their constraint is one.

use netbox_framework::migrations::Backend;
use netbox_framework::models::{FieldKind, ModelSchema};

/// The name of a model's derived migration.
pub fn name(schema: &ModelSchema) -> String {
    format!("auto_{}", schema.name)
}

/// The FTS5 table holding a model's search index (SQLite).
pub fn search_table(schema: &ModelSchema) -> String {
    format!("{}__search", schema.table)
}

/// Whether a model has a search index (it declares search fields).
pub fn searchable(schema: &ModelSchema) -> bool {
    !schema.search_fields.is_empty()
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The indexes of `schema`: ordering, foreign keys, choices.
fn indexes(schema: &ModelSchema) -> Vec<String> {
    let table = quoted(schema.table);
    let mut statements = Vec::new();
    let order = quoted(&format!("{}__order", schema.table));
    // Dropped first: the ordering may have changed since the index was made.
    statements.push(format!("DROP INDEX IF EXISTS {order}"));
    if !schema.ordering.trim().is_empty() {
        statements.push(format!(
            "CREATE INDEX {order} ON {table} ({}, \"id\")",
            schema.ordering
        ));
    }
    for field in schema.fields {
        if field.unique
            || !(field.indexed
                || matches!(
                    field.kind,
                    FieldKind::ForeignKey { .. } | FieldKind::Choice(_)
                ))
        {
            continue;
        }
        let column = field.column();
        statements.push(format!(
            "CREATE INDEX IF NOT EXISTS {} ON {table} ({})",
            quoted(&format!("{}__{column}", schema.table)),
            quoted(&column)
        ));
    }
    statements
}

/// The SQLite search index: an FTS5 trigram table over the search fields with triggers.
fn sqlite_search(schema: &ModelSchema) -> Vec<String> {
    let table = quoted(schema.table);
    let search = quoted(&search_table(schema));
    let trigger = |suffix: &str| quoted(&format!("{}__search_{suffix}", schema.table));
    let columns: Vec<String> = schema.search_fields.iter().map(|f| quoted(f)).collect();
    let list = columns.join(", ");
    let of = |row: &str| {
        schema
            .search_fields
            .iter()
            .map(|f| format!("{row}.{}", quoted(f)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut statements = vec![
        format!("DROP TRIGGER IF EXISTS {}", trigger("insert")),
        format!("DROP TRIGGER IF EXISTS {}", trigger("delete")),
        format!("DROP TRIGGER IF EXISTS {}", trigger("update")),
        format!("DROP TABLE IF EXISTS {search}"),
    ];
    if !searchable(schema) {
        return statements;
    }
    statements.extend([
        format!(
            "CREATE VIRTUAL TABLE {search} USING fts5({list}, content='{}', content_rowid='id', tokenize='trigram')",
            schema.table
        ),
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {table} BEGIN INSERT INTO {search} (rowid, {list}) VALUES (new.\"id\", {}); END",
            trigger("insert"),
            of("new")
        ),
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {table} BEGIN INSERT INTO {search} ({search}, rowid, {list}) VALUES ('delete', old.\"id\", {}); END",
            trigger("delete"),
            of("old")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE ON {table} BEGIN INSERT INTO {search} ({search}, rowid, {list}) VALUES ('delete', old.\"id\", {}); INSERT INTO {search} (rowid, {list}) VALUES (new.\"id\", {}); END",
            trigger("update"),
            of("old"),
            of("new")
        ),
        format!("INSERT INTO {search} ({search}) VALUES ('rebuild')"),
    ]);
    statements
}

/// The text a PostgreSQL search looks in: the search fields, lower-cased, joined by a
/// control character (which no input may contain, so a search never spans two fields). The
/// search index is on this expression, and the search compares with it as written here.
///
/// ```
/// let text = netbox_app::db::derived::search_text(netbox_app::builtin::dcim::SITE);
/// assert!(text.starts_with(r#"lower(coalesce("name", '') || chr(31) || coalesce("slug", '')"#), "{text}");
/// ```
pub fn search_text(schema: &ModelSchema) -> String {
    let joined: Vec<String> = schema
        .search_fields
        .iter()
        .map(|name| match schema.field(name) {
            // Addresses and networks as text (`10.0.0.0/8`).
            Some(field) if field.is_network() => {
                format!("coalesce(CAST({} AS TEXT), '')", quoted(name))
            }
            _ => format!("coalesce({}, '')", quoted(name)),
        })
        .collect();
    format!("lower({})", joined.join(" || chr(31) || "))
}

/// The PostgreSQL search index: a `pg_trgm` GIN index on [`search_text`], when the extension
/// is (or can be) installed.
fn postgres_search(schema: &ModelSchema) -> Vec<String> {
    let index = quoted(&format!("{}__search", schema.table));
    let mut statements = vec![format!("DROP INDEX IF EXISTS {index}")];
    if !searchable(schema) {
        return statements;
    }
    statements.push(
        "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm is not available: searches read the whole table'; END $$".to_string(),
    );
    let create = format!(
        "CREATE INDEX {index} ON {} USING gin (({}) gin_trgm_ops)",
        quoted(schema.table),
        search_text(schema)
    );
    statements.push(format!(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops') THEN EXECUTE '{}'; END IF; END $$",
        create.replace('\'', "''")
    ));
    statements
}

/// The table of row counts: one row per table, the count as of the last compaction.
pub const ROW_COUNTS: &str = "core_rowcount";
/// PostgreSQL's changes to the counts since: one row per writing statement, so that writers
/// never wait for each other on a counter (see [`compact_counts`]).
pub const ROW_COUNT_CHANGES: &str = "core_rowcount_change";

/// The SQLite row counter of a model: row triggers (writers are serialized anyway) and the
/// count as it is now.
fn sqlite_count(schema: &ModelSchema) -> Vec<String> {
    let table = quoted(schema.table);
    let trigger = |suffix: &str| quoted(&format!("{}__count_{suffix}", schema.table));
    let name = schema.table.replace('\'', "''");
    vec![
        format!(
            "CREATE TABLE IF NOT EXISTS {ROW_COUNTS} (table_name TEXT PRIMARY KEY, n INTEGER NOT NULL)"
        ),
        format!("DROP TRIGGER IF EXISTS {}", trigger("insert")),
        format!("DROP TRIGGER IF EXISTS {}", trigger("delete")),
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {table} BEGIN UPDATE {ROW_COUNTS} SET n = n + 1 WHERE table_name = '{name}'; END",
            trigger("insert")
        ),
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {table} BEGIN UPDATE {ROW_COUNTS} SET n = n - 1 WHERE table_name = '{name}'; END",
            trigger("delete")
        ),
        format!(
            "INSERT INTO {ROW_COUNTS} (table_name, n) VALUES ('{name}', (SELECT count(*) FROM {table})) ON CONFLICT (table_name) DO UPDATE SET n = excluded.n"
        ),
    ]
}

/// The PostgreSQL row counter of a model: statement triggers recording what each statement
/// inserted or deleted as a change row, and the count as it is now.
fn postgres_count(schema: &ModelSchema) -> Vec<String> {
    let table = quoted(schema.table);
    let trigger = |suffix: &str| quoted(&format!("{}__count_{suffix}", schema.table));
    let name = schema.table.replace('\'', "''");
    let function = |suffix: &str, change: &str| {
        format!(
            "CREATE OR REPLACE FUNCTION {ROW_COUNTS}_{suffix}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {ROW_COUNT_CHANGES} (table_name, n) VALUES (TG_TABLE_NAME, {change}); RETURN NULL; END $$"
        )
    };
    vec![
        format!(
            "CREATE TABLE IF NOT EXISTS {ROW_COUNTS} (table_name TEXT PRIMARY KEY, n BIGINT NOT NULL)"
        ),
        format!(
            "CREATE TABLE IF NOT EXISTS {ROW_COUNT_CHANGES} (table_name TEXT NOT NULL, n BIGINT NOT NULL)"
        ),
        format!(
            "CREATE INDEX IF NOT EXISTS {ROW_COUNT_CHANGES}_table ON {ROW_COUNT_CHANGES} (table_name)"
        ),
        function("insert", "(SELECT count(*) FROM inserted)"),
        function("delete", "-(SELECT count(*) FROM deleted)"),
        format!(
            "CREATE OR REPLACE FUNCTION {ROW_COUNTS}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM {ROW_COUNT_CHANGES} WHERE table_name = TG_TABLE_NAME; UPDATE {ROW_COUNTS} SET n = 0 WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$"
        ),
        format!("DROP TRIGGER IF EXISTS {} ON {table}", trigger("insert")),
        format!("DROP TRIGGER IF EXISTS {} ON {table}", trigger("delete")),
        format!("DROP TRIGGER IF EXISTS {} ON {table}", trigger("truncate")),
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {table} REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {ROW_COUNTS}_insert()",
            trigger("insert")
        ),
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {table} REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION {ROW_COUNTS}_delete()",
            trigger("delete")
        ),
        format!(
            "CREATE TRIGGER {} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {ROW_COUNTS}_truncate()",
            trigger("truncate")
        ),
        // Writers wait while the count is taken, so that it is exact when the triggers start.
        format!("LOCK TABLE {table} IN SHARE MODE"),
        format!("DELETE FROM {ROW_COUNT_CHANGES} WHERE table_name = '{name}'"),
        format!(
            "INSERT INTO {ROW_COUNTS} (table_name, n) VALUES ('{name}', (SELECT count(*) FROM {table})) ON CONFLICT (table_name) DO UPDATE SET n = excluded.n"
        ),
    ]
}

/// The SQL expression of a table's kept row count (`NULL` where none is kept).
pub fn kept_count(table: &str, backend: Backend) -> String {
    let name = table.replace('\'', "''");
    let base = format!("(SELECT n FROM {ROW_COUNTS} WHERE table_name = '{name}')");
    match backend {
        Backend::Sqlite => base,
        // sum() of bigints is numeric: cast back.
        Backend::Postgres => format!(
            "CAST({base} + (SELECT coalesce(sum(n), 0) FROM {ROW_COUNT_CHANGES} WHERE table_name = '{name}') AS BIGINT)"
        ),
    }
}

/// Folds PostgreSQL's count changes into the counts, one statement per table (readers see
/// the changes or the new count, never both). `serve` runs it every half minute.
pub async fn compact_counts(
    database: &super::Database,
    schemas: &[&'static ModelSchema],
) -> Result<(), sqlx::Error> {
    if database.backend() != Backend::Postgres {
        return Ok(());
    }
    for schema in schemas {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "WITH moved AS (DELETE FROM {ROW_COUNT_CHANGES} WHERE table_name = $1 RETURNING n) UPDATE {ROW_COUNTS} SET n = n + (SELECT coalesce(sum(n), 0) FROM moved) WHERE table_name = $1"
        )))
        .bind(schema.table)
        .execute(database.pool())
        .await?;
    }
    Ok(())
}

/// The SQL of a model's derived migration on `backend`.
///
/// ```
/// use netbox_framework::migrations::Backend;
/// let sql = netbox_app::db::derived::sql(netbox_app::builtin::dcim::DEVICE, Backend::Sqlite);
/// assert!(sql.contains(r#"CREATE INDEX "dcim_device__order" ON "dcim_device" ("name", "id")"#), "{sql}");
/// assert!(sql.contains("USING fts5("), "{sql}");
/// ```
pub fn sql(schema: &ModelSchema, backend: Backend) -> String {
    let mut statements = indexes(schema);
    match backend {
        Backend::Sqlite => {
            statements.extend(sqlite_search(schema));
            statements.extend(sqlite_count(schema));
        }
        Backend::Postgres => {
            statements.extend(postgres_search(schema));
            statements.extend(postgres_count(schema));
        }
    }
    let mut sql = statements.join(";\n");
    sql.push(';');
    sql
}

/// Merges the segments of every SQLite search index, a little at a time (each step a short
/// write), until nothing is left to merge: a search reads one list per trigram instead of
/// one per segment. Bulk writes leave many segments; `serve` runs this in the background
/// when it starts. Nothing to do on PostgreSQL.
pub async fn merge_search_indexes(
    database: &super::Database,
    schemas: impl IntoIterator<Item = &'static ModelSchema>,
) -> Result<(), sqlx::Error> {
    if database.backend() != Backend::Sqlite {
        return Ok(());
    }
    let mut connection = database.pool().acquire().await?;
    for schema in schemas.into_iter().filter(|schema| searchable(schema)) {
        let table = quoted(&search_table(schema));
        let merge = format!("INSERT INTO {table} ({table}, rank) VALUES ('merge', -500)");
        for _ in 0..10_000 {
            let changes = |row: sqlx::any::AnyRow| sqlx::Row::try_get::<i64, _>(&row, 0);
            let before = changes(
                sqlx::query("SELECT total_changes()")
                    .fetch_one(&mut *connection)
                    .await?,
            )?;
            sqlx::query(sqlx::AssertSqlSafe(merge.as_str()))
                .execute(&mut *connection)
                .await?;
            let after = changes(
                sqlx::query("SELECT total_changes()")
                    .fetch_one(&mut *connection)
                    .await?,
            )?;
            if after - before <= 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
    Ok(())
}

/// What `serve` runs in the background for as long as it serves: the search indexes merged
/// once, then the row count changes folded every 30 seconds. Failures are logged; searches and
/// counts stay correct without this, only slower.
pub async fn maintain(database: super::Database, schemas: Vec<&'static ModelSchema>) {
    if let Err(error) = merge_search_indexes(&database, schemas.iter().copied()).await {
        tracing::warn!(%error, "merging the search indexes failed; searches stay correct, only slower");
    }
    loop {
        if let Err(error) = compact_counts(&database, &schemas).await {
            tracing::warn!(%error, "folding the row count changes failed; counts stay exact");
        }
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}
