//! Generated migrations on a real database: the host renders schema operations for the
//! backend and the migration runner applies them, keeping rows through table rebuilds
//! (SQLite) and in-place alterations (PostgreSQL). SQLite always; PostgreSQL when
//! `NETBOX_TEST_DATABASE_URL` is set.

use netbox_app::db::Database;
use netbox_app::db::migrations::{PlannedMigration, checksum, migrate};
use netbox_app::db::schema::render::render_all;
use netbox_app::testing::{execute_sql, fresh_database_url, query_integer};
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
use netbox_framework::models::OnDelete;
use std::borrow::Cow;

const CREATE: Migration = Migration::operations(
    "0001_initial",
    &[
        Operation::CreateTable {
            table: "zoo_cage",
            columns: &[
                Column::new("name", ColumnType::Text).unique(),
                Column::new("legs", ColumnType::Integer).null(),
            ],
            unique_together: &[],
        },
        Operation::CreateTable {
            table: "zoo_animal",
            columns: &[
                Column::new("name", ColumnType::Text),
                Column::new("cage_id", ColumnType::Integer)
                    .references("zoo_cage", OnDelete::Cascade),
            ],
            unique_together: &[&["cage_id", "name"]],
        },
        Operation::CreateJoinTable {
            table: "zoo_cage_friends",
            from: "zoo_cage",
            to: "zoo_animal",
        },
    ],
);

const ALTER: Migration = Migration::operations(
    "0002_alter",
    &[
        Operation::AddColumn {
            table: "zoo_animal",
            column: Column::new("sound", ColumnType::Text).default("quiet"),
        },
        Operation::AddColumn {
            table: "zoo_animal",
            column: Column::new("tame", ColumnType::Boolean).default("true"),
        },
        Operation::AlterColumn {
            table: "zoo_cage",
            column: Column::new("name", ColumnType::Text).default(""),
        },
        Operation::DropColumn {
            table: "zoo_cage",
            column: "legs",
        },
        Operation::AlterUniqueTogether {
            table: "zoo_animal",
            unique_together: &[],
        },
        Operation::TimestampColumns { table: "zoo_cage" },
    ],
);

fn apply(url: &str, migrations: &[Migration]) {
    let url = url.to_string();
    let migrations = migrations.to_vec();
    actix_web::rt::System::new().block_on(async move {
        let database = Database::connect(&url).await.expect("connects");
        let sql = render_all(&migrations, database.backend()).expect("renders");
        let planned: Vec<PlannedMigration> = migrations
            .iter()
            .zip(sql)
            .map(|(migration, sql)| PlannedMigration {
                owner: "zoo_test",
                name: Cow::Borrowed(migration.name),
                checksum: checksum(&sql),
                sql,
                derived: false,
                model: None,
            })
            .collect();
        migrate(&database, &planned).await.expect("migrates");
        database.close().await;
    });
}

fn fails(url: &str, sql: &str) -> bool {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || execute_sql(&url, &sql))
        .join()
        .is_err()
}

const NOW: &str = "'2026-01-01T00:00:00Z'";

