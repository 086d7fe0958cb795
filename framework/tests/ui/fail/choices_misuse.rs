use netbox_framework::models::Choices;

#[derive(Clone, Copy, Choices)]
pub struct NotAnEnum;

#[derive(Clone, Copy, Choices)]
pub enum Empty {}

#[derive(Clone, Copy, Choices)]
pub enum Action {
    Permit(u8),
    #[choice(value = "deny", colour = "red")]
    Deny,
    #[choice(value = "deny")]
    Drop,
    #[choice(color = "crimson")]
    Reject,
}

#[derive(Clone, Copy, Choices)]
pub enum Partly {
    #[choice(color = "red")]
    Red,
    Plain,
}

fn main() {}
