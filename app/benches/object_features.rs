//! What tags and custom fields cost a list, and how long a bulk import takes, on SQLite.
//!
//! - `list/plain`: 1,000 sites listed whole by the REST API's engine path
//!   (`Store::list_rows`), carrying no tag and no custom-field value;
//! - `list/tagged`: the same 1,000 sites, each with three tags and three custom-field values.
//!   Target: no more than twice `list/plain`.
//! - the import of 10,000 CSV rows (parsed, then created in one transaction), timed once and
//!   printed. Target: under 10 s.
//!
//! `cargo bench -p netbox-app --bench object_features`; results in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};
use netbox_app::config::Config;
use netbox_app::db::Database;
use netbox_app::db::migrations::{migrate, plan};
use netbox_app::engine::{Actor, ListQuery, ModelRegistry, Store};
use serde_json::{Map, Value, json};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

const OBJECTS: usize = 1000;
const IMPORTED: usize = 10_000;

struct Bench {
    database: Database,
    models: ModelRegistry,
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

async fn database() -> Bench {
    let file = netbox_app::testing::scratch_file("features-bench", "db");
    let config = Config::parse("plugins = []\n", Path::new("bench.toml")).expect("config");
    let application = netbox_app::start(&config)
        .application()
        .expect("the core starts");
    let database = Database::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("database");
    let planned = plan(&application.contributions, database.backend()).expect("plan");
    migrate(&database, &planned).await.expect("migrate");
    Bench {
        database,
        models: application.models,
    }
}

impl Bench {
    fn store(&self, key: &str) -> Store<'_> {
        let model = self.models.get(key).expect("served");
        Store::new(&self.database, &self.models, model, Actor::system("bench"))
    }

    async fn sites(&self, prefix: &str, tagged: bool) {
        let sites: Vec<Map<String, Value>> = (0..OBJECTS)
            .map(|i| {
                let mut site = json!({
                    "name": format!("{prefix}-{i:04}"),
                    "slug": format!("{prefix}-{i:04}"),
                    "region": "EU",
                    "description": "a site of the benchmark",
                });
                if tagged {
                    site["tags"] = json!(["core", "edge", "lab"]);
                    site["custom_fields"] =
                        json!({"owner": "netops", "racks": i % 40, "tier": "gold"});
                }
                object(site)
            })
            .collect();
        self.store("dcim.site")
            .create_many(&sites, true)
            .await
            .expect("sites created");
    }

    async fn features(&self) {
        for slug in ["core", "edge", "lab"] {
            self.store("extras.tag")
                .create(&object(json!({"name": slug, "slug": slug})), true)
                .await
                .expect("tag");
        }
        let choices = self
            .store("extras.customfieldchoiceset")
            .create(
                &object(json!({"name": "Tiers", "extra_choices": [["gold", "Gold"], ["silver", "Silver"]]})),
                true,
            )
            .await
            .expect("choice set");
        for definition in [
            json!({"name": "owner", "type": "text", "object_types": ["dcim.site"]}),
            json!({"name": "racks", "type": "integer", "object_types": ["dcim.site"]}),
            json!({"name": "tier", "type": "select", "choice_set": choices["id"], "object_types": ["dcim.site"]}),
        ] {
            self.store("extras.customfield")
                .create(&object(definition), true)
                .await
                .expect("custom field");
        }
    }
}

fn lists(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (plain, tagged) = runtime.block_on(async {
        let plain = database().await;
        plain.sites("plain", false).await;
        let tagged = database().await;
        tagged.features().await;
        tagged.sites("tagged", true).await;
        (plain, tagged)
    });
    let query = ListQuery {
        limit: OBJECTS as i64,
        ..Default::default()
    };
    let mut group = c.benchmark_group("list");
    for (name, bench) in [("plain", &plain), ("tagged", &tagged)] {
        let store = bench.store("dcim.site");
        let (_, rows) = runtime.block_on(store.list_rows(&query)).expect("the list");
        assert_eq!(rows.len(), OBJECTS);
        group.bench_function(name, |b| {
            b.iter(|| {
                let (_, rows) = runtime
                    .block_on(store.list_rows(black_box(&query)))
                    .expect("the list");
                black_box(rows)
            })
        });
    }
    group.finish();

    // The import, timed once: parsing 10,000 CSV rows and creating them in one transaction.
    let mut csv = String::from("name,slug,status,description,tags,cf_owner,cf_racks\n");
    for i in 0..IMPORTED {
        csv.push_str(&format!(
            "import-{i:05},import-{i:05},active,imported,\"core,edge\",netops,{}\n",
            i % 40
        ));
    }
    let started = Instant::now();
    let rows = netbox_app::server::bulk_import_rows(&csv).expect("the CSV parses");
    let items: Vec<(Option<i64>, Map<String, Value>)> = rows
        .into_iter()
        .map(|mut row| {
            let custom: Map<String, Value> = ["owner", "racks"]
                .iter()
                .filter_map(|name| Some((name.to_string(), row.remove(&format!("cf_{name}"))?)))
                .collect();
            row.insert("custom_fields".into(), Value::Object(custom));
            (None, row)
        })
        .collect();
    runtime
        .block_on(tagged.store("dcim.site").save_many(&items))
        .expect("imported");
    eprintln!(
        "import of {IMPORTED} CSV rows (tags and custom fields): {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, lists);
criterion_main!(benches);
