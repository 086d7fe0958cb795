use netbox_framework::receiver;
use netbox_framework::signals::{Abort, Event};

#[receiver(post_save, model = "Site")]
fn f(_: &Event<'_>) -> Result<(), Abort> {
    Ok(())
}

fn main() {}
