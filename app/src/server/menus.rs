//! The menu bar each user sees, rendered once per distinct set of relevant permissions (not
//! per request, not per user): users holding the same permissions among those the menus
//! mention share one rendering.

use super::navigation::{Navigation, NavigationHtml, Viewer};
use crate::engine::ModelRegistry;
use crate::plugins::Contributions;
use netbox_framework::auth::{Access, CurrentUser};
use netbox_framework::menu::{MenuItem, Visibility};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// What decides a user's menu bar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    authenticated: bool,
    staff: bool,
    superuser: bool,
    held: Vec<bool>,
}

/// Rendered menu bars by [`Key`].
#[derive(Debug)]
pub struct MenuCache {
    implied: HashMap<String, Access>,
    codenames: Vec<String>,
    rendered: Mutex<HashMap<Key, Arc<NavigationHtml>>>,
}

fn declared(item: &MenuItem) -> impl Iterator<Item = &String> {
    std::iter::once(&item.visibility)
        .chain(item.buttons.iter().map(|button| &button.visibility))
        .flat_map(|visibility| match visibility {
            Visibility::Permissions(codenames) => codenames.as_slice(),
            _ => &[],
        })
}

impl MenuCache {
    /// Collects every permission the menus depend on: those items declare, and those the
    /// links imply (a model's list and add page, a plugin page's declared access).
    pub fn new(contributions: &Contributions, models: &ModelRegistry) -> Self {
        let mut implied = HashMap::new();
        for contribution in contributions.all() {
            for route in contribution
                .pages
                .iter()
                .filter(|route| route.method == "GET")
            {
                implied.insert(route.path.clone(), route.access.clone());
            }
        }
        for model in models.all() {
            let schema = model.schema;
            let needs = |action: &str| {
                Access::Permissions(vec![format!("{}.{action}_{}", schema.app, schema.name)])
            };
            implied.insert(model.ui_base.clone(), needs("view"));
            implied.insert(format!("{}add/", model.ui_base), needs("add"));
        }
        let mut codenames: BTreeSet<String> = implied
            .values()
            .flat_map(|access| match access {
                Access::Permissions(codenames) => codenames.clone(),
                _ => Vec::new(),
            })
            .collect();
        codenames.insert("core.view_objectchange".to_string());
        for contribution in contributions.all() {
            let items = contribution
                .menus
                .iter()
                .flat_map(|menu| &menu.groups)
                .flat_map(|group| &group.items)
                .chain(&contribution.menu_items);
            for item in items {
                codenames.extend(declared(item).cloned());
            }
        }
        MenuCache {
            implied,
            codenames: codenames.into_iter().collect(),
            rendered: Mutex::new(HashMap::new()),
        }
    }

    /// The menu bar `user` sees.
    pub fn html(&self, contributions: &Contributions, user: &CurrentUser) -> Arc<NavigationHtml> {
        let info = user.user();
        let key = Key {
            authenticated: info.is_some(),
            staff: info.is_some_and(|info| info.is_staff),
            superuser: user.is_superuser(),
            held: if user.is_superuser() {
                Vec::new()
            } else {
                self.codenames.iter().map(|c| user.has_perm(c)).collect()
            },
        };
        let lock = || {
            self.rendered
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
        };
        if let Some(html) = lock().get(&key) {
            return html.clone();
        }
        let viewer = Viewer {
            user,
            implied: &self.implied,
        };
        let navigation = Navigation::build(contributions, viewer);
        let html = Arc::new(NavigationHtml::render(&navigation).unwrap_or_else(|error| {
            tracing::error!(%error, "the menu failed to render; pages show no menu");
            NavigationHtml::default()
        }));
        let mut rendered = lock();
        if rendered.len() >= 1024 {
            rendered.clear();
        }
        rendered.insert(key, html.clone());
        html
    }
}
