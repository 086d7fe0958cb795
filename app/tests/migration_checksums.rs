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
        // Each shipped migration's checksum, on each backend (later ones are added here when
        // they ship).
        [Backend::Sqlite, Backend::Postgres].map(|backend| {
            checksums(&migrations, backend)
                .iter()
                .map(|sum| sum[..16].to_string())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        all(&access_lists::AccessLists),
        [
            ["37bebf69e88da16e", "41b805ea7ac014e2", "9163bfd9722980f6"],
            ["e6d0c75c2b41f846", "46f2d35a671cd146", "81d9abcc8c2a643e"]
        ]
    );
    assert_eq!(
        all(&animal_sounds::AnimalSounds),
        [
            ["57fb35964cb1bec7", "41b805ea7ac014e2"],
            ["701726359b3e560d", "209f26a6087af12b"]
        ]
    );
}

/// The core's migrations written as operations (IPAM, extras) and the later ones render as
/// they did when they shipped.
#[test]
fn core_operation_migrations_render_the_shipped_sql() {
    let migrations = netbox_app::builtin::Core.migrations();
    let sums = [Backend::Sqlite, Backend::Postgres].map(|backend| {
        checksums(&migrations, backend)[4..]
            .iter()
            .map(|sum| sum[..16].to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(
        sums,
        [
            ["ad7bd58d1ed0cbe4", "4d38527d05f72a9e", "c590cd11b134378e"],
            ["11370ac27310ba42", "c6dcc6156b1aa091", "d9922344508c9110"]
        ]
    );
}
