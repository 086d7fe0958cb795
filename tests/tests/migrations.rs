//! Migration tests with the real binary: fresh install, upgrade with a new plugin migration,
//! a failing migration rolled back, a changed checksum detected, a disabled plugin keeping its
//! data, and `serve` refusing or applying pending migrations. SQLite always; PostgreSQL too
//! when `NETBOX_TEST_DATABASE_URL` is set.

use netbox_app::testing::{NetboxRun, RunOutput, execute_sql, fresh_database_url, query_integer};

fn migrate(database: &str, plugins: &str, stage: &str, args: &[&str]) -> RunOutput {
    NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
        .config(&format!(
            "database_url = {database:?}\nplugins = [{plugins}]\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n"
        ))
        .env("NETBOX_FIXTURE_ZOO_STAGE", stage)
        .run(args)
}

fn state_of<'a>(listing: &'a str, owner: &str, name: &str) -> &'a str {
    listing
        .lines()
        .find_map(|line| {
            let mut cells = line.split_whitespace();
            (cells.next() == Some(owner) && cells.next() == Some(name))
                .then(|| cells.next().unwrap_or_default())
        })
        .unwrap_or_else(|| panic!("no {owner} {name} in:\n{listing}"))
}

/// What a fresh install applies of the core, in order: its migrations, then what the host
/// derives from each of its models.
const CORE_APPLIED: &[&str] = &[
    "Applied core 0001_dcim_sites_and_devices",
    "Applied core 0002_change_log",
    "Applied core 0003_users",
    "Applied core 0004_object_times",
    "Applied core 0005_ipam",
    "Applied core 0006_extras",
    "Applied core 0007_object_features",
    "Applied core auto_site",
    "Applied core auto_device",
    "Applied core auto_vrf",
    "Applied core auto_prefix",
    "Applied core auto_ipaddress",
    "Applied core auto_tag",
    "Applied core auto_customfield",
    "Applied core auto_customfieldchoiceset",
];

#[test]
fn fresh_install_applies_core_then_plugins_in_order() {
    let database = fresh_database_url();
    let listed = migrate(&database, "'zoo_keeper'", "1", &["migrate", "--list"]);
    assert!(listed.success(), "{listed:?}");
    assert_eq!(
        state_of(&listed.stdout, "core", "0001_dcim_sites_and_devices"),
        "pending"
    );
    assert_eq!(
        state_of(&listed.stdout, "zoo_keeper", "0001_animals"),
        "pending"
    );

    let run = migrate(&database, "'zoo_keeper'", "1", &["migrate"]);
    assert!(run.success(), "{run:?}");
    let applied: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("Applied"))
        .collect();
    assert_eq!(
        applied,
        CORE_APPLIED
            .iter()
            .copied()
            .chain(["Applied zoo_keeper 0001_animals"])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        query_integer(&database, "SELECT COUNT(*) FROM zoo_keeper_animal"),
        0
    );

    let again = migrate(&database, "'zoo_keeper'", "1", &["migrate"]);
    assert!(
        again.stdout.contains("No migrations to apply."),
        "{again:?}"
    );
    let listed = migrate(&database, "'zoo_keeper'", "1", &["migrate", "--list"]);
    assert_eq!(
        state_of(&listed.stdout, "zoo_keeper", "0001_animals"),
        "applied"
    );
}

#[test]
fn upgrade_applies_only_the_new_migration() {
    let database = fresh_database_url();
    assert!(migrate(&database, "'zoo_keeper'", "1", &["migrate"]).success());
    execute_sql(
        &database,
        "INSERT INTO zoo_keeper_animal (id, name) VALUES (1, 'Lion')",
    );
    let run = migrate(&database, "'zoo_keeper'", "2", &["migrate"]);
    assert!(run.success(), "{run:?}");
    assert_eq!(
        run.stdout
            .lines()
            .filter(|line| line.starts_with("Applied"))
            .collect::<Vec<_>>(),
        ["Applied zoo_keeper 0002_feeding"]
    );
    assert_eq!(
        query_integer(&database, "SELECT COUNT(*) FROM zoo_keeper_animal"),
        1
    );
    assert_eq!(
        query_integer(&database, "SELECT COUNT(*) FROM zoo_keeper_feeding"),
        0
    );
}

