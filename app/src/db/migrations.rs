//! Migrations, Django-style: the host's own (`core`) and each enabled plugin's, applied in
//! order (core first, then plugins in configuration order) and recorded in
//! `netbox_migrations` by (owner, name) with a checksum of the SQL that ran.
//!
//! - Each migration runs in its own transaction: a failure rolls it back and names the plugin
//!   and the migration.
//! - An applied migration whose SQL changed since is an error, never re-run.
//! - Migrating holds a database lock (PostgreSQL advisory lock; SQLite's write lock for each
//!   migration, re-checked inside it), so instances starting together never apply one twice.
//! - A plugin that is disabled keeps its tables and records: data is never dropped silently.

use super::statement::{now, statement};
use super::{Database, DatabaseError};
use crate::plugins::Contributions;
use netbox_framework::migrations::Backend;
use sea_query::{Asterisk, Expr, ExprTrait, Query};
use sqlx::Executor;
use sqlx::{AssertSqlSafe, Row};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Key of the PostgreSQL advisory lock held while migrating.
const LOCK_KEY: i64 = 0x6e_65_74_62_6f_78; // "netbox"

/// The table recording applied migrations.
const TABLE: &str = "netbox_migrations";

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS netbox_migrations (
    plugin TEXT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (plugin, name)
)";

/// A migration to consider, with the SQL for this backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMigration {
    /// `core` or the plugin's name.
    pub owner: &'static str,
    /// The migration's name.
    pub name: Cow<'static, str>,
    /// SQL for the connected backend.
    pub sql: Cow<'static, str>,
    /// SHA-256 of `sql`, hex.
    pub checksum: String,
    /// Whether the host derived it from a model's schema (see [`super::derived`]): it is
    /// applied again whenever it changes, instead of refusing the change.
    pub derived: bool,
    /// The model a derived migration is derived from.
    pub model: Option<&'static netbox_framework::models::ModelSchema>,
}

/// A migration's state in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied at the given time, with the same SQL.
    Applied(String),
    /// Not applied yet.
    Pending,
    /// Applied at the given time, but its SQL has changed since.
    Changed(String),
}

/// One line of `netbox migrate --list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// `core` or a plugin name.
    pub owner: String,
    /// Migration name.
    pub name: String,
    /// State.
    pub state: MigrationState,
}

/// Migrating failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// A plugin lists two migrations of one name.
    #[error(
        "plugin `{owner}` lists migration `{name}` twice: migration names must be unique within a plugin"
    )]
    DuplicateName {
        /// The plugin.
        owner: String,
        /// The name.
        name: String,
    },
    /// An applied migration's SQL changed.
    #[error(
        "migration `{name}` of `{owner}` was applied with different SQL (checksum {recorded}, now {current}): an applied migration must never change; add a new migration instead"
    )]
    ChecksumChanged {
        /// `core` or the plugin.
        owner: String,
        /// The migration.
        name: String,
        /// Checksum recorded when it was applied.
        recorded: String,
        /// Checksum of the SQL now.
        current: String,
    },
    /// A migration's SQL failed; its transaction was rolled back.
    #[error(
        "migration `{name}` of `{owner}` failed and was rolled back (nothing of it was applied): {source}"
    )]
    Failed {
        /// `core` or the plugin.
        owner: String,
        /// The migration.
        name: String,
        /// The database's error.
        source: sqlx::Error,
    },
    /// A migration's operations do not apply to the tables the earlier ones made.
    #[error("the migrations of `{owner}` do not apply: {message}")]
    Invalid {
        /// `core` or the plugin.
        owner: String,
        /// What is wrong.
        message: String,
    },
    /// Any other database error.
    #[error(transparent)]
    Database(#[from] DatabaseError),
}

impl From<sqlx::Error> for MigrationError {
    fn from(error: sqlx::Error) -> Self {
        MigrationError::Database(DatabaseError::Query(error))
    }
}

/// SHA-256 of a migration's SQL, hex.
pub fn checksum(sql: &str) -> String {
    super::sha256_hex(sql)
}

/// A migration name each plugin lists twice.
fn duplicate_names(contributions: &Contributions) -> Vec<MigrationError> {
    let mut duplicates = Vec::new();
    for contribution in contributions.all() {
        let mut seen = HashSet::new();
        for migration in &contribution.migrations {
            if !seen.insert(migration.name) {
                duplicates.push(MigrationError::DuplicateName {
                    owner: contribution.name().to_string(),
                    name: migration.name.to_string(),
                });
            }
        }
    }
    duplicates
}

/// Every migration name a plugin lists twice, as startup problems (found before any database
/// is opened, so `netbox check` reports them too).
pub fn check_names(contributions: &Contributions) -> Vec<crate::problems::Problem> {
    duplicate_names(contributions)
        .into_iter()
        .map(|error| crate::problems::Problem::InvalidContribution {
            plugin: None,
            message: error.to_string(),
        })
        .collect()
}

