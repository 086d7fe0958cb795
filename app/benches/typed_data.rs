//! The typed data API against the untyped store it runs on: listing 1,000 sites as engine
//! objects (`Store::list`) and as `Object<Site>` (`Site::objects().all(&data)`), on SQLite.
//! Target: the typed list costs less than 10% more.
//!
//! `cargo bench -p netbox-app --bench typed_data`; results in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};
use netbox_app::config::Config;
use netbox_app::db::Database;
use netbox_app::db::migrations::{migrate, plan};
use netbox_app::engine::data::{Backing, EngineStore};
use netbox_app::engine::{Actor, ListQuery, ModelRegistry, Store};
use netbox_framework::data::Data;
use netbox_framework::dcim::Site;
use netbox_framework::models::Model;
use serde_json::{Map, Value, json};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

const OBJECTS: usize = 1000;

struct Bench {
    database: Database,
    models: ModelRegistry,
}

impl Backing for Bench {
    fn database(&self) -> &Database {
        &self.database
    }

    fn models(&self) -> &ModelRegistry {
        &self.models
    }
}

fn setup(runtime: &tokio::runtime::Runtime) -> Arc<Bench> {
    let file = netbox_app::testing::scratch_file("typed-bench", "db");
    let config = Config::parse("plugins = []\n", Path::new("bench.toml")).expect("config");
    let application = netbox_app::start(&config)
        .application()
        .expect("the core starts");
    runtime.block_on(async {
        let database = Database::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("database");
        let planned = plan(&application.contributions, database.backend()).expect("plan");
        migrate(&database, &planned).await.expect("migrate");
        let bench = Bench {
            database,
            models: application.models,
        };
        let sites: Vec<Map<String, Value>> = (0..OBJECTS)
            .map(|i| {
                json!({"name": format!("site-{i:04}"), "slug": format!("site-{i:04}"), "region": "EU", "description": "a site of the benchmark"})
                    .as_object()
                    .cloned()
                    .expect("an object")
            })
            .collect();
        let model = bench.models.get(Site::KEY).expect("sites are served");
        Store::new(&bench.database, &bench.models, model, Actor::system("bench"))
            .create_many(&sites, true)
            .await
            .expect("sites created");
        Arc::new(bench)
    })
}

fn lists(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let bench = setup(&runtime);
    let model = bench.models.get(Site::KEY).expect("sites are served");
    let untyped = Store::new(
        &bench.database,
        &bench.models,
        model,
        Actor::system("bench"),
    );
    let query = ListQuery {
        limit: OBJECTS as i64,
        ..ListQuery::default()
    };
    let data = Data::new(Arc::new(EngineStore::new(
        bench.clone(),
        Actor::system("bench"),
    )));
    let typed = Site::objects().limit(OBJECTS as i64);
    let check = runtime.block_on(typed.all(&data)).expect("typed list");
    assert_eq!(check.len(), OBJECTS);

    let mut group = c.benchmark_group("list 1,000 sites (SQLite)");
    group.bench_function("untyped Store::list", |b| {
        b.iter(|| black_box(runtime.block_on(untyped.list(&query)).expect("list")))
    });
    group.bench_function("typed Site::objects().all(&data)", |b| {
        b.iter(|| black_box(runtime.block_on(typed.all(&data)).expect("list")))
    });
    group.finish();
}

criterion_group!(benches, lists);
criterion_main!(benches);
