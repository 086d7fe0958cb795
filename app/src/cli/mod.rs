//! The `netbox` command line.

mod makemigrations;
mod tables;
mod users;

pub use tables::{migration_table, plugin_table};

use crate::config::Config;
use crate::db::Database;
use crate::db::migrations::{self, MigrationError, MigrationState};
use crate::problems::LoadReport;
use crate::{Application, start};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The NetBox-style network inventory application.
#[derive(Debug, Parser)]
#[command(name = "netbox", version, about)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./netbox.toml if it exists, else built-in defaults.
    #[arg(long, global = true, env = "NETBOX_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default command).
    Serve {
        /// Address to listen on [default: the configuration's `bind`, else 127.0.0.1:8000].
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Validate the configuration and list the linked plugins; exits non-zero on any error.
    Check,
    /// Apply pending database migrations (the host's, then each enabled plugin's).
    Migrate {
        /// Only list every migration and whether it is applied.
        #[arg(long)]
        list: bool,
    },
    /// Write the migrations that bring each enabled plugin's tables up to its models, into
    /// the plugin's crate (`src/migrations/`).
    Makemigrations(makemigrations::Args),
    /// Load a small demo dataset (sites, devices, and access lists when that plugin is
    /// enabled) into an empty database; applies pending migrations first.
    DemoData,
    /// Create a superuser (and with --token an API token), interactively or from options.
    Createsuperuser(users::SuperuserArgs),
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => serve(cli.config, bind),
        Command::Check => check(cli.config),
        Command::Migrate { list } => migrate(cli.config, list),
        Command::Makemigrations(args) => make_migrations(cli.config, &args),
        Command::DemoData => demo_data(cli.config),
        Command::Createsuperuser(args) => create_superuser(cli.config, &args),
    }
}

/// The configuration and where it came from; `None` after printing why it cannot be used.
fn load_config(config_path: Option<PathBuf>) -> Option<(Config, String)> {
    match Config::load(config_path.as_deref()) {
        Ok((config, source)) => Some((config, source.to_string())),
        Err(error) => {
            eprintln!("error: {error}");
            None
        }
    }
}

/// Loads the configuration and starts the application's parts; `None` (after printing every
/// problem) when anything is wrong.
fn load_valid(config_path: Option<PathBuf>) -> Option<(Config, Application)> {
    let (config, source) = load_config(config_path)?;
    tracing::info!(configuration = %source, "configuration loaded");
    let startup = start(&config);
    print_report(&startup.report);
    let errors = startup.report.errors.len();
    let application = startup.application();
    if application.is_none() {
        eprintln!(
            "\n{errors} error(s): refusing to start. Run `netbox check` for the plugin table."
        );
    }
    Some((config, application?))
}

/// Runs `work` on a connection to the configured database, then closes it.
fn with_database<T, E: From<crate::db::DatabaseError>>(
    config: &Config,
    work: impl AsyncFnOnce(&Database) -> Result<T, E>,
) -> Result<T, E> {
    actix_web::rt::System::new().block_on(async {
        let database = Database::connect(&config.database_url()).await?;
        let outcome = work(&database).await;
        database.close().await;
        outcome
    })
}

