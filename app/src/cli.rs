//! The `netbox` command line.

use crate::config::Config;
use crate::db::migrations::{self, MigrationError, MigrationState, MigrationStatus};
use crate::db::{Database, core_migrations};
use crate::registry::{LoadReport, PluginRegistry};
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
    /// Load a small demo dataset (sites, devices, and access lists when that plugin is
    /// enabled) into an empty database; applies pending migrations first.
    DemoData,
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => serve(cli.config, bind),
        Command::Check => check(cli.config),
        Command::Migrate { list } => migrate(cli.config, list),
        Command::DemoData => demo_data(cli.config),
    }
}

/// Loads the configuration and the plugins; `None` (after printing why) when either is wrong.
fn load_valid(config_path: Option<PathBuf>) -> Option<(Config, PluginRegistry)> {
    let (config, source) = match Config::load(config_path.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return None;
        }
    };
    tracing::info!(configuration = %source, "configuration loaded");
    let (registry, report) = crate::load_plugins(&config);
    print_report(&report);
    if !report.is_ok() {
        eprintln!(
            "\n{} error(s): refusing to start. Run `netbox check` for the plugin table.",
            report.errors.len()
        );
        return None;
    }
    Some((config, registry))
}

fn migrate(config_path: Option<PathBuf>, list: bool) -> ExitCode {
    let Some((config, registry)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let result = actix_web::rt::System::new().block_on(async {
        let database = Database::connect(&config.database_url()).await?;
        println!("Database: {}", database.display_url());
        let planned = migrations::plan(&core_migrations(), &registry, database.backend())?;
        let outcome = if list {
            let (statuses, unplanned) = migrations::status(&database, &planned).await?;
            print!("{}", migration_table(&statuses, &unplanned));
            Ok(!statuses
                .iter()
                .any(|s| matches!(s.state, MigrationState::Changed(_))))
        } else {
            let applied = migrations::migrate(&database, &planned).await?;
            if applied.is_empty() {
                println!("No migrations to apply.");
            }
            for (owner, name) in &applied {
                println!("Applied {owner} {name}");
            }
            Ok(true)
        };
        database.close().await;
        outcome
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
            let error: MigrationError = error;
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn demo_data(config_path: Option<PathBuf>) -> ExitCode {
    let Some((config, registry)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let models = match crate::models::ModelRegistry::build(crate::dcim::core_models(), &registry) {
        Ok(models) => models,
        Err(errors) => {
            for error in errors {
                eprintln!("error: {error}");
            }
            return ExitCode::FAILURE;
        }
    };
    let result = actix_web::rt::System::new().block_on(async {
        let database = Database::connect(&config.database_url())
            .await
            .map_err(|e| e.to_string())?;
        let planned = migrations::plan(&core_migrations(), &registry, database.backend())
            .map_err(|e| e.to_string())?;
        migrations::migrate(&database, &planned)
            .await
            .map_err(|e| e.to_string())?;
        let created = crate::demo::load(&database, &models)
            .await
            .map_err(|e| match e {
                crate::models::store::WriteError::Invalid(errors) => format!("{errors:?}"),
                other => other.to_string(),
            })?;
        database.close().await;
        Ok::<_, String>(created)
    });
    match result {
        Ok(created) if created.is_empty() => {
            println!("The database already has sites: no demo data loaded.");
            ExitCode::SUCCESS
        }
        Ok(created) => {
            for line in created {
                println!("Created {line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The table `netbox migrate --list` prints.
pub fn migration_table(statuses: &[MigrationStatus], unplanned: &[MigrationStatus]) -> String {
    let mut rows: Vec<[String; 3]> = statuses
        .iter()
        .map(|status| {
            let state = match &status.state {
                MigrationState::Applied(at) => format!("applied {at}"),
                MigrationState::Pending => "pending".to_string(),
                MigrationState::Changed(at) => format!("CHANGED since applied {at}"),
            };
            [status.owner.clone(), status.name.clone(), state]
        })
        .collect();
    rows.extend(unplanned.iter().map(|status| {
        let at = match &status.state {
            MigrationState::Applied(at) | MigrationState::Changed(at) => at.as_str(),
            MigrationState::Pending => "",
        };
        [
            status.owner.clone(),
            status.name.clone(),
            format!("applied {at} (plugin not enabled: its tables are kept)"),
        ]
    }));
    let width = |column: usize, title: &str| {
        rows.iter()
            .map(|row| row[column].len())
            .chain([title.len()])
            .max()
            .unwrap_or(0)
    };
    let (owner_width, name_width) = (width(0, "OWNER"), width(1, "MIGRATION"));
    let mut table = format!(
        "{:owner_width$}  {:name_width$}  STATE\n",
        "OWNER", "MIGRATION"
    );
    for [owner, name, state] in rows {
        table.push_str(&format!(
            "{owner:owner_width$}  {name:name_width$}  {state}\n"
        ));
    }
    table
}

fn serve(config_path: Option<PathBuf>, bind: Option<String>) -> ExitCode {
    let Some((config, registry)) = load_valid(config_path) else {
        return ExitCode::FAILURE;
    };
    let bind = bind
        .or_else(|| config.bind.clone())
        .unwrap_or_else(|| crate::server::DEFAULT_BIND.to_string());
    let state = match crate::server::state::AppState::new(registry, &config) {
        Ok(state) => state,
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!(
                "\n{} error(s) in the models: refusing to start.",
                errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    match crate::server::serve(state, &config, &bind) {
        Ok(()) => ExitCode::SUCCESS,
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
    let (config, source) = match Config::load(config_path.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (registry, report) = crate::load_plugins(&config);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Configuration: {source}");
    let _ = writeln!(out, "Host version:  {}", registry.host_version());
    let _ = writeln!(out);
    let _ = out.write_all(plugin_table(&registry).as_bytes());
    drop(out);
    print_report(&report);
    // The models of the enabled plugins must fit together too (foreign keys, fields).
    let model_errors = if report.is_ok() {
        crate::models::ModelRegistry::build(crate::dcim::core_models(), &registry)
            .err()
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    for error in &model_errors {
        eprintln!("error: {error}");
    }
    let errors = report.errors.len() + model_errors.len();
    if errors == 0 {
        println!(
            "\nConfiguration OK: {} plugin(s) enabled.",
            registry.enabled().count()
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

/// The table of linked plugins that `netbox check` prints.
pub fn plugin_table(registry: &PluginRegistry) -> String {
    let header = [
        "PLUGIN", "VERSION", "ENABLED", "BASE URL", "CRATE", "STATUS",
    ];
    let rows: Vec<[String; 6]> = registry
        .all()
        .iter()
        .map(|plugin| {
            let metadata = plugin.metadata();
            let enabled = if plugin.status == crate::registry::PluginStatus::NotEnabled {
                "no"
            } else {
                "yes"
            };
            [
                metadata.name.to_string(),
                metadata.full_version(),
                enabled.to_string(),
                format!("/plugins/{}/", metadata.base_url),
                plugin.descriptor.package.to_string(),
                plugin.status.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No plugins are linked into this binary.\n".to_string();
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut table = String::new();
    let mut line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        table.push_str(padded.join("  ").trim_end());
        table.push('\n');
    };
    line(&header);
    for row in &rows {
        line(&row.each_ref().map(String::as_str));
    }
    table
}