#[test]
fn operations_alter_tables_and_keep_their_rows() {
    let url = fresh_database_url();
    apply(&url, &[CREATE]);
    execute_sql(
        &url,
        &format!(
            "INSERT INTO zoo_cage (name, legs, created, last_updated) VALUES ('north', 4, {NOW}, {NOW});
             INSERT INTO zoo_animal (name, cage_id, created, last_updated) VALUES ('ada', 1, {NOW}, {NOW}), ('bob', 1, {NOW}, {NOW});
             INSERT INTO zoo_cage_friends (from_id, to_id) VALUES (1, 1), (1, 2);"
        ),
    );
    // A link is made once, to rows that exist.
    assert!(fails(
        &url,
        "INSERT INTO zoo_cage_friends (from_id, to_id) VALUES (1, 1)"
    ));
    assert!(fails(
        &url,
        "INSERT INTO zoo_cage_friends (from_id, to_id) VALUES (1, 99)"
    ));
    // The constraints the first migration made hold.
    assert!(fails(
        &url,
        &format!(
            "INSERT INTO zoo_cage (name, created, last_updated) VALUES ('north', {NOW}, {NOW})"
        )
    ));
    assert!(fails(
        &url,
        &format!(
            "INSERT INTO zoo_animal (name, cage_id, created, last_updated) VALUES ('ada', 1, {NOW}, {NOW})"
        )
    ));

    apply(&url, &[CREATE, ALTER]);
    // Rows survive (the cage was rebuilt on SQLite: its animals and links were not cascaded
    // away), its times too (now TIMESTAMPTZ on PostgreSQL).
    assert_eq!(query_integer(&url, "SELECT COUNT(*) FROM zoo_animal"), 2);
    assert_eq!(
        query_integer(&url, "SELECT COUNT(*) FROM zoo_cage_friends"),
        2
    );
    assert_eq!(
        query_integer(
            &url,
            "SELECT COUNT(*) FROM zoo_cage WHERE created = '2026-01-01T00:00:00Z'"
        ),
        1
    );
    assert_eq!(
        query_integer(
            &url,
            "SELECT COUNT(*) FROM zoo_animal WHERE sound = 'quiet'"
        ),
        2
    );
    assert_eq!(
        query_integer(&url, "SELECT COUNT(*) FROM zoo_animal WHERE tame"),
        2
    );
    // The altered and dropped constraints are gone; the kept ones hold.
    execute_sql(
        &url,
        &format!("INSERT INTO zoo_cage (created, last_updated) VALUES ({NOW}, {NOW})"),
    );
    execute_sql(
        &url,
        &format!(
            "INSERT INTO zoo_cage (name, created, last_updated) VALUES ('north', {NOW}, {NOW})"
        ),
    );
    execute_sql(
        &url,
        &format!(
            "INSERT INTO zoo_animal (name, cage_id, created, last_updated) VALUES ('ada', 1, {NOW}, {NOW})"
        ),
    );
    assert!(fails(
        &url,
        &format!(
            "INSERT INTO zoo_animal (name, cage_id, created, last_updated) VALUES ('eve', 999, {NOW}, {NOW})"
        )
    ));
    assert!(fails(&url, "SELECT legs FROM zoo_cage"));
    // The reference still cascades.
    execute_sql(&url, "DELETE FROM zoo_cage WHERE id = 1");
    assert_eq!(query_integer(&url, "SELECT COUNT(*) FROM zoo_animal"), 0);
    assert_eq!(
        query_integer(&url, "SELECT COUNT(*) FROM zoo_cage_friends"),
        0
    );
}

/// The core's IPAM and extras tables, written by hand as operations, are what their typed
/// models need (the startup does not compare the core's models with its migrations).
#[test]
fn core_operation_tables_match_their_models() {
    use netbox_app::builtin::{extras, ipam};
    use netbox_app::db::schema::state::{replay, table_of_model};
    use netbox_framework::Plugin;
    use netbox_framework::migrations::MigrationSql;
    let generated: Vec<_> = netbox_app::builtin::Core
        .migrations()
        .into_iter()
        .filter(|m| matches!(m.sql, MigrationSql::Operations(_)))
        .collect();
    let replayed = replay(&generated).expect("the core's operations replay");
    let models = [
        ipam::VRF,
        ipam::PREFIX,
        ipam::IP_ADDRESS,
        extras::TAG,
        extras::CUSTOM_FIELD,
        extras::CHOICE_SET,
    ];
    let table_of = |key: &str| models.iter().find(|m| m.key() == key).map(|m| m.table);
    for schema in models {
        let wanted = table_of_model(schema, &table_of).expect("the model's table");
        assert_eq!(
            replayed.state.get(schema.table),
            Some(&wanted),
            "{}",
            schema.key()
        );
    }
}
