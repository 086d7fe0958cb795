use netbox_framework::receiver;

#[receiver(post_save)]
struct NotAFunction;

fn main() {}
