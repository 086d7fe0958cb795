//! `netbox demo-data`: a small, realistic dataset so that a new user sees something.

use crate::db::Database;
use crate::engine::{Actor, ListQuery, ModelRegistry, Store, WriteError};
use serde_json::{Value, json};

const SITES: &[(&str, &str, &str, &str)] = &[
    ("Amsterdam DC1", "ams-dc1", "Europe", "Equinix AM3"),
    ("Frankfurt DC2", "fra-dc2", "Europe", "Interxion FRA2"),
    ("New York POP", "nyc-pop", "North America", "60 Hudson St"),
    ("Singapore Lab", "sin-lab", "Asia Pacific", "Lab room 4"),
];

const DEVICES: &[(&str, &str, &str, &str)] = &[
    ("ams-core-01", "ams-dc1", "router", "active"),
    ("ams-core-02", "ams-dc1", "router", "active"),
    ("ams-tor-01", "ams-dc1", "switch", "active"),
    ("ams-fw-01", "ams-dc1", "firewall", "active"),
    ("fra-core-01", "fra-dc2", "router", "active"),
    ("fra-tor-01", "fra-dc2", "switch", "planned"),
    ("nyc-edge-01", "nyc-pop", "router", "active"),
    ("sin-lab-sw-01", "sin-lab", "switch", "staged"),
];

/// Prefixes: (network, status, description).
const PREFIXES: &[(&str, &str, &str)] = &[
    ("10.0.0.0/8", "container", "Private address space"),
    ("10.1.0.0/16", "active", "Amsterdam"),
    ("10.1.10.0/24", "active", "Amsterdam servers"),
    ("10.2.0.0/16", "reserved", "Frankfurt"),
    ("192.0.2.0/24", "active", "Public services"),
    ("2001:db8::/32", "container", "IPv6 documentation range"),
];

/// IP addresses: (address, DNS name).
const ADDRESSES: &[(&str, &str)] = &[
    ("10.1.10.1/24", "gw.ams.example.net"),
    ("10.1.10.11/24", "web1.ams.example.net"),
    ("192.0.2.10/24", "www.example.net"),
];

