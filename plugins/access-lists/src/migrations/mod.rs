//! Migrations of plugin `access_lists`, in order: one file per migration, each defining
//! `MIGRATION`. `netbox makemigrations` writes the files and this list; a hand-written
//! migration is a file of the same form, listed by the next run.

use netbox_framework::migrations::Migration;

#[path = "0001_initial.rs"]
mod m0001_initial;

#[path = "0002_timestamp_columns.rs"]
mod m0002_timestamp_columns;

#[path = "0003_rules_reference_prefixes.rs"]
mod m0003_rules_reference_prefixes;

/// Every migration, in order (the plugin's `Plugin::migrations`).
pub const ALL: &[Migration] = &[
    m0001_initial::MIGRATION,
    m0002_timestamp_columns::MIGRATION,
    m0003_rules_reference_prefixes::MIGRATION,
];
