//! End-to-end tests of `netbox check`: the real binary, with real configuration files and the
//! plugins that ship with the application.

use netbox_app::testing::{NetboxRun, RunOutput, scratch_file};

fn netbox() -> NetboxRun {
    NetboxRun::new(env!("CARGO_BIN_EXE_netbox"))
}

fn check(config: &str) -> RunOutput {
    netbox().config(config).run(&["check"])
}

#[test]
fn valid_configuration_lists_animal_sounds_and_exits_zero() {
    let run = check("plugins = ['animal_sounds']\n[plugins_config.animal_sounds]\nloud = true\n");
    assert!(run.success(), "{run:?}");
    let row = run
        .stdout
        .lines()
        .find(|line| line.starts_with("animal_sounds"))
        .expect("a row for animal_sounds");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "animal_sounds",
            "0.1.0",
            "yes",
            "/plugins/animal-sounds/",
            "animal-sounds",
            "ok"
        ]
    );
    assert!(
        run.stdout
            .contains("Configuration OK: 1 plugin(s) enabled."),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.is_empty(),
        "no warnings expected: {}",
        run.stderr
    );
}

#[test]
fn the_repository_configuration_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../netbox.toml");
    let run = netbox().run(&["--config", path, "check"]);
    assert!(run.success(), "{run:?}");
}

#[test]
fn linked_but_not_enabled_plugin_is_listed_as_such() {
    let run = check("plugins = []");
    assert!(run.success(), "{run:?}");
    assert!(run.stdout.contains("animal_sounds"), "{}", run.stdout);
    assert!(
        run.stdout.contains("not enabled (not in `plugins`)"),
        "{}",
        run.stdout
    );
}

#[test]
fn malformed_toml_reports_line_and_column() {
    let run = check("plugins = ['animal_sounds'\n\n[plugins_config.animal_sounds]\n");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains("is invalid: TOML parse error at line 3, column 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_configuration_key_is_an_error() {
    let run = check("plugin = ['animal_sounds']\n");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("unknown field `plugin`"),
        "{}",
        run.stderr
    );
}

#[test]
fn enabled_plugin_that_is_not_linked_suggests_the_nearest_name() {
    let run = check("plugins = ['animal_sound']\n");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("error: plugin `animal_sound` is enabled in `plugins` but not linked into this binary (did you mean `animal_sounds`?); linked plugins: access_lists, animal_sounds."),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 error(s): the application would refuse to start."),
        "{}",
        run.stderr
    );
}