#[test]
fn failing_migration_is_rolled_back_and_named() {
    let database = fresh_database_url();
    assert!(migrate(&database, "'zoo_keeper'", "1", &["migrate"]).success());
    let run = migrate(&database, "'zoo_keeper'", "broken", &["migrate"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("error: migration `0002_feeding` of `zoo_keeper` failed and was rolled back (nothing of it was applied)"),
        "{}",
        run.stderr
    );
    let listed = migrate(&database, "'zoo_keeper'", "broken", &["migrate", "--list"]);
    assert_eq!(
        state_of(&listed.stdout, "zoo_keeper", "0002_feeding"),
        "pending"
    );
    // The half-run migration left nothing behind: the fixed release creates the same table.
    let fixed = migrate(&database, "'zoo_keeper'", "2", &["migrate"]);
    assert!(fixed.success(), "{fixed:?}");
    assert!(
        fixed.stdout.contains("Applied zoo_keeper 0002_feeding"),
        "{fixed:?}"
    );
}

#[test]
fn changed_applied_migration_is_an_error() {
    let database = fresh_database_url();
    assert!(migrate(&database, "'zoo_keeper'", "1", &["migrate"]).success());
    let run = migrate(&database, "'zoo_keeper'", "changed", &["migrate"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains(
            "error: migration `0001_animals` of `zoo_keeper` was applied with different SQL"
        ),
        "{}",
        run.stderr
    );
    let listed = migrate(&database, "'zoo_keeper'", "changed", &["migrate", "--list"]);
    assert_eq!(listed.code, Some(1), "{listed:?}");
    assert_eq!(
        state_of(&listed.stdout, "zoo_keeper", "0001_animals"),
        "CHANGED"
    );
}

#[test]
fn disabling_a_plugin_keeps_its_tables_and_data() {
    let database = fresh_database_url();
    assert!(migrate(&database, "'zoo_keeper'", "1", &["migrate"]).success());
    execute_sql(
        &database,
        "INSERT INTO zoo_keeper_animal (id, name) VALUES (1, 'Lion')",
    );
    let disabled = migrate(&database, "", "1", &["migrate"]);
    assert!(disabled.success(), "{disabled:?}");
    let listed = migrate(&database, "", "1", &["migrate", "--list"]);
    assert!(
        listed
            .stdout
            .lines()
            .any(|line| line.starts_with("zoo_keeper")
                && line.ends_with("(plugin not enabled: its tables are kept)")),
        "{}",
        listed.stdout
    );
    assert_eq!(
        query_integer(&database, "SELECT COUNT(*) FROM zoo_keeper_animal"),
        1
    );
    let enabled_again = migrate(&database, "'zoo_keeper'", "1", &["migrate"]);
    assert!(
        enabled_again.stdout.contains("No migrations to apply."),
        "{enabled_again:?}"
    );
    assert_eq!(
        query_integer(&database, "SELECT COUNT(*) FROM zoo_keeper_animal"),
        1
    );
}

#[test]
fn serve_refuses_pending_migrations_unless_auto_migrate() {
    let database = fresh_database_url();
    let run = NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
        .config(&format!(
            "database_url = {database:?}\nauto_migrate = false\nplugins = ['zoo_keeper']\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n"
        ))
        .run(&["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "pending migration(s): {}, zoo_keeper 0001_animals. Run `netbox migrate`",
            CORE_APPLIED
                .iter()
                .map(|line| line.trim_start_matches("Applied "))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn instances_migrating_together_apply_each_migration_once() {
    let database = fresh_database_url();
    let runs: Vec<RunOutput> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| migrate(&database, "'zoo_keeper'", "2", &["migrate"])))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("migrate thread"))
            .collect()
    });
    for run in &runs {
        assert!(run.success(), "{run:?}");
    }
    let mut applied: Vec<&str> = runs
        .iter()
        .flat_map(|run| run.stdout.lines())
        .filter(|line| line.starts_with("Applied"))
        .collect();
    applied.sort_unstable();
    assert_eq!(applied, {
        let mut expected: Vec<&str> = CORE_APPLIED.to_vec();
        expected.extend([
            "Applied zoo_keeper 0001_animals",
            "Applied zoo_keeper 0002_feeding",
        ]);
        expected.sort_unstable();
        expected
    });
}
