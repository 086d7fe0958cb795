//! The tables a plugin's migrations produce, replayed from their operations without a
//! database, and the tables its models need.

use netbox_framework::migrations::{Column, ColumnType, Migration, MigrationSql, Operation};
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use std::collections::BTreeMap;

/// One table: its columns (besides `id`, `created`, `last_updated`) and unique groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Groups of column names unique together.
    pub unique_together: Vec<Vec<&'static str>>,
    /// Whether `created` and `last_updated` have the time type on PostgreSQL
    /// ([`Operation::TimestampColumns`]).
    pub timestamps: bool,
    /// For the join table of a many-to-many field: the tables its `from_id` and `to_id`
    /// refer to (it has those columns only).
    pub join: Option<(&'static str, &'static str)>,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Tables by name.
pub type State = BTreeMap<&'static str, Table>;

/// What replaying a plugin's migrations found.
#[derive(Debug, Default)]
pub struct Replayed {
    /// The tables the operations create.
    pub state: State,
    /// Migrations of hand-written SQL, whose effect is unknown.
    pub opaque: Vec<&'static str>,
}

/// Applies one operation to `state`, or says why it cannot apply.
pub fn apply(state: &mut State, operation: &Operation) -> Result<(), String> {
    let missing = |table: &str| format!("table `{table}` does not exist at this point");
    match *operation {
        Operation::CreateTable {
            table,
            columns,
            unique_together,
        } => {
            if state.contains_key(table) {
                return Err(format!("table `{table}` exists already"));
            }
            state.insert(
                table,
                Table {
                    columns: columns.to_vec(),
                    unique_together: unique_together.iter().map(|g| g.to_vec()).collect(),
                    timestamps: false,
                    join: None,
                },
            );
        }
        Operation::CreateJoinTable { table, from, to } => {
            if state.contains_key(table) {
                return Err(format!("table `{table}` exists already"));
            }
            state.insert(
                table,
                Table {
                    join: Some((from, to)),
                    ..Table::default()
                },
            );
        }
        Operation::DropTable { table } => {
            state.remove(table).ok_or_else(|| missing(table))?;
        }
        Operation::AddColumn { table, column } => {
            let entry = state.get_mut(table).ok_or_else(|| missing(table))?;
            if entry.column(column.name).is_some() {
                return Err(format!("column `{table}.{}` exists already", column.name));
            }
            entry.columns.push(column);
        }
        Operation::DropColumn { table, column } => {
            let entry = state.get_mut(table).ok_or_else(|| missing(table))?;
            let before = entry.columns.len();
            entry.columns.retain(|c| c.name != column);
            if entry.columns.len() == before {
                return Err(format!("column `{table}.{column}` does not exist"));
            }
            entry
                .unique_together
                .retain(|group| !group.contains(&column));
        }
        Operation::AlterColumn { table, column } => {
            let entry = state.get_mut(table).ok_or_else(|| missing(table))?;
            let slot = entry
                .columns
                .iter_mut()
                .find(|c| c.name == column.name)
                .ok_or_else(|| format!("column `{table}.{}` does not exist", column.name))?;
            *slot = column;
        }
        Operation::AlterUniqueTogether {
            table,
            unique_together,
        } => {
            let entry = state.get_mut(table).ok_or_else(|| missing(table))?;
            entry.unique_together = unique_together.iter().map(|g| g.to_vec()).collect();
        }
        Operation::TimestampColumns { table } => {
            let entry = state.get_mut(table).ok_or_else(|| missing(table))?;
            if entry.timestamps {
                return Err(format!(
                    "the times of table `{table}` have their type already"
                ));
            }
            entry.timestamps = true;
        }
        Operation::Sql { .. } => {}
    }
    Ok(())
}

