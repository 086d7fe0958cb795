//! Navigation menu contributions (NetBox's `PluginMenu`, `PluginMenuItem`, `PluginMenuButton`),
//! with an ordering `weight` that NetBox lacks.
//!
//! Links are URL paths: an absolute one (`/dcim/sites/`) is used as is, a relative one
//! (`add/`) resolves under the plugin's own `/plugins/<base_url>/`.
//!
//! ```
//! use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
//!
//! let item = MenuItem::new("", "Animals")
//!     .weight(10)
//!     .button(MenuButton::new("add/", "Add", "mdi-plus").color(ButtonColor::Green));
//! assert_eq!(item.buttons.len(), 1);
//! ```

/// Colour of a menu button. A closed set, so a wrong colour is a compile error rather than
/// NetBox's run-time one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum ButtonColor {
    #[default]
    Default,
    Blue,
    Indigo,
    Purple,
    Pink,
    Red,
    Orange,
    Yellow,
    Green,
    Teal,
    Cyan,
    Gray,
    Black,
    White,
}

impl ButtonColor {
    /// The colour's name as used in CSS classes (`"green"`).
    ///
    /// ```
    /// assert_eq!(netbox_framework::menu::ButtonColor::Teal.as_str(), "teal");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ButtonColor::Default => "default",
            ButtonColor::Blue => "blue",
            ButtonColor::Indigo => "indigo",
            ButtonColor::Purple => "purple",
            ButtonColor::Pink => "pink",
            ButtonColor::Red => "red",
            ButtonColor::Orange => "orange",
            ButtonColor::Yellow => "yellow",
            ButtonColor::Green => "green",
            ButtonColor::Teal => "teal",
            ButtonColor::Cyan => "cyan",
            ButtonColor::Gray => "gray",
            ButtonColor::Black => "black",
            ButtonColor::White => "white",
        }
    }
}

/// Who may see a menu entry.
///
/// ```
/// use netbox_framework::menu::Visibility;
/// assert_eq!(Visibility::default(), Visibility::Everyone);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Anyone, signed in or not.
    #[default]
    Everyone,
    /// Signed-in users only.
    Authenticated,
    /// Signed-in users holding every listed permission (e.g. `"animal_sounds.add_animal"`).
    Permissions(Vec<String>),
    /// Staff users only.
    Staff,
    /// Superusers only.
    Superuser,
}

/// A small button beside a menu item (e.g. "add").
#[derive(Debug, Clone, PartialEq)]
pub struct MenuButton {
    /// Target URL path.
    pub link: String,
    /// Tooltip and accessible label.
    pub title: String,
    /// Icon name (Material Design Icons class, e.g. `mdi-plus`).
    pub icon: String,
    /// Colour.
    pub color: ButtonColor,
    /// Who sees it.
    pub visibility: Visibility,
}

impl MenuButton {
    /// A button of the default colour, visible to everyone.
    pub fn new(link: impl Into<String>, title: impl Into<String>, icon: impl Into<String>) -> Self {
        MenuButton {
            link: link.into(),
            title: title.into(),
            icon: icon.into(),
            color: ButtonColor::Default,
            visibility: Visibility::Everyone,
        }
    }

    /// Sets the colour.
    pub fn color(mut self, color: ButtonColor) -> Self {
        self.color = color;
        self
    }

    /// Sets who sees the button.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = visibility;
        self
    }
}

/// One entry of a menu.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    /// Target URL path.
    pub link: String,
    /// Text shown.
    pub text: String,
    /// Optional icon name.
    pub icon: Option<String>,
    /// Lower weights come first; ties keep declaration order.
    pub weight: i32,
    /// Who sees it.
    pub visibility: Visibility,
    /// Buttons shown beside it.
    pub buttons: Vec<MenuButton>,
}

impl MenuItem {
    /// An item of weight 0, visible to everyone, without buttons.
    pub fn new(link: impl Into<String>, text: impl Into<String>) -> Self {
        MenuItem {
            link: link.into(),
            text: text.into(),
            icon: None,
            weight: 0,
            visibility: Visibility::Everyone,
            buttons: Vec::new(),
        }
    }

    /// Sets the ordering weight.
    pub fn weight(mut self, weight: i32) -> Self {
        self.weight = weight;
        self
    }

    /// Sets the icon.
    pub fn icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// Sets who sees the item.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = visibility;
        self
    }

    /// Adds a button.
    pub fn button(mut self, button: MenuButton) -> Self {
        self.buttons.push(button);
        self
    }
}

/// A titled group of items inside a menu.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuGroup {
    /// Heading.
    pub label: String,
    /// Items, ordered by weight when shown.
    pub items: Vec<MenuItem>,
}

impl MenuGroup {
    /// A group with the given heading and items.
    pub fn new(label: impl Into<String>, items: Vec<MenuItem>) -> Self {
        MenuGroup {
            label: label.into(),
            items,
        }
    }
}

/// A top-level menu of a plugin's own.
///
/// ```
/// use netbox_framework::menu::{Menu, MenuGroup, MenuItem};
/// let menu = Menu::new("Zoo", vec![MenuGroup::new("Animals", vec![MenuItem::new("", "All")])])
///     .icon("mdi-paw");
/// assert_eq!(menu.groups[0].items[0].text, "All");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// Label in the top navigation.
    pub label: String,
    /// Optional icon name.
    pub icon: Option<String>,
    /// Groups of items.
    pub groups: Vec<MenuGroup>,
    /// Position among plugin menus: lower weights come first, ties keep plugin order.
    pub weight: i32,
}

impl Menu {
    /// A menu of weight 0 without icon.
    pub fn new(label: impl Into<String>, groups: Vec<MenuGroup>) -> Self {
        Menu {
            label: label.into(),
            icon: None,
            groups,
            weight: 0,
        }
    }

    /// Sets the icon.
    pub fn icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// Sets the ordering weight.
    pub fn weight(mut self, weight: i32) -> Self {
        self.weight = weight;
        self
    }
}
