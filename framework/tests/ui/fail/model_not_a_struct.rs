use netbox_framework::models::Model;

#[derive(Model)]
pub enum Animal {
    Cat,
}

#[derive(Model)]
pub struct Pair(String, String);

fn main() {}
