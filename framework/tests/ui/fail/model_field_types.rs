use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    #[field(max_length = 10)]
    pub name: String,
    pub weight: f64,
}

#[derive(Model)]
#[model(app = "zoo")]
pub struct Bird {
    #[field(max_length = 10)]
    pub name: String,
    #[field(max = 1000)]
    pub wings: u8,
}

fn main() {}
