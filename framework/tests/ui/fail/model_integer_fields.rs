use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    #[field(min = 10, max = 1)]
    pub legs: u8,
    #[field(min = -5, max = -10)]
    pub depth: i32,
}

fn main() {}
