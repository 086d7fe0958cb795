//! End-to-end tests of `netbox serve`: the real binary with the shipped plugins, a real
//! configuration file and real HTTP requests.

use netbox_app::testing::NetboxServer;
use std::time::Duration;

struct Reply {
    status: u16,
    content_type: String,
    cache_control: String,
    body: String,
}

fn get(url: &str) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .call()
        .unwrap_or_else(|error| panic!("GET {url}: {error}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    Reply {
        status: response.status().as_u16(),
        content_type,
        cache_control,
        body: response.body_mut().read_to_string().expect("a text body"),
    }
}

/// Creates an object through the API as the test's admin; returns the answer's status.
fn post(url: &str, body: serde_json::Value) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    agent
        .post(url)
        .header(
            "Authorization",
            netbox_app::testing::authorization_for(url).unwrap_or_default(),
        )
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .unwrap_or_else(|error| panic!("POST {url}: {error}"))
        .status()
        .as_u16()
}

fn json(reply: &Reply) -> serde_json::Value {
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    serde_json::from_str(&reply.body).expect("valid JSON")
}

const ENABLED: &str = "plugins = ['animal_sounds']\n";

fn server(config: &str) -> NetboxServer {
    NetboxServer::start(env!("CARGO_BIN_EXE_netbox"), config)
}

#[test]
fn plugin_page_renders_inside_the_layout_with_its_own_template() {
    let server = server(ENABLED);
    let page = get(&server.url("/plugins/animal-sounds/random/"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    // The host layout around it.
    assert!(
        page.body.contains("<title>Random animal · NetBox</title>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<header class=\"topbar\">"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("NetBox-rs 0.1.0 · 1 plugin(s) enabled"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<a href=\"/plugins/animal-sounds/random/\">Animal Sounds</a>"),
        "breadcrumb: {}",
        page.body
    );
    // No animal yet: the page says so and links to the form.
    assert!(
        page.body.contains("No animals have been created yet."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/plugins/animal-sounds/animals/add/\""),
        "{}",
        page.body
    );
    // Its stylesheet and a link built by route name.
    assert!(
        page.body
            .contains("/static/animal_sounds/animal-sounds.css"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/api/plugins/animal-sounds/random/\""),
        "{}",
        page.body
    );
    // The current page's menu item is highlighted, and its menu.
    assert!(
        page.body.contains(
            "<a href=\"/plugins/animal-sounds/random/\" aria-current=\"page\">Random animal</a>"
        ),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<div class=\"menu active\" data-menu=\"Plugins\">"),
        "{}",
        page.body
    );
    // The plugin's home shows the same page.
    assert_eq!(get(&server.url("/plugins/animal-sounds/")).status, 200);
}

#[test]
fn animals_are_a_model_and_the_loud_setting_reaches_the_page_and_the_api() {
    let loud = server("plugins = ['animal_sounds']\n[plugins_config.animal_sounds]\nloud = true\n");
    let animals = loud.url("/api/plugins/animal-sounds/animals/");
    assert_eq!(
        post(
            &animals,
            serde_json::json!({"name": "Dog", "sound": "woof"})
        ),
        201
    );
    assert_eq!(post(&animals, serde_json::json!({"name": "Dog"})), 400);
    let page = get(&loud.url("/plugins/animal-sounds/random/"));
    assert!(page.body.contains("animal-card loud"), "{}", page.body);
    assert!(page.body.contains("The dog says"), "{}", page.body);
    assert!(page.body.contains("WOOF!!!"), "{}", page.body);
    assert_eq!(
        json(&get(&loud.url("/api/plugins/animal-sounds/random/"))),
        serde_json::json!({"name": "Dog", "sound": "WOOF!!!"})
    );
    // The model's own API and pages store the sound as given.
    let listed = json(&get(&animals));
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["results"][0]["sound"], "woof");
    let detail = get(&loud.url("/plugins/animal-sounds/animals/1/"));
    assert_eq!(detail.status, 200, "{}", detail.body);

    let quiet = server(ENABLED);
    let random = get(&quiet.url("/api/plugins/animal-sounds/random/"));
    assert_eq!(random.status, 404, "no animals yet: {}", random.body);
    post(
        &quiet.url("/api/plugins/animal-sounds/animals/"),
        serde_json::json!({"name": "Cat", "sound": "meow"}),
    );
    assert_eq!(
        json(&get(&quiet.url("/api/plugins/animal-sounds/random/")))["sound"],
        "meow"
    );
}

#[test]
fn menu_has_the_plugin_group_with_its_button_and_admin_last() {
    let server = server(ENABLED);
    let home = get(&server.url("/"));
    assert_eq!(home.status, 200);
    let menus: Vec<&str> = home
        .body
        .split("data-menu=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        menus,
        [
            "Organization",
            "Devices",
            "IPAM",
            "Customization",
            "Plugins",
            "Admin"
        ]
    );
    assert!(
        home.body.contains("data-group=\"Animal Sounds\""),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("<a class=\"btn btn-orange\" href=\"/plugins/animal-sounds/random/?loud=1\" title=\"Shout\">Shout</a>"),
        "{}",
        home.body
    );
    assert!(
        home.body
            .contains("<a href=\"/plugins/animal-sounds/\">Animal Sounds</a>"),
        "home card: {}",
        home.body
    );
}

#[test]
fn installed_plugins_page_and_detail_page() {
    let server =
        server("plugins = ['animal_sounds']\n[plugins_config.animal_sounds]\nloud = true\n");
    let list = get(&server.url("/plugins/"));
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("<tr data-plugin=\"animal_sounds\">"),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains("<span class=\"badge badge-ok\">Enabled</span>"),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("Show animals and the sounds they make."),
        "{}",
        list.body
    );

    let detail = get(&server.url("/core/plugins/animal_sounds/"));
    assert_eq!(detail.status, 200, "{}", detail.body);
    for expected in [
        "GET /plugins/animal-sounds/  (animal_sounds:home; for signed-in users)",
        "GET /plugins/animal-sounds/random/  (animal_sounds:random_animal; for signed-in users)",
        "GET /api/plugins/animal-sounds/random/  (animal_sounds-api:random; for signed-in users)",
        "/static/animal_sounds/animal-sounds.css",
        "<code>Random animal</code>",
        // Setting: default false, operator true, in effect true.
        "<tr data-setting=\"loud\"><td><code>loud</code></td><td>false</td><td>true</td><td>true</td></tr>",
    ] {
        assert!(
            detail.body.contains(expected),
            "missing {expected:?} in {}",
            detail.body
        );
    }
    assert_eq!(get(&server.url("/core/plugins/nope/")).status, 404);
}

