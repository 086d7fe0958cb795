//! SQL of schema operations, for SQLite and PostgreSQL.
//!
//! SQLite cannot alter a column or a table's constraints in place, so those operations (and
//! dropping a column, which SQLite refuses for constrained or indexed columns) rebuild the
//! table: create the new shape, copy the rows, drop the old table, rename. The migration runner
//! turns foreign-key enforcement off around SQLite migrations and checks every reference before
//! committing, so a rebuild neither cascades nor leaves a dangling row.

use super::state::{self, State, Table};
use netbox_framework::migrations::{
    Backend, Column, ColumnType, Migration, MigrationSql, Operation,
};
use netbox_framework::models::{FieldType, OnDelete};
use std::borrow::Cow;

/// `name` quoted as an identifier.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as an SQL string literal (for names that come from static schemas, never input).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn default_sql(column: &Column, value: &str, backend: Backend) -> Result<String, String> {
    let bad = || {
        format!(
            "column `{}`: default `{value}` does not fit its type",
            column.name
        )
    };
    Ok(match column.ty {
        ColumnType::Text | ColumnType::Json => literal(value),
        ColumnType::Inet => literal(
            &value
                .parse::<netbox_framework::models::IpInterface>()
                .map_err(|_| bad())?
                .to_string(),
        ),
        ColumnType::Cidr => literal(
            &value
                .parse::<netbox_framework::ipnet::IpNet>()
                .ok()
                .filter(|network| network.trunc() == *network)
                .ok_or_else(bad)?
                .to_string(),
        ),
        ColumnType::Decimal(..) => {
            use netbox_framework::rust_decimal::Decimal;
            value
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(value))
                .map_err(|_| bad())?
                .normalize()
                .to_string()
        }
        ColumnType::Date => {
            let date = <netbox_framework::time::Date as FieldType>::from_value(&value.into())
                .map_err(|_| bad())?;
            literal(&date.to_string())
        }
        ColumnType::DateTime => {
            let time =
                <netbox_framework::time::OffsetDateTime as FieldType>::from_value(&value.into())
                    .map_err(|_| bad())?;
            match time.to_value() {
                serde_json::Value::String(text) => literal(&text),
                _ => return Err(bad()),
            }
        }
        ColumnType::Integer => value.parse::<i64>().map_err(|_| bad())?.to_string(),
        ColumnType::Boolean => {
            let truth = match value {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return Err(bad()),
            };
            match (backend, truth) {
                (Backend::Sqlite, true) => "1".into(),
                (Backend::Sqlite, false) => "0".into(),
                (Backend::Postgres, true) => "TRUE".into(),
                (Backend::Postgres, false) => "FALSE".into(),
            }
        }
    })
}

fn type_sql(ty: ColumnType, backend: Backend) -> Cow<'static, str> {
    Cow::Borrowed(match (ty, backend) {
        (ColumnType::Text, _) => "TEXT",
        (ColumnType::Integer, Backend::Sqlite) => "INTEGER",
        (ColumnType::Integer, Backend::Postgres) => "BIGINT",
        (ColumnType::Boolean, Backend::Sqlite) => "INTEGER",
        (ColumnType::Boolean, Backend::Postgres) => "BOOLEAN",
        (ColumnType::Json, Backend::Sqlite) => "TEXT",
        (ColumnType::Json, Backend::Postgres) => "JSONB",
        (ColumnType::Decimal(..), Backend::Sqlite) => "NUMERIC",
        (ColumnType::Decimal(precision, scale), Backend::Postgres) => {
            return Cow::Owned(format!("NUMERIC({precision}, {scale})"));
        }
        (ColumnType::Date | ColumnType::DateTime, Backend::Sqlite) => "TEXT",
        (ColumnType::Date, Backend::Postgres) => "DATE",
        (ColumnType::DateTime, Backend::Postgres) => "TIMESTAMPTZ",
        (ColumnType::Inet | ColumnType::Cidr, Backend::Sqlite) => "TEXT",
        (ColumnType::Inet, Backend::Postgres) => "INET",
        (ColumnType::Cidr, Backend::Postgres) => "CIDR",
    })
}

