//! What `netbox serve` needs from its environment, checked by `netbox check` without changing
//! anything: a supported database URL, a database that answers (with the real cause, within
//! [`crate::db::BUSY_TIMEOUT_SECONDS`]), a SQLite file that can be written, migrations that
//! `serve` may apply (or none pending), and an address it can listen on.

use crate::config::Config;
use crate::db::migrations::{self, MigrationState};
use crate::db::{self, Database};
use crate::plugins::Contributions;
use netbox_framework::migrations::Backend;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};

/// One finding: what was checked and, when it holds, what was found.
pub struct Finding {
    /// What was checked (`database`, `migrations`, `bind`).
    pub subject: &'static str,
    /// `Ok(what was found)` or `Err(what is wrong)`.
    pub outcome: Result<String, String>,
    /// Whether a problem is only a warning (`serve` may still work later).
    pub warning: bool,
}

impl Finding {
    fn new(subject: &'static str, outcome: Result<String, String>) -> Self {
        Finding {
            subject,
            outcome,
            warning: false,
        }
    }
}

/// The finding about the address `serve` will listen on. An address in use is a warning (a
/// running server holds it while its configuration is checked); one that is not an address,
/// or may not be listened on, is an error.
pub fn bind(bind: &str) -> Finding {
    match listen(bind) {
        Ok(_) => Finding::new("bind", Ok(format!("{bind} is free"))),
        Err(message) => Finding {
            warning: message.contains("in use"),
            ..Finding::new("bind", Err(message))
        },
    }
}

/// The addresses `bind` names, each opened and closed again: `Err` when it is not an address,
/// names nothing, or one of them cannot be listened on (in use, not allowed).
///
/// ```
/// assert!(netbox_app::preflight::listen("127.0.0.1:0").is_ok());
/// assert!(netbox_app::preflight::listen("not an address").is_err());
/// ```
pub fn listen(bind: &str) -> Result<Vec<TcpListener>, String> {
    let addresses: Vec<SocketAddr> = bind
        .to_socket_addrs()
        .map_err(|error| format!("`{bind}` is not an address to listen on (HOST:PORT): {error}"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("`{bind}` names no address"));
    }
    addresses
        .into_iter()
        .map(|address| {
            TcpListener::bind(address)
                .map_err(|error| format!("cannot listen on {address}: {error}"))
        })
        .collect()
}

/// The file of a SQLite URL (`None` for an in-memory database).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// Whether the SQLite file can be written (or created, with its journal, in its directory).
fn writable(path: &Path) -> Result<String, String> {
    if path.exists() {
        return std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(|_| format!("{} is writable", path.display()))
            .map_err(|error| format!("{} cannot be written: {error}", path.display()));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let probe = directory.join(format!(".netbox-check-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .map_err(|error| {
            format!(
                "{} does not exist and cannot be created in {}: {error}",
                path.display(),
                directory.display()
            )
        })
        .map(|()| {
            let _ = std::fs::remove_file(&probe);
            format!("{} will be created", path.display())
        })
}

/// The database findings: URL, reachability, file, and (given the plugins' contributions)
/// migrations.
pub async fn database(config: &Config, contributions: Option<&Contributions>) -> Vec<Finding> {
    let url = config.database_url();
    let backend = match db::backend_of(&url) {
        Ok(backend) => backend,
        Err(error) => return vec![Finding::new("database", Err(error.to_string()))],
    };
    let mut findings = Vec::new();
    if backend == Backend::Sqlite
        && let Some(path) = sqlite_path(&url)
    {
        let file = writable(&path);
        let missing = !path.exists();
        findings.push(Finding::new("database", file));
        if missing || findings.iter().any(|f| f.outcome.is_err()) {
            // Nothing more to learn without creating the file.
            return findings;
        }
    }
    if let Err(error) = Database::probe(&url).await {
        findings.push(Finding::new("database", Err(error.to_string())));
        return findings;
    }
    findings.push(Finding::new(
        "database",
        Ok(format!("{} answers", db::redact(&url))),
    ));
    if let Some(contributions) = contributions {
        findings.push(Finding::new(
            "migrations",
            migrations(config, contributions).await,
        ));
    }
    findings
}

/// Whether `serve` will find the schema ready, or may bring it there itself.
async fn migrations(config: &Config, contributions: &Contributions) -> Result<String, String> {
    let database = Database::connect(&config.database_url())
        .await
        .map_err(|error| error.to_string())?;
    let outcome = async {
        let planned = migrations::plan(contributions, database.backend())?;
        migrations::status(&database, &planned).await
    }
    .await;
    database.close().await;
    let (statuses, _) = outcome.map_err(|error| error.to_string())?;
    if let Some(changed) = statuses
        .iter()
        .find(|status| matches!(status.state, MigrationState::Changed(_)))
    {
        return Err(format!(
            "the applied migration {} {} was changed since; `netbox migrate --list` shows it",
            changed.owner, changed.name
        ));
    }
    let pending = migrations::pending(&statuses);
    let auto =
        config.auto_migrate_on(db::backend_of(&config.database_url()).unwrap_or(Backend::Postgres));
    match (pending.len(), auto) {
        (0, _) => Ok("none pending".into()),
        (n, true) => Ok(format!(
            "{n} pending, applied by `serve` (auto_migrate): {}",
            pending.join(", ")
        )),
        (n, false) => Err(format!(
            "{n} pending and auto_migrate is off: run `netbox migrate` first ({})",
            pending.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_from_urls() {
        assert_eq!(sqlite_path("sqlite://netbox.db"), Some("netbox.db".into()));
        assert_eq!(
            sqlite_path("sqlite:/var/x.db?mode=rwc"),
            Some("/var/x.db".into())
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[test]
    fn a_taken_port_cannot_be_listened_on() {
        let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
        let address = taken.local_addr().expect("address").to_string();
        let error = listen(&address).err().unwrap_or_default();
        assert!(error.contains("cannot listen on"), "{error}");
    }
}
