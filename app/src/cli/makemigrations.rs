//! `netbox makemigrations [<plugin>...]`: writes into each enabled plugin's crate the
//! migration that brings its tables up to its models (Django's command of the same name).

use crate::db::schema::{self, Comparison, diff, source};
use crate::plugins::{Contribution, Contributions};
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `makemigrations`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Plugins to look at (default: every enabled plugin).
    pub plugins: Vec<String>,
    /// Write nothing; exit non-zero when a migration is missing (for CI).
    #[arg(long)]
    pub check: bool,
    /// Name of the new migration (after its number), instead of one made from what it does.
    #[arg(long, value_parser = migration_name)]
    pub name: Option<String>,
}

/// A migration name: lowercase letters, digits and `_`, up to 60 characters.
fn migration_name(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text.len() <= 60
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(text.to_string())
    } else {
        Err("a migration name takes 1 to 60 lowercase letters, digits and _".to_string())
    }
}

/// What happened to one plugin.
enum Outcome {
    Unchanged,
    Missing(String),
    Wrote(String),
}

fn run_one(
    contribution: &Contribution,
    contributions: &Contributions,
    args: &Args,
) -> Result<Outcome, String> {
    let plugin = contribution.name();
    let operations = match schema::compare(contribution, contributions)? {
        Comparison::Current => return Ok(Outcome::Unchanged),
        Comparison::Unknown(names) => {
            return Err(format!(
                "its migrations {} are hand-written SQL, so what they create is unknown: write the change as a hand-written migration too, or move to generated migrations (remove the SQL ones from a fresh database)",
                names.join(", ")
            ));
        }
        Comparison::Changes(operations) => operations,
    };
    let summary: Vec<String> = operations.iter().map(schema::describe).collect();
    if args.check {
        return Ok(Outcome::Missing(summary.join(", ")));
    }
    let source = Path::new(contribution.descriptor.source_dir);
    if !source.join("Cargo.toml").is_file() {
        return Err(format!(
            "its crate's directory {} (where this binary was built) is not here: run makemigrations from a checkout of the plugin's source, with a binary built from it",
            source.display()
        ));
    }
    let directory = source.join("src/migrations");
    let files = source::existing(&directory)
        .map_err(|e| format!("cannot read {}: {e}", directory.display()))?;
    if files.len() != contribution.migrations.len() {
        return Err(format!(
            "this binary was built with {} migration(s) of `{plugin}` but {} holds {} file(s): rebuild (cargo build) and run makemigrations again",
            contribution.migrations.len(),
            directory.display(),
            files.len()
        ));
    }
    let prefix = format!("{plugin}_");
    let name = format!(
        "{:04}_{}",
        files.len() + 1,
        args.name.clone().unwrap_or_else(|| diff::suggest_name(
            &operations,
            files.is_empty(),
            &prefix
        ))
    );
    let first = !directory.join("mod.rs").exists();
    let file = directory.join(format!("{name}.rs"));
    let io = |e: std::io::Error| format!("cannot write into {}: {e}", directory.display());
    source::write(&file, &source::migration_file(plugin, &name, &operations)).map_err(io)?;
    let mut names = files;
    names.push(name);
    source::write(
        &directory.join("mod.rs"),
        &source::module_file(plugin, &names),
    )
    .map_err(io)?;
    let mut report = format!("{}: {}", file.display(), summary.join(", "));
    if first {
        report.push_str(
            "\n  First migration of this plugin: add `mod migrations;` to its lib.rs and return them from the Plugin impl:\n  fn migrations(&self) -> Vec<Migration> { migrations::ALL.to_vec() }",
        );
    }
    Ok(Outcome::Wrote(report))
}

/// Runs the command on `contributions`.
pub fn run(contributions: &Contributions, args: &Args) -> ExitCode {
    let selected: Vec<&Contribution> = contributions
        .all()
        .iter()
        .filter(|c| !c.internal)
        .filter(|c| args.plugins.is_empty() || args.plugins.iter().any(|p| p == c.name()))
        .collect();
    let mut failed = false;
    for wanted in &args.plugins {
        if !selected.iter().any(|c| c.name() == wanted) {
            eprintln!("error: plugin `{wanted}` is not enabled in the configuration (`plugins`)");
            failed = true;
        }
    }
    let (mut wrote, mut missing) = (0, 0);
    for contribution in selected {
        if contribution.models.is_empty() && contribution.migrations.is_empty() {
            continue;
        }
        match run_one(contribution, contributions, args) {
            Ok(Outcome::Unchanged) => println!("No changes in `{}`.", contribution.name()),
            Ok(Outcome::Missing(summary)) => {
                missing += 1;
                println!("`{}` needs a migration: {summary}", contribution.name());
            }
            Ok(Outcome::Wrote(report)) => {
                wrote += 1;
                println!("Wrote {report}");
            }
            Err(error) => {
                failed = true;
                eprintln!("error: plugin `{}`: {error}", contribution.name());
            }
        }
    }
    if wrote > 0 {
        println!("\nRebuild (cargo build), then apply with `netbox migrate`.");
    }
    if failed || missing > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
