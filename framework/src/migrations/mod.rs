//! Database migrations of a plugin's own tables, like Django's per-app migrations: applied in
//! order, recorded by (plugin, name).
//!
//! A migration is either a list of schema [`Operation`]s, which `netbox makemigrations` writes
//! from the plugin's models and the host renders as SQL for each backend, or hand-written SQL
//! (one text for every backend, or one per backend) for what operations cannot say.
//!
//! ```
//! use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
//!
//! // What `netbox makemigrations` writes into `src/migrations/0001_initial.rs`.
//! pub const MIGRATION: Migration = Migration::operations(
//!     "0001_initial",
//!     &[Operation::CreateTable {
//!         table: "zoo_animal",
//!         columns: &[
//!             Column::new("name", ColumnType::Text).unique(),
//!             Column::new("legs", ColumnType::Integer).null(),
//!         ],
//!         unique_together: &[],
//!     }],
//! );
//! assert!(MIGRATION.sql_for(netbox_framework::migrations::Backend::Sqlite).is_none());
//! ```
//!
//! ```
//! use netbox_framework::migrations::{Backend, Migration};
//!
//! let create = Migration::portable("0001_animals", "CREATE TABLE animal_sounds_animal (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
//! let index = Migration::per_backend(
//!     "0002_animal_name_index",
//!     "CREATE INDEX animal_name ON animal_sounds_animal (name)",
//!     "CREATE INDEX animal_name ON animal_sounds_animal (lower(name))",
//! );
//! assert_eq!(index.sql_for(Backend::Postgres).as_deref(), Some("CREATE INDEX animal_name ON animal_sounds_animal (lower(name))"));
//! assert_eq!(create.name, "0001_animals");
//!
//! // Written once for SQLite; the PostgreSQL text is derived (integer ids and columns 64-bit).
//! let derived = Migration::from_sqlite("0003_keepers", "CREATE TABLE keeper (id INTEGER PRIMARY KEY AUTOINCREMENT, age INTEGER NOT NULL)");
//! assert_eq!(derived.sql_for(Backend::Postgres).as_deref(), Some("CREATE TABLE keeper (id BIGSERIAL PRIMARY KEY, age BIGINT NOT NULL)"));
//! ```

mod operations;

pub use operations::{Column, ColumnType, Operation, Reference};
use std::borrow::Cow;

/// A database backend the host supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The SQL of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationSql {
    /// One text for every backend.
    Portable(&'static str),
    /// One text per backend.
    PerBackend {
        /// For SQLite.
        sqlite: &'static str,
        /// For PostgreSQL.
        postgres: &'static str,
    },
    /// SQLite's dialect; PostgreSQL's is derived from it (see [`Migration::from_sqlite`]).
    FromSqlite(&'static str),
    /// Schema operations, rendered by the host for its backend.
    Operations(&'static [Operation]),
}

/// One migration of a plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Unique within the plugin; migrations apply in the order the plugin lists them.
    pub name: &'static str,
    /// The SQL.
    pub sql: MigrationSql,
}

impl Migration {
    /// A migration whose SQL runs on every backend.
    pub const fn portable(name: &'static str, sql: &'static str) -> Self {
        Migration {
            name,
            sql: MigrationSql::Portable(sql),
        }
    }

    /// A migration with one SQL text per backend.
    pub const fn per_backend(
        name: &'static str,
        sqlite: &'static str,
        postgres: &'static str,
    ) -> Self {
        Migration {
            name,
            sql: MigrationSql::PerBackend { sqlite, postgres },
        }
    }

    /// A migration written in SQLite's dialect, with PostgreSQL's derived from it: an
    /// `INTEGER PRIMARY KEY AUTOINCREMENT` id becomes `BIGSERIAL PRIMARY KEY` and every other
    /// `INTEGER` column `BIGINT`, so ids and foreign keys are 64-bit on both backends. Use
    /// [`per_backend`](Self::per_backend) for anything else that differs.
    pub const fn from_sqlite(name: &'static str, sql: &'static str) -> Self {
        Migration {
            name,
            sql: MigrationSql::FromSqlite(sql),
        }
    }

    /// A migration of schema operations (what `netbox makemigrations` writes); the host
    /// renders them as SQL for its backend.
    pub const fn operations(name: &'static str, operations: &'static [Operation]) -> Self {
        Migration {
            name,
            sql: MigrationSql::Operations(operations),
        }
    }

    /// The hand-written SQL to run on `backend`, or `None` for a migration of
    /// [operations](Self::operations), whose SQL the host renders.
    pub fn sql_for(&self, backend: Backend) -> Option<Cow<'static, str>> {
        Some(match (self.sql, backend) {
            (MigrationSql::Operations(_), _) => return None,
            (MigrationSql::Portable(sql), _) => Cow::Borrowed(sql),
            (MigrationSql::PerBackend { sqlite, .. }, Backend::Sqlite) => Cow::Borrowed(sqlite),
            (MigrationSql::PerBackend { postgres, .. }, Backend::Postgres) => {
                Cow::Borrowed(postgres)
            }
            (MigrationSql::FromSqlite(sql), Backend::Sqlite) => Cow::Borrowed(sql),
            (MigrationSql::FromSqlite(sql), Backend::Postgres) => {
                Cow::Owned(postgres_from_sqlite(sql))
            }
        })
    }
}

/// PostgreSQL's dialect of a SQLite migration: the word `INTEGER` (any case, outside string
/// literals and quoted names) becomes `BIGINT`, and `INTEGER PRIMARY KEY [AUTOINCREMENT]`
/// becomes `BIGSERIAL PRIMARY KEY`.
fn postgres_from_sqlite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if c == '\'' || c == '"' {
            // A string literal or quoted name, copied as is ('' and "" escape themselves).
            let end = rest[1..].find(c).map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            rest = after;
            if !word.eq_ignore_ascii_case("INTEGER") {
                out.push_str(word);
            } else if let Some(after_key) = primary_key(rest) {
                out.push_str("BIGSERIAL PRIMARY KEY");
                rest = after_key;
            } else {
                out.push_str("BIGINT");
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// What follows ` PRIMARY KEY [AUTOINCREMENT]` at the start of `text`, if it starts so.
fn primary_key(text: &str) -> Option<&str> {
    let mut rest = text;
    for (index, keyword) in ["PRIMARY", "KEY", "AUTOINCREMENT"].iter().enumerate() {
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() {
            return if index == 2 { Some(rest) } else { None };
        }
        let word_end = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        if !trimmed[..word_end].eq_ignore_ascii_case(keyword) {
            return if index == 2 { Some(rest) } else { None };
        }
        rest = &trimmed[word_end..];
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_dialect_is_derived_word_by_word() {
        let derived = |sql| postgres_from_sqlite(sql);
        assert_eq!(
            derived(
                "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT,\n\tn integer NOT NULL, s TEXT DEFAULT 'INTEGER', \"integer\" INTEGER)"
            ),
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY,\n\tn BIGINT NOT NULL, s TEXT DEFAULT 'INTEGER', \"integer\" BIGINT)"
        );
        assert_eq!(
            derived("id INTEGER PRIMARY KEY, x INTEGERS"),
            "id BIGSERIAL PRIMARY KEY, x INTEGERS"
        );
        assert_eq!(derived("n INTEGER PRIMARY"), "n BIGINT PRIMARY");
    }
}
