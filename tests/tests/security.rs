//! End-to-end tests of the security model: the real binary, real HTTP, a real database (SQLite,
//! or PostgreSQL when `NETBOX_TEST_DATABASE_URL` names one). Sign-in through the login form
//! with its CSRF token, sessions, v1 and v2 tokens, object permissions with constraints,
//! plugin routes, tabs, menus and extensions hidden without their permission, CSRF, hosts and
//! headers.

use netbox_app::testing::{NetboxServer, TEST_PASSWORD};
use serde_json::{Value, json};
use std::time::Duration;

const PASSWORD: &str = "Jane-password-42";

fn server() -> NetboxServer {
    NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        "plugins = ['access_lists', 'painter']\n",
    )
}

/// An HTTP client with its own cookie jar: a browser, or a script with a token.
struct Client<'a> {
    server: &'a NetboxServer,
    agent: ureq::Agent,
    token: Option<String>,
}

/// A response: status, `Location`, body.
struct Reply {
    status: u16,
    location: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl<'a> Client<'a> {
    fn new(server: &'a NetboxServer) -> Self {
        Client {
            server,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(30)))
                .build()
                .into(),
            token: None,
        }
    }

    fn with_token(server: &'a NetboxServer, token: &str) -> Self {
        Client {
            token: Some(token.to_string()),
            ..Client::new(server)
        }
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Body<'_>>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = self.server.url(path);
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(token) = &self.token {
            let scheme = if token.starts_with("nbt_") {
                "Bearer"
            } else {
                "Token"
            };
            request = request.header("Authorization", format!("{scheme} {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let result = match body {
            None => self.agent.run(request.body(()).expect("request")),
            Some(Body::Json(value)) => {
                let request = request.header("Content-Type", "application/json");
                self.agent
                    .run(request.body(value.to_string()).expect("request"))
            }
            Some(Body::Form(fields)) => {
                let encoded = fields
                    .iter()
                    .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
                    .collect::<Vec<_>>()
                    .join("&");
                let request = request.header("Content-Type", "application/x-www-form-urlencoded");
                self.agent.run(request.body(encoded).expect("request"))
            }
        };
        let mut response = result.unwrap_or_else(|error| panic!("{method} {url}: {error}"));
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.to_string(),
                    value.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Reply {
            status: response.status().as_u16(),
            location,
            headers,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None, &[])
    }

    fn api(&self, method: &str, path: &str, body: Value) -> Reply {
        self.send(method, path, Some(Body::Json(body)), &[])
    }

    /// The CSRF token of the form on `path`.
    fn csrf(&self, path: &str) -> String {
        let page = self.get(path);
        let marker = "name=\"csrf_token\" value=\"";
        let start = page
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .unwrap_or_else(|| panic!("no CSRF field on {path} ({}): {}", page.status, page.body));
        page.body[start..start + 32].to_string()
    }

    /// Posts a form on `path` with the CSRF token of the form page `form_page`.
    fn submit(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf(form_page);
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.send("POST", path, Some(Body::Form(&fields)), &[])
    }

    fn login(&self, username: &str, password: &str) -> Reply {
        self.submit(
            "/login/",
            "/login/",
            &[
                ("username", username),
                ("password", password),
                ("next", "/dcim/sites/"),
            ],
        )
    }
}

enum Body<'a> {
    Json(Value),
    Form(&'a [(&'a str, &'a str)]),
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The admin's client (its token).
fn admin(server: &NetboxServer) -> Client<'_> {
    Client::with_token(server, &server.token)
}

/// Creates user `username` (not a superuser); its id.
fn user(server: &NetboxServer, username: &str) -> i64 {
    let reply = admin(server).api(
        "POST",
        "/api/users/users/",
        json!({"username": username, "password": PASSWORD}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

/// Gives `user` a permission.
fn grant(
    server: &NetboxServer,
    user: i64,
    name: &str,
    types: &[&str],
    actions: &[&str],
    constraints: Value,
) {
    let body = json!({"name": name, "object_types": types, "actions": actions, "constraints": constraints, "users": [user]});
    let reply = admin(server).api("POST", "/api/users/permissions/", body);
    assert_eq!(reply.status, 201, "{}", reply.body);
}

/// A token of `username` (signing in with the password), write-enabled unless said otherwise.
fn token_of(server: &NetboxServer, username: &str, extra: Value) -> String {
    let mut body = json!({"username": username, "password": PASSWORD});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let reply = Client::new(server).api("POST", "/api/users/tokens/provision/", body);
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["token"].as_str().expect("token").to_string()
}

fn site(server: &NetboxServer, slug: &str, status: &str) -> i64 {
    let reply = admin(server).api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": slug.to_uppercase(), "slug": slug, "status": status}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["id"].as_i64().expect("id")
}

#[test]
fn anonymous_pages_go_to_sign_in_and_the_api_refuses() {
    let server = server();
    let anonymous = Client::new(&server);
    let page = anonymous.get("/dcim/sites/?q=a");
    assert_eq!(
        (page.status, page.location.as_str()),
        (302, "/login/?next=%2Fdcim%2Fsites%2F%3Fq%3Da")
    );
    for (method, path) in [
        ("GET", "/api/dcim/sites/"),
        ("POST", "/api/dcim/sites/"),
        ("GET", "/api/plugins/installed-plugins/"),
    ] {
        let reply = anonymous.api(method, path, json!({"name": "Anon", "slug": "anon"}));
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(
            reply.json()["detail"],
            "Authentication credentials were not provided."
        );
    }
    assert_eq!(anonymous.get("/healthz").status, 200);
    let login = anonymous.get("/login/");
    assert_eq!(login.status, 200);
    assert!(login.body.contains("name=\"csrf_token\""), "{}", login.body);
    assert_eq!(
        admin(&server).get("/api/dcim/sites/").json()["count"],
        0,
        "nothing was written"
    );
}

#[test]
fn sign_in_and_out_with_the_form_and_failures_are_throttled() {
    let server = server();
    user(&server, "jane");
    let browser = Client::new(&server);
    let wrong = browser.login("jane", "Wrong-password-1");
    assert_eq!(wrong.status, 200);
    assert!(
        wrong.body.contains("Invalid username or password"),
        "{}",
        wrong.body
    );
    let signed_in = browser.login("jane", PASSWORD);
    assert_eq!(
        (signed_in.status, signed_in.location.as_str()),
        (303, "/dcim/sites/")
    );
    let sessions: Vec<&str> = signed_in
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        sessions.iter().any(|c| c.starts_with("sessionid=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Lax")),
        "{sessions:?}"
    );
    let page = browser.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("jane"), "the top bar names the user");
    // A new password set by an administrator signs the user out everywhere.
    let other_browser = Client::new(&server);
    assert_eq!(other_browser.login("jane", PASSWORD).status, 303);
    let jane = user_id(&server, "jane");
    let reset = admin(&server).api(
        "PATCH",
        &format!("/api/users/users/{jane}/"),
        json!({"password": "Jane-password-43"}),
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(other_browser.get("/").status, 302, "the old session ended");
    let reset = admin(&server).api(
        "PATCH",
        &format!("/api/users/users/{jane}/"),
        json!({"password": PASSWORD}),
    );
    assert_eq!(reset.status, 200);
    assert_eq!(browser.login("jane", PASSWORD).status, 303);
    let out = browser.submit("/", "/logout/", &[]);
    assert_eq!((out.status, out.location.as_str()), (303, "/login/"));
    assert_eq!(browser.get("/").status, 302, "signed out");

    // Five failures for one user name lock it for everyone, even with the right password.
    let attacker = Client::new(&server);
    for _ in 0..5 {
        assert_eq!(attacker.login("jane", "Wrong-password-1").status, 200);
    }
    let locked = Client::new(&server).login("jane", PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.body.contains("Too many failed sign-in attempts"));
    let provision = Client::new(&server).api(
        "POST",
        "/api/users/tokens/provision/",
        json!({"username": "jane", "password": PASSWORD}),
    );
    assert_eq!(provision.status, 429, "the API is throttled too");
    // The administrator is not affected.
    assert_eq!(
        Client::new(&server)
            .login(&server.username, TEST_PASSWORD)
            .status,
        303
    );
}

#[test]
fn tokens_v1_v2_expired_read_only_and_network_restricted() {
    let server = server();
    user(&server, "jane");
    let jane = user_id(&server, "jane");
    grant(
        &server,
        jane,
        "sites",
        &["dcim.site"],
        &["view", "add"],
        Value::Null,
    );

    let v2 = token_of(&server, "jane", json!({}));
    assert!(v2.starts_with("nbt_"), "{v2}");
    let reply = Client::with_token(&server, &v2).api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "A", "slug": "a"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);

    let v1 = token_of(&server, "jane", json!({"version": 1}));
    assert!(
        v1.len() == 40 && v1.chars().all(|c| c.is_ascii_hexdigit()),
        "{v1}"
    );
    assert_eq!(
        Client::with_token(&server, &v1)
            .get("/api/dcim/sites/")
            .json()["count"],
        1
    );

    let read_only = token_of(&server, "jane", json!({"write_enabled": false}));
    let refused = Client::with_token(&server, &read_only).api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "B", "slug": "b"}),
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.json()["detail"],
        "This token does not permit write operations."
    );
    assert_eq!(
        Client::with_token(&server, &read_only)
            .get("/api/dcim/sites/")
            .status,
        200
    );

    let past = Client::new(&server).api(
        "POST",
        "/api/users/tokens/provision/",
        json!({"username": "jane", "password": PASSWORD, "expires": "2020-01-01T00:00:00Z"}),
    );
    assert_eq!(past.status, 400, "an expiry in the past: {}", past.body);
    let soon = std::time::SystemTime::now() + Duration::from_secs(2);
    let expires = humantime::format_rfc3339_seconds(soon).to_string();
    let expired = token_of(&server, "jane", json!({"expires": expires}));
    std::thread::sleep(Duration::from_millis(2100));
    let reply = Client::with_token(&server, &expired).get("/api/dcim/sites/");
    assert_eq!(
        (reply.status, reply.json()["detail"].clone()),
        (403, json!("Token expired"))
    );

    let elsewhere = token_of(&server, "jane", json!({"allowed_ips": ["10.0.0.0/8"]}));
    let reply = Client::with_token(&server, &elsewhere).get("/api/dcim/sites/");
    assert_eq!(reply.status, 403);
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("127.0.0.1"),
        "{}",
        reply.body
    );

    // A token limited to some networks creates tokens limited the same way, never wider.
    let local = token_of(&server, "jane", json!({"allowed_ips": ["127.0.0.0/8"]}));
    let child = Client::with_token(&server, &local).api(
        "POST",
        "/api/users/tokens/",
        json!({"description": "child"}),
    );
    assert_eq!(child.status, 201, "{}", child.body);
    assert_eq!(child.json()["allowed_ips"], json!(["127.0.0.0/8"]));
    let wider = Client::with_token(&server, &local).api(
        "POST",
        "/api/users/tokens/",
        json!({"allowed_ips": ["0.0.0.0/0"]}),
    );
    assert_eq!(wider.status, 400, "{}", wider.body);

    // The last character changed (to one it is not).
    let other = if v2.ends_with('x') { 'y' } else { 'x' };
    let forged = format!("{}{other}", &v2[..v2.len() - 1]);
    assert_eq!(
        Client::with_token(&server, &forged)
            .get("/api/dcim/sites/")
            .json()["detail"],
        "Invalid token"
    );
    assert_eq!(
        Client::with_token(&server, "nbt_short.x")
            .get("/api/dcim/sites/")
            .json()["detail"],
        "Invalid v2 token"
    );

    // Jane sees her own tokens only; the secret is never shown again.
    let listed = Client::with_token(&server, &v2)
        .get("/api/users/tokens/")
        .json();
    assert_eq!(listed["count"], 7);
    assert!(
        !listed.to_string().contains(&v2[16..]),
        "secrets are not listed"
    );
    let bad = Client::new(&server).api(
        "POST",
        "/api/users/tokens/provision/",
        json!({"username": "jane", "password": "nope"}),
    );
    assert_eq!(
        (bad.status, bad.json()["detail"].clone()),
        (403, json!("Invalid username/password"))
    );
}

