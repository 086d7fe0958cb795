//! Animal Sounds: the example plugin of NetBox's plugin documentation, "Show animals and the
//! sounds they make". Enable it with `plugins = ["animal_sounds"]`; set
//! `[plugins_config.animal_sounds] loud = true` to make the animals shout.
//!
//! It contributes a page (`/plugins/animal-sounds/`, its own template and stylesheet), a menu
//! item with a button, and a JSON API (`/api/plugins/animal-sounds/animals/` and
//! `/random/`).

mod migrations;

use netbox_framework::actix::{Error, HttpRequest, HttpResponse};
use netbox_framework::askama::Template;
use netbox_framework::data::{BoxFuture, Data, DataError};
use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
use netbox_framework::extract::PluginSettings;
use netbox_framework::json::{Value, json};
use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
use netbox_framework::migrations::Migration;
use netbox_framework::models::{Model, ModelSchema};
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

/// An animal and the sound it makes: a model, with list, detail and edit pages under
/// `/plugins/animal-sounds/animals/` and a REST API at `/api/plugins/animal-sounds/animals/`.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(ordering = ["name"], search = ["name", "sound"])]
pub struct Animal {
    /// Its name.
    #[field(max_length = 50)]
    pub name: String,
    /// The sound it makes, quietly.
    #[field(max_length = 50)]
    pub sound: String,
}

/// The sound as it should be heard: `"woof"`, or `"WOOF!!!"` when loud.
pub fn sound(sound: &str, loud: bool) -> String {
    if loud {
        format!("{}!!!", sound.to_uppercase())
    } else {
        sound.to_string()
    }
}

/// A pseudo-random number (the clock's nanoseconds are random enough for a demo).
fn random() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0)
}

/// A random animal among those the user may see (NetBox's `order_by('?').first()`).
async fn random_animal(data: &Data) -> Result<Option<Animal>, DataError> {
    let count = Animal::objects().count(data).await?;
    if count == 0 {
        return Ok(None);
    }
    let pick = i64::try_from(random() % count.unsigned_abs()).unwrap_or_default();
    let animal = Animal::objects().offset(pick).first(data).await?;
    Ok(animal.map(|object| object.fields))
}

impl Plugin for AnimalSounds {
    fn models(&self) -> Vec<&'static ModelSchema> {
        vec![Animal::SCHEMA]
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations::ALL.to_vec()
    }

    fn routes(&self, routes: &mut Routes) {
        routes
            .get("/", "home", random_page)
            .get("/random/", "random_animal", random_page);
    }

    fn api_routes(&self, routes: &mut Routes) {
        routes.get("/random/", "random", random_json);
    }

    fn menu_items(&self) -> Vec<MenuItem> {
        let add = MenuButton::new("animals/add/", "Add", "mdi-plus").color(ButtonColor::Green);
        vec![
            MenuItem::new("random/", "Random animal")
                .icon("mdi-paw")
                .button(
                    MenuButton::new("random/?loud=1", "Shout", "mdi-volume-high")
                        .color(ButtonColor::Orange),
                ),
            MenuItem::new("animals/", "Animals").button(add),
        ]
    }

    fn static_files(&self) -> Vec<StaticFile> {
        vec![static_file!("animal-sounds.css")]
    }

    fn template_extensions(&self) -> Vec<Box<dyn TemplateExtension>> {
        vec![Box::new(NavbarLink), Box::new(SiteAnimalCount)]
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
            "<a class=\"navbar-link\" href=\"/plugins/animal-sounds/random/\">Hear an animal</a>",
        )))
    }
}

#[derive(Template)]
#[template(path = "site_panel.html", askama = netbox_framework::askama)]
struct SitePanel<'a> {
    site: &'a str,
    count: i64,
    list: &'a str,
}

/// A panel on site pages counting the animals (NetBox's documented template extension).
struct SiteAnimalCount;

impl TemplateExtension for SiteAnimalCount {
    fn models(&self) -> &[&'static str] {
        &["dcim.site"]
    }

    fn load<'a>(
        &'a self,
        _: &'a SlotContext<'a>,
        data: &'a Data,
    ) -> BoxFuture<'a, Result<Value, String>> {
        Box::pin(async move {
            let count = Animal::objects().count(data).await;
            count.map(|count| json!(count)).map_err(|e| e.to_string())
        })
    }

    fn right_page(&self, context: &SlotContext<'_>) -> SlotResult {
        let site = context
            .object
            .and_then(|o| o.get("name"))
            .and_then(|v| v.as_str())
            .unwrap_or("this site");
        let panel = SitePanel {
            site,
            count: context.loaded.and_then(Value::as_i64).unwrap_or_default(),
            list: "/plugins/animal-sounds/animals/",
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
    animal: Option<&'a Animal>,
    sound: &'a str,
    loud: bool,
    again: &'a str,
    api: &'a str,
    add: &'a str,
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
    data: Data,
) -> Result<Page, Error> {
    let animal = random_animal(&data).await?;
    let loud = settings.loud || query.loud.is_some_and(|value| value > 0);
    let again = reverse(&request, "animal_sounds:random_animal", &[]).unwrap_or_default();
    let api = reverse(&request, "animal_sounds-api:random", &[]).unwrap_or_default();
    // A host page, by name too.
    let about = reverse(&request, "core:plugin", &["animal_sounds"]).unwrap_or_default();
    let heard = animal
        .as_ref()
        .map(|a| sound(&a.sound, loud))
        .unwrap_or_default();
    let template = AnimalTemplate {
        animal: animal.as_ref(),
        sound: &heard,
        loud,
        again: &again,
        api: &api,
        add: "/plugins/animal-sounds/animals/add/",
        about: &about,
        welcomed: welcomed(),
    };
    Ok(Page::from_template("Random animal", &template)?.breadcrumb("Animal Sounds", Some(&again)))
}

/// One animal as the random API reports it.
#[derive(Debug, Serialize)]
struct AnimalJson {
    name: String,
    sound: String,
}

async fn random_json(
    settings: PluginSettings<AnimalSounds>,
    data: Data,
) -> Result<HttpResponse, Error> {
    Ok(match random_animal(&data).await? {
        Some(animal) => HttpResponse::Ok().json(AnimalJson {
            sound: sound(&animal.sound, settings.loud),
            name: animal.name,
        }),
        None => {
            HttpResponse::NotFound().json(json!({"detail": "No animals have been created yet."}))
        }
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
        let cat = Animal {
            name: "<Cat>".into(),
            sound: "meow".into(),
        };
        let html = AnimalTemplate {
            animal: Some(&cat),
            sound: "MEOW!!!",
            loud: true,
            again: "/a/",
            api: "/b/",
            add: "/d/",
            about: "/c/",
            welcomed: vec!["r1".to_string()],
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

/// Every new device is welcomed: the page lists the latest ones, greeted by its animal.
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
    let mut welcomed = WELCOMED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    welcomed.push_front(name.to_string());
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
