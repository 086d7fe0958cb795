use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "Zoo", name = "big cat", table = "zoo-cat", url = "Big Cats")]
pub struct BigCat {
    #[field(max_length = 10)]
    pub name: String,
}

#[derive(Model)]
#[model(app = "zoo")]
pub struct Empty {}

#[derive(Model)]
#[model(app = "zoo")]
pub struct Generic<T> {
    #[field(max_length = 10)]
    pub name: String,
    pub other: T,
}

fn main() {}
