use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", colour = "red")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
