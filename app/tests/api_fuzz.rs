//! Property test of the REST API against the real binary and database (SQLite, or
//! PostgreSQL with NETBOX_TEST_DATABASE_URL): arbitrary query strings and arbitrary JSON
//! bodies, sent with every method to core and plugin endpoints, never get a server error.
//! `PROPTEST_CASES` sets how many of each are tried (default 256).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

mod common;

use common::{Client, client_with};

/// A server of its own for each test (dropped, and stopped, when the test ends).
fn client() -> Client {
    let c = client_with("plugins = ['animal_sounds', 'access_lists']\n");
    let site = c.site("Fuzz site", "fuzz-site");
    let (status, body) = c.json(
        "POST",
        "/api/dcim/devices/",
        Some(json!({"name": "fuzz-1", "site": site, "role": "leaf"})),
    );
    assert_eq!(status, 201, "{body}");
    c
}

const PATHS: &[&str] = &[
    "/api/dcim/sites/",
    "/api/dcim/devices/",
    "/api/dcim/sites/1/",
    "/api/dcim/devices/1/",
    "/api/plugins/access-lists/access-lists/",
    "/api/plugins/access-lists/access-list-rules/",
    "/api/core/object-changes/",
    "/api/users/tokens/",
];

/// Keys a client might send: real filters and lookups, parameters, and noise.
fn key() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "q",
        "limit",
        "offset",
        "start",
        "ordering",
        "brief",
        "fields",
        "omit",
        "id",
        "id__gt",
        "name",
        "name__ic",
        "name__n",
        "name__empty",
        "status",
        "status__n",
        "site_id",
        "site",
        "site__n",
        "created__gte",
        "last_updated__lt",
        "slug__isw",
        "role__nie",
        "format",
        "object_type",
        "object_id",
        "action",
    ])
    .prop_map(str::to_string);
    prop_oneof![3 => known, 1 => ".{0,12}", 1 => "[a-z_]{1,8}__[a-z]{1,6}"]
}

/// Values: numbers at the edges, text with any characters, lists.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        Just("9223372036854775808".to_string()),
        Just("-1".to_string()),
        Just("%".to_string()),
        Just("_".to_string()),
        Just("\"".to_string()),
        Just("null".to_string()),
        "\\PC{0,20}",
        ".{0,40}",
        "[a-z,-]{0,30}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec((key(), value()), 0..8)
            .prop_map(|pairs| serde_urlencoded::to_string(pairs).unwrap_or_default()),
        // Raw bytes, percent-encoded as a client would have to.
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| {
            bytes.iter().map(|b| format!("%{b:02X}")).collect::<String>()
        }),
    ]
}

/// Arbitrary JSON, and objects that look like the models' input.
fn body() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,30}".prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
    ];
    let any_json = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    });
    let field = prop::sample::select(vec![
        "name",
        "slug",
        "status",
        "region",
        "facility",
        "description",
        "site",
        "role",
        "serial",
        "id",
        "device",
        "access_list",
        "index",
        "protocol",
        "action",
        "default_action",
    ]);
    let object =
        prop::collection::btree_map(field.prop_map(str::to_string), any_json.clone(), 0..6)
            .prop_map(|map| Value::Object(map.into_iter().collect()));
    prop_oneof![
        2 => object.clone(),
        1 => prop::collection::vec(object, 0..4).prop_map(Value::Array),
        1 => any_json,
    ]
}

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn arbitrary_query_strings_never_get_a_server_error() {
    let c = &client();
    runner()
        .run(&(prop::sample::select(PATHS), query()), |(path, query)| {
            let target = format!("{path}?{query}");
            let reply = c.send("GET", &target, &[], None);
            prop_assert!(
                reply.status < 500,
                "GET {target}: {} {}",
                reply.status,
                reply.body
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn arbitrary_json_bodies_never_get_a_server_error() {
    let c = &client();
    let methods = prop::sample::select(vec!["POST", "PUT", "PATCH", "DELETE"]);
    runner()
        .run(
            &(methods, prop::sample::select(PATHS), body()),
            |(method, path, body)| {
                let reply = c.send(method, path, &[], Some(&body));
                prop_assert!(
                    reply.status < 500,
                    "{method} {path} {body}: {} {}",
                    reply.status,
                    reply.body
                );
                Ok(())
            },
        )
        .unwrap_or_else(|failure| panic!("{failure}"));
}
