use netbox_framework::{netbox_plugin, Plugin};

#[netbox_plugin(name = "zoo", release_track = "Beta 2")]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
