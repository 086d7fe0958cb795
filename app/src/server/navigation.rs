//! The navigation menu: core menus first, then each plugin's own menu (by weight, then
//! configuration order), then the shared "Plugins" menu with one group per plugin (headed by its
//! verbose name), and "Admin" last. Items are ordered by weight; items the current user may not
//! see, and groups and menus left empty, are not shown.

use crate::plugins::Contributions;
use askama::Template;
use netbox_framework::PluginMetadata;
use netbox_framework::auth::{Access, CurrentUser};
use netbox_framework::menu::{Menu, MenuButton, MenuGroup, MenuItem, Visibility};
use std::collections::HashMap;

/// A menu ready to render: links resolved, items ordered, hidden entries removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavMenu {
    /// Label in the top bar.
    pub label: String,
    /// Optional icon name.
    pub icon: Option<String>,
    /// Groups, none empty.
    pub groups: Vec<NavGroup>,
}

impl NavMenu {
    /// Whether an item of this menu links to `path` (the menu of the current page).
    pub fn contains(&self, path: &str) -> bool {
        self.groups
            .iter()
            .flat_map(|group| &group.items)
            .any(|item| item.link == path)
    }
}

/// A group of a [`NavMenu`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavGroup {
    /// Heading.
    pub label: String,
    /// Items, ordered by weight.
    pub items: Vec<NavItem>,
}

/// An item of a [`NavGroup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    /// Absolute link.
    pub link: String,
    /// Text.
    pub text: String,
    /// Icon name.
    pub icon: Option<String>,
    /// Buttons, visible ones only.
    pub buttons: Vec<NavButton>,
}

/// A button beside a [`NavItem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavButton {
    /// Absolute link.
    pub link: String,
    /// Tooltip.
    pub title: String,
    /// Icon name.
    pub icon: String,
    /// Colour name (CSS class suffix).
    pub color: &'static str,
}

/// The whole menu bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Navigation {
    /// Menus in display order.
    pub menus: Vec<NavMenu>,
}

/// Who is looking, and the permission each host link implies (a model's list needs its view
/// permission, its add page the add permission), so that links the user could not follow are
/// hidden even when their menu item does not say so.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// The user.
    pub user: &'a CurrentUser,
    /// What following each host link requires, by absolute link.
    pub implied: &'a HashMap<String, Access>,
}

fn visible(visibility: &Visibility, link: &str, viewer: Viewer) -> bool {
    let user = viewer.user;
    let declared = match visibility {
        Visibility::Everyone => true,
        Visibility::Authenticated => user.is_authenticated(),
        Visibility::Permissions(codenames) => user.is_authenticated() && user.has_perms(codenames),
        Visibility::Staff => user.user().is_some_and(|u| u.is_staff || u.is_superuser),
        Visibility::Superuser => user.is_superuser(),
    };
    declared
        && viewer
            .implied
            .get(link)
            .is_none_or(|access| user.may(access).is_ok())
}

/// Resolves a menu link: absolute paths stay, relative ones go under the plugin's pages.
pub fn resolve_link(link: &str, base_url: &str) -> String {
    if link.starts_with('/') {
        link.to_string()
    } else {
        format!("/plugins/{base_url}/{link}")
    }
}

fn nav_item(item: MenuItem, base_url: &str, viewer: Viewer) -> Option<(i32, NavItem)> {
    let link = resolve_link(&item.link, base_url);
    if !visible(&item.visibility, &link, viewer) {
        return None;
    }
    let buttons = item
        .buttons
        .into_iter()
        .map(|button: MenuButton| (resolve_link(&button.link, base_url), button))
        .filter(|(link, button)| visible(&button.visibility, link, viewer))
        .map(|(link, button)| NavButton {
            link,
            title: button.title,
            icon: button.icon,
            color: button.color.as_str(),
        })
        .collect();
    Some((
        item.weight,
        NavItem {
            link,
            text: item.text,
            icon: item.icon,
            buttons,
        },
    ))
}

fn nav_group(
    label: String,
    items: Vec<MenuItem>,
    base_url: &str,
    viewer: Viewer,
) -> Option<NavGroup> {
    let mut items: Vec<(i32, NavItem)> = items
        .into_iter()
        .filter_map(|item| nav_item(item, base_url, viewer))
        .collect();
    items.sort_by_key(|(weight, _)| *weight); // stable: equal weights keep declaration order
    (!items.is_empty()).then(|| NavGroup {
        label,
        items: items.into_iter().map(|(_, item)| item).collect(),
    })
}

fn nav_menu(menu: Menu, base_url: &str, viewer: Viewer) -> Option<NavMenu> {
    let groups: Vec<NavGroup> = menu
        .groups
        .into_iter()
        .filter_map(|group: MenuGroup| nav_group(group.label, group.items, base_url, viewer))
        .collect();
    (!groups.is_empty()).then_some(NavMenu {
        label: menu.label,
        icon: menu.icon,
        groups,
    })
}

