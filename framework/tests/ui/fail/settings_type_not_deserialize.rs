use netbox_framework::{netbox_plugin, Plugin};

pub struct NotSerde {
    pub loud: bool,
}

#[netbox_plugin(name = "zoo", settings = NotSerde)]
pub struct Zoo;

impl Plugin for Zoo {}

fn main() {}
