//! The database: an embedded SQLite file by default, PostgreSQL when the URL says so. One
//! code path for both, through sqlx's `Any` driver; SQL that differs per backend is chosen
//! with [`Backend`].

pub mod derived;
pub mod migrations;
pub mod network_keys;
pub mod schema;
pub mod statement;

use netbox_framework::migrations::Backend;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub use crate::config::DEFAULT_DATABASE_URL;

/// A database that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// The URL names no supported backend.
    #[error(
        "database URL `{0}` is not supported: use sqlite://PATH (e.g. sqlite://netbox.db) or postgres://USER@HOST/DATABASE"
    )]
    UnsupportedUrl(String),
    /// Connecting failed.
    #[error("cannot connect to the database {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// Why.
        source: sqlx::Error,
    },
    /// The server did not answer in time.
    #[error(
        "cannot connect to the database {url}: no answer within {seconds} s (is the host reachable and the port right?)"
    )]
    Timeout {
        /// The URL, password hidden.
        url: String,
        /// How long it waited.
        seconds: u64,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// A connection pool and the backend behind it.
#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    display_url: String,
}

/// Lower-case hexadecimal of `bytes`, as digests are stored (migration checksums, token and
/// session keys).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Lower-case hexadecimal SHA-256 of `text`.
///
/// ```
/// assert_eq!(netbox_app::db::sha256_hex("").len(), 64);
/// ```
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(text.as_bytes()))
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Whether `error` means the database is busy rather than broken: a SQLite file locked past
/// the busy timeout, a PostgreSQL lock not granted within `lock_timeout`, a serialization
/// failure or deadlock, or no pooled connection free in time. The request may be retried.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(database) => match database.code() {
            // SQLITE_BUSY, SQLITE_LOCKED and their extended codes.
            Some(code) if code.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6)) => true,
            Some(code) => matches!(code.as_ref(), "55P03" | "40001" | "40P01" | "57014"),
            None => false,
        },
        _ => false,
    }
}

/// How long a write waits for a lock (a SQLite file, a PostgreSQL row) or a pooled
/// connection before the request is answered "busy, retry" (503).
pub const BUSY_TIMEOUT_SECONDS: u64 = 5;

/// The backend a URL names.
pub fn backend_of(url: &str) -> Result<Backend, DatabaseError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(DatabaseError::UnsupportedUrl(redact(url)))
    }
}

impl Database {
    /// Opens one connection to `url` (without creating a SQLite file), within
    /// [`BUSY_TIMEOUT_SECONDS`]: the real cause when it fails (refused, unknown host, wrong
    /// password, no such database or file), or how long it waited.
    pub async fn probe(url: &str) -> Result<(), DatabaseError> {
        install_default_drivers();
        backend_of(url)?;
        let display_url = redact(url);
        let attempt = <sqlx::AnyConnection as sqlx::Connection>::connect(url);
        match tokio::time::timeout(Duration::from_secs(BUSY_TIMEOUT_SECONDS), attempt).await {
            Ok(Ok(connection)) => {
                let _ = sqlx::Connection::close(connection).await;
                Ok(())
            }
            Ok(Err(source)) => Err(DatabaseError::Connect {
                url: display_url,
                source,
            }),
            Err(_) => Err(DatabaseError::Timeout {
                url: display_url,
                seconds: BUSY_TIMEOUT_SECONDS,
            }),
        }
    }

    /// Connects. A SQLite file is created if missing and runs in WAL mode with foreign keys
    /// enforced on every connection. A server that cannot be reached is reported with its
    /// cause within [`BUSY_TIMEOUT_SECONDS`] (see [`Database::probe`]).
    pub async fn connect(url: &str) -> Result<Database, DatabaseError> {
        install_default_drivers();
        let backend = backend_of(url)?;
        let display_url = redact(url);
        let connect_url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}mode=rwc")
            }
            _ => url.to_string(),
        };
        if backend == Backend::Postgres {
            Self::probe(&connect_url).await?;
        }
        let options = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(BUSY_TIMEOUT_SECONDS));
        let options = match backend {
            Backend::Sqlite => options.after_connect(|connection, _| {
                Box::pin(async move {
                    connection.execute("PRAGMA foreign_keys = ON").await?;
                    // Reads of a large file through the memory map instead of a system call
                    // per page, and a larger page cache per connection.
                    connection.execute("PRAGMA mmap_size = 268435456").await?;
                    connection.execute("PRAGMA cache_size = -16000").await?;
                    let timeout = format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT_SECONDS * 1000);
                    connection.execute(sqlx::AssertSqlSafe(timeout)).await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options.after_connect(|connection, _| {
                Box::pin(async move {
                    let timeout = format!("SET lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'");
                    connection.execute(sqlx::AssertSqlSafe(timeout)).await?;
                    Ok(())
                })
            }),
        };
        let pool =
            options
                .connect(&connect_url)
                .await
                .map_err(|source| DatabaseError::Connect {
                    url: display_url.clone(),
                    source,
                })?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        Ok(Database {
            pool,
            backend,
            display_url,
        })
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers wait for each other (up to the busy
    /// timeout) instead of failing when a reader upgrades to a writer.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// The pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL without its password.
    pub fn display_url(&self) -> &str {
        &self.display_url
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://netbox:s3cret@db/netbox"),
            "postgres://netbox:***@db/netbox"
        );
        assert_eq!(
            redact("postgres://netbox@db/netbox"),
            "postgres://netbox@db/netbox"
        );
        assert_eq!(redact("sqlite://netbox.db"), "sqlite://netbox.db");
    }

    #[test]
    fn backends_from_urls() {
        assert_eq!(backend_of("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(backend_of("postgresql://h/d").ok(), Some(Backend::Postgres));
        let error = backend_of("mysql://u:pw@h/d")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("`mysql://u:***@h/d` is not supported"),
            "{error}"
        );
    }
}
