//! The `[security]` table of the configuration: sign-in, sessions, tokens, hosts and proxies.
//!
//! ```toml
//! [security]
//! login_required = true                  # anonymous visitors are sent to /login/
//! exempt_view_permissions = []           # with login_required = false: models anonymous
//!                                        # visitors may view ("dcim.site"), or ["*"]
//! allowed_hosts = ["netbox.example.com"] # Host headers served; others get 400
//! trusted_proxies = ["10.0.0.0/8"]       # whose forwarding header is believed
//! proxy_header = "x-forwarded-for"       # the header those proxies set ("forwarded": RFC 7239)
//! session_cookie_secure = true           # send the session cookie over HTTPS only
//! session_age = "14days"                 # how long a sign-in lasts
//! api_token_pepper = "..."               # secret keying v2 token hashes (at least 32 characters)
//! ```

use ipnet::IpNet;
use serde::Deserialize;
use std::time::Duration;

/// Host names served when `allowed_hosts` is not set: this machine only.
pub const DEFAULT_ALLOWED_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// The shortest `api_token_pepper` accepted.
pub const PEPPER_MIN: usize = 32;

/// The forwarding header trusted proxies set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyHeader {
    /// `X-Forwarded-For` and `X-Forwarded-Proto` (nginx, HAProxy, most load balancers).
    #[default]
    XForwardedFor,
    /// `Forwarded` (RFC 7239).
    Forwarded,
}

/// Security settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// Whether every page and API call needs a signed-in user or a token (NetBox 4's default).
    pub login_required: bool,
    /// Models anonymous visitors may view when `login_required` is false (`"*"`: all).
    pub exempt_view_permissions: Vec<String>,
    /// Host names (and `host:port`) requests may be addressed to; `.example.com` matches the
    /// domain and its subdomains; `"*"` matches any (not recommended).
    pub allowed_hosts: Vec<String>,
    /// Proxies whose forwarding headers are believed; from anyone else they are ignored.
    pub trusted_proxies: Vec<IpNet>,
    /// The header the trusted proxies set: `X-Forwarded-For` (with `X-Forwarded-Proto`), or
    /// RFC 7239's `Forwarded`. Only that one is read: a client could send the other, and a
    /// proxy that does not set it passes it on.
    pub proxy_header: ProxyHeader,
    /// Whether the session and CSRF cookies are marked `Secure` (HTTPS only).
    pub session_cookie_secure: bool,
    /// How long a sign-in lasts, e.g. `"14days"`, `"8h"`.
    #[serde(with = "humantime_duration")]
    pub session_age: Duration,
    /// Secret keying the HMAC of v2 tokens' secrets.
    pub api_token_pepper: Option<String>,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            login_required: true,
            exempt_view_permissions: Vec::new(),
            allowed_hosts: DEFAULT_ALLOWED_HOSTS.map(String::from).to_vec(),
            trusted_proxies: Vec::new(),
            proxy_header: ProxyHeader::default(),
            session_cookie_secure: false,
            session_age: Duration::from_secs(14 * 24 * 3600),
            api_token_pepper: None,
        }
    }
}

impl SecurityConfig {
    /// What is wrong with these settings beyond their shape, one message per problem.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.allowed_hosts.is_empty() {
            problems.push(
                "security.allowed_hosts is empty: no request could be served (list this server's host names)"
                    .to_string(),
            );
        }
        for host in &self.allowed_hosts {
            let bare = host.trim_start_matches('.');
            if host != "*" && (bare.is_empty() || host.contains(['/', ' ', '@'])) {
                problems.push(format!(
                    "security.allowed_hosts: `{host}` is not a host name (e.g. \"netbox.example.com\", \".example.com\" or \"*\")"
                ));
            }
        }
        if let Some(pepper) = &self.api_token_pepper
            && pepper.chars().count() < PEPPER_MIN
        {
            problems.push(format!(
                "security.api_token_pepper must have at least {PEPPER_MIN} characters (it has {})",
                pepper.chars().count()
            ));
        }
        if self.session_age < Duration::from_secs(60)
            || self.session_age > Duration::from_secs(366 * 24 * 3600)
        {
            problems
                .push("security.session_age must be between one minute and one year".to_string());
        }
        problems
    }

    /// Whether a request addressed to `host` (the Host header, with or without port) is
    /// served.
    ///
    /// ```
    /// use netbox_app::config::security::SecurityConfig;
    /// let config = SecurityConfig { allowed_hosts: vec!["netbox.example.com".into(), ".lab.example".into()], ..Default::default() };
    /// assert!(config.host_allowed("netbox.example.com:8000"));
    /// assert!(config.host_allowed("NETBOX.example.com"));
    /// assert!(config.host_allowed("r1.lab.example"));
    /// assert!(!config.host_allowed("evil.example"));
    /// assert!(SecurityConfig::default().host_allowed("127.0.0.1:8000"));
    /// assert!(SecurityConfig::default().host_allowed("[::1]:8000"));
    /// assert!(!SecurityConfig::default().host_allowed("localhost:@evil.example"));
    /// ```
    pub fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((inner, after)) => (format!("[{inner}]"), after.strip_prefix(':')),
                None => return false,
            },
            None => match host.split_once(':') {
                Some((name, port)) => (name.to_string(), Some(port)),
                None => (host.clone(), None),
            },
        };
        // A port is digits only: `localhost:@evil.example` is not `localhost`.
        if port.is_some_and(|port| port.is_empty() || !port.chars().all(|c| c.is_ascii_digit())) {
            return false;
        }
        self.allowed_hosts.iter().any(|allowed| {
            let allowed = allowed.to_ascii_lowercase();
            allowed == "*"
                || allowed == name
                || allowed == host
                || allowed
                    .strip_prefix('.')
                    .is_some_and(|domain| name == domain || name.ends_with(&format!(".{domain}")))
        })
    }

    /// The pepper of v2 tokens (empty when none is configured).
    pub fn pepper(&self) -> &str {
        self.api_token_pepper.as_deref().unwrap_or_default()
    }
}

mod humantime_duration {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        humantime::parse_duration(&text).map_err(|error| {
            serde::de::Error::custom(format!(
                "`{text}` is not a duration ({error}); write e.g. \"14days\" or \"8h\""
            ))
        })
    }
}
