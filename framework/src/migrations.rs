//! Database migrations of a plugin's own tables, like Django's per-app migrations: applied in
//! order, recorded by (plugin, name), with one SQL text for every backend or one per backend.
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
//! assert_eq!(index.sql_for(netbox_framework::migrations::Backend::Postgres), "CREATE INDEX animal_name ON animal_sounds_animal (lower(name))");
//! assert_eq!(create.name, "0001_animals");
//!
//! // Written once for SQLite; the PostgreSQL text is derived (integer ids and columns 64-bit).
//! let derived = Migration::from_sqlite("0003_keepers", "CREATE TABLE keeper (id INTEGER PRIMARY KEY AUTOINCREMENT, age INTEGER NOT NULL)");
//! assert_eq!(derived.sql_for(Backend::Postgres), "CREATE TABLE keeper (id BIGSERIAL PRIMARY KEY, age BIGINT NOT NULL)");
//! ```

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

    /// The SQL to run on `backend`.
    pub fn sql_for(&self, backend: Backend) -> Cow<'static, str> {
        match (self.sql, backend) {
            (MigrationSql::Portable(sql), _) => Cow::Borrowed(sql),
            (MigrationSql::PerBackend { sqlite, .. }, Backend::Sqlite) => Cow::Borrowed(sqlite),
            (MigrationSql::PerBackend { postgres, .. }, Backend::Postgres) => {
                Cow::Borrowed(postgres)
            }
            (MigrationSql::FromSqlite(sql), Backend::Sqlite) => Cow::Borrowed(sql),
            (MigrationSql::FromSqlite(sql), Backend::Postgres) => Cow::Owned(
                sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
                    .replace(" INTEGER", " BIGINT"),
            ),
        }
    }
}
