//! End-to-end tests of the core objects over HTTP against the real binary and a real database
//! (SQLite, or PostgreSQL with NETBOX_TEST_DATABASE_URL): REST CRUD, validation, pagination,
//! filters, conflicts, forms, and failed writes leaving the data unchanged.

use serde_json::{Value, json};

mod common;

use common::{Client, client_with};

fn client() -> Client {
    client_with("plugins = ['animal_sounds']\n")
}

#[test]
fn rest_crud_of_sites_and_devices() {
    let c = client();
    let (status, site) = c.json(
        "POST",
        "/api/dcim/sites/",
        Some(json!({"name": "Amsterdam", "slug": "ams", "region": "Europe"})),
    );
    assert_eq!(status, 201, "{site}");
    assert_eq!(
        site["status"],
        json!({"value": "active", "label": "Active"})
    );
    assert_eq!(site["display"], "Amsterdam");
    assert_eq!(site["url"], c.server.url("/api/dcim/sites/1/"));

    let (status, device) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r1", "site": 1, "role": "router"})),
    );
    assert_eq!(status, 201, "{device}");
    assert_eq!(
        device["site"],
        json!({
            "id": 1,
            "url": c.server.url("/api/dcim/sites/1/"),
            "display_url": c.server.url("/dcim/sites/1/"),
            "display": "Amsterdam",
            "name": "Amsterdam",
            "slug": "ams",
            "description": ""
        })
    );

    let (status, patched) = c.json(
        "PATCH",
        "/api/dcim/devices/1/",
        Some(json!({"serial": "SN1", "status": "planned"})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        (patched["serial"].as_str(), patched["role"].as_str()),
        (Some("SN1"), Some("router"))
    );

    let (status, replaced) = c.json(
        "PUT",
        "/api/dcim/devices/1/",
        Some(json!({"name": "r1", "site": {"id": 1}, "role": "switch"})),
    );
    assert_eq!(status, 200, "{replaced}");
    // As NetBox's PUT: the required fields are given, the missing optional ones are kept.
    assert_eq!(replaced["role"], "switch");
    assert_eq!(replaced["serial"], "SN1", "PUT keeps what it does not give");
    assert_eq!(replaced["status"]["value"], "planned");
    let (status, refused) = c.json(
        "PUT",
        "/api/dcim/devices/1/",
        Some(json!({"name": "r1", "site": 1})),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["role"].is_array(),
        "a required field missing: {refused}"
    );

    let (status, found) = c.json("GET", "/api/dcim/devices/1/", None);
    assert_eq!((status, found["role"].as_str()), (200, Some("switch")));

    let (status, body) = c.json("DELETE", "/api/dcim/sites/1/", None);
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["detail"],
        "Site “Amsterdam” cannot be deleted: it is still referenced by 1 device. Delete or reassign them first."
    );
    assert_eq!(c.json("DELETE", "/api/dcim/devices/1/", None).0, 204);
    assert_eq!(c.json("DELETE", "/api/dcim/sites/1/", None).0, 204);
    assert_eq!(
        c.json("GET", "/api/dcim/sites/1/", None),
        (404, json!({"detail": "Not found."}))
    );
}

#[test]
fn validation_errors_are_per_field_and_change_nothing() {
    let c = client();
    c.site("Amsterdam", "ams");
    let (status, errors) = c.json(
        "POST",
        "/api/dcim/sites/",
        Some(json!({"slug": "Not A Slug", "status": "closed", "colour": "red"})),
    );
    assert_eq!(status, 400);
    assert_eq!(errors["name"], json!(["This field is required."]));
    assert_eq!(
        errors["slug"],
        json!(["Enter a valid slug: lowercase letters, digits, hyphens and underscores."])
    );
    assert_eq!(errors["colour"], json!(["Unknown field."]));
    assert!(
        errors["status"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with("`closed` is not a valid choice")
    );

    let (status, errors) = c.json(
        "POST",
        "/api/dcim/sites/",
        Some(json!({"name": "Amsterdam", "slug": "ams"})),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["name"],
        json!(["A site with this name already exists."])
    );
    assert_eq!(
        errors["slug"],
        json!(["A site with this slug already exists."])
    );

    let (status, errors) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r1", "site": 99, "role": "router"})),
    );
    assert_eq!(
        (status, errors["site"].clone()),
        (400, json!(["Site 99 does not exist."]))
    );

    assert_eq!(
        c.json(
            "POST",
            "/api/dcim/devices/",
            Some(json!({"name": "r1", "site": 1, "role": "router"}))
        )
        .0,
        201
    );
    let (status, errors) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r1", "site": 1, "role": "switch"})),
    );
    assert_eq!(
        (status, errors["__all__"].clone()),
        (
            400,
            json!(["A device with this site and name already exists."])
        )
    );

    // A failed update leaves the object as it was.
    let (status, _) = c.json(
        "PATCH",
        "/api/dcim/devices/1/",
        Some(json!({"role": "switch", "site": 42})),
    );
    assert_eq!(status, 400);
    assert_eq!(
        c.json("GET", "/api/dcim/devices/1/", None).1["role"],
        "router"
    );
    let (_, list) = c.json("GET", "/api/dcim/sites/", None);
    assert_eq!(list["count"], 1);

    let (status, body) = c.json(
        "POST",
        "/api/dcim/sites/",
        Some(json!(["not", "an", "object"])),
    );
    assert_eq!(
        (status, body["detail"].as_str()),
        (400, Some("Item 0: expected a JSON object."))
    );
}

