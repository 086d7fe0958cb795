//! Links every plugin crate of the app's plugin table (`[target.'cfg(all())'.dependencies]` in
//! Cargo.toml) by writing one `extern crate` line per plugin to `$OUT_DIR/linked_plugins.rs`,
//! which the library includes. Without such a reference rustc would not link the crate at all
//! and its plugin registration would silently vanish.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

const PLUGIN_TABLE: &str = "cfg(all())";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let manifest_path = manifest_dir.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest_path.display());
    let text = fs::read_to_string(&manifest_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", manifest_path.display()));
    let manifest: toml::Table = text
        .parse()
        .unwrap_or_else(|error| panic!("cannot parse {}: {error}", manifest_path.display()));

    let plugins = manifest
        .get("target")
        .and_then(|targets| targets.get(PLUGIN_TABLE))
        .and_then(|target| target.get("dependencies"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();

    let mut source =
        String::from("// Written by app/build.rs from the plugin table of app/Cargo.toml.\n");
    let mut packages = Vec::new();
    for (key, spec) in &plugins {
        let crate_name = key.replace('-', "_");
        let package = spec
            .get("package")
            .and_then(toml::Value::as_str)
            .unwrap_or(key)
            .to_string();
        let optional = spec
            .get("optional")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        let gate = if optional {
            format!("#[cfg(feature = {key:?})]\n")
        } else {
            String::new()
        };
        writeln!(source, "{gate}extern crate {crate_name};").expect("writing to a String");
        packages.push((gate, package));
    }
    source.push_str("\n/// Cargo packages of the plugin table, as linked into this build.\n");
    source.push_str("pub const LINKED_PLUGIN_PACKAGES: &[&str] = &[\n");
    for (gate, package) in &packages {
        writeln!(source, "    {gate}{package:?},").expect("writing to a String");
    }
    source.push_str("];\n");

    let out =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("linked_plugins.rs");
    fs::write(&out, source)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
}
