use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", required_settings = ["zoo", "keeper", "zoo"])]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
