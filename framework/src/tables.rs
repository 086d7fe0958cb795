//! Columns a plugin adds to other models' object tables (NetBox's `register_table_column`),
//! core tables included. As in NetBox, they are offered among the table's columns and shown
//! once a user chooses them (the table's "Columns" page), placed and hidden like any other.
//!
//! ```
//! use netbox_framework::json::Value;
//! use netbox_framework::tables::TableColumn;
//!
//! // A device's serial in capitals, from the object's own values.
//! let loud = TableColumn::new("dcim.device", "loud_serial", "Serial (loud)", |device| {
//!     device.get("serial").and_then(Value::as_str).unwrap_or_default().to_uppercase()
//! });
//! // How many access lists each device has: the host counts them.
//! let lists = TableColumn::count(
//!     "dcim.device",
//!     "access_list_count",
//!     "Access lists",
//!     "access_lists.accesslist",
//!     "device",
//! );
//! assert_eq!((loud.model, lists.name), ("dcim.device", "access_list_count"));
//! ```

use serde_json::{Map, Value};

/// What a [`TableColumn`] shows in each row.
#[derive(Clone, Copy)]
pub enum ColumnContent {
    /// Text the plugin makes from the object's values (as the API has them: references as
    /// ids, `tags` and `custom_fields` included).
    Render(fn(&Map<String, Value>) -> String),
    /// The number of objects of `model` whose foreign key `field` points at the row's
    /// object (those the user may view), linking to them.
    Count {
        /// The counted model's key.
        model: &'static str,
        /// Its foreign key to the table's model.
        field: &'static str,
    },
}

/// A column added to the object table of `model`.
#[derive(Clone, Copy)]
pub struct TableColumn {
    /// The model whose table gets the column, e.g. `"dcim.device"`. An unknown model is a
    /// startup error naming the plugin.
    pub model: &'static str,
    /// The column's name (lowercase letters, digits, `_`), unique among the table's columns.
    pub name: &'static str,
    /// Its header.
    pub label: &'static str,
    /// What it shows.
    pub content: ColumnContent,
}

impl TableColumn {
    /// A column whose text `render` makes from each object's values.
    pub fn new(
        model: &'static str,
        name: &'static str,
        label: &'static str,
        render: fn(&Map<String, Value>) -> String,
    ) -> Self {
        TableColumn {
            model,
            name,
            label,
            content: ColumnContent::Render(render),
        }
    }

    /// A column counting the objects of `related_model` whose foreign key `field` points at
    /// each row's object.
    pub fn count(
        model: &'static str,
        name: &'static str,
        label: &'static str,
        related_model: &'static str,
        field: &'static str,
    ) -> Self {
        TableColumn {
            model,
            name,
            label,
            content: ColumnContent::Count {
                model: related_model,
                field,
            },
        }
    }
}

impl std::fmt::Debug for TableColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let content = match self.content {
            ColumnContent::Render(_) => "render".to_string(),
            ColumnContent::Count { model, field } => format!("count {model}.{field}"),
        };
        f.debug_struct("TableColumn")
            .field("model", &self.model)
            .field("name", &self.name)
            .field("label", &self.label)
            .field("content", &content)
            .finish()
    }
}
