use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo")]
pub struct Zoo {
    animals: Vec<String>,
}

impl Plugin for Zoo {}

fn main() {}