fn migrate(config_path: Option<PathBuf>, list: bool) -> ExitCode {
    let Some((config, application)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let result = with_database(&config, async |database: &Database| {
        println!("Database: {}", database.display_url());
        let planned = migrations::plan(&application.contributions, database.backend())?;
        if list {
            let (statuses, unplanned) = migrations::status(database, &planned).await?;
            print!("{}", migration_table(&statuses, &unplanned));
            return Ok::<_, MigrationError>(
                !statuses
                    .iter()
                    .any(|s| matches!(s.state, MigrationState::Changed(_))),
            );
        }
        let applied = migrations::migrate(database, &planned).await?;
        if applied.is_empty() {
            println!("No migrations to apply.");
        }
        for (owner, name) in &applied {
            println!("Applied {owner} {name}");
        }
        Ok(true)
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!(
                "error: an applied migration has changed since (see CHANGED above): add a new migration instead"
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the plugins without comparing their models with their migrations (which is what
/// the command is for), then writes what is missing.
fn make_migrations(config_path: Option<PathBuf>, args: &makemigrations::Args) -> ExitCode {
    let Some((config, _)) = load_config(config_path) else {
        return ExitCode::FAILURE;
    };
    let (registry, report) = crate::load_plugins(&config);
    print_report(&report);
    if !report.is_ok() {
        return ExitCode::FAILURE;
    }
    let (contributions, problems) = crate::plugins::Contributions::collect(&registry);
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("error: {problem}");
        }
        return ExitCode::FAILURE;
    }
    makemigrations::run(&contributions, args)
}

fn demo_data(config_path: Option<PathBuf>) -> ExitCode {
    let Some((config, application)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let result = with_database(&config, async |database: &Database| {
        let planned = migrations::plan(&application.contributions, database.backend())?;
        migrations::migrate(database, &planned).await?;
        let created = crate::demo::load(database, &application.models).await?;
        let sign_in = crate::demo::demo_user(database, &application.models).await?;
        Ok::<_, DemoError>((created, sign_in))
    });
    match result {
        Ok((created, sign_in)) => {
            if created.is_empty() {
                println!("The database already has sites: no demo data loaded.");
            }
            for line in created {
                println!("Created {line}");
            }
            match sign_in {
                Some(how) => println!("{how}"),
                None => println!("The demo user `{}` exists already.", crate::demo::DEMO_USER),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Why `demo-data` failed.
#[derive(Debug, thiserror::Error)]
enum DemoError {
    #[error(transparent)]
    Database(#[from] crate::db::DatabaseError),
    #[error(transparent)]
    Migration(#[from] MigrationError),
    #[error("cannot create the demo user: {0}")]
    User(#[from] crate::auth::AuthError),
    #[error("{}", match .0 {
        crate::engine::WriteError::Invalid(errors) => format!("{errors:?}"),
        other => other.to_string(),
    })]
    Write(#[from] crate::engine::WriteError),
}

fn serve(config_path: Option<PathBuf>, bind: Option<String>) -> ExitCode {
    let Some((config, application)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let bind = bind
        .or_else(|| config.bind.clone())
        .unwrap_or_else(|| crate::server::DEFAULT_BIND.to_string());
    match crate::server::serve(application, &config, &bind) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn create_superuser(config_path: Option<PathBuf>, args: &users::SuperuserArgs) -> ExitCode {
    let Some((config, application)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    match users::create_superuser(&config, &application.contributions, args) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn check(config_path: Option<PathBuf>) -> ExitCode {
    let Some((config, source)) = load_config(config_path) else {
        return ExitCode::FAILURE;
    };
    let startup = start(&config);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Configuration: {source}");
    let _ = writeln!(out, "Host version:  {}", startup.registry.host_version());
    let _ = writeln!(out);
    let _ = out.write_all(plugin_table(&startup.registry).as_bytes());
    drop(out);
    print_report(&startup.report);
    let mut errors = startup.report.errors.len();
    // What `serve` would meet: the database and the address.
    let contributions = startup
        .parts
        .as_ref()
        .map(|(contributions, _)| contributions);
    let mut findings =
        actix_web::rt::System::new().block_on(crate::preflight::database(&config, contributions));
    let bind = config
        .bind
        .clone()
        .unwrap_or_else(|| crate::server::DEFAULT_BIND.to_string());
    findings.push(crate::preflight::bind(&bind));
    println!();
    for finding in &findings {
        match &finding.outcome {
            Ok(found) => println!("{:<11} ok: {found}", finding.subject),
            Err(problem) if finding.warning => {
                eprintln!("warning: {}: {problem}", finding.subject)
            }
            Err(problem) => {
                errors += 1;
                eprintln!("error: {}: {problem}", finding.subject);
            }
        }
    }
    if errors == 0 {
        println!(
            "\nConfiguration OK: {} plugin(s) enabled.",
            startup.registry.enabled().count()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("\n{errors} error(s): the application would refuse to start.");
        ExitCode::FAILURE
    }
}

/// Prints warnings and errors to standard error.
pub fn print_report(report: &LoadReport) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for error in &report.errors {
        eprintln!("error: {error}");
    }
}