/// Loads the dataset unless the database already has sites. Returns what was created.
pub async fn load(database: &Database, models: &ModelRegistry) -> Result<Vec<String>, WriteError> {
    let (Some(site), Some(device)) = (models.get("dcim.site"), models.get("dcim.device")) else {
        return Ok(Vec::new());
    };
    let sites = Store::new(database, models, site, Actor::system("demo-data"));
    let (count, _) = sites
        .list(&ListQuery {
            limit: 1,
            ..Default::default()
        })
        .await?;
    if count.unwrap_or_default() > 0 {
        return Ok(Vec::new());
    }
    let mut created = Vec::new();
    let mut site_ids = std::collections::HashMap::new();
    for (name, slug, region, facility) in SITES {
        let object = sites
            .create(
                &object(
                    json!({"name": name, "slug": slug, "region": region, "facility": facility}),
                ),
                true,
            )
            .await?;
        site_ids.insert(*slug, object["id"].clone());
        created.push(format!("site {name}"));
    }
    let devices = Store::new(database, models, device, Actor::system("demo-data"));
    let mut device_ids = Vec::new();
    for (index, (name, site, role, status)) in DEVICES.iter().enumerate() {
        let serial = format!("SN{:06}", 104_729 * (index + 1) % 1_000_000);
        let object = devices
            .create(&object(json!({"name": name, "site": site_ids[site], "role": role, "status": status, "serial": serial})), true)
            .await?;
        device_ids.push((*name, object["id"].clone()));
        created.push(format!("device {name}"));
    }
    let mut prefix_ids = std::collections::HashMap::new();
    if let (Some(prefix), Some(address)) = (models.get("ipam.prefix"), models.get("ipam.ipaddress"))
    {
        let prefixes = Store::new(database, models, prefix, Actor::system("demo-data"));
        for (network, status, description) in PREFIXES {
            let object = prefixes
                .create(
                    &object(
                        json!({"prefix": network, "status": status, "description": description}),
                    ),
                    true,
                )
                .await?;
            prefix_ids.insert(*network, object["id"].clone());
            created.push(format!("prefix {network}"));
        }
        let addresses = Store::new(database, models, address, Actor::system("demo-data"));
        for (ip, dns_name) in ADDRESSES {
            addresses
                .create(&object(json!({"address": ip, "dns_name": dns_name})), true)
                .await?;
            created.push(format!("IP address {ip}"));
        }
    }
    let services = prefix_ids
        .get("192.0.2.0/24")
        .cloned()
        .unwrap_or(Value::Null);
    if let (Some(acl), Some(rule)) = (
        models.get("access_lists.accesslist"),
        models.get("access_lists.accesslistrule"),
    ) {
        let acls = Store::new(database, models, acl, Actor::system("demo-data"));
        let rules = Store::new(database, models, rule, Actor::system("demo-data"));
        let edge = device_ids
            .iter()
            .find(|(name, _)| *name == "nyc-edge-01")
            .map(|(_, id)| id.clone())
            .unwrap_or(Value::Null);
        let list = acls.create(&object(json!({"name": "edge-in", "device": edge, "default_action": "deny", "comments": "Inbound from transit"})), true).await?;
        for (index, protocol, port, action) in [
            (10, "tcp", "443", "permit"),
            (20, "tcp", "22", "permit"),
            (30, "icmp", "", "permit"),
        ] {
            rules
                .create(&object(json!({"access_list": list["id"], "index": index, "protocol": protocol, "destination_prefix": services, "destination_ports": port, "action": action})), true)
                .await?;
        }
        created.push("access list edge-in with 3 rules".to_string());
    }
    if let Some(animal) = models.get("animal_sounds.animal") {
        let animals = Store::new(database, models, animal, Actor::system("demo-data"));
        let zoo = [
            ("Cat", "meow"),
            ("Cow", "moo"),
            ("Dog", "woof"),
            ("Duck", "quack"),
            ("Horse", "neigh"),
            ("Sheep", "baa"),
        ];
        let inputs: Vec<_> = zoo
            .iter()
            .map(|(name, sound)| object(json!({"name": name, "sound": sound})))
            .collect();
        animals
            .create_many(&inputs, true)
            .await
            .map_err(|error| match error {
                crate::engine::BulkError::Item { error, .. }
                | crate::engine::BulkError::All(error) => error,
                crate::engine::BulkError::Invalid(_) => {
                    crate::engine::WriteError::Conflict("the demo animals are invalid".into())
                }
            })?;
        created.push(format!("{} animals", zoo.len()));
    }
    Ok(created)
}

fn object(value: Value) -> serde_json::Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// The demo user's name.
pub const DEMO_USER: &str = "demo";

/// Creates the user `demo` (unless it exists) with a random password and the permission to
/// view every model; returns how to sign in, or `None` when the user existed.
pub async fn demo_user(
    database: &Database,
    models: &ModelRegistry,
) -> Result<Option<String>, crate::auth::AuthError> {
    use crate::auth::records::{self, NewPermission};
    use crate::auth::{passwords, users};
    if users::by_username(database, DEMO_USER).await?.is_some() {
        return Ok(None);
    }
    let password = passwords::random_password();
    let new = users::NewUser {
        username: DEMO_USER,
        email: "",
        password: &password,
        is_superuser: false,
    };
    let user = users::create(database, &new).await?;
    let permission = NewPermission {
        name: "demo: view everything".to_string(),
        description: "Lets the demo user see every object (and change none).".to_string(),
        object_types: models
            .all()
            .iter()
            .map(|model| model.schema.key())
            .collect(),
        actions: vec!["view".to_string()],
        constraints: None,
        users: vec![user.id],
        groups: Vec::new(),
    };
    records::create(database, &permission, true, models).await?;
    Ok(Some(format!(
        "Sign in at /login/ as `{DEMO_USER}` with the password {password} (view only; shown once). \
         For a superuser: `netbox serve` creates `admin` and prints its password when there is none, or run `netbox createsuperuser`."
    )))
}
