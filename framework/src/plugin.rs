//! The [`Plugin`] trait: everything a plugin contributes to the host.

use crate::context::PluginContext;
use crate::data::{BoxFuture, Data};
use crate::extensions::TemplateExtension;
use crate::jobs::Job;
use crate::menu::{Menu, MenuItem};
use crate::middleware::Middleware;
use crate::migrations::Migration;
use crate::models::ModelSchema;
use crate::preferences::UserPreference;
use crate::routes::Routes;
use crate::search::SearchIndex;
use crate::static_files::StaticFile;
use crate::views::ModelView;

/// A plugin's contract with the host.
///
/// Every method has a default that contributes nothing, so a plugin overrides only what it
/// uses, and new capabilities arrive as new default methods without breaking existing
/// plugins. The host calls these methods only for plugins the operator enabled, in the
/// operator's order.
///
/// Metadata (name, version, base URL, settings) is not part of the trait: it comes from the
/// [`netbox_plugin`](crate::netbox_plugin) attribute on the same struct.
///
/// ```
/// use netbox_framework::menu::MenuItem;
/// use netbox_framework::routes::Routes;
/// use netbox_framework::{netbox_plugin, Plugin};
///
/// #[netbox_plugin(name = "hello")]
/// pub struct Hello;
///
/// impl Plugin for Hello {
///     fn routes(&self, routes: &mut Routes) {
///         routes.get("/", "index", || async { "Hello!" });
///     }
///
///     fn menu_items(&self) -> Vec<MenuItem> {
///         vec![MenuItem::new("", "Say hello")]
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared with #[netbox_plugin] but does not implement `netbox_framework::Plugin`",
    label = "this plugin struct has no `impl Plugin`",
    note = "add `impl netbox_framework::Plugin for {Self} {{}}` and override the methods for what the plugin contributes"
)]
pub trait Plugin: Send + Sync + 'static {
    /// Pages, mounted under `/plugins/<base_url>/`, named `<plugin name>:<route name>`.
    fn routes(&self, routes: &mut Routes) {
        let _ = routes;
    }

    /// REST API endpoints, mounted under `/api/plugins/<base_url>/`, named
    /// `<plugin name>-api:<route name>`.
    fn api_routes(&self, routes: &mut Routes) {
        let _ = routes;
    }

    /// Static files served at `/static/<plugin name>/<path>`.
    fn static_files(&self) -> Vec<StaticFile> {
        Vec::new()
    }

    /// A top-level navigation menu of the plugin's own (NetBox's `PluginMenu`).
    fn menu(&self) -> Option<Menu> {
        None
    }

    /// Every top-level menu of the plugin, placed by each menu's weight. The default is
    /// [`menu`](Self::menu) alone; override this instead when the plugin has several (as the
    /// host's own core does).
    ///
    /// ```
    /// use netbox_framework::menu::{Menu, MenuGroup, MenuItem};
    /// use netbox_framework::Plugin;
    ///
    /// struct Inventory;
    /// impl Plugin for Inventory {
    ///     fn menus(&self) -> Vec<Menu> {
    ///         let one = |label: &str| Menu::new(label, vec![MenuGroup::new("All", vec![MenuItem::new("", label)])]);
    ///         vec![one("Racks"), one("Cables")]
    ///     }
    /// }
    /// assert_eq!(Inventory.menus().len(), 2);
    /// ```
    fn menus(&self) -> Vec<Menu> {
        self.menu().into_iter().collect()
    }

    /// Entries for the shared "Plugins" menu, grouped under the plugin's verbose name
    /// (NetBox's `menu_items`).
    fn menu_items(&self) -> Vec<MenuItem> {
        Vec::new()
    }

    /// Content injected into host pages (NetBox's `PluginTemplateExtension`).
    fn template_extensions(&self) -> Vec<Box<dyn TemplateExtension>> {
        Vec::new()
    }

    /// Actions beyond `view`, `add`, `change` and `delete` that permissions may grant on this
    /// plugin's models, as `(model key, action)`; a handler checks one with
    /// `user.has_perm("<app>.<action>_<model>")`. Actions are lowercase words (`a-z`, `_`).
    ///
    /// ```
    /// use netbox_framework::Plugin;
    ///
    /// struct Firewalls;
    /// impl Plugin for Firewalls {
    ///     fn custom_actions(&self) -> Vec<(&'static str, &'static str)> {
    ///         vec![("firewalls.ruleset", "deploy")] // grants `firewalls.deploy_ruleset`
    ///     }
    /// }
    /// assert_eq!(Firewalls.custom_actions().len(), 1);
    /// ```
    fn custom_actions(&self) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// Columns added to other models' object tables, core ones included (NetBox's
    /// `register_table_column`); see [`TableColumn`](crate::tables::TableColumn).
    fn table_columns(&self) -> Vec<crate::tables::TableColumn> {
        Vec::new()
    }

    /// Views added under core objects' URLs, shown as tabs (NetBox's `register_model_view`).
    fn model_views(&self) -> Vec<ModelView> {
        Vec::new()
    }

    /// Middleware wrapping every request, run after the host's own, in plugin order.
    fn middleware(&self) -> Vec<Middleware> {
        Vec::new()
    }

    /// Database migrations of the plugin's own tables, applied in this order.
    fn migrations(&self) -> Vec<Migration> {
        Vec::new()
    }

    /// Models of the plugin: the host serves their list, detail and edit pages under
    /// `/plugins/<base_url>/<url_segment>/` and their REST API under
    /// `/api/plugins/<base_url>/<url_segment>/`. Their tables come from
    /// [`migrations`](Self::migrations).
    fn models(&self) -> Vec<&'static ModelSchema> {
        Vec::new()
    }

    /// Models of the plugin that the global search indexes.
    fn search_indexes(&self) -> Vec<SearchIndex> {
        Vec::new()
    }

    /// Background jobs, including ones scheduled at startup.
    fn jobs(&self) -> Vec<Job> {
        Vec::new()
    }

    /// Preferences each user can set for this plugin.
    fn user_preferences(&self) -> Vec<UserPreference> {
        Vec::new()
    }

    /// Called once the server's database is connected and migrated, before it accepts
    /// requests, with the plugin's context and a [`Data`] acting as the system (every
    /// permission; writes are recorded as `system:<plugin>`): check or seed the plugin's
    /// objects. An error (or a panic) stops
    /// the startup with a message naming the plugin. Plugins' `started` run in configuration
    /// order, after every plugin's [`ready`](Self::ready).
    ///
    /// ```
    /// use netbox_framework::data::{BoxFuture, Data};
    /// use netbox_framework::dcim::Site;
    /// use netbox_framework::models::Model;
    /// use netbox_framework::{netbox_plugin, Plugin, PluginContext};
    ///
    /// #[netbox_plugin(name = "site_census")]
    /// pub struct SiteCensus;
    ///
    /// impl Plugin for SiteCensus {
    ///     fn started<'a>(
    ///         &'a self,
    ///         context: &'a PluginContext,
    ///         data: &'a Data,
    ///     ) -> BoxFuture<'a, Result<(), String>> {
    ///         Box::pin(async move {
    ///             let sites = Site::objects().count(data).await.map_err(|e| e.to_string())?;
    ///             println!("{}: {sites} sites", context.name());
    ///             Ok(())
    ///         })
    ///     }
    /// }
    /// ```
    fn started<'a>(
        &'a self,
        context: &'a PluginContext,
        data: &'a Data,
    ) -> BoxFuture<'a, Result<(), String>> {
        let _ = (context, data);
        Box::pin(std::future::ready(Ok(())))
    }

    /// Called once at startup, after every enabled plugin's settings were validated and
    /// before the server accepts requests. An error stops the startup and is reported with
    /// the plugin's name.
    fn ready(&self, context: &PluginContext) -> Result<(), String> {
        let _ = context;
        Ok(())
    }
}
