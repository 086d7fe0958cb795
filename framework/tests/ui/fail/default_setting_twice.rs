use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", default_settings(loud = false, loud = true))]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