#[test]
fn setting_of_the_wrong_type_names_its_key_path() {
    let run = check("plugins = ['animal_sounds']\n[plugins_config.animal_sounds]\nloud = 'very'\n");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("error: plugin `animal_sounds`: setting `plugins_config.animal_sounds.loud` is invalid: invalid type: string \"very\", expected a boolean"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("error: invalid setting plugins_config.animal_sounds.loud"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_setting_is_a_warning_only() {
    let run = check("plugins = ['animal_sounds']\n[plugins_config.animal_sounds]\nlod = true\n");
    assert!(run.success(), "{run:?}");
    assert!(
        run.stderr.contains("warning: plugin `animal_sounds` has no setting `lod` (in [plugins_config.animal_sounds]); it is ignored (did you mean `loud`?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_configuration_file_is_an_error() {
    let missing = scratch_file("netbox-missing", "toml");
    let run = netbox().run(&[
        "--config",
        missing.to_str().expect("utf-8 temp path"),
        "check",
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("cannot read configuration file"),
        "{}",
        run.stderr
    );
}

#[test]
fn netbox_config_variable_names_the_file() {
    let path = scratch_file("netbox-env", "toml");
    std::fs::write(&path, "plugins = ['animal_sound']").expect("write config");
    let run = netbox()
        .env("NETBOX_CONFIG", path.to_str().expect("utf-8 temp path"))
        .run(&["check"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .contains(&format!("Configuration: {}", path.display())),
        "{}",
        run.stdout
    );
}

#[test]
fn without_a_configuration_file_the_defaults_apply() {
    let dir = scratch_file("netbox-empty-dir", "d");
    std::fs::create_dir_all(&dir).expect("create dir");
    let run = netbox().current_dir(&dir).run(&["check"]);
    let _ = std::fs::remove_dir(&dir);
    assert!(run.success(), "{run:?}");
    assert!(
        run.stdout
            .contains("built-in defaults (netbox.toml not found; no plugins enabled)"),
        "{}",
        run.stdout
    );
}

#[test]
fn security_settings_are_checked_all_at_once() {
    let run = check(
        "[security]\nallowed_hosts = []\nexempt_view_permissions = ['dcim.rack']\napi_token_pepper = 'x'\nsession_age = '10s'\n",
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    for expected in [
        "security.exempt_view_permissions: `dcim.rack` is not a served model",
        "security.allowed_hosts is empty",
        "security.api_token_pepper must have at least 32 characters",
        "security.session_age must be between one minute and one year",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?}:\n{}",
            run.stderr
        );
    }
    let typo = check("[security]\nlogin_requird = false\n");
    assert_eq!(typo.code, Some(1));
    assert!(
        typo.stderr.contains("unknown field `login_requird`"),
        "{}",
        typo.stderr
    );
}

/// A configuration with `database_url` and extra lines.
fn with_database(url: &str, extra: &str) -> String {
    format!("database_url = \"{url}\"\n{extra}")
}

#[test]
fn check_refuses_what_serve_would_refuse() {
    let mysql = check(&with_database("mysql://root:secret@localhost/netbox", ""));
    assert_eq!(mysql.code, Some(1), "{mysql:?}");
    assert!(
        mysql.stderr.contains("is not supported"),
        "{}",
        mysql.stderr
    );
    assert!(!mysql.stderr.contains("secret"), "{}", mysql.stderr);

    let nowhere = check(&with_database(
        "sqlite:///nonexistent-directory/netbox.db",
        "",
    ));
    assert_eq!(nowhere.code, Some(1), "{nowhere:?}");
    assert!(
        nowhere.stderr.contains("cannot be created"),
        "{}",
        nowhere.stderr
    );

    let bad_bind = check("bind = \"not an address\"\n");
    assert_eq!(bad_bind.code, Some(1), "{bad_bind:?}");
    assert!(
        bad_bind
            .stderr
            .contains("bind: `not an address` is not an address"),
        "{}",
        bad_bind.stderr
    );

    let refused = check(&with_database("postgres://postgres@127.0.0.1:1/netbox", ""));
    assert_eq!(refused.code, Some(1), "{refused:?}");
    assert!(
        refused.stderr.to_lowercase().contains("refused"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_database_that_never_answers_is_reported_within_five_seconds() {
    // A port that accepts connections and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = silent.local_addr().expect("address");
    let started = std::time::Instant::now();
    let run = check(&with_database(
        &format!("postgres://postgres@{address}/netbox"),
        "",
    ));
    let took = started.elapsed();
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("no answer within 5 s"),
        "{}",
        run.stderr
    );
    assert!(took < std::time::Duration::from_secs(15), "took {took:?}");
}

#[test]
fn pending_migrations_without_auto_migrate_are_an_error() {
    let file = scratch_file("netbox-check", "db");
    let url = format!("sqlite://{}", file.display());
    let migrated = netbox()
        .config(&with_database(&url, "plugins = []\n"))
        .run(&["migrate"]);
    assert!(migrated.success(), "{migrated:?}");
    let fine = check(&with_database(&url, "plugins = []\n"));
    assert!(fine.success(), "{fine:?}");
    assert!(
        fine.stdout.contains("migrations  ok: none pending"),
        "{}",
        fine.stdout
    );
    let auto = check(&with_database(&url, "plugins = ['access_lists']\n"));
    assert!(auto.success(), "{auto:?}");
    assert!(
        auto.stdout.contains("applied by `serve`"),
        "{}",
        auto.stdout
    );
    let manual = check(&with_database(
        &url,
        "plugins = ['access_lists']\nauto_migrate = false\n",
    ));
    assert_eq!(manual.code, Some(1), "{manual:?}");
    assert!(
        manual.stderr.contains("pending and auto_migrate is off"),
        "{}",
        manual.stderr
    );
    let _ = std::fs::remove_file(file);
}

#[test]
fn serve_takes_its_port_before_it_migrates() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("address").to_string();
    let file = scratch_file("netbox-serve", "db");
    let url = format!("sqlite://{}", file.display());
    let run = netbox()
        .config(&with_database(&url, "plugins = []\n"))
        .run(&["serve", "--bind", &address]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("cannot listen on"), "{}", run.stderr);
    assert!(
        !file.exists(),
        "the database was created before the port was known to be free"
    );
    let warned = check(&format!("bind = \"{address}\"\n"));
    assert!(
        warned.success(),
        "an address in use is a warning: {warned:?}"
    );
    assert!(
        warned.stderr.contains("warning: bind: cannot listen on"),
        "{}",
        warned.stderr
    );
}