/// Every migration to consider: the core's, then each enabled plugin's, in order.
pub fn plan(
    contributions: &Contributions,
    backend: Backend,
) -> Result<Vec<PlannedMigration>, MigrationError> {
    if let Some(duplicate) = duplicate_names(contributions).into_iter().next() {
        return Err(duplicate);
    }
    let mut planned = Vec::new();
    for contribution in contributions.all() {
        let mut own = String::new();
        let rendered = super::schema::render::render_all(&contribution.migrations, backend)
            .map_err(|message| MigrationError::Invalid {
                owner: contribution.name().to_string(),
                message,
            })?;
        for (migration, sql) in contribution.migrations.iter().zip(rendered) {
            let sum = checksum(&sql);
            own.push_str(&sum);
            planned.push(PlannedMigration {
                owner: contribution.name(),
                name: Cow::Borrowed(migration.name),
                checksum: sum,
                sql,
                derived: false,
                model: None,
            });
        }
        // After the owner's migrations, and again after any new one (which may rebuild a
        // table and lose what was derived from it).
        for schema in &contribution.models {
            let sql = super::derived::sql(schema, backend);
            planned.push(PlannedMigration {
                owner: contribution.name(),
                name: Cow::Owned(super::derived::name(schema)),
                checksum: checksum(&format!("{sql}\n{own}")),
                sql: Cow::Owned(sql),
                derived: true,
                model: Some(schema),
            });
        }
    }
    Ok(planned)
}

/// (owner, name) → (checksum, applied_at) of every applied migration.
type Records = HashMap<(String, String), (String, String)>;

async fn records<'c, E: Executor<'c, Database = sqlx::Any>>(
    executor: E,
) -> Result<Records, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT plugin, name, checksum, applied_at FROM netbox_migrations")
            .fetch_all(executor)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(owner, name, checksum, at)| ((owner, name), (checksum, at)))
        .collect())
}

/// The state of every planned migration, then every recorded migration that is not planned
/// (a disabled plugin's, whose tables are kept).
pub async fn status(
    database: &Database,
    planned: &[PlannedMigration],
) -> Result<(Vec<MigrationStatus>, Vec<MigrationStatus>), MigrationError> {
    database.pool().execute(CREATE_TABLE).await?;
    let mut records = records(database.pool()).await?;
    let statuses = planned
        .iter()
        .map(|migration| {
            let key = (migration.owner.to_string(), migration.name.to_string());
            let state = match records.remove(&key) {
                None => MigrationState::Pending,
                Some((checksum, at)) if checksum == migration.checksum => {
                    MigrationState::Applied(at)
                }
                Some(_) if migration.derived => MigrationState::Pending,
                Some((_, at)) => MigrationState::Changed(at),
            };
            MigrationStatus {
                owner: key.0,
                name: key.1,
                state,
            }
        })
        .collect();
    let mut unplanned: Vec<MigrationStatus> = records
        .into_iter()
        .map(|((owner, name), (_, at))| MigrationStatus {
            owner,
            name,
            state: MigrationState::Applied(at),
        })
        .collect();
    unplanned.sort_by(|a, b| (&a.owner, &a.name).cmp(&(&b.owner, &b.name)));
    Ok((statuses, unplanned))
}

/// Applies every pending migration, in order, under the migration lock. Returns the
/// (owner, name) of each migration applied now.
pub async fn migrate(
    database: &Database,
    planned: &[PlannedMigration],
) -> Result<Vec<(String, String)>, MigrationError> {
    let backend = database.backend();
    let mut connection = database.pool().acquire().await?;
    if backend == Backend::Postgres {
        // Migrating waits as long as it takes (for another instance's migration, for
        // writers), unlike requests.
        connection.execute("SET lock_timeout = 0").await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *connection)
            .await?;
    }
    let result = migrate_locked(&mut connection, backend, planned).await;
    if backend == Backend::Postgres {
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *connection)
            .await;
        let restored = connection
            .execute(AssertSqlSafe(format!(
                "SET lock_timeout = '{}s'",
                super::BUSY_TIMEOUT_SECONDS
            )))
            .await;
        if let Err(error) = unlocked.map(|_| ()).and(restored.map(|_| ())) {
            tracing::warn!(%error, "could not release the migration lock; it ends with the connection");
            connection.close_on_drop();
        }
    }
    result
}

