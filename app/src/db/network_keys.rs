//! Sort keys of addresses and networks on SQLite.
//!
//! PostgreSQL stores address and network fields as `INET` and `CIDR`, which sort as networks
//! and answer containment (`<<`, `>>=`). SQLite keeps them as text, which does neither
//! (`9.0.0.0/8` sorts after `10.0.0.0/8`), so beside each such column the host keeps
//! `<column>__key`: the family, the address as 32 hexadecimal digits and the prefix length as
//! three decimal ones (`4` `0000…0a000000` `008`). Keys sort as PostgreSQL sorts networks, and
//! everything inside a network has a key between its [`range`]'s two ends.
//!
//! The engine writes the key with the value; [`ensure`] adds the column to tables that lack
//! it (a table made by a plugin's own SQL, or rebuilt by a later migration) and fills keys
//! that are missing (rows written by SQL), after every migration run.

use netbox_framework::ipnet::IpNet;
use netbox_framework::models::{Field, IpInterface, ModelSchema};
use sqlx::{AnyConnection, Row};
use std::net::IpAddr;

/// The column keeping `field`'s key (SQLite).
pub fn key_column(field: &Field) -> String {
    format!("{}__key", field.column())
}

fn family(address: IpAddr) -> char {
    match address {
        IpAddr::V4(_) => '4',
        IpAddr::V6(_) => '6',
    }
}

fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn key(address: IpAddr, length: u8) -> String {
    format!("{}{:032x}{length:03}", family(address), bits(address))
}

/// The key of a stored value: an address (`192.0.2.1`, its full length), an address with a
/// prefix length (`192.0.2.1/24`) or a network; `None` for anything else.
///
/// ```
/// use netbox_app::db::network_keys::sort_key;
///
/// let ten = sort_key("10.0.0.0/8").unwrap();
/// assert_eq!(ten, "40000000000000000000000000a000000008");
/// assert!(sort_key("9.0.0.0/8").unwrap() < ten);
/// assert!(ten < sort_key("10.0.0.0/16").unwrap());
/// assert!(sort_key("255.0.0.0/8").unwrap() < sort_key("::/0").unwrap());
/// assert_eq!(sort_key("not an address"), None);
/// ```
pub fn sort_key(text: &str) -> Option<String> {
    let address: IpInterface = text.trim().parse().ok()?;
    Some(key(address.addr(), address.prefix_len()))
}

/// The lowest and highest key of the addresses inside `network` (of any prefix length; for
/// networks inside it, see [`subnets`]).
///
/// ```
/// use netbox_app::db::network_keys::{range, sort_key};
///
/// let (low, high) = range("10.0.0.0/8".parse().unwrap());
/// for inside in ["10.0.0.0/8", "10.1.0.0/16", "10.255.255.255", "10.2.3.4/24"] {
///     let key = sort_key(inside).unwrap();
///     assert!(low <= key && key <= high, "{inside}");
/// }
/// for outside in ["11.0.0.0/8", "9.255.255.255", "::a00:1"] {
///     let key = sort_key(outside).unwrap();
///     assert!(key < low || high < key, "{outside}");
/// }
/// ```
pub fn range(network: IpNet) -> (String, String) {
    bounds(network, 0)
}

/// The lowest and highest key of the networks inside `network` (itself included): their
/// prefix length is at least its own, so a shorter network at the same address (10.0.0.0/8
/// for 10.0.0.0/16) is outside.
///
/// ```
/// use netbox_app::db::network_keys::{sort_key, subnets};
///
/// let (low, high) = subnets("10.0.0.0/16".parse().unwrap());
/// let inside = |n: &str| { let k = sort_key(n).unwrap(); low <= k && k <= high };
/// assert!(inside("10.0.0.0/16") && inside("10.0.5.0/24") && inside("10.0.255.0/24"));
/// assert!(!inside("10.0.0.0/8") && !inside("10.1.0.0/16"));
/// ```
pub fn subnets(network: IpNet) -> (String, String) {
    bounds(network, network.prefix_len())
}

