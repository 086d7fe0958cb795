use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", version = "1.0")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
