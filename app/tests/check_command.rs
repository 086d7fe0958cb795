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
