//! End-to-end tests of what every object gets (tags, custom fields) and of the core's IPAM
//! objects, over HTTP against the real binary with the shipped plugins, on SQLite (or
//! PostgreSQL with NETBOX_TEST_DATABASE_URL).

use serde_json::{Value, json};

mod common;

use common::{Client, client_with};

fn client() -> Client {
    client_with("plugins = ['animal_sounds', 'access_lists']\n")
}

fn created(c: &Client, path: &str, body: Value) -> Value {
    let (status, object) = c.json("POST", path, Some(body));
    assert_eq!(status, 201, "{path}: {object}");
    object
}

fn listed(c: &Client, path: &str, key: &str) -> Vec<String> {
    let (status, list) = c.json("GET", path, None);
    assert_eq!(status, 200, "{path}: {list}");
    list["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|object| object[key].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn prefixes_validate_sort_and_contain() {
    let c = client();
    for network in [
        "10.1.0.0/16",
        "10.0.0.0/8",
        "9.0.0.0/8",
        "10.1.2.0/24",
        "2001:db8::/32",
        "192.168.0.0/16",
    ] {
        created(&c, "/api/ipam/prefixes/", json!({"prefix": network}));
    }
    // Invalid networks are refused, naming the field.
    for (bad, expected) in [
        ("10.1.0.1/16", "host bits set"),
        ("10.1.0.0/33", "not an IP network"),
        ("banana", "not an IP network"),
    ] {
        let (status, body) = c.json("POST", "/api/ipam/prefixes/", Some(json!({"prefix": bad})));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["prefix"][0]
                .as_str()
                .unwrap_or_default()
                .contains(expected),
            "{body}"
        );
    }
    // Sorted as networks, not as text (9 before 10), IPv4 before IPv6.
    assert_eq!(
        listed(&c, "/api/ipam/prefixes/?ordering=prefix", "prefix"),
        [
            "9.0.0.0/8",
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.2.0/24",
            "192.168.0.0/16",
            "2001:db8::/32"
        ]
    );
    let within = |query: &str| listed(&c, &format!("/api/ipam/prefixes/?{query}"), "prefix");
    assert_eq!(within("within=10.0.0.0/8"), ["10.1.0.0/16", "10.1.2.0/24"]);
    // A shorter network at the same address is not within (10.0.0.0/8 in 10.0.0.0/9).
    assert_eq!(
        within("within_include=10.0.0.0/9"),
        ["10.1.0.0/16", "10.1.2.0/24"]
    );
    assert_eq!(
        within("within_include=10.1.0.0/16"),
        ["10.1.0.0/16", "10.1.2.0/24"]
    );
    assert_eq!(
        within("contains=10.1.2.3"),
        ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"]
    );
    assert_eq!(within("family=6&mask_length=32"), ["2001:db8::/32"]);
    assert_eq!(within("q=10.1"), ["10.1.0.0/16", "10.1.2.0/24"]);
    let (status, body) = c.json("GET", "/api/ipam/prefixes/?within=nonsense", None);
    assert_eq!(status, 400, "{body}");

    // Addresses keep their mask; `parent` finds them by network.
    for address in ["10.1.2.3/24", "10.1.2.10", "10.2.0.1/16", "192.168.1.1/24"] {
        created(&c, "/api/ipam/ip-addresses/", json!({"address": address}));
    }
    let addresses =
        |query: &str| listed(&c, &format!("/api/ipam/ip-addresses/?{query}"), "address");
    assert_eq!(
        addresses("parent=10.1.0.0/16"),
        ["10.1.2.3/24", "10.1.2.10/32"]
    );
    assert_eq!(addresses("address=10.1.2.3"), ["10.1.2.3/24"]);

    // The prefix page lists its child prefixes and addresses in tabs.
    let (_, ten) = c.json("GET", "/api/ipam/prefixes/?prefix=10.1.0.0/16", None);
    let id = ten["results"][0]["id"].as_i64().expect("id");
    let (status, page) = c.page(&format!("/ipam/prefixes/{id}/prefixes/"));
    assert_eq!(status, 200);
    assert!(
        page.contains("10.1.2.0/24") && !page.contains("192.168.0.0/16"),
        "{page}"
    );
    let (status, page) = c.page(&format!("/ipam/prefixes/{id}/ip-addresses/"));
    assert_eq!(status, 200);
    assert!(
        page.contains("10.1.2.10/32") && !page.contains("10.2.0.1/16"),
        "{page}"
    );
}

#[test]
fn access_list_rules_refer_to_prefixes() {
    let c = client();
    let prefix = created(&c, "/api/ipam/prefixes/", json!({"prefix": "192.0.2.0/24"}));
    let list = created(
        &c,
        "/api/plugins/access-lists/access-lists/",
        json!({"name": "edge-in", "default_action": "deny"}),
    );
    let rule = created(
        &c,
        "/api/plugins/access-lists/access-list-rules/",
        json!({"access_list": list["id"], "index": 10, "action": "permit", "destination_prefix": prefix["id"]}),
    );
    assert_eq!(
        rule["destination_prefix"]["display"], "192.0.2.0/24",
        "{rule}"
    );
    // A prefix a rule uses is not deleted.
    let (status, body) = c.json(
        "DELETE",
        &format!("/api/ipam/prefixes/{}/", prefix["id"]),
        None,
    );
    assert_eq!(status, 409, "{body}");
}

