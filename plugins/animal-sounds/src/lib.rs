//! Animal Sounds: the example plugin of NetBox's plugin documentation, "Show animals and the
//! sounds they make". Enable it with `plugins = ["animal_sounds"]`; set
//! `[plugins_config.animal_sounds] loud = true` to make the animals shout.
//!
//! It contributes a page (`/plugins/animal-sounds/`, its own template and stylesheet), a menu
//! item with a button, and a JSON API (`/api/plugins/animal-sounds/animals/` and
//! `/random/`).

use netbox_framework::actix::{Error, HttpRequest, HttpResponse};
use netbox_framework::askama::Template;
use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
use netbox_framework::extract::PluginSettings;
use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
use netbox_framework::page::Page;
use netbox_framework::routes::{Routes, reverse};
use netbox_framework::signals::{Abort, Event};
use netbox_framework::static_files::StaticFile;
use netbox_framework::{Plugin, netbox_plugin, static_file, web};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// The plugin's settings (`[plugins_config.animal_sounds]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AnimalSoundsSettings {
    /// Shout the sounds (upper case, with exclamation marks).
    pub loud: bool,
}

/// The plugin.
#[netbox_plugin(
    name = "animal_sounds",
    verbose_name = "Animal Sounds",
    base_url = "animal-sounds",
    min_version = "0.1.0",
    max_version = "0.9.99",
    default_settings(loud = false),
    settings = AnimalSoundsSettings,
)]
pub struct AnimalSounds;

/// An animal and the sound it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Animal {
    /// Its name.
    pub name: &'static str,
    /// Its sound, quietly.
    pub sound: &'static str,
}

/// The animals this plugin knows.
pub const ANIMALS: &[Animal] = &[
    Animal {
        name: "Cat",
        sound: "meow",
    },
    Animal {
        name: "Cow",
        sound: "moo",
    },
    Animal {
        name: "Dog",
        sound: "woof",
    },
    Animal {
        name: "Duck",
        sound: "quack",
    },
    Animal {
        name: "Horse",
        sound: "neigh",
    },
    Animal {
        name: "Sheep",
        sound: "baa",
    },
];

/// The sound as it should be heard: `"woof"`, or `"WOOF!!!"` when loud.
pub fn sound(sound: &str, loud: bool) -> String {
    if loud {
        format!("{}!!!", sound.to_uppercase())
    } else {
        sound.to_string()
    }
}

/// A pseudo-random animal (the clock's nanoseconds are random enough for a demo).
fn random_animal() -> Animal {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    ANIMALS[nanos as usize % ANIMALS.len()]
}

impl Plugin for AnimalSounds {
    fn routes(&self, routes: &mut Routes) {
        routes.get("/", "random", random_page);
    }

    fn api_routes(&self, routes: &mut Routes) {
        routes
            .get("/animals/", "animals", list_animals)
            .get("/random/", "random", random_json);
    }

    fn menu_items(&self) -> Vec<MenuItem> {
        vec![MenuItem::new("", "Random animal").icon("mdi-paw").button(
            MenuButton::new("?loud=1", "Shout", "mdi-volume-high").color(ButtonColor::Orange),
        )]
    }

    fn static_files(&self) -> Vec<StaticFile> {
        vec![static_file!("animal-sounds.css")]
    }

    fn template_extensions(&self) -> Vec<Box<dyn TemplateExtension>> {
        vec![Box::new(NavbarLink), Box::new(SiteVisitor)]
    }
}

/// A link to the plugin's page in the top bar of every page.
struct NavbarLink;

impl TemplateExtension for NavbarLink {
    fn navbar(&self, context: &SlotContext<'_>) -> SlotResult {
        // The page it links to is for signed-in users.
        if !context.user.is_authenticated() {
            return Ok(None);
        }
        Ok(Some(Html::trusted(
            "<a class=\"navbar-link\" href=\"/plugins/animal-sounds/\">Hear an animal</a>",
        )))
    }
}

#[derive(Template)]
#[template(path = "site_panel.html", askama = netbox_framework::askama)]
struct SitePanel<'a> {
    site: &'a str,
    animal: &'a str,
    sound: &'a str,
}

/// A panel on site pages: the animal that visits the site today.
struct SiteVisitor;

impl TemplateExtension for SiteVisitor {
    fn models(&self) -> &[&'static str] {
        &["dcim.site"]
    }

