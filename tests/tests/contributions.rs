//! The host asks only enabled plugins for their contributions: the fixture binary links
//! `tattletale`, whose every contribution method (and `ready`) panics, and never enables it.

use netbox_app::testing::{NetboxRun, NetboxServer};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_netbox-with-fixtures");
const CONFIG: &str = "plugins = ['zoo_keeper', 'decorator', 'animal_sounds']\n[plugins_config.zoo_keeper]\nzoo = 'Artis'\n";

fn status(url: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    agent
        .get(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .call()
        .unwrap_or_else(|error| panic!("GET {url}: {error}"))
        .status()
        .as_u16()
}

#[test]
fn disabled_plugins_are_never_asked_for_contributions() {
    let check = NetboxRun::new(BINARY).config(CONFIG).run(&["check"]);
    assert!(check.success(), "{check:?}");
    assert!(check.stdout.contains("tattletale"), "{}", check.stdout);
    assert!(
        !check.stderr.contains("tattletale was asked"),
        "{}",
        check.stderr
    );

    let server = NetboxServer::start(BINARY, CONFIG);
    for path in [
        "/",
        "/plugins/",
        "/core/plugins/tattletale/",
        "/dcim/sites/",
        "/api/plugins/",
    ] {
        assert_eq!(status(&server.url(path)), 200, "{path}");
    }
    assert_eq!(status(&server.url("/plugins/tattletale/")), 404);
    assert!(
        !server.log().contains("tattletale was asked"),
        "{}",
        server.log()
    );
}

#[test]
fn an_enabled_plugin_is_asked_which_the_tattletale_reports() {
    // The control: enabling it makes the host ask, and the panic names what was asked.
    let run = NetboxRun::new(BINARY)
        .config("plugins = ['tattletale']")
        .run(&["check"]);
    assert!(!run.success(), "{run:?}");
    assert!(
        run.stderr.contains("tattletale was asked for its"),
        "{}",
        run.stderr
    );
}