#[test]
fn tags_and_custom_fields_on_a_plugin_model() {
    let c = client();
    let core = created(
        &c,
        "/api/extras/tags/",
        json!({"name": "Core", "slug": "core", "color": "ff0000"}),
    );
    created(
        &c,
        "/api/extras/tags/",
        json!({"name": "Edge", "slug": "edge"}),
    );
    let (status, body) = c.json(
        "POST",
        "/api/extras/tags/",
        Some(json!({"name": "Pink", "slug": "pink", "color": "pink"})),
    );
    assert_eq!((status, body["color"].is_array()), (400, true), "{body}");
    let tiers = created(
        &c,
        "/api/extras/custom-field-choice-sets/",
        json!({"name": "Tiers", "extra_choices": [["gold", "Gold"], ["silver", "Silver"]]}),
    );
    created(
        &c,
        "/api/extras/custom-fields/",
        json!({"name": "tier", "type": "select", "choice_set": tiers["id"], "object_types": ["access_lists.accesslist"]}),
    );
    created(
        &c,
        "/api/extras/custom-fields/",
        json!({"name": "hits", "type": "integer", "validation_maximum": 100, "default": 7, "object_types": ["access_lists.accesslist"]}),
    );
    // A definition naming an unknown model is refused with the reason.
    let (status, body) = c.json(
        "POST",
        "/api/extras/custom-fields/",
        Some(json!({"name": "nope", "type": "text", "object_types": ["dcim.nope"]})),
    );
    assert_eq!(status, 400, "{body}");

    // Through the form: tags by id, custom fields as `cf_<name>`.
    let tag_id = core["id"].to_string();
    let (status, location, body) = c.form(
        "/plugins/access-lists/access-lists/add/",
        &[
            ("name", "acl-form"),
            ("default_action", "deny"),
            ("tags", &tag_id),
            ("cf_tier", "gold"),
            ("cf_hits", "12"),
        ],
    );
    assert_eq!(status, 303, "{body}");
    let (status, page) = c.page(&location);
    assert_eq!(status, 200);
    assert!(page.contains("tag-") && page.contains(">Core<"), "{page}");
    assert!(page.contains("Gold") && page.contains("12"), "{page}");

    // Through the API: tags by slug or object, values checked, defaults given.
    let (status, body) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "acl-bad", "default_action": "deny", "custom_fields": {"hits": 101, "tier": "bronze"}})),
    );
    assert_eq!(status, 400, "{body}");
    let messages = body["custom_fields"].to_string();
    assert!(
        messages.contains("hits") && messages.contains("tier"),
        "{body}"
    );
    let api = created(
        &c,
        "/api/plugins/access-lists/access-lists/",
        json!({"name": "acl-api", "default_action": "permit", "tags": [{"slug": "edge"}, "core"]}),
    );
    assert_eq!(
        api["custom_fields"],
        json!({"tier": null, "hits": 7}),
        "{api}"
    );
    let tags: Vec<&str> = api["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|tag| tag["slug"].as_str())
        .collect();
    assert_eq!(tags, ["core", "edge"]);

    // Filters: every tag given (`tag`), any (`tag__any`), none (`tag__n`), custom fields.
    let names = |query: &str| {
        listed(
            &c,
            &format!("/api/plugins/access-lists/access-lists/?{query}"),
            "name",
        )
    };
    assert_eq!(names("tag=core"), ["acl-api", "acl-form"]);
    assert_eq!(names("tag=core&tag=edge"), ["acl-api"]);
    assert_eq!(
        names("tag__any=edge&tag__any=core"),
        ["acl-api", "acl-form"]
    );
    assert_eq!(names("tag__n=edge"), ["acl-form"]);
    assert_eq!(names("cf_tier=gold"), ["acl-form"]);
    assert_eq!(names("cf_hits__gt=10"), ["acl-form"]);
    assert_eq!(names("cf_tier__empty=true"), ["acl-api"]);
    let (status, body) = c.json(
        "GET",
        "/api/plugins/access-lists/access-lists/?cf_unknown=1",
        None,
    );
    assert_eq!(status, 400, "{body}");
    // A search finds objects by their searchable custom fields too.
    assert_eq!(names("q=gold"), ["acl-form"]);
    // The tag's page lists what carries it, of every type.
    let site = c.site("Tagged", "tagged");
    let (status, _) = c.json(
        "PATCH",
        &format!("/api/dcim/sites/{site}/"),
        Some(json!({"tags": ["core"]})),
    );
    assert_eq!(status, 200);
    let (_, page) = c.page(&format!("/extras/tags/{}/", core["id"]));
    let tagged = page
        .split("id=\"tagged-objects\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        tagged.contains("Access Lists")
            && tagged.contains("acl-api")
            && tagged.contains("Sites")
            && tagged.contains(">Tagged<"),
        "{page}"
    );

    // A partial update keeps the other values; removing the tag leaves the filter.
    let id = api["id"].as_i64().expect("id");
    let (status, patched) = c.json(
        "PATCH",
        &format!("/api/plugins/access-lists/access-lists/{id}/"),
        Some(json!({"custom_fields": {"tier": "silver"}, "tags": []})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        patched["custom_fields"],
        json!({"tier": "silver", "hits": 7})
    );
    assert_eq!(names("tag=edge"), Vec::<String>::new());
    // An object field's value is nested as the object's brief form.
    let site = c.site("Owner", "owner");
    created(
        &c,
        "/api/extras/custom-fields/",
        json!({"name": "owner_site", "type": "object", "related_object_type": "dcim.site", "object_types": ["access_lists.accesslist"]}),
    );
    let (status, owned) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "acl-owned", "default_action": "deny", "custom_fields": {"owner_site": site}})),
    );
    assert_eq!(status, 201, "{owned}");
    assert_eq!(
        owned["custom_fields"]["owner_site"]["display"], "Owner",
        "{owned}"
    );
    let (status, body) = c.json(
        "POST",
        "/api/plugins/access-lists/access-lists/",
        Some(json!({"name": "acl-lost", "default_action": "deny", "custom_fields": {"owner_site": 9999}})),
    );
    assert_eq!(status, 400, "{body}");
    // Renaming a custom field keeps the values under the new name; deleting one drops them.
    let (_, fields) = c.json("GET", "/api/extras/custom-fields/?name=hits", None);
    let hits = fields["results"][0]["id"].as_i64().expect("hits");
    let (status, body) = c.json(
        "PATCH",
        &format!("/api/extras/custom-fields/{hits}/"),
        Some(json!({"name": "hit_count"})),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(names("cf_hit_count=12"), ["acl-form"]);
    let (status, _) = c.json(
        "DELETE",
        &format!("/api/extras/custom-fields/{hits}/"),
        None,
    );
    assert_eq!(status, 204);
    created(
        &c,
        "/api/extras/custom-fields/",
        json!({"name": "hit_count", "type": "integer", "object_types": ["access_lists.accesslist"]}),
    );
    assert_eq!(names("cf_hit_count__empty=false"), Vec::<String>::new());
    // Deleting the object removes what it carried.
    let (status, _) = c.json(
        "DELETE",
        &format!("/api/plugins/access-lists/access-lists/{id}/"),
        None,
    );
    assert_eq!(status, 204);
    assert_eq!(names("cf_tier=silver"), Vec::<String>::new());
}

