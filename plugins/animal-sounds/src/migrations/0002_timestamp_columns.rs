//! Migration `0002_timestamp_columns` of plugin `animal_sounds`, written by `netbox makemigrations`: give animal_sounds_animal.created and last_updated a time type.

#[allow(unused_imports)]
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};

/// The migration.
pub const MIGRATION: Migration = Migration::operations(
    "0002_timestamp_columns",
    &[Operation::TimestampColumns {
        table: "animal_sounds_animal",
    }],
);
