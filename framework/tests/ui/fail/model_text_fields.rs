use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    pub no_length: String,
    #[field(max_length = 10, long)]
    pub two_kinds: Option<String>,
    #[field(max_length = 10, min = 1)]
    pub bounded_text: String,
    #[field(max_length = 10)]
    pub legs: u8,
    #[field(slug)]
    pub count: i64,
}

fn main() {}