fn on_delete_sql(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Protect => "RESTRICT",
        OnDelete::Cascade => "CASCADE",
        OnDelete::SetNull => "SET NULL",
    }
}

/// A column's definition (name, type, constraints), with constraint names on PostgreSQL so
/// that later operations can drop them.
fn column_sql(table: &str, column: &Column, backend: Backend) -> Result<String, String> {
    let mut sql = format!("{} {}", quoted(column.name), type_sql(column.ty, backend));
    if !column.null {
        sql.push_str(" NOT NULL");
    }
    if let Some(value) = column.default {
        sql.push_str(&format!(
            " DEFAULT {}",
            default_sql(column, value, backend)?
        ));
    }
    if column.unique {
        sql.push_str(&format!(
            " CONSTRAINT {} UNIQUE",
            quoted(&unique_name(table, &[column.name]))
        ));
    }
    if let Some(reference) = column.references {
        sql.push_str(&format!(
            " CONSTRAINT {} REFERENCES {} (\"id\") ON DELETE {}",
            quoted(&format!("{table}_{}_fkey", column.name)),
            quoted(reference.table),
            on_delete_sql(reference.on_delete)
        ));
    }
    Ok(sql)
}

fn unique_name(table: &str, columns: &[&str]) -> String {
    format!("{table}_{}_uniq", columns.join("_"))
}

fn create_sql(name: &str, table: &Table, backend: Backend) -> Result<String, String> {
    let id = match backend {
        Backend::Sqlite => "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT",
        Backend::Postgres => "\"id\" BIGSERIAL PRIMARY KEY",
    };
    let mut lines = vec![id.to_string()];
    for column in &table.columns {
        lines.push(column_sql(name, column, backend)?);
    }
    // Text on both backends: PostgreSQL's become times by `TimestampColumns`, which follows
    // (shipped migrations keep the SQL they were applied with).
    let stamp = if table.timestamps && backend == Backend::Postgres {
        "TIMESTAMPTZ"
    } else {
        "TEXT"
    };
    lines.push(format!("\"created\" {stamp} NOT NULL"));
    lines.push(format!("\"last_updated\" {stamp} NOT NULL"));
    for group in &table.unique_together {
        let columns: Vec<String> = group.iter().map(|c| quoted(c)).collect();
        lines.push(format!(
            "CONSTRAINT {} UNIQUE ({})",
            quoted(&unique_name(name, group)),
            columns.join(", ")
        ));
    }
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n)",
        quoted(name),
        lines.join(",\n    ")
    ))
}

/// The join table of a many-to-many field, and the index of its `to_id` (`from_id` leads
/// the unique index).
fn join_sql(table: &str, from: &str, to: &str, backend: Backend) -> Vec<String> {
    let (id, integer) = match backend {
        Backend::Sqlite => ("\"id\" INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"),
        Backend::Postgres => ("\"id\" BIGSERIAL PRIMARY KEY", "BIGINT"),
    };
    let reference = |column: &str, target: &str| {
        format!(
            "{} {integer} NOT NULL CONSTRAINT {} REFERENCES {} (\"id\") ON DELETE CASCADE",
            quoted(column),
            quoted(&format!("{table}_{column}_fkey")),
            quoted(target)
        )
    };
    vec![
        format!(
            "CREATE TABLE {} (\n    {id},\n    {},\n    {},\n    CONSTRAINT {} UNIQUE (\"from_id\", \"to_id\")\n)",
            quoted(table),
            reference("from_id", from),
            reference("to_id", to),
            quoted(&unique_name(table, &["from_id", "to_id"]))
        ),
        format!(
            "CREATE INDEX {} ON {} (\"to_id\")",
            quoted(&format!("{table}_to_id")),
            quoted(table)
        ),
    ]
}

