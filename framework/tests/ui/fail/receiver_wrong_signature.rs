use netbox_framework::receiver;

#[receiver(post_save, model = "dcim.device")]
fn f(name: &str) -> bool {
    name.is_empty()
}

fn main() {}
