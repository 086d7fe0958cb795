//! The core's migrations (owner `core`): the DCIM tables and the change log. Never edit one
//! that has shipped: add a new one.

use netbox_framework::migrations::Migration;

const DCIM_SITES_AND_DEVICES: &str = "CREATE TABLE dcim_site (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            slug TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'active',
            region TEXT NOT NULL DEFAULT '',
            facility TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            last_updated TEXT NOT NULL
        );
        CREATE TABLE dcim_device (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            site_id INTEGER NOT NULL REFERENCES dcim_site (id) ON DELETE RESTRICT,
            role TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active',
            serial TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            last_updated TEXT NOT NULL,
            UNIQUE (site_id, name)
        );
        CREATE INDEX dcim_device_site ON dcim_device (site_id);";

const CHANGE_LOG: &str = "CREATE TABLE core_objectchange (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            user_name TEXT NOT NULL,
            request_id TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_id INTEGER NOT NULL,
            object_repr TEXT NOT NULL,
            prechange_data TEXT NOT NULL,
            postchange_data TEXT NOT NULL
        );
        CREATE INDEX core_objectchange_object ON core_objectchange (object_type, object_id);";

/// The core's migrations, in order.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration::from_sqlite("0001_dcim_sites_and_devices", DCIM_SITES_AND_DEVICES),
        Migration::from_sqlite("0002_change_log", CHANGE_LOG),
    ]
}
