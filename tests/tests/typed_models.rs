//! Typed models end to end, with the `menagerie` fixture plugin (typed models, generated
//! migrations): handlers reading core and plugin objects and writing through the typed data
//! API, a receiver reading typed objects, cascading and nulling deletes, and makemigrations on
//! an unchanged tree. SQLite always; PostgreSQL when `NETBOX_TEST_DATABASE_URL` is set.

use netbox_app::testing::{NetboxRun, NetboxServer};
use serde_json::{Value, json};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_netbox-with-fixtures");

struct Client {
    server: NetboxServer,
    agent: ureq::Agent,
}

impl Client {
    fn start() -> Self {
        Self::with("plugins = ['menagerie', 'animal_sounds']\n")
    }

    fn with(config: &str) -> Self {
        Client {
            server: NetboxServer::start(BINARY, config),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(30)))
                .build()
                .into(),
        }
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = self.server.url(path);
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("Authorization", self.server.authorization())
            .header("Content-Type", "application/json");
        let request = request
            .body(body.map(|b| b.to_string()).unwrap_or_default())
            .expect("a request");
        let mut response = self
            .agent
            .run(request)
            .unwrap_or_else(|error| panic!("{method} {url}: {error}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn create(&self, path: &str, body: Value) -> i64 {
        let (status, object) = self.send("POST", path, Some(body));
        assert_eq!(status, 201, "POST {path}: {object}");
        object["id"].as_i64().expect("an id")
    }
}

#[test]
fn handlers_read_core_and_plugin_objects_and_write_through_the_engine() {
    let c = Client::start();
    let site = c.create(
        "/api/dcim/sites/",
        json!({"name": "Artis", "slug": "artis"}),
    );
    let other = c.create(
        "/api/dcim/sites/",
        json!({"name": "Blijdorp", "slug": "blijdorp"}),
    );
    for name in ["cam-a", "cam-b"] {
        c.create(
            "/api/dcim/devices/",
            json!({"name": name, "site": site, "role": "camera"}),
        );
    }
    c.create(
        "/api/dcim/devices/",
        json!({"name": "cam-z", "site": other, "role": "camera"}),
    );

    let (status, hired) = c.send(
        "POST",
        "/api/plugins/menagerie/hire/",
        Some(json!({"name": "Ada", "site": site, "years": 2, "food": "fish"})),
    );
    assert_eq!(status, 201, "{hired}");
    assert_eq!(
        hired["years"], 3,
        "created, then updated through the typed API"
    );
    assert_eq!(
        (&hired["feedings_seen"], &hired["years_seen"]),
        (&json!(1), &json!(3)),
        "reads in the transaction see its writes: {hired}"
    );
    // A keeper with 0 years is left out of the report by its typed filter.
    let bob = c.create(
        "/api/plugins/menagerie/keepers/",
        json!({"name": "Bob", "site": site}),
    );
    // Enclosures by keeper: a typed filter on a many-to-many field.
    let ada = hired["id"].as_i64().expect("an id");
    c.create(
        "/api/plugins/menagerie/enclosures/",
        json!({"code": "pen", "keepers": [ada, bob]}),
    );
    c.create(
        "/api/plugins/menagerie/enclosures/",
        json!({"code": "cage", "keepers": [bob]}),
    );
    // A boolean field (added by the fixture's second generated migration): false by default,
    // filtered as NetBox filters booleans.
    let (_, bob) = c.send(
        "GET",
        &format!("/api/plugins/menagerie/keepers/{bob}/"),
        None,
    );
    assert_eq!(bob["on_duty"], false, "{bob}");
    let (_, on_duty) = c.send("GET", "/api/plugins/menagerie/keepers/?on_duty=true", None);
    assert_eq!(on_duty["count"], 1, "{on_duty}");
    assert_eq!(on_duty["results"][0]["name"], "Ada", "{on_duty}");
    let (status, _) = c.send("GET", "/api/plugins/menagerie/keepers/?on_duty=maybe", None);
    assert_eq!(status, 400);

    let (status, report) = c.send(
        "GET",
        &format!("/api/plugins/menagerie/report/{site}/"),
        None,
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report,
        json!({
            "site": "Artis",
            "status": "active",
            "devices": ["cam-b", "cam-a"],
            "keepers": [{"name": "Ada", "years": 3, "feedings": 1, "enclosures": ["pen"]}],
            "pens": {"cage": ["Bob (Artis)"], "pen": ["Ada (Artis)", "Bob (Artis)"]},
        })
    );
    let (status, _) = c.send("GET", "/api/plugins/menagerie/report/999/", None);
    assert_eq!(status, 404);

    // Every write went through the engine: validation, uniqueness, the change log.
    let (status, invalid) = c.send(
        "POST",
        "/api/plugins/menagerie/hire/",
        Some(json!({"name": "Ada", "site": site})),
    );
    assert_eq!(status, 400, "{invalid}");
    assert!(invalid.to_string().contains("already exists"), "{invalid}");
    let (status, invalid) = c.send(
        "POST",
        "/api/plugins/menagerie/hire/",
        Some(json!({"name": "Eve", "site": 999})),
    );
    assert_eq!(status, 400, "{invalid}");
    assert!(invalid["site"].is_array(), "{invalid}");
    let (_, changes) = c.send(
        "GET",
        "/api/core/object-changes/?object_type=menagerie.keeper",
        None,
    );
    let actions: Vec<&str> = changes["results"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|change| change["object_repr"] == "Ada")
        .filter_map(|change| change["action"].as_str())
        .collect();
    assert_eq!(actions.len(), 2, "a create and an update: {changes}");
}

