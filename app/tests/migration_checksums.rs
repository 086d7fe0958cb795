//! The SQL of shipped migrations never changes: databases migrated before would see them as
//! changed. Hand-written migrations keep their text; generated ones must render the same SQL
//! whatever becomes of the renderer.

use netbox_framework::Plugin;
use netbox_framework::migrations::{Backend, Migration};

fn checksums(migrations: &[Migration], backend: Backend) -> Vec<String> {
    netbox_app::db::schema::render::render_all(migrations, backend)
        .expect("shipped migrations render")
        .iter()
        .map(|sql| netbox_app::db::migrations::checksum(sql))
        .collect()
}

/// Migrations written once in SQLite's dialect keep the PostgreSQL checksums recorded when
/// they were written per backend.
#[test]
fn core_migrations_keep_shipped_checksums() {
    assert_eq!(
        checksums(&netbox_app::builtin::Core.migrations(), Backend::Postgres)[..2],
        [
            "ddceaa519b0a9c375144e05558ba83ff0a44ac69cc185351787be7bf2155dd46",
            "54a353832c9c946445f748c379a1e3cab2079d2be436e671a96c927df40c3660"
        ]
    );
}

/// The generated migrations of the shipped plugins render as they did when they shipped.
#[test]
fn generated_migrations_render_the_shipped_sql() {
    let all = |plugin: &dyn Plugin| {
        let migrations = plugin.migrations();
        [Backend::Sqlite, Backend::Postgres]
            .map(|backend| checksums(&migrations, backend).join(" "))
    };
    assert_eq!(
        all(&access_lists::AccessLists),
        [
            "8c8648c39fbc882f35efdc10cbd276e0ac6f9701fb0bd3e9cf677808a2fac53d",
            "94bbc59bb280195ef31fdc62d45795af650ada73080c53837d201a7ab9acf5e0"
        ]
    );
}
