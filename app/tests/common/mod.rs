//! Shared helpers of the app's end-to-end tests.
#![allow(dead_code)]

use netbox_app::testing::NetboxServer;
use serde_json::{Value, json};
use std::time::Duration;

/// An HTTP client of one running server.
pub struct Client {
    agent: ureq::Agent,
    /// The server.
    pub server: NetboxServer,
}

/// A server with `config` (a fresh database) and a client for it.
pub fn client_with(config: &str) -> Client {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Client {
        agent,
        server: NetboxServer::start(env!("CARGO_BIN_EXE_netbox"), config),
    }
}

/// An answer: status, headers (lower-case names) and the parsed JSON body (`Null` when
/// empty, a string when not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl Client {
    /// Sends any method with extra headers and an optional JSON body, as the admin.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let url = self.server.url(path);
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("Authorization", self.server.authorization());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let bytes = match body {
            Some(body) => {
                request = request.header("Content-Type", "application/json");
                body.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        let request = request.body(bytes).expect("request");
        let mut response = self
            .agent
            .run(request)
            .unwrap_or_else(|error| panic!("{method} {url}: {error}"));
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    value.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let text = if method == "HEAD" {
            String::new()
        } else {
            response.body_mut().read_to_string().unwrap_or_default()
        };
        Reply {
            status: response.status().as_u16(),
            headers,
            body: if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            },
        }
    }

    /// Sends JSON (or nothing) and parses the JSON answer.
    pub fn json(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = self.server.url(path);
        let auth = self.server.authorization();
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            ("DELETE", _) => self
                .agent
                .delete(&url)
                .header("Authorization", &auth)
                .call(),
            ("POST", Some(body)) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .send_json(body),
            ("PUT", Some(body)) => self
                .agent
                .put(&url)
                .header("Authorization", &auth)
                .send_json(body),
            ("PATCH", Some(body)) => self
                .agent
                .patch(&url)
                .header("Authorization", &auth)
                .send_json(body),
            (method, _) => panic!("unsupported {method}"),
        };
        let mut response = response.unwrap_or_else(|error| panic!("{method} {url}: {error}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            },
        )
    }

    /// GETs a page.
    pub fn page(&self, path: &str) -> (u16, String) {
        let mut response = self
            .agent
            .get(&self.server.url(path))
            .header("Authorization", self.server.authorization())
            .call()
            .expect("GET page");
        (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// POSTs a form; status, Location header and body.
    pub fn form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut response = self
            .agent
            .post(&self.server.url(path))
            .header("Authorization", self.server.authorization())
            .send_form(fields.iter().copied())
            .expect("POST form");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (
            response.status().as_u16(),
            location,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// Creates a site; its id.
    pub fn site(&self, name: &str, slug: &str) -> i64 {
        let (status, site) = self.json(
            "POST",
            "/api/dcim/sites/",
            Some(json!({"name": name, "slug": slug})),
        );
        assert_eq!(status, 201, "{site}");
        site["id"].as_i64().expect("id")
    }
}
