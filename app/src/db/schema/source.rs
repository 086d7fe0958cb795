//! The Rust source `netbox makemigrations` writes into a plugin crate: one file per migration
//! in `src/migrations/`, and `src/migrations/mod.rs` listing them.

use netbox_framework::migrations::{Column, ColumnType, Operation};
use netbox_framework::models::OnDelete;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn column(column: &Column) -> String {
    let ty = match column.ty {
        ColumnType::Text => "Text".to_string(),
        ColumnType::Integer => "Integer".to_string(),
        ColumnType::Boolean => "Boolean".to_string(),
        ColumnType::Json => "Json".to_string(),
        ColumnType::Decimal(precision, scale) => format!("Decimal({precision}, {scale})"),
        ColumnType::Date => "Date".to_string(),
        ColumnType::DateTime => "DateTime".to_string(),
        ColumnType::Inet => "Inet".to_string(),
        ColumnType::Cidr => "Cidr".to_string(),
    };
    let mut text = format!("Column::new({:?}, ColumnType::{ty})", column.name);
    if column.null {
        text.push_str(".null()");
    }
    if column.unique {
        text.push_str(".unique()");
    }
    if let Some(value) = column.default {
        let _ = write!(text, ".default({value:?})");
    }
    if let Some(reference) = column.references {
        let on_delete = match reference.on_delete {
            OnDelete::Protect => "Protect",
            OnDelete::Cascade => "Cascade",
            OnDelete::SetNull => "SetNull",
        };
        let _ = write!(
            text,
            ".references({:?}, OnDelete::{on_delete})",
            reference.table
        );
    }
    text
}

fn groups(groups: &[&[&str]]) -> String {
    let inner: Vec<String> = groups.iter().map(|g| format!("&{g:?}")).collect();
    format!("&[{}]", inner.join(", "))
}

fn operation(operation: &Operation) -> String {
    match operation {
        Operation::CreateTable {
            table,
            columns,
            unique_together,
        } => {
            let columns: Vec<String> = columns.iter().map(column).collect();
            format!(
                "Operation::CreateTable {{ table: {table:?}, columns: &[{}], unique_together: {} }}",
                columns.join(", "),
                groups(unique_together)
            )
        }
        Operation::CreateJoinTable { table, from, to } => {
            format!("Operation::CreateJoinTable {{ table: {table:?}, from: {from:?}, to: {to:?} }}")
        }
        Operation::DropTable { table } => format!("Operation::DropTable {{ table: {table:?} }}"),
        Operation::AddColumn { table, column: c } => {
            format!(
                "Operation::AddColumn {{ table: {table:?}, column: {} }}",
                column(c)
            )
        }
        Operation::DropColumn { table, column } => {
            format!("Operation::DropColumn {{ table: {table:?}, column: {column:?} }}")
        }
        Operation::AlterColumn { table, column: c } => {
            format!(
                "Operation::AlterColumn {{ table: {table:?}, column: {} }}",
                column(c)
            )
        }
        Operation::AlterUniqueTogether {
            table,
            unique_together,
        } => format!(
            "Operation::AlterUniqueTogether {{ table: {table:?}, unique_together: {} }}",
            groups(unique_together)
        ),
        Operation::TimestampColumns { table } => {
            format!("Operation::TimestampColumns {{ table: {table:?} }}")
        }
        Operation::Sql { sqlite, postgres } => {
            format!("Operation::Sql {{ sqlite: {sqlite:?}, postgres: {postgres:?} }}")
        }
    }
}

/// The file of migration `name` of `plugin`.
pub fn migration_file(plugin: &str, name: &str, operations: &[Operation]) -> String {
    let uses_on_delete = operations.iter().any(|o| match o {
        Operation::CreateTable { columns, .. } => columns.iter().any(|c| c.references.is_some()),
        Operation::AddColumn { column, .. } | Operation::AlterColumn { column, .. } => {
            column.references.is_some()
        }
        _ => false,
    });
    let summary: Vec<String> = operations.iter().map(super::describe).collect();
    let body: Vec<String> = operations.iter().map(operation).collect();
    let mut text = format!(
        "//! Migration `{name}` of plugin `{plugin}`, written by `netbox makemigrations`: {}.\n\n",
        summary.join(", ")
    );
    text.push_str("#[allow(unused_imports)]\nuse netbox_framework::migrations::{Column, ColumnType, Migration, Operation};\n");
    if uses_on_delete {
        text.push_str("use netbox_framework::models::OnDelete;\n");
    }
    let _ = write!(
        text,
        "\n/// The migration.\npub const MIGRATION: Migration = Migration::operations({name:?}, &[{}]);\n",
        body.join(", ")
    );
    text
}

/// `src/migrations/mod.rs` listing the migration files `names` (without `.rs`), in order.
pub fn module_file(plugin: &str, names: &[String]) -> String {
    let mut text = format!(
        "//! Migrations of plugin `{plugin}`, in order: one file per migration, each defining\n\
         //! `MIGRATION`. `netbox makemigrations` writes the files and this list; a hand-written\n\
         //! migration is a file of the same form, listed by the next run.\n\n\
         use netbox_framework::migrations::Migration;\n"
    );
    for name in names {
        let _ = write!(text, "\n#[path = \"{name}.rs\"]\nmod m{name};\n");
    }
    let list: Vec<String> = names.iter().map(|n| format!("m{n}::MIGRATION")).collect();
    let _ = write!(
        text,
        "\n/// Every migration, in order (the plugin's `Plugin::migrations`).\npub const ALL: &[Migration] = &[{}];\n",
        list.join(", ")
    );
    text
}

/// The migration files in `directory` (`NNNN_name`, without `.rs`), sorted.
pub fn existing(directory: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    match std::fs::read_dir(directory) {
        Ok(entries) => {
            for entry in entries {
                let file = entry?.file_name().to_string_lossy().into_owned();
                if let Some(stem) = file.strip_suffix(".rs")
                    && stem.len() > 5
                    && stem[..4].chars().all(|c| c.is_ascii_digit())
                    && stem.as_bytes()[4] == b'_'
                {
                    names.push(stem.to_string());
                }
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    names.sort();
    Ok(names)
}

/// Writes `text` to `path` unless it holds it already, then formats it with `rustfmt` when
/// one is installed (so that the plugin's `cargo fmt --check` passes). Returns whether the
/// file changed.
pub fn write(path: &PathBuf, text: &str) -> std::io::Result<bool> {
    let formatted = format(text);
    if std::fs::read_to_string(path).is_ok_and(|old| old == formatted) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, formatted)?;
    Ok(true)
}

/// `text` formatted by `rustfmt` (edition 2024), or as it is when rustfmt is not available.
fn format(text: &str) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return text.to_string();
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait_with_output() {
        Ok(output) if output.status.success() && !output.stdout.is_empty() => {
            String::from_utf8(output.stdout).unwrap_or_else(|_| text.to_string())
        }
        _ => text.to_string(),
    }
}
