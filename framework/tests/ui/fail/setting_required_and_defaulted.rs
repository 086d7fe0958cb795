use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", required_settings = ["loud"], default_settings(loud = false))]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
