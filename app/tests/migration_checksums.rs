//! Migrations written once in SQLite's dialect derive the same PostgreSQL SQL that shipped.

/// Migrations written once keep the PostgreSQL checksums recorded when they were written
/// per backend: databases migrated before must not see them as changed.
#[test]
fn derived_postgres_sql_keeps_shipped_checksums() {
    use netbox_framework::Plugin;
    let postgres = |migrations: Vec<netbox_framework::migrations::Migration>| -> Vec<String> {
        migrations
            .iter()
            .map(|m| {
                netbox_app::db::migrations::checksum(
                    &m.sql_for(netbox_framework::migrations::Backend::Postgres),
                )
            })
            .collect()
    };
    assert_eq!(
        postgres(netbox_app::builtin::Core.migrations())[..2],
        [
            "ddceaa519b0a9c375144e05558ba83ff0a44ac69cc185351787be7bf2155dd46",
            "54a353832c9c946445f748c379a1e3cab2079d2be436e671a96c927df40c3660"
        ]
    );
    assert_eq!(
        postgres(access_lists::AccessLists.migrations()),
        ["a89370796dc71609aa27c72b40fd031a39b04446055c2354d89c2a1bc54b0b79"]
    );
}
