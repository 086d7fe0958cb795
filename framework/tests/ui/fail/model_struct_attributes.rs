use netbox_framework::models::Model;

#[derive(Model)]
#[model(app = "zoo", ordring = ["name"])]
pub struct Misspelt {
    #[field(max_length = 10)]
    pub name: String,
}

#[derive(Model)]
#[model(app = "zoo", app = "zoo")]
pub struct Twice {
    #[field(max_length = 10)]
    pub name: String,
}

#[derive(Model)]
#[model(app = 1)]
pub struct NotAString {
    #[field(max_length = 10)]
    pub name: String,
}

#[derive(Model)]
#[model(app = "zoo", ordering = "name")]
pub struct NotAList {
    #[field(max_length = 10)]
    pub name: String,
}

#[derive(Model)]
#[model(app = "zoo", unique_together = ["name"])]
pub struct NotAListOfLists {
    #[field(max_length = 10)]
    pub name: String,
}

fn main() {}