#[test]
fn api_status_plugins_root_and_installed_plugins() {
    let server = server(ENABLED);
    let status = json(&get(&server.url("/api/status/")));
    assert_eq!(
        status,
        serde_json::json!({"netbox-version": "0.1.0", "plugins": {"animal_sounds": "0.1.0"}})
    );

    let root = json(&get(&server.url("/api/plugins/")));
    assert_eq!(
        root["installed-plugins"],
        server.url("/api/plugins/installed-plugins/")
    );
    assert_eq!(
        root["animal-sounds"],
        server.url("/api/plugins/animal-sounds/")
    );

    let installed = json(&get(&server.url("/api/plugins/installed-plugins/")));
    assert_eq!(
        installed,
        serde_json::json!([{
            "name": "Animal Sounds",
            "package": "animal-sounds",
            "author": "NetBox-rs developers",
            "author_email": "dev@netbox-rs.invalid",
            "description": "Show animals and the sounds they make.",
            "version": "0.1.0",
            "release_track": null
        }])
    );
}

#[test]
fn disabled_plugin_contributes_nothing() {
    let server = server("plugins = []\n");
    assert_eq!(get(&server.url("/plugins/animal-sounds/")).status, 404);
    let api = get(&server.url("/api/plugins/animal-sounds/animals/"));
    assert_eq!(api.status, 404);
    assert_eq!(json(&api), serde_json::json!({"detail": "Not found."}));
    assert_eq!(
        get(&server.url("/static/animal_sounds/animal-sounds.css")).status,
        404
    );
    let home = get(&server.url("/"));
    assert!(
        !home.body.contains("data-menu=\"Plugins\""),
        "{}",
        home.body
    );
    let list = get(&server.url("/plugins/"));
    assert!(
        list.body
            .contains("<span class=\"badge badge-off\">Not enabled</span>"),
        "{}",
        list.body
    );
    assert_eq!(
        json(&get(&server.url("/api/status/")))["plugins"],
        serde_json::json!({})
    );
}

#[test]
fn static_files_have_content_type_and_cache_headers() {
    let server = server(ENABLED);
    let css = get(&server.url("/static/animal_sounds/animal-sounds.css"));
    assert_eq!(css.status, 200);
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert_eq!(css.cache_control, "public, max-age=3600");
    assert!(css.body.contains(".animal-card"));
    let host = get(&server.url("/static/netbox/netbox.css"));
    assert_eq!(host.content_type, "text/css; charset=utf-8");
    assert!(host.body.contains(".topbar"));
}

#[test]
fn unknown_pages_get_a_404_page_or_json() {
    let server = server(ENABLED);
    let page = get(&server.url("/no/such/page"));
    assert_eq!(page.status, 404);
    assert!(
        page.body.contains("<title>Page not found · NetBox</title>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("There is no page at /no/such/page."),
        "{}",
        page.body
    );
    let api = get(&server.url("/api/no/such/endpoint/"));
    assert_eq!(api.status, 404);
    assert_eq!(json(&api)["detail"], "Not found.");
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut server = server(ENABLED);
    assert_eq!(get(&server.url("/healthz")).body, "ok");
    let code = server.terminate(Duration::from_secs(20));
    assert_eq!(code, Some(0), "log:\n{}", server.log());
}

#[test]
fn request_log_is_structured() {
    let server = server(ENABLED);
    get(&server.url("/healthz"));
    std::thread::sleep(Duration::from_millis(200));
    let log = server.log();
    assert!(
        log.lines().any(|line| line.contains("netbox::request")
            && line.contains("path=/healthz")
            && line.contains("status=200")),
        "{log}"
    );
}

#[test]
fn serve_refuses_to_start_on_a_bad_configuration() {
    let run = netbox_app::testing::NetboxRun::new(env!("CARGO_BIN_EXE_netbox"))
        .config("plugins = ['animal_sound']")
        .run(&["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains("plugin `animal_sound` is enabled in `plugins` but not linked"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("refusing to start"), "{}", run.stderr);
}
