use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo")]
pub struct Animal {
    #[field(max_lenght = 10)]
    pub misspelt: String,
    #[field(max_length = "10")]
    pub quoted: String,
    #[field(long = true)]
    pub flag_with_value: String,
    #[field(max_length = 10, max_length = 20)]
    pub twice: String,
    #[field(max_length = 0)]
    pub empty: String,
    #[field(max_length = 10, default = some_constant)]
    pub not_a_literal: String,
}

fn main() {}
