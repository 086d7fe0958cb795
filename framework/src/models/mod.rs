//! Models: tables a plugin (or the host) declares once, for which the host provides what
//! NetBox's generic views and serializers give: list, detail, create, edit and delete pages in
//! the host layout, and a REST API with NetBox's pagination and error format.
//!
//! Declare a model with [`derive(Model)`](macro@Model) on a plain struct: the derive writes the
//! model's [`ModelSchema`] from the struct's fields and their types, and `netbox makemigrations`
//! writes the migration that creates its table. (A schema can also be written by hand, as
//! below; its table then comes from the plugin's own migrations and must have an `id` primary
//! key, the declared fields as columns (a many-to-many field as a join table
//! `<table>_<field>` with `from_id` and `to_id`), and `created` and `last_updated` columns:
//! RFC 3339 text, or `TIMESTAMPTZ` on PostgreSQL.)
//!
//! ```
//! use netbox_framework::models::{Field, FieldKind, ModelSchema};
//!
//! pub static ANIMAL: ModelSchema = ModelSchema {
//!     app: "zoo",
//!     name: "animal",
//!     verbose_name: "Animal",
//!     verbose_name_plural: "Animals",
//!     table: "zoo_animal",
//!     url_segment: "animals",
//!     api_url_segment: "animals",
//!     fields: &[
//!         Field::new("name", "Name", FieldKind::Text { max_length: 100 }).required().unique(),
//!         Field::new("legs", "Legs", FieldKind::Integer { min: 0, max: 1000 }),
//!         Field::new("cage", "Cage", FieldKind::ForeignKey { model: "dcim.site" }).required(),
//!     ],
//!     display_field: "name",
//!     search_fields: &["name"],
//!     unique_together: &[],
//!     ordering: "name",
//!     clean: None,
//! };
//! assert_eq!(ANIMAL.key(), "zoo.animal");
//! assert_eq!(ANIMAL.field("legs").map(|f| f.label), Some("Legs"));
//! ```

mod field_types;
mod references;
pub(crate) mod typed;

pub use field_types::IpInterface;
pub use references::{ForeignKey, ManyToMany};
pub use typed::{
    Choices, CleanFn, FieldAttributes, FieldType, Model, ValidationErrors, ValueError, adjust_kind,
};

/// Declares a model on a struct with named fields. See the plugin guide's "Models" section.
///
/// ```
/// use netbox_framework::models::{Choices, ForeignKey, Model};
/// use netbox_framework::dcim::Device;
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, Choices)]
/// pub enum Action {
///     #[choice(color = "green")]
///     Permit,
///     #[choice(color = "red")]
///     Deny,
/// }
///
/// /// An access list of a device.
/// #[derive(Debug, Model)]
/// #[model(app = "zoo", ordering = ["name"], search = ["name", "comments"], unique_together = [["device", "name"]])]
/// pub struct AccessList {
///     #[field(max_length = 100)]
///     pub name: String,
///     pub device: ForeignKey<Device>,
///     #[field(default = "deny", help = "What happens to traffic no rule matches")]
///     pub default_action: Action,
///     #[field(long)]
///     pub comments: Option<String>,
/// }
///
/// assert_eq!(AccessList::KEY, "zoo.accesslist");
/// assert_eq!(AccessList::SCHEMA.table, "zoo_accesslist");
/// assert_eq!(AccessList::SCHEMA.url_segment, "access-lists");
/// assert_eq!(AccessList::SCHEMA.verbose_name, "Access List");
/// assert!(AccessList::SCHEMA.field("name").is_some_and(|f| f.required));
/// ```
pub use netbox_framework_macros::Model;

/// Declares a choice set on an enum of unit variants: each variant's value (snake case of its
/// name unless `#[choice(value = "...")]`), label (its name in words unless `label`) and colour
/// (`color`, one of the badge colours of the host).
///
/// ```
/// use netbox_framework::models::Choices;
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, Choices)]
/// pub enum Protocol {
///     #[choice(value = "tcp", label = "TCP", color = "blue")]
///     Tcp,
///     #[choice(value = "udp", label = "UDP", color = "orange")]
///     Udp,
/// }
///
/// assert_eq!(Protocol::Udp.value(), "udp");
/// assert_eq!(Protocol::from_value("tcp"), Some(Protocol::Tcp));
/// assert_eq!(Protocol::COLORS, &["blue", "orange"]);
/// ```
pub use netbox_framework_macros::Choices;

/// What deleting an object does to the objects that refer to it through a foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnDelete {
    /// The delete is refused while referring objects exist (Django's `PROTECT`).
    #[default]
    Protect,
    /// The referring objects are deleted with it, each with its signals and change record.
    Cascade,
    /// The reference is emptied (the field must be optional).
    SetNull,
}