fn user_id(server: &NetboxServer, username: &str) -> i64 {
    let users = admin(server).get("/api/users/users/").json();
    users["results"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["username"] == username))
        .and_then(|u| u["id"].as_i64())
        .expect("the user exists")
}

#[test]
fn constrained_view_permission_limits_lists_details_and_the_api() {
    let server = server();
    let a = site(&server, "alpha", "active");
    let b = site(&server, "beta", "planned");
    let jane = user(&server, "jane");
    grant(
        &server,
        jane,
        "alpha only",
        &["dcim.site"],
        &["view"],
        json!({"slug": "alpha"}),
    );
    let token = token_of(&server, "jane", json!({}));
    let api = Client::with_token(&server, &token);
    let list = api.get("/api/dcim/sites/").json();
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0]["id"], a);
    assert_eq!(api.get(&format!("/api/dcim/sites/{a}/")).status, 200);
    assert_eq!(api.get(&format!("/api/dcim/sites/{b}/")).status, 404);
    assert_eq!(
        api.get("/api/dcim/sites/?q=beta").json()["count"],
        0,
        "searches too"
    );
    assert_eq!(
        api.get("/api/dcim/devices/").status,
        403,
        "no permission at all"
    );

    let browser = Client::new(&server);
    assert_eq!(browser.login("jane", PASSWORD).status, 303);
    let page = browser.get("/dcim/sites/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("ALPHA") && !page.body.contains("BETA"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("/dcim/sites/add/"),
        "no add button without the add permission"
    );
    assert_eq!(browser.get(&format!("/dcim/sites/{b}/")).status, 404);
    assert_eq!(
        browser.get(&format!("/dcim/sites/{b}/changelog/")).status,
        404,
        "an object's history is as private as the object"
    );
    assert_eq!(
        browser.get(&format!("/dcim/sites/{a}/changelog/")).status,
        200
    );
    assert_eq!(browser.get("/dcim/sites/add/").status, 403);
    // Writing is refused too.
    let refused = api.api(
        "PATCH",
        &format!("/api/dcim/sites/{a}/"),
        json!({"description": "x"}),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
}

