//! The core's migrations (owner `core`): the DCIM tables, the change log, users and
//! permissions. Never edit one that has shipped: add a new one.

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

/// Users, groups, API tokens, sign-in sessions, object permissions and failed sign-ins.
/// Booleans are integers (0/1) and times RFC 3339 text, as everywhere in the core.
/// `users_state.version` grows with every change to who may do what, so that each instance
/// knows when its cached permissions are stale.
const USERS: &str = "CREATE TABLE users_user (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL DEFAULT '',
            password TEXT NOT NULL,
            is_active INTEGER NOT NULL DEFAULT 1,
            is_staff INTEGER NOT NULL DEFAULT 0,
            is_superuser INTEGER NOT NULL DEFAULT 0,
            date_joined TEXT NOT NULL,
            last_login TEXT
        );
        CREATE TABLE users_group (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE users_user_groups (
            user_id INTEGER NOT NULL REFERENCES users_user (id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES users_group (id) ON DELETE CASCADE,
            PRIMARY KEY (user_id, group_id)
        );
        CREATE TABLE users_token (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users_user (id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            key TEXT NOT NULL UNIQUE,
            digest TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            expires TEXT,
            last_used TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            write_enabled INTEGER NOT NULL DEFAULT 1,
            allowed_ips TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX users_token_user ON users_token (user_id);
        CREATE TABLE users_session (
            key TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users_user (id) ON DELETE CASCADE,
            created TEXT NOT NULL,
            expires TEXT NOT NULL
        );
        CREATE INDEX users_session_user ON users_session (user_id);
        CREATE TABLE users_objectpermission (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            enabled INTEGER NOT NULL DEFAULT 1,
            object_types TEXT NOT NULL,
            actions TEXT NOT NULL,
            constraints TEXT
        );
        CREATE TABLE users_objectpermission_users (
            permission_id INTEGER NOT NULL REFERENCES users_objectpermission (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users_user (id) ON DELETE CASCADE,
            PRIMARY KEY (permission_id, user_id)
        );
        CREATE TABLE users_objectpermission_groups (
            permission_id INTEGER NOT NULL REFERENCES users_objectpermission (id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES users_group (id) ON DELETE CASCADE,
            PRIMARY KEY (permission_id, group_id)
        );
        CREATE TABLE users_login_failure (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            address TEXT NOT NULL,
            time TEXT NOT NULL
        );
        CREATE INDEX users_login_failure_username ON users_login_failure (username, time);
        CREATE INDEX users_login_failure_address ON users_login_failure (address, time);
        CREATE TABLE users_state (
            id INTEGER PRIMARY KEY,
            version INTEGER NOT NULL
        );
        INSERT INTO users_state (id, version) VALUES (1, 1);";

/// `created` and `last_updated` of the core's objects as real times on PostgreSQL (SQLite keeps
/// RFC 3339 text, which sorts as time).
const OBJECT_TIMES_POSTGRES: &str = "ALTER TABLE dcim_site
            ALTER COLUMN created TYPE TIMESTAMPTZ USING CAST(created AS TIMESTAMPTZ),
            ALTER COLUMN last_updated TYPE TIMESTAMPTZ USING CAST(last_updated AS TIMESTAMPTZ);
        ALTER TABLE dcim_device
            ALTER COLUMN created TYPE TIMESTAMPTZ USING CAST(created AS TIMESTAMPTZ),
            ALTER COLUMN last_updated TYPE TIMESTAMPTZ USING CAST(last_updated AS TIMESTAMPTZ);";

/// What every object carries: which tags (`object_type` is the model's key, `dcim.site`), its
/// custom-field values (one JSON document), and each user's choice of columns per object
/// table (the column names in order, as JSON).
const OBJECT_FEATURES: &str = "CREATE TABLE extras_taggeditem (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tag_id INTEGER NOT NULL REFERENCES extras_tag (id) ON DELETE CASCADE,
            object_type TEXT NOT NULL,
            object_id INTEGER NOT NULL,
            UNIQUE (object_type, object_id, tag_id)
        );
        CREATE INDEX extras_taggeditem_tag ON extras_taggeditem (tag_id, object_type);
        CREATE TABLE extras_customfielddata (
            object_type TEXT NOT NULL,
            object_id INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (object_type, object_id)
        );
        CREATE TABLE users_tableconfig (
            user_id INTEGER NOT NULL REFERENCES users_user (id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            columns TEXT NOT NULL,
            PRIMARY KEY (user_id, model)
        );";

/// The core's migrations that follow the IPAM and extras ones.
pub fn later_migrations() -> Vec<Migration> {
    vec![Migration::from_sqlite(
        "0007_object_features",
        OBJECT_FEATURES,
    )]
}

/// The core's migrations, in order.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration::from_sqlite("0001_dcim_sites_and_devices", DCIM_SITES_AND_DEVICES),
        Migration::from_sqlite("0002_change_log", CHANGE_LOG),
        Migration::from_sqlite("0003_users", USERS),
        Migration::per_backend("0004_object_times", "", OBJECT_TIMES_POSTGRES),
    ]
}
