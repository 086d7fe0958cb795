//! The core's extras: tags, custom fields and custom-field choice sets (typed in
//! [`netbox_framework::extras`]), their menu and their tables (the tables that attach tags
//! and custom-field values to objects of any model are in `migrations.rs`).

use netbox_framework::extras::{CustomField, CustomFieldChoiceSet, Tag};
use netbox_framework::menu::{ButtonColor, Menu, MenuButton, MenuGroup, MenuItem};
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
use netbox_framework::models::{Model, ModelSchema, OnDelete};

/// A tag.
pub static TAG: &ModelSchema = Tag::SCHEMA;

/// A custom field's definition.
pub static CUSTOM_FIELD: &ModelSchema = CustomField::SCHEMA;

/// A choice set of select custom fields.
pub static CHOICE_SET: &ModelSchema = CustomFieldChoiceSet::SCHEMA;

/// The "Customization" menu.
pub fn menus() -> Vec<Menu> {
    let item = |link: &'static str, text: &'static str| {
        MenuItem::new(link, text).button(
            MenuButton::new(format!("{link}add/"), "Add", "mdi-plus").color(ButtonColor::Green),
        )
    };
    vec![Menu::new(
        "Customization",
        vec![
            MenuGroup::new(
                "Customization",
                vec![
                    item("/extras/custom-fields/", "Custom Fields"),
                    item(
                        "/extras/custom-field-choice-sets/",
                        "Custom Field Choice Sets",
                    ),
                ],
            ),
            MenuGroup::new("Tags", vec![item("/extras/tags/", "Tags")]),
        ],
    )]
}

/// The extras' tables.
pub const MIGRATION: Migration = Migration::operations(
    "0006_extras",
    &[
        Operation::CreateTable {
            table: "extras_tag",
            columns: &[
                Column::new("name", ColumnType::Text).unique(),
                Column::new("slug", ColumnType::Text).unique(),
                Column::new("color", ColumnType::Text).default("9e9e9e"),
                Column::new("description", ColumnType::Text).default(""),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns {
            table: "extras_tag",
        },
        Operation::CreateTable {
            table: "extras_customfieldchoiceset",
            columns: &[
                Column::new("name", ColumnType::Text).unique(),
                Column::new("description", ColumnType::Text).default(""),
                Column::new("extra_choices", ColumnType::Text),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns {
            table: "extras_customfieldchoiceset",
        },
        Operation::CreateTable {
            table: "extras_customfield",
            columns: &[
                Column::new("type", ColumnType::Text).default("text"),
                Column::new("object_types", ColumnType::Text),
                Column::new("name", ColumnType::Text).unique(),
                Column::new("label", ColumnType::Text).default(""),
                Column::new("description", ColumnType::Text).default(""),
                Column::new("required", ColumnType::Boolean).default("false"),
                Column::new("search_weight", ColumnType::Integer).default("1000"),
                Column::new("weight", ColumnType::Integer).default("100"),
                Column::new("default", ColumnType::Text).null(),
                Column::new("related_object_type", ColumnType::Text).default(""),
                Column::new("validation_minimum", ColumnType::Decimal(15, 4)).null(),
                Column::new("validation_maximum", ColumnType::Decimal(15, 4)).null(),
                Column::new("validation_regex", ColumnType::Text).default(""),
                Column::new("choice_set_id", ColumnType::Integer)
                    .null()
                    .references("extras_customfieldchoiceset", OnDelete::Protect),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns {
            table: "extras_customfield",
        },
    ],
);
