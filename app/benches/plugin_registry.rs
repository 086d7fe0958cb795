//! Collecting and validating many registered plugins: the work `netbox` does at startup.
//!
//! `cargo bench -p netbox-app --bench plugin_registry`; results in docs/PERFORMANCE.md.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use many_plugins as _;
use netbox_app::config::Config;
use std::hint::black_box;
use std::path::Path;

fn config(count: usize) -> Config {
    Config::parse(&many_plugins::config_text(count), Path::new("bench.toml"))
        .expect("generated config parses")
}

fn registry(c: &mut Criterion) {
    let linked = netbox_framework::all_descriptors().len();
    assert!(
        linked > many_plugins::COUNT,
        "the generated plugins are linked ({linked})"
    );

    c.bench_function("collect descriptors (501 linked)", |b| {
        b.iter(|| black_box(netbox_framework::all_descriptors()))
    });

    let mut group = c.benchmark_group("collect + validate, N of 500 generated plugins enabled");
    for count in [100, 250, 500] {
        let config = config(count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &config, |b, config| {
            b.iter(|| {
                let (registry, report) = netbox_app::load_plugins(config);
                assert!(report.is_ok());
                black_box(registry)
            })
        });
    }
    group.finish();

    c.bench_function("parse configuration of 500 plugins", |b| {
        let text = many_plugins::config_text(500);
        b.iter(|| black_box(Config::parse(&text, Path::new("bench.toml")).expect("parses")))
    });
}

criterion_group!(benches, registry);
criterion_main!(benches);
