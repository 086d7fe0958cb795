use netbox_framework::receiver;
use netbox_framework::signals::{Abort, Event};

#[receiver(post_save)]
async fn f(_: &Event<'_>) -> Result<(), Abort> {
    Ok(())
}

fn main() {}