#[test]
fn pagination_search_and_filters() {
    let c = client();
    for index in 0..7 {
        let (status, _) = c.json(
            "POST",
            "/api/dcim/sites/",
            Some(json!({"name": format!("Site {index}"), "slug": format!("site-{index}"), "status": if index % 2 == 0 { "active" } else { "planned" }})),
        );
        assert_eq!(status, 201);
    }
    let (_, page) = c.json("GET", "/api/dcim/sites/?limit=3&offset=3", None);
    assert_eq!(page["count"], 7);
    assert_eq!(page["results"].as_array().map(Vec::len), Some(3));
    assert_eq!(page["results"][0]["name"], "Site 3");
    assert_eq!(
        page["next"],
        c.server.url("/api/dcim/sites/?limit=3&offset=6")
    );
    assert_eq!(
        page["previous"],
        c.server.url("/api/dcim/sites/?limit=3&offset=0")
    );
    let (_, last) = c.json("GET", "/api/dcim/sites/?limit=3&offset=6", None);
    assert_eq!(last["next"], Value::Null);

    let (_, planned) = c.json("GET", "/api/dcim/sites/?status=planned", None);
    assert_eq!(planned["count"], 3);
    let (_, searched) = c.json("GET", "/api/dcim/sites/?q=SITE-5", None);
    assert_eq!(searched["count"], 1);
    let (status, errors) = c.json("GET", "/api/dcim/sites/?limit=-1&colour=red", None);
    assert_eq!(status, 400);
    assert!(errors["limit"].is_array(), "{errors}");

    c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r1", "site": 2, "role": "router"})),
    );
    c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r2", "site": 3, "role": "router"})),
    );
    let (_, at_two) = c.json("GET", "/api/dcim/devices/?site_id=2", None);
    assert_eq!(
        (
            at_two["count"].as_i64(),
            at_two["results"][0]["name"].as_str()
        ),
        (Some(1), Some("r1"))
    );
}

#[test]
fn forms_keep_values_show_errors_and_confirm_deletes() {
    let c = client();
    let (status, page) = c.page("/dcim/sites/add/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<option value=\"active\" selected>Active</option>"),
        "default status: {page}"
    );

    let (status, location, _) = c.form(
        "/dcim/sites/add/",
        &[("name", "Amsterdam"), ("slug", "ams"), ("status", "active")],
    );
    assert_eq!((status, location.as_str()), (303, "/dcim/sites/1/"));

    let (status, _, page) = c.form(
        "/dcim/sites/add/",
        &[
            ("name", "Amsterdam"),
            ("slug", "not ok"),
            ("region", "Europe"),
            ("status", "active"),
        ],
    );
    assert_eq!(status, 200);
    assert!(
        page.contains("<div class=\"field-error\">A site with this name already exists.</div>"),
        "{page}"
    );
    assert!(page.contains("Enter a valid slug"), "{page}");
    assert!(
        page.contains("name=\"region\" value=\"Europe\""),
        "submitted values kept: {page}"
    );

    let (status, page) = c.page("/dcim/sites/1/");
    assert_eq!(status, 200);
    assert!(page.contains("<title>Amsterdam · NetBox</title>"), "{page}");

    c.form(
        "/dcim/devices/add/",
        &[
            ("name", "r1"),
            ("site", "1"),
            ("role", "router"),
            ("status", "active"),
        ],
    );
    let (status, page) = c.page("/dcim/devices/?q=r1");
    assert_eq!(status, 200);
    assert!(
        page.contains("<a href=\"/dcim/sites/1/\">Amsterdam</a>"),
        "{page}"
    );

    let (status, page) = c.page("/dcim/sites/1/delete/");
    assert!(
        status == 200 && page.contains("Delete site <strong>Amsterdam</strong>?"),
        "{page}"
    );
    let (status, _, page) = c.form("/dcim/sites/1/delete/", &[]);
    assert_eq!(status, 409);
    assert!(
        page.contains("it is still referenced by 1 device"),
        "{page}"
    );
    assert_eq!(c.page("/dcim/sites/1/").0, 200, "still there");

    let (status, location, _) = c.form("/dcim/devices/1/delete/", &[]);
    assert_eq!((status, location.as_str()), (303, "/dcim/devices/"));
    assert_eq!(c.page("/dcim/devices/1/").0, 404);
}

