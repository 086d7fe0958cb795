//! The routes a plugin contributes: pages under `/plugins/<base_url>/` and REST endpoints under
//! `/api/plugins/<base_url>/`.
//!
//! Every route has a name, so links are built by name rather than by hard-coded path:
//! the host registers it as `<plugin name>:<route name>` (pages) or
//! `<plugin name>-api:<route name>` (API), and [`reverse`] turns that back into a path.
//! Routes are recorded, so the host can list them on the plugin's detail page.
//!
//! Every route needs a signed-in user unless it declares otherwise: `.permission("...")`
//! (after adding the route) requires a permission, `.superuser()` a superuser, `.public()`
//! nobody. Refused requests never reach the handler.
//!
//! ```
//! use netbox_framework::routes::Routes;
//!
//! async fn index() -> &'static str { "All animals" }
//! async fn create() -> &'static str { "Created" }
//!
//! let mut routes = Routes::new();
//! routes
//!     .get("/", "index", index)
//!     .post("/", "create", create)
//!     .permission("animal_sounds.add_animal");
//! let listed: Vec<String> = routes.entries().map(|e| format!("{} {} ({})", e.method, e.path, e.access)).collect();
//! assert_eq!(listed, ["GET / (signed-in users)", "POST / (permission animal_sounds.add_animal)"]);
//! ```

use crate::auth::{Access, CurrentUser};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, Handler, HttpMessage, HttpRequest, Responder, Route, web};
use std::sync::Arc;

/// One recorded route.
pub struct RouteEntry {
    /// HTTP method.
    pub method: Method,
    /// Path relative to the plugin's mount point, starting with `/`.
    pub path: String,
    /// Route name (without the plugin prefix).
    pub name: String,
    /// Who may use it.
    pub access: Access,
    route: Route,
}

impl std::fmt::Debug for RouteEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteEntry")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("name", &self.name)
            .field("access", &self.access)
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
            access: Access::default(),
            route,
        });
        self
    }

    fn last_access(&mut self, change: impl FnOnce(&mut Access)) -> &mut Self {
        match self.entries.last_mut() {
            Some(entry) => change(&mut entry.access),
            None => panic!(
                "`permission`, `superuser` and `public` apply to the route added last: add a route first"
            ),
        }
        self
    }

    /// The route added last requires `codename` (e.g. `"animal_sounds.add_animal"`), in
    /// addition to any permission it already requires.
    ///
    /// ```
    /// use netbox_framework::auth::Access;
    /// use netbox_framework::routes::Routes;
    ///
    /// let mut routes = Routes::new();
    /// routes.post("/feed/", "feed", || async { "fed" }).permission("zoo.feed_animal");
    /// let access = &routes.entries().next().unwrap().access;
    /// assert_eq!(access, &Access::Permissions(vec!["zoo.feed_animal".into()]));
    /// ```
    ///
    /// # Panics
    /// When no route was added yet (the host reports it as the plugin's error).
    pub fn permission(&mut self, codename: &str) -> &mut Self {
        self.last_access(|access| match access {
            Access::Permissions(codenames) => codenames.push(codename.to_string()),
            other => *other = Access::Permissions(vec![codename.to_string()]),
        })
    }

    /// The route added last is for superusers only.
    ///
    /// ```
    /// # use netbox_framework::routes::Routes;
    /// let mut routes = Routes::new();
    /// routes.get("/settings/", "settings", || async { "secret" }).superuser();
    /// ```
    ///
    /// # Panics
    /// When no route was added yet.
    pub fn superuser(&mut self) -> &mut Self {
        self.last_access(|access| *access = Access::Superuser)
    }

    /// The route added last is open to anyone, even when the operator requires sign-in.
    ///
    /// ```
    /// # use netbox_framework::routes::Routes;
    /// let mut routes = Routes::new();
    /// routes.post("/webhook/", "webhook", || async { "ok" }).public();
    /// ```
    ///
    /// # Panics
    /// When no route was added yet.
    pub fn public(&mut self) -> &mut Self {
        self.last_access(|access| *access = Access::Public)
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
        for mut entry in self.entries {
            entry.route = guarded(entry.route, entry.access.clone());
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

/// `route` behind a check of `access`: refused requests get the [`Denied`](crate::auth::Denied)
/// error and never reach the handler. Used by the host for its own routes too.
#[doc(hidden)]
pub fn guarded(route: Route, access: Access) -> Route {
    if access == Access::Public {
        return route;
    }
    let access = Arc::new(access);
    route.wrap(from_fn(
        move |request: ServiceRequest, next: Next<actix_web::body::BoxBody>| {
            let access = access.clone();
            async move {
                let user = request
                    .extensions()
                    .get::<CurrentUser>()
                    .cloned()
                    .unwrap_or_else(CurrentUser::anonymous);
                user.may(&access)?;
                next.call(request)
                    .await
                    .map(ServiceResponse::map_into_boxed_body)
            }
        },
    ))
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
