//! Search indexes: which of a plugin's models and fields the global search covers (NetBox's
//! `SearchIndex`).
//!
//! ```
//! use netbox_framework::search::SearchIndex;
//!
//! let index = SearchIndex::new("access_lists.accesslist", "Access lists")
//!     .field("name", 100)
//!     .field("comments", 5000)
//!     .display("device");
//! assert_eq!(index.fields[0], ("name".to_string(), 100));
//! ```

/// One model's entry in the global search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchIndex {
    /// The model, e.g. `"access_lists.accesslist"`.
    pub model: String,
    /// Heading of the model's results.
    pub category: String,
    /// Fields searched, with a weight: a lower weight ranks a match higher.
    pub fields: Vec<(String, u16)>,
    /// Attributes shown beside each result.
    pub display_attrs: Vec<String>,
}

impl SearchIndex {
    /// An index of no fields yet.
    pub fn new(model: impl Into<String>, category: impl Into<String>) -> Self {
        SearchIndex {
            model: model.into(),
            category: category.into(),
            fields: Vec::new(),
            display_attrs: Vec::new(),
        }
    }

    /// Adds a searched field with its weight.
    pub fn field(mut self, name: impl Into<String>, weight: u16) -> Self {
        self.fields.push((name.into(), weight));
        self
    }

    /// Adds an attribute shown with each result.
    pub fn display(mut self, attribute: impl Into<String>) -> Self {
        self.display_attrs.push(attribute.into());
        self
    }
}
