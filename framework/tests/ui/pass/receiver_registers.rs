use netbox_framework::receiver;
use netbox_framework::signals::{Abort, Event, Signal, all_receivers};

#[receiver(pre_delete, model = "dcim.device")]
fn keep(_: &Event<'_>) -> Result<(), Abort> {
    Err(Abort::new("kept"))
}

#[receiver(custom = "zoo.fed", plugin = "zoo")]
fn fed(_: &Event<'_>) -> Result<(), Abort> {
    Ok(())
}

fn main() {
    let mut receivers = all_receivers();
    receivers.sort_by_key(|r| r.name);
    assert_eq!(receivers.len(), 2);
    let fed = receivers.iter().find(|r| r.name.ends_with("::fed")).expect("fed registered");
    assert_eq!((fed.signal, fed.model, fed.plugin), (Signal::Custom("zoo.fed"), None, Some("zoo")));
    let keep = receivers.iter().find(|r| r.name.ends_with("::keep")).expect("keep registered");
    assert_eq!((keep.signal, keep.model), (Signal::PreDelete, Some("dcim.device")));
    assert_eq!(keep.package, env!("CARGO_PKG_NAME"));
}
