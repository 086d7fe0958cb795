//! Migration `0001_initial` of plugin `animal_sounds`, written by `netbox makemigrations`: create table animal_sounds_animal.

#[allow(unused_imports)]
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};

/// The migration.
pub const MIGRATION: Migration = Migration::operations(
    "0001_initial",
    &[Operation::CreateTable {
        table: "animal_sounds_animal",
        columns: &[
            Column::new("name", ColumnType::Text),
            Column::new("sound", ColumnType::Text),
        ],
        unique_together: &[],
    }],
);