#[test]
fn constrained_add_outside_the_constraints_is_refused_and_nothing_is_written() {
    let server = server();
    let jane = user(&server, "jane");
    grant(
        &server,
        jane,
        "planned sites",
        &["dcim.site"],
        &["view", "add", "change"],
        json!({"status": "planned"}),
    );
    let api = Client::with_token(&server, &token_of(&server, "jane", json!({})));
    let refused = api.api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "Live", "slug": "live", "status": "active"}),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        admin(&server).get("/api/dcim/sites/").json()["count"],
        0,
        "rolled back"
    );
    let created = api.api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "Soon", "slug": "soon", "status": "planned"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("id");
    let moved = api.api(
        "PATCH",
        &format!("/api/dcim/sites/{id}/"),
        json!({"status": "active"}),
    );
    assert_eq!(
        moved.status, 403,
        "a change may not take the object out of the constraints"
    );
    let stored = admin(&server).get(&format!("/api/dcim/sites/{id}/")).json();
    assert!(stored["status"].to_string().contains("planned"), "{stored}");
    assert_eq!(
        api.get("/api/core/object-changes/").status,
        403,
        "the change log needs its own permission"
    );
    grant(
        &server,
        jane,
        "device history",
        &["core.objectchange"],
        &["view"],
        json!({"object_type": "dcim.device"}),
    );
    assert_eq!(
        api.get("/api/core/object-changes/").json()["count"],
        0,
        "constrained to device changes"
    );
    let changes = admin(&server).get("/api/core/object-changes/").json();
    assert_eq!(changes["count"], 1);
    assert_eq!(
        changes["results"][0]["user_name"], "jane",
        "the change log records the real user: {changes}"
    );
}

