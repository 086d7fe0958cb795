use netbox_framework::models::Model;

#[derive(Model)]
#[model(
    app = "zoo",
    display = "title",
    ordering = ["-age"],
    search = ["nam", "legs"],
    unique_together = [["name", "cage"]]
)]
pub struct Animal {
    #[field(max_length = 10)]
    pub name: String,
    pub legs: u8,
}

fn main() {}
