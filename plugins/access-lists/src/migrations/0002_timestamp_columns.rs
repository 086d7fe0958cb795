//! Migration `0002_timestamp_columns` of plugin `access_lists`, written by `netbox makemigrations`: give access_lists_accesslist.created and last_updated a time type, give access_lists_accesslistrule.created and last_updated a time type.

#[allow(unused_imports)]
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};

/// The migration.
pub const MIGRATION: Migration = Migration::operations(
    "0002_timestamp_columns",
    &[
        Operation::TimestampColumns {
            table: "access_lists_accesslist",
        },
        Operation::TimestampColumns {
            table: "access_lists_accesslistrule",
        },
    ],
);
