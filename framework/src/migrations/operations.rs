//! Schema operations: what a generated migration says, in terms of tables and columns, for
//! the host to render as SQL on each backend.

use crate::models::OnDelete;

/// How a column stores its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// Text of any length (`TEXT`).
    Text,
    /// A 64-bit integer (`INTEGER` on SQLite, `BIGINT` on PostgreSQL).
    Integer,
    /// True or false (`INTEGER` 0/1 on SQLite, `BOOLEAN` on PostgreSQL).
    Boolean,
    /// A JSON document (`TEXT` on SQLite, `JSONB` on PostgreSQL).
    Json,
    /// A date (`TEXT` `YYYY-MM-DD` on SQLite, `DATE` on PostgreSQL).
    Date,
    /// A point in time (`TEXT` RFC 3339 in UTC on SQLite, `TIMESTAMPTZ` on PostgreSQL).
    DateTime,
    /// An exact number of (precision, scale): digits in all and after the point
    /// (`NUMERIC(precision, scale)` on PostgreSQL, `NUMERIC` on SQLite).
    Decimal(u32, u32),
    /// An address, with or without a prefix length (`TEXT` on SQLite, `INET` on PostgreSQL).
    Inet,
    /// A network (`TEXT` on SQLite, `CIDR` on PostgreSQL).
    Cidr,
}

/// The table (and its `id`) a foreign-key column refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The referenced table.
    pub table: &'static str,
    /// What deleting the referenced row does.
    pub on_delete: OnDelete,
}

/// One column of a table (every table also has `id`, `created` and `last_updated`, which the
/// host adds).
///
/// ```
/// use netbox_framework::migrations::{Column, ColumnType};
/// use netbox_framework::models::OnDelete;
///
/// let device = Column::new("device_id", ColumnType::Integer).references("dcim_device", OnDelete::Cascade);
/// assert!(!device.null);
/// assert_eq!(Column::new("comments", ColumnType::Text).default("").default, Some(""));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Column {
    /// Column name.
    pub name: &'static str,
    /// Storage.
    pub ty: ColumnType,
    /// Whether it may hold NULL.
    pub null: bool,
    /// Whether no two rows may share a value.
    pub unique: bool,
    /// The value new rows (and existing rows, when the column is added) get, as text:
    /// `"deny"`, `"42"`, `"true"`.
    pub default: Option<&'static str>,
    /// The referenced table, for a foreign key.
    pub references: Option<Reference>,
}

impl Column {
    /// A `NOT NULL` column without default.
    pub const fn new(name: &'static str, ty: ColumnType) -> Self {
        Column {
            name,
            ty,
            null: false,
            unique: false,
            default: None,
            references: None,
        }
    }

    /// The column allowing NULL.
    pub const fn null(self) -> Self {
        Column { null: true, ..self }
    }

    /// The column with unique values.
    pub const fn unique(self) -> Self {
        Column {
            unique: true,
            ..self
        }
    }

    /// The column with a default value.
    pub const fn default(self, value: &'static str) -> Self {
        Column {
            default: Some(value),
            ..self
        }
    }

    /// The column as a reference to `table`'s `id`.
    pub const fn references(self, table: &'static str, on_delete: OnDelete) -> Self {
        Column {
            references: Some(Reference { table, on_delete }),
            ..self
        }
    }
}

/// One step of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Creates a table with `id`, the columns, `created` and `last_updated`.
    CreateTable {
        /// Table name.
        table: &'static str,
        /// Its columns, in order.
        columns: &'static [Column],
        /// Groups of columns whose values together are unique.
        unique_together: &'static [&'static [&'static str]],
    },
    /// Creates the join table of a many-to-many field: `id`, `from_id` (referring to
    /// `from`'s rows) and `to_id` (referring to `to`'s), each link once, each deleted with
    /// either row.
    CreateJoinTable {
        /// Table name (`<model table>_<field>`).
        table: &'static str,
        /// The table of the model declaring the field.
        from: &'static str,
        /// The table of the referenced model.
        to: &'static str,
    },
    /// Drops a table and its data.
    DropTable {
        /// Table name.
        table: &'static str,
    },
    /// Adds a column; existing rows get its default (or NULL).
    AddColumn {
        /// Table name.
        table: &'static str,
        /// The new column.
        column: Column,
    },
    /// Drops a column and its data.
    DropColumn {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
    },
    /// Changes a column's type, nullability, uniqueness, default or reference.
    AlterColumn {
        /// Table name.
        table: &'static str,
        /// The column as it becomes.
        column: Column,
    },
    /// Replaces the table's groups of columns unique together.
    AlterUniqueTogether {
        /// Table name.
        table: &'static str,
        /// The groups, as they become.
        unique_together: &'static [&'static [&'static str]],
    },
    /// Gives the table's `created` and `last_updated` a time type on PostgreSQL
    /// (`TIMESTAMPTZ`; SQLite keeps RFC 3339 text, which sorts as time). `makemigrations`
    /// writes it after each `CreateTable`, and once for tables created before it existed.
    TimestampColumns {
        /// Table name.
        table: &'static str,
    },
    /// Hand-written SQL, one text per backend (a data migration, say). The host does not
    /// know what it changes: keep schema changes to the other operations.
    Sql {
        /// For SQLite.
        sqlite: &'static str,
        /// For PostgreSQL.
        postgres: &'static str,
    },
}
