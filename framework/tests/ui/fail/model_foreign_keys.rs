use netbox_framework::dcim::Site;
use netbox_framework::models::{ForeignKey, Model};

#[derive(Model)]
#[model(app = "zoo")]
pub struct Cage {
    #[field(on_delete = "destroy")]
    pub site: ForeignKey<Site>,
    #[field(on_delete = "set_null")]
    pub required_site: ForeignKey<Site>,
    #[field(max_length = 10, on_delete = "cascade")]
    pub name: String,
    #[field(default = 1)]
    pub defaulted: ForeignKey<Site>,
}

fn main() {}
