//! The host's own routes, grouped by path: every route of one path goes into one actix
//! resource, so that a wrong method on a known path is 405 with `Allow` (actix answers 404
//! when each route is a resource of its own).

use actix_web::{Resource, Route, web};

/// Routes by path, in order of first registration.
#[derive(Default)]
pub struct HostRoutes {
    resources: Vec<(String, Resource)>,
}

impl HostRoutes {
    /// Adds `route` to the resource of `path`.
    pub fn route(&mut self, path: &str, route: Route) -> &mut Self {
        match self.resources.iter().position(|(known, _)| known == path) {
            Some(index) => {
                let (known, resource) = self.resources.remove(index);
                self.resources.insert(index, (known, resource.route(route)));
            }
            None => self
                .resources
                .push((path.to_string(), web::resource(path).route(route))),
        }
        self
    }

    /// The resources, in order.
    pub fn into_resources(self) -> impl Iterator<Item = Resource> {
        self.resources.into_iter().map(|(_, resource)| resource)
    }
}
