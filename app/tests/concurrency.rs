//! Concurrent writes over HTTP against the real binary (SQLite, or PostgreSQL with
//! NETBOX_TEST_DATABASE_URL): parallel PATCHes of one object lose nothing and the change log
//! chains; parallel DELETEs of one object delete it once; a DELETE racing the creation of
//! objects that refer to it ends consistent, never with a server error.

use serde_json::{Value, json};
use std::thread;

mod common;

use common::{Client, client_with};

fn client() -> Client {
    client_with("plugins = []\n")
}

/// Runs `requests` at once (one thread each); their statuses and bodies in the same order.
fn at_once(c: &Client, requests: Vec<(&'static str, String, Option<Value>)>) -> Vec<(u16, Value)> {
    thread::scope(|scope| {
        let handles: Vec<_> = requests
            .into_iter()
            .map(|(method, path, body)| {
                scope.spawn(move || {
                    let reply = c.send(method, &path, &[], body.as_ref());
                    (reply.status, reply.body)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("request thread"))
            .collect()
    })
}

/// The change-log entries of one object, oldest first.
fn history(c: &Client, model: &str, id: i64) -> Vec<Value> {
    let (status, page) = c.json(
        "GET",
        &format!("/api/core/object-changes/?object_type={model}&object_id={id}&limit=1000"),
        None,
    );
    assert_eq!(status, 200, "{page}");
    let mut entries = page["results"].as_array().cloned().unwrap_or_default();
    entries.sort_by_key(|entry| entry["id"].as_i64());
    entries
}

#[test]
fn parallel_patches_of_one_object_lose_nothing_and_the_change_log_chains() {
    let c = client();
    let id = c.site("Contended", "contended");
    let path = format!("/api/dcim/sites/{id}/");
    for round in 0..15 {
        let requests = ["region", "facility", "description"]
            .into_iter()
            .map(|field| {
                (
                    "PATCH",
                    path.clone(),
                    Some(json!({ field: format!("{field}-{round}") })),
                )
            })
            .collect();
        for (status, body) in at_once(&c, requests) {
            assert_eq!(status, 200, "round {round}: {body}");
        }
        let (_, site) = c.json("GET", &path, None);
        for field in ["region", "facility", "description"] {
            assert_eq!(
                site[field],
                format!("{field}-{round}"),
                "round {round}: {site}"
            );
        }
    }
    let entries = history(&c, "dcim.site", id);
    assert_eq!(entries.len(), 1 + 15 * 3);
    for pair in entries.windows(2) {
        assert_eq!(
            pair[1]["prechange_data"], pair[0]["postchange_data"],
            "entry {} does not start where entry {} ended",
            pair[1]["id"], pair[0]["id"]
        );
    }
}

#[test]
fn parallel_deletes_of_one_object_delete_it_once() {
    let c = client();
    for round in 0..5 {
        let id = c.site(&format!("Doomed {round}"), &format!("doomed-{round}"));
        let requests = (0..8)
            .map(|_| ("DELETE", format!("/api/dcim/sites/{id}/"), None))
            .collect();
        let mut statuses: Vec<u16> = at_once(&c, requests).into_iter().map(|(s, _)| s).collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [204, 404, 404, 404, 404, 404, 404, 404],
            "round {round}"
        );
        let deletes = history(&c, "dcim.site", id)
            .into_iter()
            .filter(|entry| entry["action"] == "delete")
            .count();
        assert_eq!(deletes, 1, "round {round}");
    }
}

#[test]
fn a_delete_racing_creations_of_referring_objects_stays_consistent() {
    let c = client();
    for round in 0..8 {
        let site = c.site(&format!("Raced {round}"), &format!("raced-{round}"));
        let mut requests: Vec<(&'static str, String, Option<Value>)> = (0..5)
            .map(|n| {
                let device =
                    json!({"name": format!("r{round}-d{n}"), "site": site, "role": "leaf"});
                ("POST", "/api/dcim/devices/".to_string(), Some(device))
            })
            .collect();
        requests.insert(2, ("DELETE", format!("/api/dcim/sites/{site}/"), None));
        let replies = at_once(&c, requests);
        for (status, body) in &replies {
            assert!(
                matches!(status, 201 | 204 | 400 | 409),
                "round {round}: {status} {body}"
            );
        }
        let created = replies.iter().filter(|(s, _)| *s == 201).count() as i64;
        let (_, devices) = c.json("GET", &format!("/api/dcim/devices/?site_id={site}"), None);
        let (site_status, _) = c.json("GET", &format!("/api/dcim/sites/{site}/"), None);
        match replies[2].0 {
            204 => {
                assert_eq!(site_status, 404, "round {round}");
                assert_eq!(devices["count"], 0, "round {round}");
            }
            _ => {
                assert_eq!(site_status, 200, "round {round}");
                assert_eq!(devices["count"].as_i64(), Some(created), "round {round}");
                assert!(
                    created > 0,
                    "round {round}: a refused delete needs a reference"
                );
            }
        }
        // The losers of the race were told why.
        for (status, body) in &replies {
            if *status == 400 {
                assert!(body["site"].is_array(), "round {round}: {body}");
            }
        }
    }
}

/// Holds a write lock on site `id` in another process for `seconds`; returns once it is held.
fn hold_lock(url: &str, id: i64, seconds: u32) -> std::process::Child {
    let mut command = if let Some(path) = url.strip_prefix("sqlite://") {
        let mut python = std::process::Command::new("python3");
        python.arg("-c").arg(format!(
            "import sqlite3, time\nc = sqlite3.connect({path:?}, isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('held', flush=True)\ntime.sleep({seconds})\n"
        ));
        python
    } else {
        let mut psql = std::process::Command::new("psql");
        psql.arg(url).args(["-q", "-c", "BEGIN", "-c"]).arg(format!(
            "SELECT 'held' FROM dcim_site WHERE id = {id} FOR UPDATE"
        ));
        psql.args(["-c", &format!("SELECT pg_sleep({seconds})"), "-c", "COMMIT"]);
        psql
    };
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the lock holder");
    let mut line = String::new();
    let stdout = child.stdout.as_mut().expect("stdout");
    let mut reader = std::io::BufReader::new(stdout);
    while !line.contains("held") {
        line.clear();
        let read = std::io::BufRead::read_line(&mut reader, &mut line).expect("read");
        assert!(read > 0, "the lock holder ended before holding the lock");
    }
    child
}

#[test]
fn a_database_held_locked_answers_503_with_retry_after() {
    let url = netbox_app::testing::fresh_database_url();
    let c = client_with(&format!(
        "database_url = {url:?}\nauto_migrate = true\nplugins = []\n"
    ));
    let id = c.site("Locked", "locked");
    let mut holder = hold_lock(&url, id, 7);
    let started = std::time::Instant::now();
    let reply = c.send(
        "PATCH",
        &format!("/api/dcim/sites/{id}/"),
        &[],
        Some(&json!({"region": "x"})),
    );
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("busy"),
        "{}",
        reply.body
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(7),
        "waited for the lock holder"
    );
    let _ = holder.wait();
    let (status, site) = c.json(
        "PATCH",
        &format!("/api/dcim/sites/{id}/"),
        Some(json!({"region": "y"})),
    );
    assert_eq!((status, site["region"].as_str()), (200, Some("y")));
}

#[test]
fn bulk_updates_in_opposite_orders_do_not_deadlock() {
    let c = client();
    let a = c.site("Left", "left");
    let b = c.site("Right", "right");
    for round in 0..10 {
        let forward = json!([{"id": a, "region": format!("f{round}")}, {"id": b, "region": format!("f{round}")}]);
        let backward = json!([{"id": b, "region": format!("b{round}")}, {"id": a, "region": format!("b{round}")}]);
        let replies = at_once(
            &c,
            vec![
                ("PATCH", "/api/dcim/sites/".to_string(), Some(forward)),
                ("PATCH", "/api/dcim/sites/".to_string(), Some(backward)),
            ],
        );
        for (status, body) in replies {
            assert_eq!(status, 200, "round {round}: {body}");
        }
        let (_, first) = c.json("GET", &format!("/api/dcim/sites/{a}/"), None);
        let (_, second) = c.json("GET", &format!("/api/dcim/sites/{b}/"), None);
        assert_eq!(
            first["region"], second["region"],
            "round {round}: one request's values, not a mix"
        );
    }
}

#[test]
fn kept_row_counts_stay_exact_through_writes_and_compaction() {
    let url = netbox_app::testing::fresh_database_url();
    let c = client_with(&format!(
        "database_url = {url:?}\nauto_migrate = true\nplugins = []\n"
    ));
    let count = || c.json("GET", "/api/dcim/sites/?limit=1", None).1["count"].clone();
    let ids: Vec<i64> = (0..6)
        .map(|i| c.site(&format!("Counted {i}"), &format!("counted-{i}")))
        .collect();
    assert_eq!(count(), json!(6));
    let reply = c.send(
        "DELETE",
        "/api/dcim/sites/",
        &[],
        Some(&json!([ids[0], ids[1]])),
    );
    assert_eq!(reply.status, 204);
    assert_eq!(count(), json!(4));
    actix_web::rt::System::new().block_on(async {
        let database = netbox_app::db::Database::connect(&url)
            .await
            .expect("connect");
        netbox_app::db::derived::compact_counts(&database, &[netbox_app::builtin::dcim::SITE])
            .await
            .expect("compact");
        database.close().await;
    });
    assert_eq!(count(), json!(4));
    if !url.starts_with("sqlite") {
        let left = netbox_app::testing::query_integer(
            &url,
            "SELECT COUNT(*) FROM core_rowcount_change WHERE table_name = 'dcim_site'",
        );
        assert_eq!(left, 0, "the changes were folded into the count");
    }
    // Rows written straight into the table are counted too.
    netbox_app::testing::execute_sql(
        &url,
        "INSERT INTO dcim_site (name, slug, status, region, facility, description, created, last_updated) VALUES ('Raw', 'raw', 'active', '', '', '', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
    );
    assert_eq!(count(), json!(5));
}
