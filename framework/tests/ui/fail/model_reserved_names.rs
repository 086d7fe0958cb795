use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    pub id: i64,
    #[field(max_length = 10)]
    pub created: String,
    #[field(max_length = 10)]
    pub display: String,
}

fn main() {}
