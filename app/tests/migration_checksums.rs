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
            "37bebf69e88da16ec849f13a539fc0accb754b6889d546c037a42aa3cb53d417",
            "e6d0c75c2b41f846b2e13197cc622c6bdce78773475c822bb1766fd571d21ca7"
        ]
    );
    assert_eq!(
        all(&animal_sounds::AnimalSounds),
        [
            "57fb35964cb1bec753f42dc800fec653ba3c9498a11eb6b7cef9d181744829ba",
            "701726359b3e560d1d9944e3cdd2fbe11114e8f07c02e147556d2470641fc9ae"
        ]
    );
}