#[test]
fn tables_show_plugin_columns_and_each_users_choice() {
    let c = client();
    let site = c.site("Amsterdam", "ams");
    let (status, device) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "ams-r1", "site": site, "role": "router"})),
    );
    assert_eq!(status, 201, "{device}");
    for name in ["in", "out"] {
        created(
            &c,
            "/api/plugins/access-lists/access-lists/",
            json!({"name": name, "default_action": "deny", "device": device["id"]}),
        );
    }
    // The device table's default columns are its fields; the access-lists plugin's column is
    // offered among the others (as NetBox's registered columns are).
    let (status, page) = c.page("/dcim/devices/");
    assert_eq!(status, 200);
    let headers: Vec<&str> = page
        .split("<th>")
        .skip(1)
        .filter_map(|cell| cell.split("</th>").next())
        .collect();
    assert_eq!(
        headers,
        [
            "Name",
            "Site",
            "Role",
            "Status",
            "Serial number",
            "Description"
        ]
    );
    let (_, offered) = c.page("/dcim/devices/columns/");
    assert!(offered.contains("value=\"access_lists\""), "{offered}");

    // A user's choice and order of columns, kept for them; reset gives the default back.
    let (status, _, body) = c.form(
        "/dcim/devices/columns/",
        &[
            ("show", "access_lists"),
            ("position_access_lists", "1"),
            ("show", "name"),
            ("position_name", "2"),
            ("show", "tags"),
            ("position_tags", "3"),
        ],
    );
    assert_eq!(status, 303, "{body}");
    let (_, page) = c.page("/dcim/devices/");
    assert!(
        page.contains("<th>Access lists</th><th>Name</th><th>Tags</th></tr>"),
        "{page}"
    );
    // The plugin's column: how many access lists each device has, linking to them.
    let link = format!(
        "/plugins/access-lists/access-lists/?device_id={}\">2</a>",
        device["id"]
    );
    assert!(page.contains(&link), "{page}");
    let (status, _, body) = c.form("/dcim/devices/columns/", &[("show", "nonsense")]);
    assert_eq!(status, 400, "{body}");
    let (status, _, _) = c.form("/dcim/devices/columns/", &[("reset", "1")]);
    assert_eq!(status, 303);
    let (_, page) = c.page("/dcim/devices/");
    assert!(page.contains("<th>Name</th><th>Site</th>"), "{page}");
}
