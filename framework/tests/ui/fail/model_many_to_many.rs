use netbox_framework::dcim::Device;
use netbox_framework::models::{ManyToMany, Model};

#[derive(Model)]
#[model(app = "zoo", display = "cameras", ordering = ["-cameras"], search = ["cameras"], unique_together = [["name", "cameras"]])]
pub struct Cage {
    #[field(max_length = 20)]
    pub name: String,
    #[field(unique, index)]
    pub cameras: ManyToMany<Device>,
    #[field(default = "[]")]
    pub spares: Option<ManyToMany<Device>>,
}

fn main() {}