/// The kind of a field: how it is stored, validated and edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text (TEXT column).
    Text {
        /// Longest accepted value, in characters.
        max_length: usize,
    },
    /// Several lines of text (TEXT column).
    LongText,
    /// A URL slug: lowercase letters, digits, `-` and `_` (TEXT column).
    Slug,
    /// One of fixed values (TEXT column): `(value, label)` pairs.
    Choice(&'static [(&'static str, &'static str)]),
    /// An integer in a range (INTEGER column).
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// True or false (a boolean column: INTEGER 0/1 on SQLite, BOOLEAN on PostgreSQL).
    Boolean,
    /// An IPv4 or IPv6 address in canonical form: `192.0.2.1`, `2001:db8::1` (`INET` on
    /// PostgreSQL, text on SQLite).
    IpAddress,
    /// An IPv4 or IPv6 network with its prefix length, canonical: `10.0.0.0/8`; an address
    /// with host bits set (`10.0.0.1/8`) is refused (`CIDR` on PostgreSQL, text on SQLite).
    IpNetwork,
    /// An address with the prefix length of its network, as an interface has it:
    /// `192.0.2.1/24` (`INET` on PostgreSQL, text on SQLite). NetBox's IP address field.
    IpInterface,
    /// Any JSON document (JSON text).
    Json,
    /// An exact decimal number (`NUMERIC(max_digits, decimal_places)` on PostgreSQL, `NUMERIC`
    /// on SQLite), a JSON number in the API.
    Decimal {
        /// Most digits in all (at most 15, so that every value is exact as a JSON number).
        max_digits: u32,
        /// Digits after the decimal point (at most `max_digits`).
        decimal_places: u32,
    },
    /// A calendar date, `2024-05-31` (`DATE` on PostgreSQL, text on SQLite).
    Date,
    /// A point in time, in UTC to the second: `2024-05-31T14:30:00Z` (`TIMESTAMPTZ` on
    /// PostgreSQL, text on SQLite). Given with another offset, it is converted to UTC.
    DateTime,
    /// A list of integers in a range (JSON text), e.g. ports: `[80, 443]`; forms take
    /// `80, 443`.
    IntegerList {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// References to any number of objects of another model, by key such as `"dcim.device"`:
    /// no column, but a join table `<table>_<field name>` (`from_id`, `to_id`, each deleted
    /// with the object it refers to). The API reads and writes a list of ids.
    ManyToMany {
        /// The referenced model's key.
        model: &'static str,
    },
    /// A reference to an object of another model, by key such as `"dcim.device"`; the column
    /// is `<field name>_id` (INTEGER) and deleting a referenced object is refused.
    ForeignKey {
        /// The referenced model's key.
        model: &'static str,
    },
}

/// One field of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name: the column (for foreign keys the column is `<name>_id`) and the API key.
    pub name: &'static str,
    /// Label in forms and tables.
    pub label: &'static str,
    /// Kind.
    pub kind: FieldKind,
    /// Whether a value must be given (an empty text counts as none).
    pub required: bool,
    /// Whether no two objects may share a value.
    pub unique: bool,
    /// Value used when none is given on creation.
    pub default: Option<&'static str>,
    /// Help text shown under the form input.
    pub help: &'static str,
    /// For a foreign key: what deleting the referenced object does.
    pub on_delete: OnDelete,
    /// Whether the host keeps an index on the field (lists filtered or ordered by it).
    pub indexed: bool,
    /// For a choice field: the colour of each choice (in the order of its choices), shown as
    /// badges; empty for none.
    pub colors: &'static [&'static str],
}

impl Field {
    /// An optional, non-unique field without default.
    pub const fn new(name: &'static str, label: &'static str, kind: FieldKind) -> Self {
        Field {
            name,
            label,
            kind,
            required: false,
            unique: false,
            default: None,
            help: "",
            on_delete: OnDelete::Protect,
            indexed: false,
            colors: &[],
        }
    }

