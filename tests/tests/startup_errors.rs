//! End-to-end tests of startup validation with fixture plugins: the app binary linked with
//! plugins that trigger each error, run with real configuration files. Each error must name
//! the plugin and the cause, and every problem must be reported in one run.

use netbox_app::testing::{NetboxRun, RunOutput};

fn with_fixtures(config: &str) -> RunOutput {
    NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
        .config(config)
        .run(&["check"])
}

fn assert_refuses(run: &RunOutput, message: &str) {
    assert_eq!(run.code, Some(1), "expected a refusal: {run:?}");
    assert!(
        run.stderr.contains(message),
        "missing {message:?} in:\n{}",
        run.stderr
    );
}

#[test]
fn host_too_old_for_the_plugin_refuses_by_default() {
    let run = with_fixtures("plugins = ['future_plugin']");
    assert_refuses(
        &run,
        "error: plugin `future_plugin` 0.1.0 supports host versions >= 99.0.0, but this host is 0.1.0; upgrade the plugin or set on_incompatible_plugin = \"skip\" to run without it",
    );
}

#[test]
fn host_too_new_for_the_plugin_refuses_by_default() {
    let run = with_fixtures("plugins = ['legacy_plugin']");
    assert_refuses(
        &run,
        "error: plugin `legacy_plugin` 0.1.0 supports host versions >= 0.0.1, <= 0.0.9, but this host is 0.1.0",
    );
}

