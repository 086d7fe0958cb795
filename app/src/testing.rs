//! Helpers for end-to-end tests that run a `netbox` binary with a configuration file.
//!
//! ```no_run
//! use netbox_app::testing::NetboxRun;
//!
//! // In an integration test of the app: `env!("CARGO_BIN_EXE_netbox")`.
//! let run = NetboxRun::new("target/debug/netbox")
//!     .config("plugins = [\"animal_sounds\"]")
//!     .run(&["check"]);
//! assert!(run.success(), "{}", run.stderr);
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// One invocation of a `netbox` binary.
#[derive(Debug, Clone)]
pub struct NetboxRun {
    binary: PathBuf,
    config: Option<String>,
    env: Vec<(String, String)>,
    current_dir: Option<PathBuf>,
}

/// What the binary did.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl RunOutput {
    /// True when the process exited with code 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl NetboxRun {
    /// Prepares a run of the binary at `binary`.
    pub fn new(binary: impl AsRef<Path>) -> Self {
        NetboxRun {
            binary: binary.as_ref().to_path_buf(),
            config: None,
            env: Vec::new(),
            current_dir: None,
        }
    }

    /// Writes `text` to a fresh configuration file and passes it with `--config`.
    pub fn config(mut self, text: &str) -> Self {
        self.config = Some(text.to_string());
        self
    }

    /// Sets an environment variable for the process.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Runs the process in `dir`.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.current_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Runs the binary with `args` (after `--config` when a configuration was given) and
    /// waits for it. Panics when the binary cannot be started: this is for tests.
    pub fn run(&self, args: &[&str]) -> RunOutput {
        let mut command = Command::new(&self.binary);
        command.env_remove("NETBOX_CONFIG").env("RUST_LOG", "warn");
        let config_path = self.config.as_ref().map(|text| {
            let path = scratch_file("netbox-test", "toml");
            std::fs::write(&path, text).expect("write the test configuration");
            path
        });
        command.env_remove("DATABASE_URL");
        if let Some(path) = &config_path {
            command.arg("--config").arg(path);
        }
        command.args(args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        if let Some(dir) = &self.current_dir {
            command.current_dir(dir);
        }
        let output = command
            .output()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", self.binary.display()));
        if let Some(path) = config_path {
            let _ = std::fs::remove_file(path);
        }
        RunOutput {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// The variable that points the tests at a PostgreSQL server (an administrative URL, e.g.
/// `postgres://postgres@127.0.0.1/postgres`); without it tests use SQLite files.
pub const TEST_DATABASE_VARIABLE: &str = "NETBOX_TEST_DATABASE_URL";

/// A URL of a new, empty database for one test: a new database on the PostgreSQL server named
/// by `NETBOX_TEST_DATABASE_URL` when it is set, else a new SQLite file in the temporary
/// directory. Panics when PostgreSQL is asked for but cannot be reached: this is for tests.
pub fn fresh_database_url() -> String {
    match std::env::var(TEST_DATABASE_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
    {
        Some(admin_url) => {
            let name = scratch_file("netbox_test", "x")
                .file_stem()
                .and_then(|stem| stem.to_str())
                .map(|stem| stem.replace('-', "_"))
                .expect("scratch names are UTF-8");
            let admin = admin_url.clone();
            let statement = format!("CREATE DATABASE {name}");
            actix_web::rt::System::new().block_on(async move {
                let database = crate::db::Database::connect(&admin)
                    .await
                    .unwrap_or_else(|error| panic!("{TEST_DATABASE_VARIABLE}: {error}"));
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                    .execute(database.pool())
                    .await
                    .unwrap_or_else(|error| panic!("cannot create a test database: {error}"));
                database.close().await;
            });
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let server = base
                .rsplit_once('/')
                .map(|(server, _)| server)
                .unwrap_or(base);
            format!("{server}/{name}")
        }
        None => format!("sqlite://{}", scratch_file("netbox-test", "db").display()),
    }
}

/// A path in the temporary directory that no other call (in this or another process) returns.
pub fn scratch_file(prefix: &str, extension: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // The start time too: process ids come back, and files of earlier runs may remain.
    static STARTED: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let started = STARTED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_micros())
    });
    std::env::temp_dir().join(format!(
        "{prefix}-{}-{started}-{n}.{extension}",
        std::process::id()
    ))
}

/// The password of the superuser every test server gets.
pub const TEST_PASSWORD: &str = "Test-password-123";

/// A running `netbox serve` process on a free port of 127.0.0.1, stopped when dropped.
///
/// Before it starts, `netbox createsuperuser --token` gives it a superuser of its own
/// ([`NetboxServer::username`], password [`TEST_PASSWORD`]) and an API token
/// ([`NetboxServer::token`]), so tests can authenticate as an administrator would.
#[derive(Debug)]
pub struct NetboxServer {
    child: std::process::Child,
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub base_url: String,
    /// The superuser created for the tests.
    pub username: String,
    /// A write-enabled v2 API token of that superuser (`nbt_...`).
    pub token: String,
    config_path: PathBuf,
    log_path: PathBuf,
    /// The SQLite file made for it (removed with it).
    database_file: Option<PathBuf>,
}

/// Tokens of the running test servers, by base URL.
static TOKENS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

/// The `Authorization` header value (`Bearer <token>`) for a request to `url` of a running
/// [`NetboxServer`]: helpers that only see URLs use it to authenticate as its superuser.
pub fn authorization_for(url: &str) -> Option<String> {
    let tokens = TOKENS.lock().unwrap_or_else(|poison| poison.into_inner());
    tokens
        .iter()
        .find(|(base, _)| url.starts_with(base.as_str()))
        .map(|(_, token)| format!("Bearer {token}"))
}

/// Creates a superuser with a token on the database of `config_path`; (user name, token).
fn test_superuser(binary: &Path, config_path: &Path) -> (String, String) {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let username = format!(
        "test-admin-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let output = Command::new(binary)
        .env_remove("NETBOX_CONFIG")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .arg("--config")
        .arg(config_path)
        .args(["createsuperuser", "--no-input", "--token", "--username"])
        .arg(&username)
        .args(["--password", TEST_PASSWORD])
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout
        .split_whitespace()
        .find(|word| word.starts_with("nbt_"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            panic!(
                "createsuperuser printed no token:\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    (username, token)
}

impl NetboxServer {
    /// Starts `binary serve` with the configuration `config` and waits until it listens.
    /// Panics (this is for tests) if it exits or does not listen within 30 seconds.
    ///
    /// Unless `config` sets `database_url`, the server gets a fresh database of its own
    /// ([`fresh_database_url`]) that it migrates itself (`auto_migrate = true`).
    pub fn start(binary: impl AsRef<Path>, config: &str) -> Self {
        use std::io::BufRead;
        let config_path = scratch_file("netbox-serve", "toml");
        let fresh = (!config.contains("database_url")).then(fresh_database_url);
        let config = match &fresh {
            None => config.to_string(),
            Some(url) => format!("database_url = {url:?}\nauto_migrate = true\n{config}"),
        };
        let database_file = fresh.and_then(|url| url.strip_prefix("sqlite://").map(PathBuf::from));
        std::fs::write(&config_path, config).expect("write the test configuration");
        let (username, token) = test_superuser(binary.as_ref(), &config_path);
        let log_path = scratch_file("netbox-serve", "log");
        let log = std::fs::File::create(&log_path).expect("create the server log");
        let mut child = Command::new(binary.as_ref())
            .env_remove("NETBOX_CONFIG")
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "info")
            .env("RUST_BACKTRACE", "0")
            .arg("--config")
            .arg(&config_path)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.as_ref().display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(url) = line.strip_prefix("netbox: listening on ") {
                    let _ = sender.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        match receiver.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(base_url) => {
                let mut tokens = TOKENS.lock().unwrap_or_else(|poison| poison.into_inner());
                tokens.push((format!("{base_url}/"), token.clone()));
                drop(tokens);
                NetboxServer {
                    child,
                    base_url,
                    username,
                    token,
                    config_path,
                    log_path,
                    database_file,
                }
            }
            Err(_) => {
                let _ = child.kill();
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("netbox did not start listening:\n{log}");
            }
        }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The `Authorization` header value of [`NetboxServer::token`].
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Sends SIGTERM and waits up to `timeout` for the process to exit; its exit code.
    pub fn terminate(&mut self, timeout: std::time::Duration) -> Option<i32> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }
}

impl Drop for NetboxServer {
    fn drop(&mut self) {
        let mut tokens = TOKENS.lock().unwrap_or_else(|poison| poison.into_inner());
        tokens.retain(|(base, _)| *base != format!("{}/", self.base_url));
        drop(tokens);
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.config_path);
        let _ = std::fs::remove_file(&self.log_path);
        if let Some(file) = &self.database_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Runs `sql` (one or more statements) against the database at `url`. Panics on error.
pub fn execute_sql(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    actix_web::rt::System::new().block_on(async move {
        let database = crate::db::Database::connect(&url)
            .await
            .expect("connect to the test database");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(database.pool())
            .await
            .expect("test SQL runs");
        database.close().await;
    });
}

/// The single integer `sql` selects from the database at `url`. Panics on error.
pub fn query_integer(url: &str, sql: &str) -> i64 {
    let (url, sql) = (url.to_string(), sql.to_string());
    actix_web::rt::System::new().block_on(async move {
        let database = crate::db::Database::connect(&url)
            .await
            .expect("connect to the test database");
        let (value,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(database.pool())
            .await
            .expect("test query runs");
        database.close().await;
        value
    })
}