    /// Sets the colours of a choice field's choices (badge colours: `"green"`, `"red"`, ...).
    pub const fn colors(mut self, colors: &'static [&'static str]) -> Self {
        self.colors = colors;
        self
    }

    /// Asks the host for an index on the field.
    pub const fn indexed(mut self) -> Self {
        self.indexed = true;
        self
    }

    /// Makes the field required when `required` is true (for generated code).
    pub const fn required_if(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Sets the default unless one is set (for generated code: a type's implicit default).
    pub const fn or_default(mut self, value: Option<&'static str>) -> Self {
        if self.default.is_none() {
            self.default = value;
        }
        self
    }

    /// Sets what deleting the referenced object does (foreign keys).
    pub const fn on_delete(mut self, on_delete: OnDelete) -> Self {
        self.on_delete = on_delete;
        self
    }

    /// Makes the field required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Makes the field unique.
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Sets the default used on creation.
    pub const fn default(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self
    }

    /// Sets the help text.
    pub const fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }

    /// Whether the field is a column of its model's table (a many-to-many field is a join
    /// table instead).
    pub fn is_column(&self) -> bool {
        !matches!(self.kind, FieldKind::ManyToMany { .. })
    }

    /// The column holding the field.
    pub fn column(&self) -> String {
        match self.kind {
            FieldKind::ForeignKey { .. } => format!("{}_id", self.name),
            _ => self.name.to_string(),
        }
    }

    /// Whether the field holds text (text, long text, slug or choice): stored empty rather
    /// than NULL.
    pub fn is_text(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text { .. } | FieldKind::LongText | FieldKind::Slug | FieldKind::Choice(_)
        )
    }

    /// Whether the field holds an address or a network (stored as PostgreSQL's network
    /// types; NULL when empty).
    pub fn is_network(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::IpAddress | FieldKind::IpNetwork | FieldKind::IpInterface
        )
    }

    /// Whether a quick search may look in the field: text and network fields.
    pub fn is_searchable(&self) -> bool {
        self.is_text() || self.is_network()
    }

    /// Whether the column holds an integer.
    pub fn is_integer(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Integer { .. } | FieldKind::ForeignKey { .. }
        )
    }
}

/// A model: its table, fields and how people see it.
#[derive(Debug)]
pub struct ModelSchema {
    /// `dcim` for core models, the plugin's name for plugin models.
    pub app: &'static str,
    /// Model name, lowercase (`"accesslist"`).
    pub name: &'static str,
    /// Display name (`"Access List"`).
    pub verbose_name: &'static str,
    /// Display name in plural (`"Access Lists"`).
    pub verbose_name_plural: &'static str,
    /// Table.
    pub table: &'static str,
    /// URL segment of its pages (`"access-lists"`).
    pub url_segment: &'static str,
    /// URL segment of its REST API (usually the same as the pages').
    pub api_url_segment: &'static str,
    /// Fields, in form and table order.
    pub fields: &'static [Field],
    /// The field that names an object in links and titles.
    pub display_field: &'static str,
    /// Fields the quick search (`?q=`) looks in.
    pub search_fields: &'static [&'static str],
    /// Groups of fields whose values together must be unique.
    pub unique_together: &'static [&'static [&'static str]],
    /// Column list of the default `ORDER BY` (e.g. `"name"`).
    pub ordering: &'static str,
    /// The model's own validation, run before every save (form, API, bulk, plugin code)
    /// once every field is valid.
    pub clean: Option<CleanFn>,
}

/// Schemas are equal when everything but their validation function is (function pointers have
/// no meaningful identity).
impl PartialEq for ModelSchema {
    fn eq(&self, other: &Self) -> bool {
        (
            self.app,
            self.name,
            self.verbose_name,
            self.verbose_name_plural,
            self.table,
            self.url_segment,
            self.api_url_segment,
            self.fields,
            self.display_field,
            self.search_fields,
            self.unique_together,
            self.ordering,
        ) == (
            other.app,
            other.name,
            other.verbose_name,
            other.verbose_name_plural,
            other.table,
            other.url_segment,
            other.api_url_segment,
            other.fields,
            other.display_field,
            other.search_fields,
            other.unique_together,
            other.ordering,
        ) && self.clean.is_some() == other.clean.is_some()
    }
}

impl Eq for ModelSchema {}

impl ModelSchema {
    /// `app.name`, e.g. `"dcim.site"`: the key other models and extensions use.
    pub fn key(&self) -> String {
        format!("{}.{}", self.app, self.name)
    }

    /// The join table of many-to-many field `field`: `<table>_<field name>`.
    ///
    /// ```
    /// # use netbox_framework::models::{Field, FieldKind, ModelSchema};
    /// # static PEN: ModelSchema = ModelSchema { app: "zoo", name: "pen", verbose_name: "Pen",
    /// #     verbose_name_plural: "Pens", table: "zoo_pen", url_segment: "pens", api_url_segment: "pens",
    /// #     fields: &[Field::new("keepers", "Keepers", FieldKind::ManyToMany { model: "zoo.keeper" })],
    /// #     display_field: "id", search_fields: &[], unique_together: &[], ordering: "id", clean: None };
    /// assert_eq!(PEN.join_table(&PEN.fields[0]), "zoo_pen_keepers");
    /// ```
    pub fn join_table(&self, field: &Field) -> String {
        format!("{}_{}", self.table, field.name)
    }

    /// A field by name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.name == name)
    }
}
