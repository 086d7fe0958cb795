use netbox_framework::receiver;
use netbox_framework::signals::{Abort, Event};

#[receiver(pre_saved, model = "dcim.site")]
fn f(_: &Event<'_>) -> Result<(), Abort> {
    Ok(())
}

fn main() {}
