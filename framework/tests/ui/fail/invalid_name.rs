use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "Animal-Sounds")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
