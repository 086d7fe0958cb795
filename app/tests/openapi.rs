//! The OpenAPI document at `/api/schema/`, checked by a real validator (the Python
//! `openapi-spec-validator`, installed from PyPI into a virtual environment under the target
//! directory on first use), and against the running application: every path it lists
//! without parameters answers, and the models of the enabled plugins are in it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::client_with;

/// The validator's command, installed once per target directory.
fn validator() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi-validator");
    let command = venv.join("bin").join("openapi-spec-validator");
    if command.exists() {
        return command;
    }
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 (needed to install the OpenAPI validator)");
    assert!(created.success(), "python3 -m venv failed");
    let installed = Command::new(venv.join("bin").join("pip"))
        .args(["install", "-q", "openapi-spec-validator>=0.7,<0.9"])
        .output()
        .expect("pip");
    assert!(
        installed.status.success(),
        "installing openapi-spec-validator from PyPI failed: {}",
        String::from_utf8_lossy(&installed.stderr)
    );
    command
}

/// Runs the validator on `document`; its verdict and output.
fn validate(document: &Value, name: &str) -> (bool, String) {
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.json"));
    std::fs::write(&file, document.to_string()).expect("write the document");
    let output = Command::new(validator())
        .arg(&file)
        .output()
        .expect("run openapi-spec-validator");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn the_schema_is_valid_openapi_and_describes_what_is_served() {
    let c = client_with("plugins = ['animal_sounds', 'access_lists']\n");
    let (status, document) = c.json("GET", "/api/schema/", None);
    assert_eq!(status, 200);
    assert_eq!(document["openapi"], "3.0.3");

    let (valid, output) = validate(&document, "netbox-openapi");
    assert!(valid, "the validator refused the document:\n{output}");
    // The validator can refuse: a document without `info` is not OpenAPI.
    let mut broken = document.clone();
    broken.as_object_mut().map(|o| o.remove("info"));
    assert!(
        !validate(&broken, "broken-openapi").0,
        "the validator accepts anything"
    );

    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/api/dcim/sites/",
        "/api/dcim/devices/{id}/",
        "/api/plugins/animal-sounds/animals/",
        "/api/plugins/access-lists/access-lists/",
        "/api/users/tokens/",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    let site_filters: Vec<&str> = document["paths"]["/api/dcim/sites/"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "status",
        "status__n",
        "name__ic",
        "id__gt",
        "limit",
        "ordering",
    ] {
        assert!(
            site_filters.contains(&name),
            "{name} not in {site_filters:?}"
        );
    }
    let statuses =
        &document["components"]["schemas"]["DcimSiteRequest"]["properties"]["status"]["enum"];
    assert!(
        statuses
            .as_array()
            .is_some_and(|s| s.iter().any(|v| v == "active"))
    );

    // Every listed GET without parameters answers (nothing described that is not served);
    // the random animal needs an animal.
    let animal = serde_json::json!({"name": "Dog", "sound": "woof"});
    let created = c.send(
        "POST",
        "/api/plugins/animal-sounds/animals/",
        &[],
        Some(&animal),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    for (path, item) in paths {
        if path.contains('{') || item.get("get").is_none() {
            continue;
        }
        let reply = c.send("GET", path, &[], None);
        assert!(
            reply.status == 200,
            "GET {path} is described but answers {}: {}",
            reply.status,
            reply.body
        );
    }

    let yaml = c.send("GET", "/api/schema/?format=yaml", &[], None);
    assert_eq!(yaml.status, 200);
    let text = yaml.body.as_str().expect("YAML text");
    let parsed: Value = serde_yaml_ng::from_str(text).expect("valid YAML");
    assert_eq!(parsed, document);
    assert_eq!(
        c.send("GET", "/api/schema/?format=xml", &[], None).status,
        400
    );
}
