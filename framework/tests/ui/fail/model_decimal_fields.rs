use netbox_framework::models::Model;
use netbox_framework::rust_decimal::Decimal;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    pub weight: Decimal,
    #[field(max_digits = 20, decimal_places = 2)]
    pub height: Decimal,
    #[field(max_digits = 4, decimal_places = 6)]
    pub speed: Option<Decimal>,
    #[field(max_length = 10, max_digits = 4)]
    pub name: String,
    #[field(decimal_places = 2)]
    pub legs: u8,
}

fn main() {}
