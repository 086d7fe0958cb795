//! Migration `0001_initial` of plugin `access_lists`, written by `netbox makemigrations`: create table access_lists_accesslist, create table access_lists_accesslistrule.

#[allow(unused_imports)]
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
use netbox_framework::models::OnDelete;

/// The migration.
pub const MIGRATION: Migration = Migration::operations(
    "0001_initial",
    &[
        Operation::CreateTable {
            table: "access_lists_accesslist",
            columns: &[
                Column::new("name", ColumnType::Text),
                Column::new("default_action", ColumnType::Text),
                Column::new("comments", ColumnType::Text).default(""),
                Column::new("device_id", ColumnType::Integer)
                    .null()
                    .references("dcim_device", OnDelete::Protect),
            ],
            unique_together: &[],
        },
        Operation::CreateTable {
            table: "access_lists_accesslistrule",
            columns: &[
                Column::new("access_list_id", ColumnType::Integer)
                    .references("access_lists_accesslist", OnDelete::Cascade),
                Column::new("index", ColumnType::Integer),
                Column::new("protocol", ColumnType::Text).default(""),
                Column::new("source_prefix", ColumnType::Text).default(""),
                Column::new("source_ports", ColumnType::Text).null(),
                Column::new("destination_prefix", ColumnType::Text).default(""),
                Column::new("destination_ports", ColumnType::Text).null(),
                Column::new("action", ColumnType::Text),
                Column::new("description", ColumnType::Text).default(""),
            ],
            unique_together: &[&["access_list_id", "index"]],
        },
    ],
);
