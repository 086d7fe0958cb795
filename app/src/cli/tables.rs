//! The tables the commands print (`netbox check`, `netbox migrate --list`): plain columns,
//! no borders, a header line, each row starting with its first cell.

use crate::db::migrations::{MigrationState, MigrationStatus};
use crate::plugins::{PluginRegistry, PluginStatus};
use comfy_table::presets::NOTHING;
use comfy_table::{ContentArrangement, Table};

fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let mut text: String = table
        .lines()
        .map(|line| line.trim_end().to_string() + "\n")
        .collect();
    if text.is_empty() {
        text.push('\n');
    }
    text
}

/// The table of linked plugins that `netbox check` prints.
pub fn plugin_table(registry: &PluginRegistry) -> String {
    if registry.all().is_empty() {
        return "No plugins are linked into this binary.\n".to_string();
    }
    let rows = registry.all().iter().map(|plugin| {
        let metadata = plugin.metadata();
        let enabled = match plugin.status {
            PluginStatus::NotEnabled => "no",
            _ => "yes",
        };
        vec![
            metadata.name.to_string(),
            metadata.full_version(),
            enabled.to_string(),
            format!("/plugins/{}/", metadata.base_url),
            plugin.descriptor.package.to_string(),
            plugin.status.to_string(),
        ]
    });
    table(
        &[
            "PLUGIN", "VERSION", "ENABLED", "BASE URL", "CRATE", "STATUS",
        ],
        rows,
    )
}

/// The table `netbox migrate --list` prints: planned migrations, then applied ones of plugins
/// that are not enabled.
pub fn migration_table(statuses: &[MigrationStatus], unplanned: &[MigrationStatus]) -> String {
    let planned = statuses.iter().map(|status| {
        let state = match &status.state {
            MigrationState::Applied(at) => format!("applied {at}"),
            MigrationState::Pending => "pending".to_string(),
            MigrationState::Changed(at) => format!("CHANGED since applied {at}"),
        };
        vec![status.owner.clone(), status.name.clone(), state]
    });
    let kept = unplanned.iter().map(|status| {
        let at = match &status.state {
            MigrationState::Applied(at) | MigrationState::Changed(at) => at.as_str(),
            MigrationState::Pending => "",
        };
        vec![
            status.owner.clone(),
            status.name.clone(),
            format!("applied {at} (plugin not enabled: its tables are kept)"),
        ]
    });
    table(&["OWNER", "MIGRATION", "STATE"], planned.chain(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_without_trailing_space() {
        let status = |owner: &str, name: &str, state| MigrationStatus {
            owner: owner.into(),
            name: name.into(),
            state,
        };
        let text = migration_table(
            &[
                status("core", "0001_dcim", MigrationState::Pending),
                status(
                    "zoo_keeper",
                    "0001_animals",
                    MigrationState::Applied("today".into()),
                ),
            ],
            &[],
        );
        assert_eq!(
            text,
            "OWNER       MIGRATION     STATE\ncore        0001_dcim     pending\nzoo_keeper  0001_animals  applied today\n"
        );
    }
}