#[test]
fn plugin_routes_tabs_menus_and_extensions_need_their_permission() {
    let server = server();
    let a = site(&server, "alpha", "active");
    let jane = user(&server, "jane");
    grant(
        &server,
        jane,
        "view sites",
        &["dcim.site"],
        &["view"],
        Value::Null,
    );
    let browser = Client::new(&server);
    assert_eq!(browser.login("jane", PASSWORD).status, 303);
    assert_eq!(browser.get("/plugins/painter/paint/").status, 403);
    assert_eq!(
        browser.get(&format!("/dcim/sites/{a}/palette/")).status,
        403
    );
    let page = browser.get(&format!("/dcim/sites/{a}/"));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Palette"), "the tab is hidden");
    assert!(
        !page.body.contains("painter global"),
        "the extension renders nothing"
    );
    assert!(
        !page.body.contains("Devices here"),
        "a tab listing devices needs dcim.view_device"
    );
    assert!(
        !page.body.contains("/plugins/access-lists/access-lists/"),
        "menu items of models she cannot view are hidden"
    );
    assert!(
        !page.body.contains("Installed plugins"),
        "system pages are for superusers"
    );
    assert!(!page.body.contains(">Edit<"), "no edit button");
    assert_eq!(browser.get("/plugins/").status, 403);
    assert_eq!(
        browser.get("/plugins/access-lists/access-lists/").status,
        403
    );

    grant(
        &server,
        jane,
        "paint",
        &["dcim.site", "access_lists.accesslist"],
        &["view", "change"],
        Value::Null,
    );
    assert_eq!(browser.get("/plugins/painter/paint/").status, 200);
    assert_eq!(
        browser.get(&format!("/dcim/sites/{a}/palette/")).status,
        200
    );
    let page = browser.get(&format!("/dcim/sites/{a}/"));
    assert!(
        page.body.contains("Palette") && page.body.contains("painter global"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("/plugins/access-lists/access-lists/"),
        "the menu follows permissions"
    );
    assert!(page.body.contains(">Edit<"));
}

#[test]
fn cross_site_forms_wrong_hosts_and_headers() {
    let server = server();
    let browser = Client::new(&server);
    assert_eq!(browser.login(&server.username, TEST_PASSWORD).status, 303);
    let fields = [("name", "Evil"), ("slug", "evil"), ("status", "active")];
    let forged = browser.send(
        "POST",
        "/dcim/sites/add/",
        Some(Body::Form(&fields)),
        &[("Origin", "http://evil.example")],
    );
    assert_eq!(forged.status, 403);
    let no_token = browser.send("POST", "/dcim/sites/add/", Some(Body::Form(&fields)), &[]);
    assert_eq!(no_token.status, 403);
    assert!(no_token.body.contains("CSRF"), "{}", no_token.body);
    assert_eq!(
        admin(&server).get("/api/dcim/sites/").json()["count"],
        0,
        "nothing written"
    );
    let good = browser.submit(
        "/dcim/sites/add/",
        "/dcim/sites/add/",
        &[("name", "Good"), ("slug", "good"), ("status", "active")],
    );
    assert_eq!(good.status, 303, "{}", good.body);
    // A form too large to read is a 413, not taken for a forgery.
    let big = "x".repeat(300_000);
    let huge = browser.send(
        "POST",
        "/dcim/sites/add/",
        Some(Body::Form(&[("name", big.as_str())])),
        &[],
    );
    assert_eq!(huge.status, 413, "{}", huge.body);
    // A script using the session must send the token in a header.
    let json_without = browser.api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "J", "slug": "j"}),
    );
    assert_eq!(json_without.status, 403);

    let foreign = browser.send("GET", "/login/", None, &[("Host", "evil.example")]);
    assert_eq!(foreign.status, 400);
    let page = browser.get("/dcim/sites/");
    for header in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
    ] {
        assert!(page.header(header).is_some(), "{header} missing");
    }
    assert!(
        !page
            .header("content-security-policy")
            .unwrap_or_default()
            .contains("unsafe-inline")
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
}