#[test]
fn a_receiver_reads_typed_objects_and_refuses_on_every_path() {
    let c = Client::start();
    let site = c.create(
        "/api/dcim/sites/",
        json!({"name": "Artis", "slug": "artis"}),
    );
    let (status, body) = c.send(
        "POST",
        "/api/plugins/menagerie/hire/",
        Some(json!({"name": "Nobody", "site": site})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("A keeper needs a real name."),
        "{body}"
    );
    let (status, body) = c.send(
        "POST",
        "/api/plugins/menagerie/keepers/",
        Some(json!({"name": "nobody", "site": site})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("A keeper needs a real name."),
        "{body}"
    );
    let (_, keepers) = c.send("GET", "/api/plugins/menagerie/keepers/", None);
    assert_eq!(keepers["count"], 0, "{keepers}");
}

#[test]
fn deletes_cascade_and_empty_references_with_change_records() {
    let c = Client::start();
    let site = c.create(
        "/api/dcim/sites/",
        json!({"name": "Artis", "slug": "artis"}),
    );
    let camera_site = c.create(
        "/api/dcim/sites/",
        json!({"name": "Depot", "slug": "depot"}),
    );
    let camera = c.create(
        "/api/dcim/devices/",
        json!({"name": "cam-1", "site": camera_site, "role": "camera"}),
    );
    let keeper = c.create(
        "/api/plugins/menagerie/keepers/",
        json!({"name": "Ada", "site": site}),
    );
    let feeding = c.create(
        "/api/plugins/menagerie/feedings/",
        json!({"keeper": keeper, "food": "fish", "camera": camera}),
    );

    // set_null: the feeding stays, without its camera.
    let (status, _) = c.send("DELETE", &format!("/api/dcim/devices/{camera}/"), None);
    assert_eq!(status, 204);
    let (status, kept) = c.send(
        "GET",
        &format!("/api/plugins/menagerie/feedings/{feeding}/"),
        None,
    );
    assert_eq!(status, 200, "{kept}");
    assert_eq!(kept["camera"], Value::Null, "{kept}");

    // protect (the core's device → site): refused while a device is there.
    let (status, body) = c.send("DELETE", &format!("/api/dcim/sites/{camera_site}/"), None);
    assert_eq!(
        status, 204,
        "the camera is gone, nothing protects the depot: {body}"
    );

    // cascade: the site takes its keeper, the keeper its feeding; each is recorded.
    let (status, body) = c.send("DELETE", &format!("/api/dcim/sites/{site}/"), None);
    assert_eq!(status, 204, "{body}");
    for path in [
        format!("/api/plugins/menagerie/keepers/{keeper}/"),
        format!("/api/plugins/menagerie/feedings/{feeding}/"),
    ] {
        assert_eq!(c.send("GET", &path, None).0, 404, "{path}");
    }
    for (model, id) in [("menagerie.keeper", keeper), ("menagerie.feeding", feeding)] {
        let (_, changes) = c.send(
            "GET",
            &format!("/api/core/object-changes/?object_type={model}&object_id={id}&action=delete"),
            None,
        );
        assert_eq!(changes["count"], 1, "{model}: {changes}");
    }
}

#[test]
fn makemigrations_writes_nothing_when_models_match() {
    let run = NetboxRun::new(BINARY)
        .config("plugins = ['menagerie', 'animal_sounds', 'access_lists']\n")
        .run(&["makemigrations", "--check"]);
    assert!(run.success(), "{run:?}");
    for plugin in ["menagerie", "animal_sounds", "access_lists"] {
        assert!(
            run.stdout.contains(&format!("No changes in `{plugin}`.")),
            "{}",
            run.stdout
        );
    }
    let unknown = NetboxRun::new(BINARY)
        .config("plugins = ['menagerie']\n")
        .run(&["makemigrations", "zoo"]);
    assert!(!unknown.success());
    assert!(
        unknown.stderr.contains("plugin `zoo` is not enabled"),
        "{}",
        unknown.stderr
    );
    let badly_named = NetboxRun::new(BINARY)
        .config("plugins = ['menagerie']\n")
        .run(&["makemigrations", "--name", "Add Pens"]);
    assert!(!badly_named.success());
    assert!(
        badly_named
            .stderr
            .contains("a migration name takes 1 to 60 lowercase letters, digits and _"),
        "{}",
        badly_named.stderr
    );
}

#[test]
fn the_models_own_validation_refuses_on_every_path() {
    let c = Client::start();
    let site = c.create(
        "/api/dcim/sites/",
        json!({"name": "Artis", "slug": "artis"}),
    );
    let keeper = c.create(
        "/api/plugins/menagerie/keepers/",
        json!({"name": "Ada", "site": site}),
    );
    let refused = json!({"food": ["Chocolate is poisonous to animals."]});
    // The API, one object and a list (all or nothing, the bad item named).
    let (status, body) = c.send(
        "POST",
        "/api/plugins/menagerie/feedings/",
        Some(json!({"keeper": keeper, "food": "Dark chocolate"})),
    );
    assert_eq!((status, body), (400, refused.clone()));
    let (status, body) = c.send(
        "POST",
        "/api/plugins/menagerie/feedings/",
        Some(json!([{"keeper": keeper, "food": "fish"}, {"keeper": keeper, "food": "chocolate"}])),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body, json!([{}, refused]), "{body}");
    // An update that makes it invalid.
    let fish = c.create(
        "/api/plugins/menagerie/feedings/",
        json!({"keeper": keeper, "food": "fish"}),
    );
    let (status, body) = c.send(
        "PATCH",
        &format!("/api/plugins/menagerie/feedings/{fish}/"),
        Some(json!({"food": "chocolate"})),
    );
    assert_eq!((status, body), (400, refused.clone()));
    // Plugin code through the typed API, in a transaction: the keeper created before the
    // refused feeding is rolled back with it.
    let (status, body) = c.send(
        "POST",
        "/api/plugins/menagerie/hire/",
        Some(json!({"name": "Bob", "site": site, "food": "chocolate"})),
    );
    assert_eq!((status, body), (400, refused));
    let (_, keepers) = c.send("GET", "/api/plugins/menagerie/keepers/?name=Bob", None);
    assert_eq!(keepers["count"], 0, "nothing of the transaction: {keepers}");
    // The form: the message next to the field, nothing saved.
    let form = c
        .agent
        .post(&c.server.url("/plugins/menagerie/feedings/add/"))
        .header("Authorization", c.server.authorization())
        .send_form([
            ("keeper", keeper.to_string().as_str()),
            ("food", "chocolate"),
        ])
        .expect("form POST");
    let status = form.status().as_u16();
    let page = form.into_body().read_to_string().unwrap_or_default();
    assert_eq!(status, 200, "the form again: {page}");
    assert!(
        page.contains("<div class=\"field-error\">Chocolate is poisonous to animals.</div>"),
        "{page}"
    );
    let (_, feedings) = c.send("GET", "/api/plugins/menagerie/feedings/", None);
    assert_eq!(feedings["count"], 1, "only the fish: {feedings}");
}

#[test]
fn network_json_and_indexed_fields() {
    let c = Client::start();
    let path = "/api/plugins/menagerie/enclosures/";
    let (status, body) = c.send(
        "POST",
        path,
        Some(json!({"code": "north", "network": "10.0.0.1/8"})),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["network"],
        json!(["“10.0.0.1/8” has host bits set: the network is 10.0.0.0/8."])
    );
    let (status, body) = c.send(
        "POST",
        path,
        Some(json!({"code": "north", "gateway": "10.0.0.300"})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body["gateway"].is_array(), "{body}");
    let (status, north) = c.send(
        "POST",
        path,
        Some(json!({"code": "north", "network": "2001:DB8::/32", "gateway": "2001:db8:0::1", "notes": {"animals": ["lion"], "heated": true}})),
    );
    assert_eq!(status, 201, "{north}");
    assert_eq!(north["network"], "2001:db8::/32", "canonical form");
    assert_eq!(north["gateway"], "2001:db8::1");
    assert_eq!(north["notes"], json!({"animals": ["lion"], "heated": true}));
    let (status, south) = c.send(
        "POST",
        path,
        Some(json!({"code": "south", "network": "10.1.0.0/16"})),
    );
    assert_eq!(status, 201, "{south}");
    assert_eq!(south["notes"], Value::Null);

    let (_, found) = c.send(
        "GET",
        &format!("{path}?network__isw=10.&notes__empty=true"),
        None,
    );
    assert_eq!(found["count"], 1, "{found}");
    assert_eq!(found["results"][0]["code"], "south");
    let (_, found) = c.send("GET", &format!("{path}?q=2001:db8"), None);
    assert_eq!(found["count"], 1, "{found}");
    let (status, _) = c.send("GET", &format!("{path}?notes=x"), None);
    assert_eq!(status, 400);
    // The object page shows the document; the list is ordered by the indexed code.
    let (_, listed) = c.send("GET", &format!("{path}?ordering=-code"), None);
    assert_eq!(listed["results"][0]["code"], "south");
}

#[test]
fn decimal_date_and_time_fields() {
    let c = Client::start();
    let site = c.create("/api/dcim/sites/", json!({"name": "Zoo", "slug": "zoo"}));
    let keeper = c.create(
        "/api/plugins/menagerie/keepers/",
        json!({"name": "Ada", "site": site}),
    );
    let feedings = "/api/plugins/menagerie/feedings/";
    // Too many places, too many digits, not a date: 400s naming the field.
    for (body, field, message) in [
        (
            json!({"portion": "1.234"}),
            "portion",
            "no more than 2 decimal places",
        ),
        (
            json!({"portion": 123456}),
            "portion",
            "no more than 4 digits before",
        ),
        (json!({"portion": "lots"}), "portion", "is not a number"),
        (json!({"day": "2023-02-29"}), "day", "is not a date"),
    ] {
        let mut body = body;
        body["keeper"] = json!(keeper);
        body["food"] = json!("fish");
        let (status, answer) = c.send("POST", feedings, Some(body));
        assert_eq!(status, 400, "{answer}");
        let text = answer[field][0].as_str().unwrap_or_default();
        assert!(text.contains(message), "{field}: {answer}");
    }
    let (status, fish) = c.send(
        "POST",
        feedings,
        Some(json!({"keeper": keeper, "food": "fish", "portion": "2.50", "day": "2024-02-29"})),
    );
    assert_eq!(status, 201, "{fish}");
    assert_eq!(fish["portion"], json!(2.5));
    assert_eq!(fish["day"], "2024-02-29");
    let (status, meat) = c.send(
        "POST",
        feedings,
        Some(json!({"keeper": keeper, "food": "meat", "portion": 10, "day": "2024-03-01"})),
    );
    assert_eq!(status, 201, "{meat}");
    assert_eq!(
        meat["portion"],
        json!(10),
        "a whole decimal is written as an integer"
    );
    c.create(feedings, json!({"keeper": keeper, "food": "hay"}));

    // Read back from the list (the list is rendered by the database) and one object.
    let (_, listed) = c.send(
        "GET",
        &format!("{feedings}?ordering=-portion&portion__empty=false"),
        None,
    );
    let portions: Vec<&Value> = listed["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|f| &f["portion"])
        .collect();
    assert_eq!(portions[..2], [&json!(10), &json!(2.5)], "{listed}");
    let (_, one) = c.send("GET", &format!("{feedings}{}/", fish["id"]), None);
    assert_eq!(
        (&one["portion"], &one["day"]),
        (&json!(2.5), &json!("2024-02-29"))
    );

    // Filters compare numbers and dates as such.
    for (query, expected) in [
        ("portion__gte=3", vec!["meat"]),
        ("portion__lt=3", vec!["fish"]),
        ("portion=2.5", vec!["fish"]),
        ("day__gt=2024-02-29", vec!["meat"]),
        ("day=2024-02-29", vec!["fish"]),
        ("day__empty=true", vec!["hay"]),
    ] {
        let (status, found) = c.send("GET", &format!("{feedings}?{query}"), None);
        assert_eq!(status, 200, "{query}: {found}");
        let foods: Vec<&str> = found["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|f| f["food"].as_str())
            .collect();
        assert_eq!(foods, expected, "{query}");
    }
    let (status, answer) = c.send("GET", &format!("{feedings}?day__gt=soon"), None);
    assert_eq!(status, 400, "{answer}");

    // A time with an offset is kept in UTC; times filter across offsets.
    let enclosures = "/api/plugins/menagerie/enclosures/";
    let (status, north) = c.send(
        "POST",
        enclosures,
        Some(json!({"code": "north", "inspected": "2024-05-31T16:30:00+02:00"})),
    );
    assert_eq!(status, 201, "{north}");
    assert_eq!(north["inspected"], "2024-05-31T14:30:00Z");
    let (status, answer) = c.send(
        "POST",
        enclosures,
        Some(json!({"code": "south", "inspected": "last week"})),
    );
    assert_eq!(status, 400, "{answer}");
    assert!(answer["inspected"].is_array(), "{answer}");
    let (_, found) = c.send(
        "GET",
        &format!("{enclosures}?inspected__gte=2024-05-31T15:00:00%2B01:00"),
        None,
    );
    assert_eq!(found["count"], 1, "{found}");
    let (_, found) = c.send(
        "GET",
        &format!("{enclosures}?inspected__gt=2024-05-31T14:30:00Z"),
        None,
    );
    assert_eq!(found["count"], 0, "{found}");

    // created and last_updated are times too: RFC 3339 in UTC, filterable by date.
    let created = north["created"].as_str().expect("created");
    assert!(created.ends_with('Z') && created.len() == 20, "{created}");
    let today = &created[..10];
    let (_, found) = c.send(
        "GET",
        &format!("{enclosures}?created__gte={today}&last_updated__lt=2999-01-01"),
        None,
    );
    assert_eq!(found["count"], 1, "{found}");
    let (status, patched) = c.send(
        "PATCH",
        &format!("{enclosures}{}/", north["id"]),
        Some(json!({"inspected": null})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["inspected"], Value::Null);
    assert_eq!(patched["created"], north["created"]);
}

#[test]
fn many_to_many_fields() {
    let c = Client::start();
    let site = c.create("/api/dcim/sites/", json!({"name": "Zoo", "slug": "zoo"}));
    let keeper = |name: &str| {
        c.create(
            "/api/plugins/menagerie/keepers/",
            json!({"name": name, "site": site}),
        )
    };
    let (ada, bob) = (keeper("Ada"), keeper("Bob"));
    let enclosures = "/api/plugins/menagerie/enclosures/";
    for (keepers, message) in [
        (json!([ada, 999]), "Keeper 999 does not exist."),
        (json!("ada"), "Expected a list of object IDs."),
        (
            json!([0]),
            "0 is not the ID of an object (a positive whole number).",
        ),
    ] {
        let (status, answer) = c.send(
            "POST",
            enclosures,
            Some(json!({"code": "north", "keepers": keepers})),
        );
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["keepers"], json!([message]), "{answer}");
    }
    // Ids (or nested objects) in any order and repeated: each once, ascending, shown nested.
    let (status, north) = c.send(
        "POST",
        enclosures,
        Some(json!({"code": "north", "keepers": [bob, {"id": ada}, bob]})),
    );
    assert_eq!(status, 201, "{north}");
    let ids = |object: &Value| -> Vec<i64> {
        object["keepers"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|k| k["id"].as_i64())
            .collect()
    };
    assert_eq!(ids(&north), [ada, bob]);
    assert_eq!(north["keepers"][0]["display"], "Ada");
    let south = c.create(enclosures, json!({"code": "south"}));
    let (_, listed) = c.send("GET", &format!("{enclosures}?ordering=code"), None);
    assert_eq!(ids(&listed["results"][0]), [ada, bob], "{listed}");
    assert_eq!(listed["results"][1]["keepers"], json!([]), "{listed}");
    let (_, one) = c.send("GET", &format!("{enclosures}{south}/"), None);
    assert_eq!(one["keepers"], json!([]));

    // Filters by a linked object's id; a field without column cannot order.
    let (_, found) = c.send("GET", &format!("{enclosures}?keepers={bob}"), None);
    assert_eq!(found["count"], 1, "{found}");
    for (query, codes) in [
        (format!("keepers__n={bob}"), vec!["south"]),
        ("keepers__empty=true".to_string(), vec!["south"]),
        ("keepers__empty=false".to_string(), vec!["north"]),
    ] {
        let (_, found) = c.send("GET", &format!("{enclosures}?{query}&ordering=code"), None);
        let found: Vec<&str> = found["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|e| e["code"].as_str())
            .collect();
        assert_eq!(found, codes, "{query}");
    }
    let (status, _) = c.send("GET", &format!("{enclosures}?keepers=bob"), None);
    assert_eq!(status, 400);
    let (status, _) = c.send("GET", &format!("{enclosures}?ordering=keepers"), None);
    assert_eq!(status, 400);

    // PATCH replaces the links, recorded in the change log.
    let north_id = north["id"].as_i64().expect("an id");
    let (status, patched) = c.send(
        "PATCH",
        &format!("{enclosures}{north_id}/"),
        Some(json!({"keepers": [ada]})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(ids(&patched), [ada]);
    let (_, changes) = c.send(
        "GET",
        &format!("/api/core/object-changes/?object_type=menagerie.enclosure&object_id={north_id}&action=update"),
        None,
    );
    let change = &changes["results"][0];
    assert_eq!(
        change["prechange_data"]["keepers"],
        json!([ada, bob]),
        "{changes}"
    );
    assert_eq!(
        change["postchange_data"]["keepers"],
        json!([ada]),
        "{changes}"
    );

    // The form: a multiple select, its choices submitted as repeated fields.
    let form = c
        .agent
        .post(
            &c.server
                .url(&format!("/plugins/menagerie/enclosures/{south}/edit/")),
        )
        .header("Authorization", c.server.authorization())
        .send_form([
            ("code", "south"),
            ("keepers", ada.to_string().as_str()),
            ("keepers", bob.to_string().as_str()),
        ])
        .expect("form POST");
    let status = form.status().as_u16();
    let page = form.into_body().read_to_string().unwrap_or_default();
    // (The agent follows the redirect to the object's page.)
    assert_eq!(status, 200, "{page}");
    assert!(!page.contains("field-error"), "{page}");
    let (_, one) = c.send("GET", &format!("{enclosures}{south}/"), None);
    assert_eq!(ids(&one), [ada, bob]);
    let page = c
        .agent
        .get(
            &c.server
                .url(&format!("/plugins/menagerie/enclosures/{south}/edit/")),
        )
        .header("Authorization", c.server.authorization())
        .call()
        .expect("form GET")
        .into_body()
        .read_to_string()
        .unwrap_or_default();
    assert!(page.contains("name=\"keepers\" multiple"), "{page}");
    assert!(
        page.contains(&format!("<option value=\"{bob}\" selected>Bob</option>")),
        "{page}"
    );
    let page = c
        .agent
        .get(
            &c.server
                .url(&format!("/plugins/menagerie/enclosures/{south}/")),
        )
        .header("Authorization", c.server.authorization())
        .call()
        .expect("page GET")
        .into_body()
        .read_to_string()
        .unwrap_or_default();
    assert!(page.contains("Ada, Bob"), "{page}");

    // Deleting a linked object removes its links, on either side.
    let (status, _) = c.send(
        "DELETE",
        &format!("/api/plugins/menagerie/keepers/{bob}/"),
        None,
    );
    assert_eq!(status, 204);
    let (_, one) = c.send("GET", &format!("{enclosures}{south}/"), None);
    assert_eq!(ids(&one), [ada]);
    // ... and the objects that linked to it record the change.
    let (_, changes) = c.send(
        "GET",
        &format!("/api/core/object-changes/?object_type=menagerie.enclosure&object_id={south}&action=update"),
        None,
    );
    let change = &changes["results"][0];
    assert_eq!(
        change["prechange_data"]["keepers"],
        json!([ada, bob]),
        "{changes}"
    );
    assert_eq!(
        change["postchange_data"]["keepers"],
        json!([ada]),
        "{changes}"
    );
    let (status, _) = c.send("DELETE", &format!("{enclosures}{south}/"), None);
    assert_eq!(status, 204);
    let (status, _) = c.send(
        "DELETE",
        &format!("/api/plugins/menagerie/keepers/{ada}/"),
        None,
    );
    assert_eq!(status, 204);
}

#[test]
fn a_started_hook_writes_through_the_data_api_as_the_system() {
    let c = Client::with("plugins = ['fragile']\n[plugins_config.fragile]\nstart = 'seed'\n");
    let (_, sites) = c.send("GET", "/api/dcim/sites/?slug=fragile-hq", None);
    assert_eq!(sites["count"], 1, "{sites}");
    let id = &sites["results"][0]["id"];
    let (_, changes) = c.send(
        "GET",
        &format!("/api/core/object-changes/?object_type=dcim.site&object_id={id}"),
        None,
    );
    assert_eq!(
        changes["results"][0]["user_name"], "system:fragile",
        "{changes}"
    );
}
