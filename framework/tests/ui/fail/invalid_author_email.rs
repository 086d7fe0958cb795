use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", author_email = "jane at example.com")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
