//! Schema migrations from models, Django-style: a plugin's migrations are operations
//! ([`netbox_framework::migrations::Operation`]) that `netbox makemigrations` writes by
//! comparing the tables the plugin's models need with the tables its migrations make
//! ([`state`], [`diff`], [`source`]); the host renders them as SQL for its backend
//! ([`render`]). Startup (and `netbox check`) refuses models that differ from their
//! migrations.

pub mod diff;
pub mod render;
pub mod source;
pub mod state;

use crate::plugins::{Contribution, Contributions};
use crate::problems::Problem;
use netbox_framework::migrations::Operation;
use state::State;

/// Where a plugin's schema stands against its models.
#[derive(Debug)]
pub enum Comparison {
    /// The migrations make exactly what the models need.
    Current,
    /// These operations would bring the migrations up to the models.
    Changes(Vec<Operation>),
    /// The plugin has hand-written SQL migrations: what they make is unknown.
    Unknown(Vec<&'static str>),
}

/// The tables `contribution`'s models need. References name the tables of any model among
/// `contributions`.
pub fn desired(
    contribution: &Contribution,
    contributions: &Contributions,
) -> Result<State, String> {
    let table_of = |key: &str| {
        contributions
            .all()
            .iter()
            .flat_map(|c| c.models.iter())
            .find(|schema| schema.key() == key)
            .map(|schema| schema.table)
    };
    let mut desired = State::new();
    for schema in &contribution.models {
        desired.insert(schema.table, state::table_of_model(schema, &table_of)?);
        desired.extend(state::join_tables_of_model(schema, &table_of)?);
    }
    Ok(desired)
}

/// Compares `contribution`'s models with its migrations.
pub fn compare(
    contribution: &Contribution,
    contributions: &Contributions,
) -> Result<Comparison, String> {
    let replayed = state::replay(&contribution.migrations)?;
    if !replayed.opaque.is_empty() {
        return Ok(Comparison::Unknown(replayed.opaque));
    }
    let operations = diff::diff(&replayed.state, &desired(contribution, contributions)?)?;
    Ok(if operations.is_empty() {
        Comparison::Current
    } else {
        Comparison::Changes(operations)
    })
}

/// One line per operation, for people.
pub fn describe(operation: &Operation) -> String {
    match operation {
        Operation::CreateTable { table, .. } => format!("create table {table}"),
        Operation::CreateJoinTable { table, .. } => format!("create join table {table}"),
        Operation::DropTable { table } => format!("drop table {table}"),
        Operation::AddColumn { table, column } => format!("add column {table}.{}", column.name),
        Operation::DropColumn { table, column } => format!("drop column {table}.{column}"),
        Operation::AlterColumn { table, column } => format!("alter column {table}.{}", column.name),
        Operation::AlterUniqueTogether { table, .. } => format!("alter unique_together of {table}"),
        Operation::TimestampColumns { table } => {
            format!("give {table}.created and last_updated a time type")
        }
        Operation::Sql { .. } => "run SQL".into(),
    }
}

/// Startup problems: an enabled plugin whose models differ from its migrations (the server
/// would fail on the first query; a missing `TimestampColumns` alone is tolerated), or whose
/// migrations do not replay. The core's tables come
/// from hand-written SQL and are not compared.
pub fn check(contributions: &Contributions) -> Vec<Problem> {
    let mut problems = Vec::new();
    for contribution in contributions.all().iter().filter(|c| !c.internal) {
        let name = contribution.name();
        let message = match compare(contribution, contributions) {
            Ok(Comparison::Current | Comparison::Unknown(_)) => continue,
            // Tables whose times are text on PostgreSQL still work (the engine reads, compares
            // and orders them as times): `makemigrations` writes the migration when the
            // plugin's author next runs it.
            Ok(Comparison::Changes(operations))
                if operations
                    .iter()
                    .all(|o| matches!(o, Operation::TimestampColumns { .. })) =>
            {
                continue;
            }
            Ok(Comparison::Changes(operations)) => format!(
                "its models differ from its migrations ({}): run `netbox makemigrations {name}`, rebuild, then migrate",
                operations
                    .iter()
                    .map(describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(error) => format!("its migrations cannot be replayed: {error}"),
        };
        problems.push(Problem::InvalidContribution {
            plugin: Some(name.to_string()),
            message,
        });
    }
    problems
}
