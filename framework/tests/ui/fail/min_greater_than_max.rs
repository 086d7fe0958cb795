use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", min_version = "2.0.0", max_version = "1.9.99")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