#[test]
fn incompatible_plugin_is_skipped_with_a_warning_when_configured() {
    let run = with_fixtures(
        "plugins = ['future_plugin', 'animal_sounds']\non_incompatible_plugin = 'skip'",
    );
    assert!(run.success(), "{run:?}");
    assert!(
        run.stderr.contains("warning: plugin `future_plugin` 0.1.0 supports host versions >= 99.0.0, but this host is 0.1.0; skipped because on_incompatible_plugin = \"skip\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("skipped: supports host versions >= 99.0.0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Configuration OK: 1 plugin(s) enabled."),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_required_setting_is_named() {
    let run = with_fixtures("plugins = ['zoo_keeper']");
    assert_refuses(
        &run,
        "error: plugin `zoo_keeper` requires setting `zoo`: add it under [plugins_config.zoo_keeper] in the configuration",
    );
}

#[test]
fn nested_setting_of_the_wrong_type_names_its_full_path() {
    let run = with_fixtures(
        "plugins = ['zoo_keeper']\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n[[plugins_config.zoo_keeper.cages]]\nsize = 'big'\n",
    );
    assert_refuses(
        &run,
        "error: plugin `zoo_keeper`: setting `plugins_config.zoo_keeper.cages[0].size` is invalid: invalid type: string \"big\", expected u32",
    );
}

#[test]
fn valid_typed_settings_pass_and_unknown_nested_keys_warn() {
    let run = with_fixtures(
        "plugins = ['zoo_keeper']\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n[[plugins_config.zoo_keeper.cages]]\nsize = 12\nroof = true\n",
    );
    assert!(run.success(), "{run:?}");
    assert!(
        run.stderr.contains("warning: plugin `zoo_keeper` has no setting `cages.0.roof` (in [plugins_config.zoo_keeper]); it is ignored"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_enabled_plugins_with_one_base_url_name_both_crates() {
    let run = with_fixtures("plugins = ['animal_sounds', 'sound_clash']");
    assert_refuses(
        &run,
        "error: plugins `animal_sounds` (crate `animal-sounds`) and `sound_clash` (crate `fixture-plugins-a`) all use base_url `animal-sounds`",
    );
}

#[test]
fn failing_ready_hook_names_the_plugin() {
    let run = with_fixtures("plugins = ['fragile']\n[plugins_config.fragile]\nfail = true\n");
    assert_refuses(
        &run,
        "error: plugin `fragile` failed to start: cannot reach the animal registry",
    );
    let run = with_fixtures("plugins = ['fragile']");
    assert!(run.success(), "{run:?}");
}

#[test]
fn failing_started_hook_stops_the_server_naming_the_plugin() {
    for (start, message) in [
        (
            "fail",
            "plugin `fragile`: started hook failed: the animal registry is gone",
        ),
        (
            "panic",
            "plugin `fragile`: started hook failed: panicked: the registry exploded",
        ),
    ] {
        // A database of its own (not `netbox.db` in the working directory).
        let database = netbox_app::testing::fresh_database_url();
        let run = NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
            .config(&format!(
                "database_url = {database:?}\nauto_migrate = true\nplugins = ['fragile']\n[plugins_config.fragile]\nstart = '{start}'\n"
            ))
            .run(&["serve", "--bind", "127.0.0.1:0"]);
        assert_refuses(&run, message);
        assert!(!run.stdout.contains("listening"), "{run:?}");
    }
}

#[test]
fn two_linked_crates_with_one_plugin_name_refuse_to_start() {
    let run = NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-duplicates"))
        .config("plugins = ['animal_sounds']")
        .run(&["check"]);
    assert_refuses(
        &run,
        "error: plugin name `twin` is declared by more than one linked crate: crate `fixture-plugins-a` (fixture_plugins_a::Twin) and crate `fixture-plugins-b` (fixture_plugins_b::Twin); rename one of them",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let run = with_fixtures(
        "plugins = ['future_plugin', 'zoo_keeper', 'animal_sounds', 'sound_clash', 'animal_sound', 'animal_sounds']\n\
         [plugins_config.animal_sounds]\nloud = 'yes'\n",
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    for expected in [
        "error: plugin `future_plugin` 0.1.0 supports host versions >= 99.0.0",
        "error: plugin `zoo_keeper` requires setting `zoo`",
        "error: plugin `animal_sounds`: setting `plugins_config.animal_sounds.loud` is invalid",
        "error: plugins `animal_sounds` (crate `animal-sounds`) and `sound_clash` (crate `fixture-plugins-a`) all use base_url `animal-sounds`",
        "error: plugin `animal_sound` is enabled in `plugins` but not linked into this binary (did you mean `animal_sounds`?)",
        "error: plugin `animal_sounds` is listed more than once in `plugins`",
    ] {
        assert!(
            errors.iter().any(|line| line.starts_with(expected)),
            "missing {expected:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 6, "{errors:#?}");
    assert!(
        run.stderr
            .contains("6 error(s): the application would refuse to start."),
        "{}",
        run.stderr
    );
}

#[test]
fn plugin_order_follows_the_configuration() {
    let run = with_fixtures(
        "plugins = ['zoo_keeper', 'fragile', 'animal_sounds']\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n",
    );
    assert!(run.success(), "{run:?}");
    let order: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("PLUGIN"))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(
        order,
        [
            "zoo_keeper",
            "fragile",
            "animal_sounds",
            "access_lists",
            "broken_model",
            "decorator",
            "dog_thief",
            "future_plugin",
            "kennel",
            "legacy_plugin",
            "lost_view",
            "menagerie",
            "ornament_a",
            "ornament_b",
            "painter",
            "sound_clash",
            "tattletale",
            "twin"
        ]
    );
}

#[test]
fn model_with_an_unknown_foreign_key_target_refuses_to_start() {
    let run = with_fixtures("plugins = ['broken_model']");
    assert_refuses(
        &run,
        "error: plugin `broken_model`: field `rack` of model `broken_model.cage` refers to model `dcim.rack`, which is not served (known models: dcim.site, dcim.device, ipam.vrf, ipam.prefix, ipam.ipaddress, extras.tag, extras.customfield, extras.customfieldchoiceset, broken_model.cage, broken_model.camera)",
    );
    assert_refuses(
        &run,
        "error: plugin `broken_model`: model `broken_model.cage` names `opened` as its display field: a decimal, date or date-time cannot name objects",
    );
    assert_refuses(
        &run,
        "error: plugin `broken_model`: model `broken_model.camera` has a field `tags`: `tags`, `custom_fields`, `tag`, `tag_id` and names starting with `cf_` are every object's tags and custom fields; rename the field",
    );
    assert_refuses(
        &run,
        "error: plugin `broken_model`: many-to-many field `cameras` of model `broken_model.cage` is a join table, not a column: it cannot be unique, indexed, required or have a default",
    );
    assert_refuses(
        &run,
        "error: plugin `broken_model`: field `weight` of model `broken_model.cage` has the default `1.25`, which it refuses: Ensure that there are no more than 1 decimal places.",
    );
    assert_refuses(
        &run,
        "error: plugin `broken_model`: many-to-many field `cameras` of model `broken_model.cage` needs the table `broken_model_cage_cameras`, which is model `broken_model.camera`'s",
    );
    let serve = NetboxRun::new(env!("CARGO_BIN_EXE_netbox-with-fixtures"))
        .config("plugins = ['broken_model']")
        .run(&["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(serve.code, Some(1), "{serve:?}");
    assert!(
        serve.stderr.contains("refers to model `dcim.rack`"),
        "{}",
        serve.stderr
    );
}

#[test]
fn custom_actions_only_on_a_plugins_own_models() {
    let run = with_fixtures("plugins = ['kennel', 'dog_thief']");
    assert_refuses(
        &run,
        "plugin `dog_thief`: custom action `steal` is on `kennel.dog`, a model of `kennel`: a plugin declares actions on its own models",
    );
    assert_refuses(
        &run,
        "plugin `dog_thief`: custom action `view` is on `dcim.site`, a model of `core`",
    );
}