/// SQLite: the table rebuilt in its new shape, keeping the rows (columns new to it take their
/// default).
fn rebuild(name: &str, before: &Table, after: &Table) -> Result<Vec<String>, String> {
    let temporary = format!("{name}__new");
    let stamps = ["\"created\"".to_string(), "\"last_updated\"".to_string()];
    let kept: Vec<&Column> = after
        .columns
        .iter()
        .filter(|c| before.column(c.name).is_some())
        .collect();
    let mut into = vec!["\"id\"".to_string()];
    into.extend(kept.iter().map(|c| quoted(c.name)));
    into.extend(stamps.clone());
    let mut from = vec!["\"id\"".to_string()];
    from.extend(kept.iter().map(|c| {
        match (before.column(c.name).map(|old| old.ty), c.ty) {
            // Text kept empty for "none" (as text fields are) becomes NULL in a network column.
            (Some(ColumnType::Text), ColumnType::Inet | ColumnType::Cidr) => {
                format!("NULLIF({}, '')", quoted(c.name))
            }
            _ => quoted(c.name),
        }
    }));
    from.extend(stamps);
    Ok(vec![
        create_sql(&temporary, after, Backend::Sqlite)?,
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quoted(&temporary),
            into.join(", "),
            from.join(", "),
            quoted(name)
        ),
        format!("DROP TABLE {}", quoted(name)),
        format!(
            "ALTER TABLE {} RENAME TO {}",
            quoted(&temporary),
            quoted(name)
        ),
    ])
}

fn postgres_alter(name: &str, before: &Column, after: &Column) -> Result<Vec<String>, String> {
    let table = quoted(name);
    let column = quoted(after.name);
    let mut statements = Vec::new();
    let alter = |clause: String| format!("ALTER TABLE {table} {clause}");
    if before.references.is_some() {
        statements.push(alter(format!(
            "DROP CONSTRAINT {}",
            quoted(&format!("{name}_{}_fkey", after.name))
        )));
    }
    if before.unique && !after.unique {
        statements.push(alter(format!(
            "DROP CONSTRAINT {}",
            quoted(&unique_name(name, &[after.name]))
        )));
    }
    if before.ty != after.ty {
        let ty = type_sql(after.ty, Backend::Postgres);
        statements.push(alter(format!("ALTER COLUMN {column} DROP DEFAULT")));
        // Text kept empty for "none" (as text fields are) becomes NULL in a network column.
        let from = match (before.ty, after.ty) {
            (ColumnType::Text, ColumnType::Inet | ColumnType::Cidr) => {
                format!("NULLIF({column}, '')")
            }
            _ => column.clone(),
        };
        statements.push(alter(format!(
            "ALTER COLUMN {column} TYPE {ty} USING {from}::{ty}"
        )));
    }
    match after.default {
        Some(value) => statements.push(alter(format!(
            "ALTER COLUMN {column} SET DEFAULT {}",
            default_sql(after, value, Backend::Postgres)?
        ))),
        None => statements.push(alter(format!("ALTER COLUMN {column} DROP DEFAULT"))),
    }
    let null = if after.null {
        "DROP NOT NULL"
    } else {
        "SET NOT NULL"
    };
    statements.push(alter(format!("ALTER COLUMN {column} {null}")));
    if after.unique && !before.unique {
        statements.push(alter(format!(
            "ADD CONSTRAINT {} UNIQUE ({column})",
            quoted(&unique_name(name, &[after.name]))
        )));
    }
    if let Some(reference) = after.references {
        statements.push(alter(format!(
            "ADD CONSTRAINT {} FOREIGN KEY ({column}) REFERENCES {} (\"id\") ON DELETE {}",
            quoted(&format!("{name}_{}_fkey", after.name)),
            quoted(reference.table),
            on_delete_sql(reference.on_delete)
        )));
    }
    Ok(statements)
}

