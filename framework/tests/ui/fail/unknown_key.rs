use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", verbos_name = "Zoo")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
