//! Models: tables a plugin (or the host) declares once, for which the host provides what
//! NetBox's generic views and serializers give: list, detail, create, edit and delete pages in
//! the host layout, and a REST API with NetBox's pagination and error format.
//!
//! A model is a static [`ModelSchema`]. Its table is created by the plugin's own migrations
//! and must have an `id` primary key, the declared fields as columns, and `created` and
//! `last_updated` text columns (the host fills them).
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
//!     fields: &[
//!         Field::new("name", "Name", FieldKind::Text { max_length: 100 }).required().unique(),
//!         Field::new("legs", "Legs", FieldKind::Integer { min: 0, max: 1000 }),
//!         Field::new("cage", "Cage", FieldKind::ForeignKey { model: "dcim.site" }).required(),
//!     ],
//!     display_field: "name",
//!     search_fields: &["name"],
//!     unique_together: &[],
//!     ordering: "name",
//! };
//! assert_eq!(ANIMAL.key(), "zoo.animal");
//! assert_eq!(ANIMAL.field("legs").map(|f| f.label), Some("Legs"));
//! ```

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
        }
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

    /// The column holding the field.
    pub fn column(&self) -> String {
        match self.kind {
            FieldKind::ForeignKey { .. } => format!("{}_id", self.name),
            _ => self.name.to_string(),
        }
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
#[derive(Debug, PartialEq, Eq)]
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
    /// URL segment of its pages and API (`"access-lists"`).
    pub url_segment: &'static str,
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
}

impl ModelSchema {
    /// `app.name`, e.g. `"dcim.site"`: the key other models and extensions use.
    pub fn key(&self) -> String {
        format!("{}.{}", self.app, self.name)
    }

    /// A field by name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.name == name)
    }
}