/// The statements of `operation`, applied to `state` (which it updates).
pub fn operation_sql(
    state: &mut State,
    operation: &Operation,
    backend: Backend,
) -> Result<Vec<String>, String> {
    let before = match operation {
        Operation::CreateTable { .. }
        | Operation::CreateJoinTable { .. }
        | Operation::Sql { .. } => None,
        Operation::TimestampColumns { table }
        | Operation::DropTable { table }
        | Operation::AddColumn { table, .. }
        | Operation::DropColumn { table, .. }
        | Operation::AlterColumn { table, .. }
        | Operation::AlterUniqueTogether { table, .. } => state.get(table).cloned(),
    };
    state::apply(state, operation)?;
    let table_after = |table: &str| state.get(table).cloned().unwrap_or_default();
    let before = before.unwrap_or_default();
    Ok(match (*operation, backend) {
        (Operation::CreateTable { table, .. }, _) => {
            vec![create_sql(table, &table_after(table), backend)?]
        }
        (Operation::CreateJoinTable { table, from, to }, _) => join_sql(table, from, to, backend),
        (Operation::DropTable { table }, _) => vec![
            format!("DROP TABLE {}", quoted(table)),
            // What the host derived for it (see db::derived).
            format!(
                "DROP TABLE IF EXISTS {}",
                quoted(&format!("{table}__search"))
            ),
        ],
        (Operation::TimestampColumns { .. }, Backend::Sqlite) => Vec::new(),
        (Operation::TimestampColumns { table }, Backend::Postgres) => {
            let retype = |column: &str| {
                let column = quoted(column);
                format!(
                    "ALTER COLUMN {column} TYPE TIMESTAMPTZ USING CAST({column} AS TIMESTAMPTZ)"
                )
            };
            vec![format!(
                "ALTER TABLE {} {}, {}",
                quoted(table),
                retype("created"),
                retype("last_updated")
            )]
        }
        (Operation::Sql { sqlite, .. }, Backend::Sqlite) => vec![sqlite.to_string()],
        (Operation::Sql { postgres, .. }, Backend::Postgres) => vec![postgres.to_string()],
        (Operation::AddColumn { table, column }, Backend::Sqlite)
            if !column.unique
                && (column.references.is_none() || column.null && column.default.is_none()) =>
        {
            vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quoted(table),
                column_sql(table, &column, backend)?
            )]
        }
        (Operation::AddColumn { table, column }, Backend::Postgres) => {
            vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                quoted(table),
                column_sql(table, &column, backend)?
            )]
        }
        (Operation::DropColumn { table, column }, Backend::Postgres) => {
            vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                quoted(table),
                quoted(column)
            )]
        }
        (Operation::AlterColumn { table, column }, Backend::Postgres) => {
            let old = before.column(column.name).copied().unwrap_or(column);
            postgres_alter(table, &old, &column)?
        }
        (Operation::AlterUniqueTogether { table, .. }, Backend::Postgres) => {
            let mut statements: Vec<String> = before
                .unique_together
                .iter()
                .map(|g| {
                    format!(
                        "ALTER TABLE {} DROP CONSTRAINT {}",
                        quoted(table),
                        quoted(&unique_name(table, g))
                    )
                })
                .collect();
            for group in &table_after(table).unique_together {
                let columns: Vec<String> = group.iter().map(|c| quoted(c)).collect();
                statements.push(format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})",
                    quoted(table),
                    quoted(&unique_name(table, group)),
                    columns.join(", ")
                ));
            }
            statements
        }
        (
            Operation::AddColumn { table, .. }
            | Operation::DropColumn { table, .. }
            | Operation::AlterColumn { table, .. }
            | Operation::AlterUniqueTogether { table, .. },
            Backend::Sqlite,
        ) => rebuild(table, &before, &table_after(table))?,
    })
}

/// The SQL of each of a plugin's `migrations` for `backend`, in order: the hand-written SQL, or
/// the operations rendered against the tables the earlier ones made.
pub fn render_all(
    migrations: &[Migration],
    backend: Backend,
) -> Result<Vec<Cow<'static, str>>, String> {
    let mut state = State::new();
    let mut rendered = Vec::with_capacity(migrations.len());
    for migration in migrations {
        match migration.sql {
            MigrationSql::Operations(operations) => {
                let mut statements = Vec::new();
                for operation in operations {
                    statements.extend(
                        operation_sql(&mut state, operation, backend)
                            .map_err(|e| format!("migration `{}`: {e}", migration.name))?,
                    );
                }
                rendered.push(Cow::Owned(statements.join(";\n") + ";"));
            }
            _ => rendered.push(migration.sql_for(backend).unwrap_or_default()),
        }
    }
    Ok(rendered)
}
