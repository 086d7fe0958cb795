use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", default_settings(animals = ["cat"]))]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