/// The admin menu, always last.
fn admin_menu() -> Menu {
    let superuser = |item: MenuItem| item.visibility(Visibility::Superuser);
    Menu::new(
        "Admin",
        vec![
            MenuGroup::new(
                "Authentication",
                vec![
                    superuser(MenuItem::new("/users/users/", "Users").icon("mdi-account")),
                    superuser(MenuItem::new("/users/groups/", "Groups").icon("mdi-account-group")),
                    superuser(MenuItem::new("/users/permissions/", "Permissions").icon("mdi-lock")),
                    superuser(MenuItem::new("/users/tokens/", "API tokens").icon("mdi-key")),
                ],
            ),
            MenuGroup::new(
                "System",
                vec![
                    superuser(MenuItem::new("/plugins/", "Installed plugins").icon("mdi-puzzle")),
                    MenuItem::new("/core/changelog/", "Change log")
                        .icon("mdi-history")
                        .visibility(Visibility::Permissions(vec![
                            "core.view_objectchange".to_string(),
                        ])),
                    MenuItem::new("/api/status/", "API status")
                        .icon("mdi-api")
                        .visibility(Visibility::Authenticated),
                ],
            ),
        ],
    )
}

impl Navigation {
    /// Builds the menu `viewer` sees: the internal plugins' menus (the core's), then the
    /// enabled plugins'.
    pub fn build(contributions: &Contributions, viewer: Viewer) -> Self {
        let parts = |internal: bool| {
            contributions
                .all()
                .iter()
                .filter(move |c| c.internal == internal)
                .map(|c| (c.metadata(), c.menus.clone(), c.menu_items.clone()))
                .collect::<Vec<_>>()
        };
        Navigation::from_parts(parts(true), parts(false), viewer)
    }

    /// Builds the menu from the core's menus, then each enabled plugin's (metadata, own menus,
    /// shared-menu items), in configuration order.
    pub fn from_parts(
        core: Vec<(&PluginMetadata, Vec<Menu>, Vec<MenuItem>)>,
        plugins: Vec<(&PluginMetadata, Vec<Menu>, Vec<MenuItem>)>,
        viewer: Viewer,
    ) -> Self {
        let mut menus: Vec<NavMenu> = core
            .into_iter()
            .flat_map(|(_, menus, _)| menus)
            .filter_map(|menu| nav_menu(menu, "", viewer))
            .collect();

        let mut own: Vec<(i32, NavMenu)> = Vec::new();
        let mut shared_groups = Vec::new();
        for (metadata, plugin_menus, items) in plugins {
            for menu in plugin_menus {
                let weight = menu.weight;
                if let Some(menu) = nav_menu(menu, metadata.base_url, viewer) {
                    own.push((weight, menu));
                }
            }
            if let Some(group) = nav_group(
                metadata.verbose_name.to_string(),
                items,
                metadata.base_url,
                viewer,
            ) {
                shared_groups.push(group);
            }
        }
        own.sort_by_key(|(weight, _)| *weight);
        menus.extend(own.into_iter().map(|(_, menu)| menu));
        if !shared_groups.is_empty() {
            menus.push(NavMenu {
                label: "Plugins".to_string(),
                icon: Some("mdi-puzzle".to_string()),
                groups: shared_groups,
            });
        }
        menus.extend(nav_menu(admin_menu(), "", viewer));
        Navigation { menus }
    }
}

#[derive(Template)]
#[template(path = "nav.html")]
struct NavTemplate<'a> {
    path: &'a str,
    menus: &'a [NavMenu],
}

/// The menu bar's HTML, rendered once at startup for every highlighted item (and for pages
/// outside the menu), so a request only looks it up.
#[derive(Debug, Default)]
pub struct NavigationHtml {
    by_path: HashMap<String, String>,
    plain: String,
}

impl NavigationHtml {
    /// Renders the menu bar for each item link.
    pub fn render(navigation: &Navigation) -> Result<Self, askama::Error> {
        let menus = &navigation.menus;
        let plain = NavTemplate { path: "", menus }.render()?;
        let mut by_path = HashMap::new();
        for item in menus
            .iter()
            .flat_map(|menu| &menu.groups)
            .flat_map(|group| &group.items)
        {
            if !by_path.contains_key(&item.link) {
                let html = NavTemplate {
                    path: &item.link,
                    menus,
                }
                .render()?;
                by_path.insert(item.link.clone(), html);
            }
        }
        Ok(NavigationHtml { by_path, plain })
    }

    /// The menu bar with the item linking to `path` highlighted, if any.
    pub fn for_path(&self, path: &str) -> &str {
        self.by_path.get(path).unwrap_or(&self.plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netbox_framework::menu::ButtonColor;

    fn metadata(name: &'static str, verbose_name: &'static str) -> PluginMetadata {
        PluginMetadata {
            name,
            verbose_name,
            base_url: name,
            ..PluginMetadata::example()
        }
    }

    fn menu<'a>(navigation: &'a Navigation, label: &str) -> &'a NavMenu {
        navigation
            .menus
            .iter()
            .find(|menu| menu.label == label)
            .expect("the menu exists")
    }