async fn migrate_locked(
    connection: &mut sqlx::AnyConnection,
    backend: Backend,
    planned: &[PlannedMigration],
) -> Result<Vec<(String, String)>, MigrationError> {
    connection.execute(CREATE_TABLE).await?;
    let existing = records(&mut *connection).await?;
    for migration in planned {
        if let Some((recorded, _)) =
            existing.get(&(migration.owner.to_string(), migration.name.to_string()))
            && *recorded != migration.checksum
            && !migration.derived
        {
            return Err(MigrationError::ChecksumChanged {
                owner: migration.owner.to_string(),
                name: migration.name.to_string(),
                recorded: recorded.clone(),
                current: migration.checksum.clone(),
            });
        }
    }
    let begin = match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    let mut applied = Vec::new();
    for migration in planned {
        let key = (migration.owner.to_string(), migration.name.to_string());
        if existing
            .get(&key)
            .is_some_and(|(recorded, _)| *recorded == migration.checksum)
        {
            continue;
        }
        if backend == Backend::Sqlite {
            // A table rebuild drops the old table: with enforcement on, that would delete (or
            // cascade to) the rows referring to it. References are checked before commit.
            connection.execute("PRAGMA foreign_keys = OFF").await?;
        }
        connection.execute(begin).await?;
        // Another instance may have applied it since we looked (SQLite has no advisory lock;
        // BEGIN IMMEDIATE holds the write lock from here on).
        let count = Query::select()
            .expr(Expr::col(Asterisk).count())
            .from(TABLE)
            .and_where(Expr::col("plugin").eq(key.0.as_str()))
            .and_where(Expr::col("name").eq(key.1.as_str()))
            .and_where(Expr::col("checksum").eq(migration.checksum.as_str()))
            .take();
        let count: i64 = statement(backend, &count)
            .fetch_one(&mut *connection)
            .await?
            .try_get(0)?;
        if count > 0 {
            connection.execute("ROLLBACK").await?;
            if backend == Backend::Sqlite {
                connection.execute("PRAGMA foreign_keys = ON").await?;
            }
            continue;
        }
        let outcome = async {
            sqlx::raw_sql(AssertSqlSafe(migration.sql.to_string()))
                .execute(&mut *connection)
                .await?;
            // A derived migration applied before is replaced by this version.
            let previous = Query::delete()
                .from_table(TABLE)
                .and_where(Expr::col("plugin").eq(key.0.as_str()))
                .and_where(Expr::col("name").eq(key.1.as_str()))
                .take();
            statement(backend, &previous)
                .execute(&mut *connection)
                .await?;
            let insert = Query::insert()
                .into_table(TABLE)
                .columns(["plugin", "name", "checksum", "applied_at"])
                .values_panic([
                    Expr::val(key.0.as_str()),
                    Expr::val(key.1.as_str()),
                    Expr::val(migration.checksum.as_str()),
                    Expr::val(now()),
                ])
                .take();
            statement(backend, &insert)
                .execute(&mut *connection)
                .await?;
            if backend == Backend::Sqlite {
                let dangling = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_optional(&mut *connection)
                    .await?;
                if let Some(row) = dangling {
                    let table: String = row.try_get(0).unwrap_or_default();
                    return Err(sqlx::Error::Protocol(format!(
                        "rows of table `{table}` refer to rows that no longer exist"
                    )));
                }
            }
            connection.execute("COMMIT").await?;
            Ok::<(), sqlx::Error>(())
        }
        .await;
        if let Err(source) = outcome {
            if let Err(error) = connection.execute("ROLLBACK").await {
                tracing::warn!(%error, "rollback after a failed migration failed");
            }
            if backend == Backend::Sqlite {
                connection.execute("PRAGMA foreign_keys = ON").await?;
            }
            return Err(MigrationError::Failed {
                owner: key.0,
                name: key.1,
                source,
            });
        }
        if backend == Backend::Sqlite {
            connection.execute("PRAGMA foreign_keys = ON").await?;
        }
        tracing::info!(owner = %key.0, migration = %key.1, "applied migration");
        applied.push(key);
    }
    if backend == Backend::Sqlite {
        let models: Vec<_> = planned.iter().filter_map(|m| m.model).collect();
        connection.execute(begin).await?;
        match super::network_keys::ensure(&mut *connection, &models).await {
            Ok(()) => connection.execute("COMMIT").await?,
            Err(error) => {
                connection.execute("ROLLBACK").await?;
                return Err(error.into());
            }
        };
    }
    Ok(applied)
}

/// The pending migrations among `statuses`, as `owner name`.
pub fn pending(statuses: &[MigrationStatus]) -> Vec<String> {
    statuses
        .iter()
        .filter(|status| status.state == MigrationState::Pending)
        .map(|status| format!("{} {}", status.owner, status.name))
        .collect()
}

/// Connects to the database and brings its schema up to date, or explains why it will not:
/// pending migrations are applied when `auto_migrate` says so (default: yes on SQLite, no on
/// PostgreSQL), otherwise they are named and the server does not start.
pub async fn prepare(
    contributions: &Contributions,
    config: &crate::config::Config,
) -> Result<Database, String> {
    let database = Database::connect(&config.database_url())
        .await
        .map_err(|e| e.to_string())?;
    let planned = plan(contributions, database.backend()).map_err(|e| e.to_string())?;
    let (statuses, _) = status(&database, &planned)
        .await
        .map_err(|e| e.to_string())?;
    let pending = pending(&statuses);
    let auto = config.auto_migrate_on(database.backend());
    if !pending.is_empty() && !auto {
        return Err(format!(
            "the database {} has {} pending migration(s): {}. Run `netbox migrate` (or set auto_migrate = true)",
            database.display_url(),
            pending.len(),
            pending.join(", ")
        ));
    }
    // Applies what is pending and refuses a changed migration, with or without pending ones.
    migrate(&database, &planned)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(database = database.display_url(), "database ready");
    Ok(database)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_sha256_hex() {
        assert_eq!(checksum("").len(), 64);
        assert_eq!(&checksum("abc")[..8], "ba7816bf");
    }
}