#[test]
fn demo_data_loads_once() {
    let database = netbox_app::testing::fresh_database_url();
    let config =
        format!("database_url = {database:?}\nplugins = ['access_lists', 'animal_sounds']\n");
    let netbox = netbox_app::testing::NetboxRun::new(env!("CARGO_BIN_EXE_netbox")).config(&config);
    let run = netbox.run(&["demo-data"]);
    assert!(run.success(), "{run:?}");
    assert!(
        run.stdout.contains("Created device nyc-edge-01"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Created access list edge-in with 3 rules"),
        "{}",
        run.stdout
    );
    let again = netbox.run(&["demo-data"]);
    assert!(again.stdout.contains("no demo data loaded"), "{again:?}");

    let c = common::client_with(&config);
    assert_eq!(c.json("GET", "/api/dcim/devices/", None).1["count"], 8);
    assert_eq!(
        c.json("GET", "/api/plugins/access-lists/access-list-rules/", None)
            .1["count"],
        3
    );
    assert_eq!(
        c.json("GET", "/api/plugins/animal-sounds/animals/", None).1["count"],
        6,
        "the demo animals (animal_sounds is enabled)"
    );
}

#[test]
fn concurrent_writes_all_succeed_or_fail_cleanly() {
    let c = client();
    let results: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..24)
            .map(|index| {
                let c = &c;
                scope.spawn(move || {
                    // Half of them fight over one name; the rest create distinct sites.
                    let name = if index % 2 == 0 {
                        "Contested".to_string()
                    } else {
                        format!("Site {index}")
                    };
                    c.json(
                        "POST",
                        "/api/dcim/sites/",
                        Some(json!({"name": name, "slug": format!("s-{index}")})),
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("request thread"))
            .collect()
    });
    let created = results.iter().filter(|(status, _)| *status == 201).count();
    let refused: Vec<&Value> = results
        .iter()
        .filter(|(status, _)| *status == 400)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(created, 13, "{results:?}");
    assert_eq!(refused.len(), 11, "{results:?}");
    for body in refused {
        assert_eq!(
            body["name"],
            json!(["A site with this name already exists."]),
            "{body}"
        );
    }
    assert_eq!(c.json("GET", "/api/dcim/sites/", None).1["count"], 13);
}

#[test]
fn animal_sounds_decorates_site_pages() {
    let c = client();
    c.site("Amsterdam", "ams");
    for (name, sound) in [("Dog", "woof"), ("Cat", "meow")] {
        c.json(
            "POST",
            "/api/plugins/animal-sounds/animals/",
            Some(json!({"name": name, "sound": sound})),
        );
    }
    let (status, page) = c.page("/dcim/sites/1/");
    assert_eq!(status, 200);
    assert!(page.contains("<h3>Animals</h3>"), "{page}");
    assert!(
        page.contains("2 animals known to NetBox while you look at Amsterdam."),
        "{page}"
    );
    assert!(
        page.contains(
            "<a class=\"navbar-link\" href=\"/plugins/animal-sounds/random/\">Hear an animal</a>"
        ),
        "{page}"
    );
}

#[test]
fn animal_sounds_greets_new_devices() {
    let c = client();
    let site = c.site("Amsterdam", "ams");
    c.json(
        "POST",
        "/api/plugins/animal-sounds/animals/",
        Some(json!({"name": "Dog", "sound": "woof"})),
    );
    c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "r7", "site": site, "role": "router"})),
    );
    let (_, page) = c.page("/plugins/animal-sounds/random/");
    assert!(
        page.contains("<h2>Recently welcomed devices</h2>"),
        "{page}"
    );
    assert!(
        page.contains("<li>r7, greeted by the dog: woof</li>"),
        "{page}"
    );
}