fn bounds(network: IpNet, shortest: u8) -> (String, String) {
    let network = network.trunc();
    let mut high = key(network.broadcast(), 0);
    high.truncate(33);
    high.push_str("999");
    (key(network.network(), shortest), high)
}

/// The keys of every network containing `network` (itself included): one per prefix length
/// up to its own.
///
/// ```
/// use netbox_app::db::network_keys::{containing, sort_key};
///
/// let keys = containing("10.1.2.0/24".parse().unwrap());
/// assert_eq!(keys.len(), 25);
/// assert!(keys.contains(&sort_key("10.0.0.0/8").unwrap()));
/// assert!(keys.contains(&sort_key("0.0.0.0/0").unwrap()));
/// assert!(!keys.contains(&sort_key("10.2.0.0/16").unwrap()));
/// ```
pub fn containing(network: IpNet) -> Vec<String> {
    (0..=network.prefix_len())
        .filter_map(|length| IpNet::new(network.addr(), length).ok())
        .map(|wider| key(wider.network(), wider.prefix_len()))
        .collect()
}

/// The network fields of `schema` (the ones with a key on SQLite).
pub fn network_fields(schema: &ModelSchema) -> impl Iterator<Item = &'static Field> {
    schema
        .fields
        .iter()
        .filter(|field| field.is_network() && field.is_column())
}

/// Rows whose keys are filled per statement.
const ROWS_PER_UPDATE: usize = 500;

/// SQLite: gives every network column of `schemas`' tables its key column and index, and
/// fills the keys that are missing. Runs in the caller's transaction.
pub async fn ensure(
    connection: &mut AnyConnection,
    schemas: &[&'static ModelSchema],
) -> Result<(), sqlx::Error> {
    use super::schema::render::quoted;
    use sqlx::AssertSqlSafe;
    for schema in schemas {
        let fields: Vec<&Field> = network_fields(schema).collect();
        if fields.is_empty() {
            continue;
        }
        let existing: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info(?)")
            .bind(schema.table)
            .fetch_all(&mut *connection)
            .await?
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        let table = quoted(schema.table);
        for field in fields {
            let column = field.column();
            if !existing.contains(&column) {
                // A table the model does not match is reported by the startup's checks.
                continue;
            }
            let key = key_column(field);
            if !existing.contains(&key) {
                sqlx::query(AssertSqlSafe(format!(
                    "ALTER TABLE {table} ADD COLUMN {} TEXT",
                    quoted(&key)
                )))
                .execute(&mut *connection)
                .await?;
            }
            sqlx::query(AssertSqlSafe(format!(
                "CREATE INDEX IF NOT EXISTS {} ON {table} ({})",
                quoted(&format!("{}_{key}", schema.table)),
                quoted(&key)
            )))
            .execute(&mut *connection)
            .await?;
            let missing = sqlx::query(AssertSqlSafe(format!(
                "SELECT id, {} FROM {table} WHERE {} IS NOT NULL AND {} IS NULL",
                quoted(&column),
                quoted(&column),
                quoted(&key)
            )))
            .fetch_all(&mut *connection)
            .await?;
            let keys: Vec<(i64, String)> = missing
                .iter()
                .filter_map(|row| {
                    let id = row.try_get::<i64, _>(0).ok()?;
                    let value = row.try_get::<String, _>(1).ok()?;
                    Some((id, sort_key(&value)?))
                })
                .collect();
            for chunk in keys.chunks(ROWS_PER_UPDATE) {
                let cases: String = chunk
                    .iter()
                    .map(|(id, key)| format!(" WHEN {id} THEN '{key}'"))
                    .collect();
                let ids: Vec<String> = chunk.iter().map(|(id, _)| id.to_string()).collect();
                sqlx::query(AssertSqlSafe(format!(
                    "UPDATE {table} SET {} = CASE id{cases} END WHERE id IN ({})",
                    quoted(&key),
                    ids.join(", ")
                )))
                .execute(&mut *connection)
                .await?;
            }
        }
    }
    Ok(())
}
