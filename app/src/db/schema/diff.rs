//! What `netbox makemigrations` finds: the operations that turn the tables a plugin's
//! migrations make into the tables its models need.

use super::state::{State, Table};
use netbox_framework::migrations::Operation;

/// A static copy of `items` (operations hold `&'static` slices; made once per command).
fn leak<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

fn groups(table: &Table) -> &'static [&'static [&'static str]] {
    leak(
        table
            .unique_together
            .iter()
            .map(|g| leak(g.clone()))
            .collect(),
    )
}

/// Tables of `desired` in an order where each comes after the tables it refers to (within
/// `desired`; a cycle keeps the remaining ones in name order).
fn creation_order<'a>(names: &[&'a str], desired: &State) -> Vec<&'a str> {
    let mut ordered: Vec<&str> = Vec::new();
    let mut left: Vec<&str> = names.to_vec();
    while !left.is_empty() {
        let ready = left.iter().position(|name| {
            desired[name].columns.iter().all(|c| {
                c.references
                    .is_none_or(|r| r.table == *name || !left.contains(&r.table))
            })
        });
        let next = left.remove(ready.unwrap_or(0));
        ordered.push(next);
    }
    ordered
}

/// The tables of `state` that `other` lacks: join tables, then the others.
fn only_in(state: &State, other: &State) -> (Vec<&'static str>, Vec<&'static str>) {
    state
        .keys()
        .filter(|t| !other.contains_key(*t))
        .copied()
        .partition(|t| state[t].join.is_some())
}

/// Creates `table` as `wanted`, its times typed.
fn create(table: &'static str, wanted: &Table, operations: &mut Vec<Operation>) {
    operations.push(Operation::CreateTable {
        table,
        columns: leak(wanted.columns.clone()),
        unique_together: groups(wanted),
    });
    if wanted.timestamps {
        operations.push(Operation::TimestampColumns { table });
    }
}

/// The operations from `current` to `desired`. Refuses (naming the column) to add a column
/// that existing rows cannot fill: required, without default.
pub fn diff(current: &State, desired: &State) -> Result<Vec<Operation>, String> {
    let mut operations = Vec::new();
    let (joins, new) = only_in(desired, current);
    for table in creation_order(&new, desired) {
        create(table, &desired[table], &mut operations);
    }
    // Join tables after the tables they join.
    for table in joins {
        if let Some((from, to)) = desired[table].join {
            operations.push(Operation::CreateJoinTable { table, from, to });
        }
    }
    for (&table, wanted) in desired {
        let Some(existing) = current.get(table) else {
            continue;
        };
        if existing.join != wanted.join {
            // A join table that joins something else (or a table that became one): made anew.
            operations.push(Operation::DropTable { table });
            match wanted.join {
                Some((from, to)) => operations.push(Operation::CreateJoinTable { table, from, to }),
                None => create(table, wanted, &mut operations),
            }
            continue;
        }
        if wanted.timestamps && !existing.timestamps {
            operations.push(Operation::TimestampColumns { table });
        }
        for column in &wanted.columns {
            match existing.column(column.name) {
                None => {
                    if !column.null && column.default.is_none() {
                        return Err(format!(
                            "column `{}` of table `{table}` is new and required without a default: existing rows need a value. Give the field a default (#[field(default = ...)]) or make it an Option, then run makemigrations again",
                            column.name
                        ));
                    }
                    operations.push(Operation::AddColumn {
                        table,
                        column: *column,
                    });
                }
                Some(old) if old != column => operations.push(Operation::AlterColumn {
                    table,
                    column: *column,
                }),
                Some(_) => {}
            }
        }
        for column in &existing.columns {
            if wanted.column(column.name).is_none() {
                operations.push(Operation::DropColumn {
                    table,
                    column: column.name,
                });
            }
        }
        if existing.unique_together != wanted.unique_together {
            operations.push(Operation::AlterUniqueTogether {
                table,
                unique_together: groups(wanted),
            });
        }
    }
    // Join tables before the tables they join.
    let (joins, gone) = only_in(current, desired);
    for table in joins {
        operations.push(Operation::DropTable { table });
    }
    for table in creation_order(&gone, current).into_iter().rev() {
        operations.push(Operation::DropTable { table });
    }
    Ok(operations)
}

