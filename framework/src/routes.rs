//! The routes a plugin contributes: pages under `/plugins/<base_url>/` and REST endpoints under
//! `/api/plugins/<base_url>/`.
//!
//! Every route has a name, so links are built by name rather than by hard-coded path:
//! the host registers it as `<plugin name>:<route name>` (pages) or
//! `<plugin name>-api:<route name>` (API), and [`reverse`] turns that back into a path.
//! Routes are recorded, so the host can list them on the plugin's detail page.
//!
//! ```
//! use netbox_framework::routes::Routes;
//!
//! async fn index() -> &'static str { "All animals" }
//! async fn create() -> &'static str { "Created" }
//!
//! let mut routes = Routes::new();
//! routes.get("/", "index", index).post("/", "create", create);
//! let listed: Vec<String> = routes.entries().map(|e| format!("{} {}", e.method, e.path)).collect();
//! assert_eq!(listed, ["GET /", "POST /"]);
//! ```

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpRequest, Responder, Route, web};

/// One recorded route.
pub struct RouteEntry {
    /// HTTP method.
    pub method: Method,
    /// Path relative to the plugin's mount point, starting with `/`.
    pub path: String,
    /// Route name (without the plugin prefix).
    pub name: String,
    route: Route,
}

impl std::fmt::Debug for RouteEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteEntry")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The routes of one plugin, filled by [`Plugin::routes`](crate::Plugin::routes) or
/// [`Plugin::api_routes`](crate::Plugin::api_routes).
#[derive(Debug, Default)]
pub struct Routes {
    entries: Vec<RouteEntry>,
}

macro_rules! method_helpers {
    ($($(#[$doc:meta])* $name:ident => $method:ident),*) => {$(
        $(#[$doc])*
        pub fn $name<F, Args>(&mut self, path: &str, name: &str, handler: F) -> &mut Self
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            self.route(Method::$method, path, name, web::method(Method::$method).to(handler))
        }
    )*};
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Self {
        Routes::default()
    }

    method_helpers! {
        /// Adds a `GET` route.
        get => GET,
        /// Adds a `POST` route.
        post => POST,
        /// Adds a `PUT` route.
        put => PUT,
        /// Adds a `PATCH` route.
        patch => PATCH,
        /// Adds a `DELETE` route.
        delete => DELETE
    }

    /// Adds a route built by hand (`route` must match `method`).
    pub fn route(&mut self, method: Method, path: &str, name: &str, route: Route) -> &mut Self {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        self.entries.push(RouteEntry {
            method,
            path,
            name: name.to_string(),
            route,
        });
        self
    }

    /// The recorded routes, in the order they were added.
    pub fn entries(&self) -> impl Iterator<Item = &RouteEntry> {
        self.entries.iter()
    }

    /// True when no route was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Turns the routes into actix resources named `<prefix>:<name>`; routes that share a path
    /// share one resource (named after its first route). Used by the host.
    #[doc(hidden)]
    pub fn into_resources(self, prefix: &str) -> Vec<actix_web::Resource> {
        let mut resources: Vec<(String, actix_web::Resource)> = Vec::new();
        for entry in self.entries {
            match resources.iter().position(|(path, _)| *path == entry.path) {
                Some(index) => {
                    let (path, resource) = resources.remove(index);
                    resources.insert(index, (path, resource.route(entry.route)));
                }
                None => {
                    let resource = web::resource(entry.path.as_str())
                        .name(&format!("{prefix}:{}", entry.name))
                        .route(entry.route);
                    resources.push((entry.path, resource));
                }
            }
        }
        resources
            .into_iter()
            .map(|(_, resource)| resource)
            .collect()
    }
}

/// Every named route's full path pattern (e.g. `animal_sounds:random` →
/// `/plugins/animal-sounds/`), which the host builds once at startup and registers as
/// `web::Data<RouteTable>`, so that [`reverse`] costs a map lookup.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    patterns: std::collections::HashMap<String, String>,
}

impl RouteTable {
    /// Records a route's full path pattern under its full name.
    pub fn insert(&mut self, name: String, pattern: String) {
        self.patterns.insert(name, pattern);
    }

    /// The path of `name` with each `{parameter}` segment replaced by the next element, in
    /// order. `None` for an unknown name or when the elements do not fit the parameters.
    ///
    /// ```
    /// let mut table = netbox_framework::routes::RouteTable::default();
    /// table.insert("zoo:cage".into(), "/plugins/zoo/cages/{id}/".into());
    /// assert_eq!(table.path("zoo:cage", &["7"]).as_deref(), Some("/plugins/zoo/cages/7/"));
    /// assert_eq!(table.path("zoo:cage", &[]), None);
    /// ```
    pub fn path(&self, name: &str, elements: &[&str]) -> Option<String> {
        let pattern = self.patterns.get(name)?;
        let mut path = String::with_capacity(pattern.len());
        let mut elements = elements.iter();
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            path.push_str(&rest[..open]);
            path.push_str(elements.next()?);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        elements.next().is_none().then_some(path)
    }
}

/// The path of a named route, e.g. `reverse(&request, "animal_sounds:random", &[])` →
/// `/plugins/animal-sounds/`. `None` when no route has that name or the elements do not fit.
pub fn reverse(request: &HttpRequest, name: &str, elements: &[&str]) -> Option<String> {
    match request.app_data::<web::Data<RouteTable>>() {
        Some(table) => table.path(name, elements),
        None => request
            .url_for(name, elements)
            .ok()
            .map(|url| url.path().to_string()),
    }
}
