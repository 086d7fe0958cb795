// Both errors are reported in one build.
use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", min_version = "one", max_version = "4.2")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