/// A short name for a migration of `operations`: `initial`, `add_animal_legs`, `auto`.
pub fn suggest_name(operations: &[Operation], first: bool, table_prefix: &str) -> String {
    let short = |table: &str| {
        table
            .strip_prefix(table_prefix)
            .unwrap_or(table)
            .to_string()
    };
    let creating = |o: &Operation| {
        matches!(
            o,
            Operation::CreateTable { .. }
                | Operation::TimestampColumns { .. }
                | Operation::CreateJoinTable { .. }
        )
    };
    if first && operations.iter().all(creating) {
        return "initial".into();
    }
    if operations
        .iter()
        .all(|o| matches!(o, Operation::TimestampColumns { .. }))
    {
        return "timestamp_columns".into();
    }
    match operations {
        [Operation::CreateTable { table, .. }]
        | [
            Operation::CreateTable { table, .. },
            Operation::TimestampColumns { .. },
        ] => format!("create_{}", short(table)),
        [Operation::DropTable { table }] => format!("delete_{}", short(table)),
        [Operation::CreateJoinTable { table, .. }] => format!("create_{}", short(table)),
        [Operation::AddColumn { table, column }] => format!("add_{}_{}", short(table), column.name),
        [Operation::DropColumn { table, column }] => format!("remove_{}_{column}", short(table)),
        [Operation::AlterColumn { table, column }] => {
            format!("alter_{}_{}", short(table), column.name)
        }
        _ => "auto".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netbox_framework::migrations::{Column, ColumnType};

    fn table(columns: &[Column], timestamps: bool) -> Table {
        Table {
            columns: columns.to_vec(),
            timestamps,
            ..Table::default()
        }
    }

    fn join(from: &'static str, to: &'static str) -> Table {
        Table {
            join: Some((from, to)),
            ..Table::default()
        }
    }

    #[test]
    fn new_tables_get_typed_times_and_their_join_tables_after_them() {
        let desired = State::from([
            (
                "zoo_pen",
                table(&[Column::new("name", ColumnType::Text)], true),
            ),
            ("zoo_pen_keepers", join("zoo_pen", "zoo_keeper")),
        ]);
        let operations = diff(&State::new(), &desired).expect("a diff");
        assert!(
            matches!(
                operations.as_slice(),
                [
                    Operation::CreateTable {
                        table: "zoo_pen",
                        ..
                    },
                    Operation::TimestampColumns { table: "zoo_pen" },
                    Operation::CreateJoinTable {
                        table: "zoo_pen_keepers",
                        from: "zoo_pen",
                        to: "zoo_keeper"
                    },
                ]
            ),
            "{operations:?}"
        );
        assert_eq!(suggest_name(&operations, true, "zoo_"), "initial");
        assert_eq!(
            suggest_name(&operations[2..], false, "zoo_"),
            "create_pen_keepers"
        );
    }

    #[test]
    fn older_tables_get_typed_times_once_and_join_tables_go_first() {
        let name = [Column::new("name", ColumnType::Text)];
        let current = State::from([
            ("zoo_pen", table(&name, false)),
            ("zoo_pen_keepers", join("zoo_pen", "zoo_keeper")),
        ]);
        let desired = State::from([("zoo_pen", table(&name, true))]);
        let operations = diff(&current, &desired).expect("a diff");
        assert!(
            matches!(
                operations.as_slice(),
                [
                    Operation::TimestampColumns { table: "zoo_pen" },
                    Operation::DropTable {
                        table: "zoo_pen_keepers"
                    },
                ]
            ),
            "{operations:?}"
        );
        assert_eq!(
            suggest_name(&operations[..1], false, "zoo_"),
            "timestamp_columns"
        );
        let typed = State::from([("zoo_pen", table(&name, true))]);
        assert!(diff(&typed, &desired).expect("a diff").is_empty());
    }
}