/// Replays `migrations` in order.
pub fn replay(migrations: &[Migration]) -> Result<Replayed, String> {
    let mut replayed = Replayed::default();
    for migration in migrations {
        match migration.sql {
            MigrationSql::Operations(operations) => {
                for operation in operations {
                    apply(&mut replayed.state, operation)
                        .map_err(|e| format!("migration `{}`: {e}", migration.name))?;
                }
            }
            _ => replayed.opaque.push(migration.name),
        }
    }
    Ok(replayed)
}

/// A string that lives as long as the process: the names computed for a model's columns,
/// which [`Column`] holds as `&'static str` (made once per command, never in a loop).
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// The column of a field stored as `ty`: NULL allowed unless required, its default.
fn nullable(field: &Field, ty: ColumnType) -> Column {
    let column = Column::new(field.name, ty);
    let column = if field.required {
        column
    } else {
        column.null()
    };
    match field.default {
        Some(value) => column.default(value),
        None => column,
    }
}

/// The columns `schema` needs. `table_of` gives the table of a referenced model.
pub fn table_of_model(
    schema: &ModelSchema,
    table_of: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<Table, String> {
    let mut columns = Vec::new();
    for field in schema.fields.iter().filter(|f| f.is_column()) {
        let default = field.default;
        let column = match field.kind {
            FieldKind::Text { .. }
            | FieldKind::LongText
            | FieldKind::Slug
            | FieldKind::Choice(_) => {
                let column = Column::new(field.name, ColumnType::Text);
                match default.or((!field.required).then_some("")) {
                    Some(value) => column.default(value),
                    None => column,
                }
            }
            FieldKind::Boolean => nullable(field, ColumnType::Boolean),
            FieldKind::IpAddress | FieldKind::IpInterface => nullable(field, ColumnType::Inet),
            FieldKind::IpNetwork => nullable(field, ColumnType::Cidr),
            // JSON text on both backends (the data API reads it through sqlx's `Any` driver,
            // which has no JSON type).
            FieldKind::IntegerList { .. } | FieldKind::Json => nullable(field, ColumnType::Text),
            FieldKind::Integer { .. } => nullable(field, ColumnType::Integer),
            FieldKind::Decimal {
                max_digits,
                decimal_places,
            } => nullable(field, ColumnType::Decimal(max_digits, decimal_places)),
            FieldKind::Date => nullable(field, ColumnType::Date),
            FieldKind::DateTime => nullable(field, ColumnType::DateTime),
            FieldKind::ManyToMany { .. } => continue,
            FieldKind::ForeignKey { model } => {
                let table = table_of(model).ok_or_else(|| {
                    format!(
                        "field `{}` of `{}` refers to model `{model}`, which is not known",
                        field.name,
                        schema.key()
                    )
                })?;
                let column = Column::new(leak(field.column()), ColumnType::Integer)
                    .references(table, field.on_delete);
                if field.required {
                    column
                } else {
                    column.null()
                }
            }
        };
        columns.push(if field.unique {
            column.unique()
        } else {
            column
        });
    }
    let unique_together = schema
        .unique_together
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|name| match schema.field(name) {
                    Some(field) if matches!(field.kind, FieldKind::ForeignKey { .. }) => {
                        leak(field.column())
                    }
                    _ => *name,
                })
                .collect()
        })
        .collect();
    Ok(Table {
        columns,
        unique_together,
        timestamps: true,
        join: None,
    })
}

/// The join tables of `schema`'s many-to-many fields. `table_of` gives the table of a
/// referenced model.
pub fn join_tables_of_model(
    schema: &ModelSchema,
    table_of: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<Vec<(&'static str, Table)>, String> {
    let mut tables = Vec::new();
    for field in schema.fields {
        let FieldKind::ManyToMany { model } = field.kind else {
            continue;
        };
        let to = table_of(model).ok_or_else(|| {
            format!(
                "field `{}` of `{}` refers to model `{model}`, which is not known",
                field.name,
                schema.key()
            )
        })?;
        tables.push((
            leak(schema.join_table(field)),
            Table {
                join: Some((schema.table, to)),
                ..Table::default()
            },
        ));
    }
    Ok(tables)
}
