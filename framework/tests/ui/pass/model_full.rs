use netbox_framework::dcim::Device;
use netbox_framework::models::{Choices, FieldKind, ForeignKey, Model, OnDelete};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Choices)]
pub enum Diet {
    #[choice(value = "herb", label = "Herbivore", color = "green")]
    Herbivore,
    #[choice(color = "red")]
    MeatEater,
}

/// Every attribute the derive takes.
#[derive(Debug, Model)]
#[model(
    app = "zoo",
    name = "beast",
    verbose_name = "Wild Beast",
    verbose_name_plural = "Wild Beasts",
    table = "zoo_beasts",
    url = "beasts",
    display = "title",
    ordering = ["-legs", "keeper"],
    search = ["title", "notes"],
    unique_together = [["keeper", "title"]]
)]
pub struct Beast {
    #[field(max_length = 50, unique, label = "Title", help = "What visitors read")]
    pub title: String,
    #[field(slug)]
    pub slug: Option<String>,
    #[field(long)]
    pub notes: Option<String>,
    #[field(min = 0, max = 8, default = 4)]
    pub legs: u8,
    #[field(min = -100)]
    pub depth: Option<i32>,
    #[field(default = "herb")]
    pub diet: Diet,
    #[field(on_delete = "cascade")]
    pub keeper: ForeignKey<Device>,
    #[field(on_delete = "set_null")]
    pub backup: Option<ForeignKey<Device>>,
    #[field(max_digits = 7, decimal_places = 2, default = "12.50")]
    pub weight: netbox_framework::rust_decimal::Decimal,
    pub born: Option<netbox_framework::time::Date>,
    pub seen: Option<netbox_framework::time::OffsetDateTime>,
    pub watchers: netbox_framework::models::ManyToMany<Device>,
    #[field(max_digits = 4, decimal_places = 1, default = -2.5)]
    pub depth_m: netbox_framework::rust_decimal::Decimal,
    /// A raw identifier names the field without `r#`.
    #[field(max_length = 10)]
    pub r#type: Option<String>,
}

fn main() {
    let schema = Beast::SCHEMA;
    assert_eq!(Beast::KEY, "zoo.beast");
    assert_eq!((schema.table, schema.url_segment, schema.display_field), ("zoo_beasts", "beasts", "title"));
    assert_eq!(schema.ordering, "\"legs\" DESC, \"keeper_id\"");
    assert_eq!(schema.unique_together, &[&["keeper", "title"][..]]);
    let field = |name| schema.field(name).expect("declared");
    assert!(field("title").required && field("title").unique);
    assert_eq!(field("title").help, "What visitors read");
    assert_eq!(field("slug").kind, FieldKind::Slug);
    assert!(!field("notes").required);
    assert_eq!(field("legs").kind, FieldKind::Integer { min: 0, max: 8 });
    assert_eq!(field("legs").default, Some("4"));
    assert_eq!(field("depth").kind, FieldKind::Integer { min: -100, max: i32::MAX as i64 });
    assert_eq!(field("diet").kind, FieldKind::Choice(&[("herb", "Herbivore"), ("meat_eater", "Meat Eater")]));
    assert_eq!(Diet::COLORS, &["green", "red"]);
    assert_eq!(field("diet").colors, &["green", "red"]);
    assert!(field("legs").colors.is_empty());
    assert_eq!(field("keeper").on_delete, OnDelete::Cascade);
    assert_eq!(field("keeper").kind, FieldKind::ForeignKey { model: "dcim.device" });
    assert_eq!(field("backup").on_delete, OnDelete::SetNull);
    assert!(!field("backup").required);
    assert_eq!(field("weight").kind, FieldKind::Decimal { max_digits: 7, decimal_places: 2 });
    assert!(field("weight").required);
    assert_eq!((field("born").kind, field("seen").kind), (FieldKind::Date, FieldKind::DateTime));
    assert_eq!(field("watchers").kind, FieldKind::ManyToMany { model: "dcim.device" });
    assert!(!field("watchers").required && !field("watchers").is_column());
    assert_eq!(field("depth_m").default, Some("-2.5"));
    assert_eq!(field("type").kind, FieldKind::Text { max_length: 10 });
    assert_eq!(Beast::TYPE.name(), "type");

    let beast = Beast {
        title: "Rex".into(),
        slug: None,
        notes: Some("loud".into()),
        legs: 4,
        depth: None,
        diet: Diet::MeatEater,
        keeper: ForeignKey::new(3),
        backup: None,
        weight: "12.5".parse().expect("a decimal"),
        born: Some(netbox_framework::time::Date::from_calendar_date(2020, netbox_framework::time::Month::May, 31).expect("a date")),
        seen: Some(netbox_framework::time::OffsetDateTime::UNIX_EPOCH),
        watchers: netbox_framework::models::ManyToMany::new([9, 2]),
        depth_m: "-2.5".parse().expect("a decimal"),
        r#type: Some("big".into()),
    };
    let values = beast.to_values();
    assert_eq!(values["slug"], "");
    assert_eq!(values["depth"], netbox_framework::json::Value::Null);
    assert_eq!(values["diet"], "meat_eater");
    assert_eq!(values["weight"], 12.5);
    assert_eq!(values["born"], "2020-05-31");
    assert_eq!(values["seen"], "1970-01-01T00:00:00Z");
    assert_eq!(values["watchers"], netbox_framework::json::json!([2, 9]));
    assert_eq!(values["type"], "big");
    let back = Beast::from_values(&values).expect("round trip");
    assert_eq!((back.title.as_str(), back.keeper.id(), back.diet), ("Rex", 3, Diet::MeatEater));
    assert_eq!((back.weight, back.born, back.seen), (beast.weight, beast.born, beast.seen));
    assert_eq!(back.watchers.ids(), [2, 9]);
    let mut wrong = values.clone();
    wrong.insert("legs".into(), 300.into());
    assert_eq!(Beast::from_values(&wrong).unwrap_err().field, "legs");
}
