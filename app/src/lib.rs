//! The host application. Its layers import downwards only:
//!
//! 1. [`config`], [`problems`], [`plugins`] (which linked plugins run, what they contribute,
//!    the guard around their code) and [`builtin`] (the core, built as internal plugins);
//! 2. [`db`] (connection, migrations) and [`engine`] (the model engine: schemas, validation,
//!    store, signals, change log; no web types);
//! 3. [`server`] (the web layer: pages and REST API over the engine);
//! 4. [`cli`] (the `netbox` commands). The binary (`src/main.rs`) only calls [`cli::main`].
//!
//! Plugins are linked here, in the library, so that integration tests see them too: the
//! build script writes one `extern crate` line per crate of the plugin table in Cargo.toml.

pub mod auth;
pub mod builtin;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod engine;
pub mod plugins;
pub mod preflight;
pub mod problems;
pub mod server;
pub mod testing;

/// The crates of the app's plugin table, linked by `build.rs`.
pub mod linked {
    include!(concat!(env!("OUT_DIR"), "/linked_plugins.rs"));
}

use config::Config;
use engine::ModelRegistry;
use plugins::{Contributions, PluginRegistry};
use problems::LoadReport;

/// This host's version, which plugins' `min_version` / `max_version` are checked against.
pub fn host_version() -> semver::Version {
    semver::Version::parse(netbox_framework::HOST_VERSION)
        .expect("Cargo package versions are semantic versions")
}

/// Loads every plugin linked into this binary against `config` (names, versions, settings)
/// and, when nothing is wrong, runs the enabled plugins' `ready` hooks. Contributions are not
/// asked for here (see [`start`]).
pub fn load_plugins(config: &Config) -> (PluginRegistry, LoadReport) {
    let (mut registry, mut report) = PluginRegistry::load(
        netbox_framework::all_descriptors(),
        config,
        &host_version(),
        linked::LINKED_PLUGIN_PACKAGES,
    );
    if report.is_ok() {
        registry.run_ready_hooks(&mut report);
    }
    (registry, report)
}

/// What runs: the plugins with their statuses, what the active ones contribute (asked for
/// once) and the models built from it.
pub struct Application {
    /// Every linked plugin and its status.
    pub registry: PluginRegistry,
    /// What the internal and enabled plugins contribute.
    pub contributions: Contributions,
    /// Every served model, with the tabs and receivers that go with them.
    pub models: ModelRegistry,
}

/// What startup found: the plugins, the one report of every problem, and the application
/// when nothing is wrong.
pub struct Startup {
    /// Every linked plugin and its status (printed by `netbox check` whatever happens).
    pub registry: PluginRegistry,
    /// Every problem, errors and warnings.
    pub report: LoadReport,
    parts: Option<(Contributions, ModelRegistry)>,
}

impl Startup {
    /// The application, when the report has no errors.
    pub fn application(self) -> Option<Application> {
        let (contributions, models) = self.parts?;
        Some(Application {
            registry: self.registry,
            contributions,
            models,
        })
    }
}

/// Loads the plugins and runs their `ready` hooks ([`load_plugins`]), then collects the
/// active ones' contributions once and builds the models, validating all of it into one
/// report. Disabled plugins' contribution methods are never called.
pub fn start(config: &Config) -> Startup {
    let (registry, mut report) = load_plugins(config);
    let parts = if report.is_ok() {
        let (contributions, problems) = Contributions::collect(&registry);
        report.errors.extend(problems);
        report
            .errors
            .extend(db::migrations::check_names(&contributions));
        report.errors.extend(db::schema::check(&contributions));
        match ModelRegistry::build(&contributions, &registry) {
            Ok(models) => {
                for key in &config.security.exempt_view_permissions {
                    if key != "*" && models.get(key).is_none() {
                        report.errors.push(problems::Problem::InvalidConfig {
                            message: format!(
                                "security.exempt_view_permissions: `{key}` is not a served model (write e.g. \"dcim.site\" or \"*\")"
                            ),
                        });
                    }
                }
                report.is_ok().then_some((contributions, models))
            }
            Err(problems) => {
                report.errors.extend(problems);
                None
            }
        }
    } else {
        None
    };
    // Host settings are checked whatever the plugins did, so that one run names everything.
    report.errors.extend(
        config
            .problems()
            .into_iter()
            .map(|message| problems::Problem::InvalidConfig { message }),
    );
    let parts = parts.filter(|_| report.is_ok());
    Startup {
        registry,
        report,
        parts,
    }
}
