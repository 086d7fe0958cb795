use netbox_framework::netbox_plugin;

#[netbox_plugin(name = "zoo")]
pub struct Zoo(u32);

fn main() {}