    fn right_page(&self, context: &SlotContext<'_>) -> SlotResult {
        let loud = context
            .plugin
            .settings::<AnimalSoundsSettings>()
            .is_some_and(|s| s.loud);
        let site = context
            .object
            .and_then(|o| o.get("name"))
            .and_then(|v| v.as_str())
            .unwrap_or("this site");
        let id = context.object_id.unwrap_or_default().unsigned_abs() as usize;
        let animal = ANIMALS[id % ANIMALS.len()];
        let heard = sound(animal.sound, loud);
        let panel = SitePanel {
            site,
            animal: animal.name,
            sound: &heard,
        };
        panel
            .render()
            .map(|html| Some(Html::trusted(html)))
            .map_err(|error| error.to_string())
    }
}

#[derive(Template)]
#[template(path = "animal.html", askama = netbox_framework::askama)]
struct AnimalTemplate<'a> {
    animal: &'a str,
    sound: &'a str,
    loud: bool,
    animals: usize,
    again: &'a str,
    api: &'a str,
    about: &'a str,
    welcomed: Vec<String>,
}

/// `?loud=1` makes one page shout whatever the settings say.
#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    loud: Option<u8>,
}

async fn random_page(
    request: HttpRequest,
    settings: PluginSettings<AnimalSounds>,
    query: web::Query<PageQuery>,
) -> Result<Page, Error> {
    let animal = random_animal();
    let loud = settings.loud || query.loud.is_some_and(|value| value > 0);
    let again = reverse(&request, "animal_sounds:random", &[]).unwrap_or_default();
    let api = reverse(&request, "animal_sounds-api:animals", &[]).unwrap_or_default();
    // A host page, by name too.
    let about = reverse(&request, "core:plugin", &["animal_sounds"]).unwrap_or_default();
    let heard = sound(animal.sound, loud);
    let template = AnimalTemplate {
        animal: animal.name,
        sound: &heard,
        loud,
        animals: ANIMALS.len(),
        again: &again,
        api: &api,
        about: &about,
        welcomed: welcomed(),
    };
    Ok(Page::from_template("Random animal", &template)?.breadcrumb("Animal Sounds", Some(&again)))
}

/// One animal as the API reports it.
#[derive(Debug, Serialize)]
struct AnimalJson {
    name: &'static str,
    sound: String,
}

async fn list_animals(settings: PluginSettings<AnimalSounds>) -> HttpResponse {
    let animals: Vec<AnimalJson> = ANIMALS
        .iter()
        .map(|animal| AnimalJson {
            name: animal.name,
            sound: sound(animal.sound, settings.loud),
        })
        .collect();
    HttpResponse::Ok().json(serde_json::json!({ "count": animals.len(), "results": animals }))
}

async fn random_json(settings: PluginSettings<AnimalSounds>) -> HttpResponse {
    let animal = random_animal();
    HttpResponse::Ok().json(AnimalJson {
        name: animal.name,
        sound: sound(animal.sound, settings.loud),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loud_sounds_shout() {
        assert_eq!(sound("woof", false), "woof");
        assert_eq!(sound("woof", true), "WOOF!!!");
    }

    #[test]
    fn template_escapes_and_marks_loud_pages() {
        let html = AnimalTemplate {
            animal: "<Cat>",
            sound: "MEOW!!!",
            loud: true,
            animals: 6,
            again: "/a/",
            api: "/b/",
            about: "/c/",
            welcomed: vec!["r1, greeted by the cat: MEOW!!!".to_string()],
        }
        .render()
        .expect("renders");
        assert!(
            html.contains("&#60;Cat&#62;") || html.contains("&lt;Cat&gt;"),
            "{html}"
        );
        assert!(html.contains("animal-card loud"), "{html}");
        assert!(!html.contains("Make it shout"), "{html}");
    }
}

/// Devices greeted since startup, newest first (at most five).
static WELCOMED: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// Every new device is greeted by an animal; the page lists the latest greetings.
#[netbox_framework::receiver(post_save, model = "dcim.device")]
fn greet_new_devices(event: &Event<'_>) -> Result<(), Abort> {
    if event.before.is_some() {
        return Ok(()); // an update, not a new device
    }
    let name = event
        .after
        .and_then(|device| device.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("a device");
    let id = event
        .after
        .and_then(|device| device.get("id"))
        .and_then(|i| i.as_i64())
        .unwrap_or_default();
    let animal = ANIMALS[id.unsigned_abs() as usize % ANIMALS.len()];
    let loud = event
        .plugin
        .settings::<AnimalSoundsSettings>()
        .is_some_and(|s| s.loud);
    let greeting = format!(
        "{name}, greeted by the {}: {}",
        animal.name.to_lowercase(),
        sound(animal.sound, loud)
    );
    let mut welcomed = WELCOMED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    welcomed.push_front(greeting);
    welcomed.truncate(5);
    Ok(())
}

/// The latest greetings, newest first.
pub fn welcomed() -> Vec<String> {
    WELCOMED
        .lock()
        .map(|w| w.iter().cloned().collect())
        .unwrap_or_default()
}
