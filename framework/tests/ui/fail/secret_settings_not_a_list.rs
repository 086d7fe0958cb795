use netbox_framework::{Plugin, netbox_plugin};

#[netbox_plugin(name = "snmp_poller", secret_settings = "community")]
pub struct SnmpPoller;

impl Plugin for SnmpPoller {}

fn main() {}