    /// The menu bar of the core and `plugins`, for a superuser.
    fn with_core(plugins: Vec<(&PluginMetadata, Vec<Menu>, Vec<MenuItem>)>) -> Navigation {
        with_core_for(plugins, &superuser())
    }

    fn superuser() -> CurrentUser {
        #[derive(Debug)]
        struct Nothing;
        impl netbox_framework::auth::Permissions for Nothing {
            fn has_perm(&self, _: &str) -> bool {
                false
            }
        }
        let info = netbox_framework::auth::UserInfo {
            id: 1,
            username: "admin".into(),
            is_superuser: true,
            is_staff: true,
        };
        CurrentUser::new(
            Some(std::sync::Arc::new(info)),
            std::sync::Arc::new(Nothing),
        )
    }

    fn with_core_for(
        plugins: Vec<(&PluginMetadata, Vec<Menu>, Vec<MenuItem>)>,
        user: &CurrentUser,
    ) -> Navigation {
        let core = metadata("core", "Core");
        let core = vec![(&core, crate::builtin::dcim::menus(), vec![])];
        let implied = HashMap::from([(
            "/dcim/sites/".to_string(),
            Access::Permissions(vec!["dcim.view_site".to_string()]),
        )]);
        Navigation::from_parts(
            core,
            plugins,
            Viewer {
                user,
                implied: &implied,
            },
        )
    }

    fn labels(navigation: &Navigation) -> Vec<&str> {
        navigation
            .menus
            .iter()
            .map(|menu| menu.label.as_str())
            .collect()
    }

    #[test]
    fn order_is_plugin_menus_by_weight_then_shared_menu_then_admin() {
        let a = metadata("a", "Alpha");
        let b = metadata("b", "Beta");
        let navigation = with_core(vec![
            (
                &a,
                vec![
                    Menu::new(
                        "A menu",
                        vec![MenuGroup::new("G", vec![MenuItem::new("", "x")])],
                    )
                    .weight(20),
                ],
                vec![MenuItem::new("", "a1")],
            ),
            (
                &b,
                vec![
                    Menu::new(
                        "B menu",
                        vec![MenuGroup::new("G", vec![MenuItem::new("", "y")])],
                    )
                    .weight(10),
                ],
                vec![],
            ),
        ]);
        assert_eq!(
            labels(&navigation),
            [
                "Organization",
                "Devices",
                "B menu",
                "A menu",
                "Plugins",
                "Admin"
            ]
        );
        let plugins = menu(&navigation, "Plugins");
        assert_eq!(
            plugins.groups.len(),
            1,
            "Beta has no shared items: no empty group"
        );
        assert_eq!(plugins.groups[0].label, "Alpha");
    }

    #[test]
    fn items_sort_by_weight_and_links_resolve() {
        let a = metadata("a", "Alpha");
        let navigation = with_core(vec![(
            &a,
            vec![],
            vec![
                MenuItem::new("heavy/", "Heavy").weight(100),
                MenuItem::new("", "Light").weight(-5),
                MenuItem::new("/dcim/", "Absolute")
                    .weight(0)
                    .button(MenuButton::new("add/", "Add", "mdi-plus").color(ButtonColor::Green)),
            ],
        )]);
        let items = &menu(&navigation, "Plugins").groups[0].items;
        let texts: Vec<&str> = items.iter().map(|item| item.text.as_str()).collect();
        assert_eq!(texts, ["Light", "Absolute", "Heavy"]);
        assert_eq!(items[0].link, "/plugins/a/");
        assert_eq!(items[1].link, "/dcim/");
        assert_eq!(items[2].link, "/plugins/a/heavy/");
        assert_eq!(items[1].buttons[0].link, "/plugins/a/add/");
        assert_eq!(items[1].buttons[0].color, "green");
        assert!(menu(&navigation, "Plugins").contains("/plugins/a/heavy/"));
    }

    #[test]
    fn restricted_items_are_hidden_from_anonymous_and_empty_menus_vanish() {
        let a = metadata("a", "Alpha");
        let navigation = with_core_for(
            vec![(
                &a,
                vec![Menu::new(
                    "Secret",
                    vec![MenuGroup::new(
                        "G",
                        vec![MenuItem::new("", "s").visibility(Visibility::Superuser)],
                    )],
                )],
                vec![
                    MenuItem::new("", "Open").button(
                        MenuButton::new("x/", "Staff only", "mdi-x").visibility(Visibility::Staff),
                    ),
                    MenuItem::new("p/", "Needs permission")
                        .visibility(Visibility::Permissions(vec!["a.view".into()])),
                ],
            )],
            &CurrentUser::anonymous(),
        );
        assert_eq!(
            labels(&navigation),
            ["Devices", "Plugins"],
            "sites need dcim.view_site"
        );
        let items = &menu(&navigation, "Plugins").groups[0].items;
        assert_eq!(items.len(), 1);
        assert!(items[0].buttons.is_empty());
    }
}