#[test]
fn account_pages_create_users_permissions_and_tokens() {
    let server = server();
    let site_id = site(&server, "alpha", "active");
    let admin_browser = Client::new(&server);
    assert_eq!(
        admin_browser.login(&server.username, TEST_PASSWORD).status,
        303
    );
    let added = admin_browser.submit(
        "/users/users/",
        "/users/users/",
        &[
            ("username", "kim"),
            ("email", "kim@example.com"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(added.status, 201, "{}", added.body);
    assert!(added.body.contains("User `kim` added."));
    let weak = admin_browser.submit(
        "/users/users/",
        "/users/users/",
        &[("username", "lee"), ("password", "short")],
    );
    assert_eq!(weak.status, 400);
    assert!(
        weak.body.contains("at least 12 characters"),
        "{}",
        weak.body
    );
    let kim = user_id(&server, "kim");
    let kim_text = kim.to_string();
    let permission = admin_browser.submit(
        "/users/permissions/",
        "/users/permissions/",
        &[
            ("name", "kim sites"),
            ("object_types", "dcim.site"),
            ("actions", "view"),
            ("constraints", r#"{"slug": "alpha"}"#),
            ("users", &kim_text),
        ],
    );
    assert_eq!(permission.status, 201, "{}", permission.body);
    let unknown = admin_browser.submit(
        "/users/permissions/",
        "/users/permissions/",
        &[
            ("name", "x"),
            ("object_types", "dcim.site"),
            ("actions", "view"),
            ("constraints", r#"{"colour": 1}"#),
        ],
    );
    assert_eq!(unknown.status, 400);
    assert!(
        unknown
            .body
            .contains("`colour` is not a field of dcim.site"),
        "{}",
        unknown.body
    );

    let kim_browser = Client::new(&server);
    assert_eq!(kim_browser.login("kim", PASSWORD).status, 303);
    assert_eq!(
        kim_browser.get("/users/users/").status,
        403,
        "admin pages are for superusers"
    );
    let created = kim_browser.submit(
        "/user/api-tokens/",
        "/user/api-tokens/",
        &[("description", "laptop"), ("write_enabled", "true")],
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let start = created
        .body
        .find("nbt_")
        .expect("the new token is shown once");
    let token: String = created.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let api = Client::with_token(&server, &token);
    assert_eq!(api.get(&format!("/api/dcim/sites/{site_id}/")).status, 200);
    let listed = kim_browser.get("/user/api-tokens/");
    assert!(
        listed.body.contains("laptop") && !listed.body.contains(&token),
        "the secret is not shown again"
    );
    let token_id = api.get("/api/users/tokens/").json()["results"][0]["id"]
        .as_i64()
        .expect("id");
    let deleted = kim_browser.submit(
        "/user/api-tokens/",
        &format!("/user/api-tokens/{token_id}/delete/"),
        &[],
    );
    assert_eq!(deleted.status, 303);
    assert_eq!(
        api.get("/api/dcim/sites/").status,
        403,
        "a deleted token stops working"
    );
}

#[test]
fn a_custom_action_of_a_plugin_can_be_granted_and_unlocks_its_route() {
    let server = NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        "plugins = ['kennel']\n",
    );
    let jane = user(&server, "jane");
    let api = Client::with_token(&server, &token_of(&server, "jane", json!({})));
    let refused = api.api("POST", "/plugins/kennel/walk/", json!({}));
    assert_eq!(refused.status, 403);
    let unknown = admin(&server).api(
        "POST",
        "/api/users/permissions/",
        json!({"name": "fly", "object_types": ["kennel.dog"], "actions": ["fly"], "users": [jane]}),
    );
    assert_eq!(unknown.status, 400);
    assert!(
        unknown
            .body
            .contains("`fly` is not an action of kennel.dog"),
        "{}",
        unknown.body
    );
    grant(
        &server,
        jane,
        "walkers",
        &["kennel.dog"],
        &["walk"],
        Value::Null,
    );
    let walked = api.api("POST", "/plugins/kennel/walk/", json!({}));
    assert_eq!(
        (walked.status, walked.body.as_str()),
        (200, "jane walked the dogs")
    );
    let detail = admin(&server).get("/core/plugins/kennel/");
    assert!(
        detail.body.contains("permission kennel.walk_dog"),
        "the detail page lists what the route needs"
    );
    // The kennel's table is hand-written, its times text on both backends: they still read,
    // filter and order as times.
    for name in ["rex", "fido"] {
        let made = admin(&server).api("POST", "/api/plugins/kennel/dogs/", json!({"name": name}));
        assert_eq!(made.status, 201, "{}", made.body);
        let made: Value = serde_json::from_str(&made.body).expect("JSON");
        let created = made["created"].as_str().unwrap_or_default();
        assert!(created.ends_with('Z') && created.len() == 20, "{created}");
    }
    let listed = admin(&server).get(
        "/api/plugins/kennel/dogs/?ordering=-created,-id&created__gte=2024-01-01&last_updated__lt=2999-01-01",
    );
    assert_eq!(listed.status, 200, "{}", listed.body);
    let listed: Value = serde_json::from_str(&listed.body).expect("JSON");
    assert_eq!(listed["results"][0]["name"], "fido", "{listed}");
    assert_eq!(listed["count"], 2, "{listed}");
    let barked = Client::new(&server).get("/plugins/kennel/bark/2/");
    assert_eq!(
        (barked.status, barked.body.as_str()),
        (200, "woof woof "),
        "public routes need no sign-in"
    );
}

#[test]
fn without_login_required_anonymous_visitors_view_only_exempt_models() {
    let server = NetboxServer::start(
        env!("CARGO_BIN_EXE_netbox-with-fixtures"),
        "plugins = ['access_lists']\n[security]\nlogin_required = false\nexempt_view_permissions = ['dcim.site']\n",
    );
    site(&server, "alpha", "active");
    let anonymous = Client::new(&server);
    assert_eq!(anonymous.get("/api/dcim/sites/").json()["count"], 1);
    let page = anonymous.get("/dcim/sites/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ALPHA"));
    assert_eq!(
        anonymous.get("/api/dcim/devices/").status,
        403,
        "not exempt"
    );
    let write = anonymous.api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "B", "slug": "b"}),
    );
    assert_eq!(write.status, 403, "anonymous visitors never write");
    let plugin_page = anonymous.get("/plugins/access-lists/access-lists/");
    assert_eq!(plugin_page.status, 403);
    assert_eq!(anonymous.get("/").status, 200, "the home page is open");
    assert_eq!(anonymous.get("/api/plugins/installed-plugins/").status, 403);
}

#[test]
fn editing_tokens_groups_and_permissions_takes_effect_at_once() {
    let server = server();
    site(&server, "alpha", "active");
    site(&server, "beta", "active");
    let jane = user(&server, "jane");
    let token = token_of(&server, "jane", json!({}));
    let api = Client::with_token(&server, &token);
    assert_eq!(api.get("/api/dcim/sites/").status, 403);

    // A permission given to a group reaches its members.
    let group = admin(&server).api("POST", "/api/users/groups/", json!({"name": "noc"}));
    assert_eq!(group.status, 201, "{}", group.body);
    let group = group.json()["id"].as_i64().expect("id");
    let body = json!({"name": "noc sites", "object_types": ["dcim.site"], "actions": ["view"], "groups": [group]});
    let permission = admin(&server).api("POST", "/api/users/permissions/", body);
    assert_eq!(permission.status, 201, "{}", permission.body);
    let permission = permission.json()["id"].as_i64().expect("id");
    assert_eq!(api.get("/api/dcim/sites/").status, 403, "not a member yet");
    let joined = admin(&server).api(
        "PATCH",
        &format!("/api/users/groups/{group}/"),
        json!({"users": [jane]}),
    );
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert_eq!(api.get("/api/dcim/sites/").json()["count"], 2);

    // Narrowing the permission applies to the next request.
    let narrowed = admin(&server).api(
        "PATCH",
        &format!("/api/users/permissions/{permission}/"),
        json!({"constraints": {"slug": "beta"}}),
    );
    assert_eq!(narrowed.status, 200, "{}", narrowed.body);
    assert_eq!(api.get("/api/dcim/sites/").json()["count"], 1);
    let bad = admin(&server).api(
        "PATCH",
        &format!("/api/users/permissions/{permission}/"),
        json!({"actions": ["fly"]}),
    );
    assert_eq!(bad.status, 400);
    let disabled = admin(&server).api(
        "PATCH",
        &format!("/api/users/permissions/{permission}/"),
        json!({"enabled": false}),
    );
    assert_eq!(disabled.status, 200);
    assert_eq!(
        api.get("/api/dcim/sites/").status,
        403,
        "a disabled permission gives nothing"
    );

    // Disabling a token refuses it.
    let id = api.get("/api/users/tokens/").json()["results"][0]["id"]
        .as_i64()
        .expect("id");
    let off = admin(&server).api(
        "PATCH",
        &format!("/api/users/tokens/{id}/"),
        json!({"enabled": false, "description": "paused"}),
    );
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(off.json()["description"], "paused");
    assert_eq!(
        api.get("/api/dcim/sites/").json()["detail"],
        "Token disabled"
    );
}

#[test]
fn bad_account_input_gets_a_clear_400() {
    let server = server();
    let jane = user(&server, "jane");
    let admin = admin(&server);
    let permission = |constraints: Value| {
        let body = json!({"name": "p", "object_types": ["dcim.device"], "actions": ["view"], "constraints": constraints, "users": [jane]});
        admin.api("POST", "/api/users/permissions/", body)
    };
    for (constraints, expected) in [
        (json!({"name__isnull": "true"}), "needs true or false"),
        (json!({"site_id": "abc"}), "not a whole number"),
        (json!({"site_id__in": 5}), "needs a list"),
        (json!({"site_id__regex": "x"}), "not a supported lookup"),
        (json!({"site__name": "x"}), "not a supported lookup"),
    ] {
        let reply = permission(constraints.clone());
        assert_eq!(reply.status, 400, "{constraints}: {}", reply.body);
        assert!(
            reply.body.contains(expected),
            "{constraints}: {}",
            reply.body
        );
    }
    let twice = admin.api("POST", "/api/users/permissions/", json!({"name": "q", "object_types": ["dcim.site"], "actions": ["view", "view"], "users": [jane, jane, 9999]}));
    assert_eq!(twice.status, 400);
    assert!(
        twice.body.contains("there is no user 9999"),
        "{}",
        twice.body
    );
    let listed = admin.api(
        "POST",
        "/api/users/users/",
        json!(["arr", "Arr-password-123", "", true, true, []]),
    );
    assert_eq!(
        listed.status, 400,
        "a list is not an object: {}",
        listed.body
    );
    let nul = admin.api("POST", "/api/users/groups/", json!({"name": "x\u{0}y"}));
    assert_eq!(nul.status, 400);
    let nul_site = admin.api(
        "POST",
        "/api/dcim/sites/",
        json!({"name": "nul\u{0}x", "slug": "nul"}),
    );
    assert_eq!(nul_site.status, 400, "{}", nul_site.body);
    let null_email = admin.api(
        "PATCH",
        &format!("/api/users/users/{jane}/"),
        json!({"email": null}),
    );
    assert_eq!(null_email.status, 400);
    assert!(
        null_email.body.contains("`email` may not be null"),
        "{}",
        null_email.body
    );
    let missing = Client::new(&server).api(
        "POST",
        "/api/users/tokens/provision/",
        json!({"username": "jane"}),
    );
    assert_eq!(missing.status, 400);
    // Someone else's token cannot be deleted from the page, and it says so.
    let browser = Client::new(&server);
    assert_eq!(browser.login("jane", PASSWORD).status, 303);
    let admin_token = admin.get("/api/users/tokens/").json()["results"][0]["id"]
        .as_i64()
        .expect("id");
    let other = browser.submit(
        "/user/api-tokens/",
        &format!("/user/api-tokens/{admin_token}/delete/"),
        &[],
    );
    assert_eq!(other.status, 404);
    // Pages she may not use are not linked from the home page.
    let home = browser.get("/");
    assert!(
        !home.body.contains("href=\"/plugins/\"") && !home.body.contains("/core/plugins/"),
        "{}",
        home.body
    );
    // Lists that take no filters say so instead of ignoring them; long searches are refused.
    let filtered = admin.get("/api/users/users/?username=jane");
    assert_eq!(filtered.status, 400);
    assert!(filtered.body.contains("`username`"), "{}", filtered.body);
    let long = admin.get(&format!("/api/dcim/sites/?q={}", "a".repeat(2000)));
    assert_eq!(long.status, 400, "{}", long.body);
    // Every answer carries the security headers, error pages included.
    let too_big = browser.send("GET", "/login/", None, &[("Host", "evil.example")]);
    assert_eq!(too_big.status, 400);
    assert!(too_big.header("content-security-policy").is_some());
}
