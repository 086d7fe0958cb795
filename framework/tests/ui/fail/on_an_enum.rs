use netbox_framework::netbox_plugin;

#[netbox_plugin(name = "zoo")]
pub enum Zoo {
    Open,
}

fn main() {}
