//! Where a request comes from and what it is addressed to: the Host header checked against
//! `allowed_hosts`, and the client's address and scheme, believing `X-Forwarded-For`,
//! `X-Forwarded-Proto` and `Forwarded` only from the configured proxies.

use crate::config::security::{ProxyHeader, SecurityConfig};
use actix_web::dev::ServiceRequest;
use std::net::IpAddr;

/// The client of a request, as far as the configuration lets us believe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's address (`None` when unknown, e.g. in tests without a peer).
    pub address: Option<IpAddr>,
    /// Whether the client used HTTPS (to us or to a trusted proxy).
    pub https: bool,
}

impl Client {
    /// The address as text, for throttling and logs.
    pub fn address_text(&self) -> String {
        self.address
            .map_or_else(|| "unknown".to_string(), |address| address.to_string())
    }
}

fn header<'a>(request: &'a ServiceRequest, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The `for=` addresses and the last `proto=` of a `Forwarded` header.
fn forwarded(value: &str) -> (Vec<String>, Option<String>) {
    let mut addresses = Vec::new();
    let mut proto = None;
    for element in value.split(',') {
        for pair in element.split(';') {
            let Some((key, value)) = pair.trim().split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "for" => addresses.push(value.to_string()),
                "proto" => proto = Some(value.to_ascii_lowercase()),
                _ => {}
            }
        }
    }
    (addresses, proto)
}

/// Parses `1.2.3.4`, `1.2.3.4:5678`, `[::1]` or `[::1]:5678`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(address) = text.parse() {
        return Some(address);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    text.rsplit_once(':')?.0.parse().ok()
}

/// The client of `request`: the peer, unless the peer is a trusted proxy, in which case the
/// rightmost forwarded address that is not itself a trusted proxy.
pub fn client(request: &ServiceRequest, config: &SecurityConfig) -> Client {
    let peer = request.peer_addr().map(|address| address.ip());
    let trusted = |address: &IpAddr| {
        config
            .trusted_proxies
            .iter()
            .any(|net| net.contains(address))
    };
    // Not `connection_info()`: it believes forwarding headers from anyone.
    let Some(peer_address) = peer.filter(|address| trusted(address)) else {
        return Client {
            address: peer,
            https: request.app_config().secure(),
        };
    };
    let (chain, proto) = match config.proxy_header {
        ProxyHeader::Forwarded => header(request, "forwarded")
            .map(forwarded)
            .unwrap_or_default(),
        ProxyHeader::XForwardedFor => (
            header(request, "x-forwarded-for")
                .map(|value| {
                    value
                        .split(',')
                        .map(|part| part.trim().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            header(request, "x-forwarded-proto").map(|value| value.trim().to_ascii_lowercase()),
        ),
    };
    let address = chain
        .iter()
        .rev()
        .filter_map(|text| parse_address(text))
        .find(|address| !trusted(address))
        .or(Some(peer_address));
    Client {
        address,
        https: proto.as_deref() == Some("https") || request.app_config().secure(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn config(proxies: &[&str]) -> SecurityConfig {
        SecurityConfig {
            trusted_proxies: proxies
                .iter()
                .map(|p| p.parse().expect("network"))
                .collect(),
            ..SecurityConfig::default()
        }
    }

    #[test]
    fn forwarded_headers_only_from_trusted_proxies() {
        let request = TestRequest::default()
            .peer_addr("10.0.0.5:4000".parse().expect("address"))
            .insert_header(("X-Forwarded-For", "203.0.113.9, 10.0.0.7"))
            .insert_header(("X-Forwarded-Proto", "https"))
            .to_srv_request();
        let believed = client(&request, &config(&["10.0.0.0/8"]));
        assert_eq!(believed.address, "203.0.113.9".parse().ok());
        assert!(believed.https);
        let ignored = client(&request, &config(&[]));
        assert_eq!(ignored.address, "10.0.0.5".parse().ok());
        assert!(!ignored.https);
        // A `Forwarded` header the client sent through an X-Forwarded-For proxy is not read.
        let spoofed = TestRequest::default()
            .peer_addr("10.0.0.5:4000".parse().expect("address"))
            .insert_header(("Forwarded", "for=10.1.2.3"))
            .insert_header(("X-Forwarded-For", "203.0.113.9"))
            .to_srv_request();
        let believed = client(&spoofed, &config(&["10.0.0.0/8"]));
        assert_eq!(believed.address, "203.0.113.9".parse().ok());
    }

    #[test]
    fn forwarded_header_of_rfc_7239() {
        let (addresses, proto) = forwarded(r#"for=192.0.2.60;proto=https, for="[2001:db8::1]:80""#);
        assert_eq!(addresses, ["192.0.2.60", "[2001:db8::1]:80"]);
        assert_eq!(proto.as_deref(), Some("https"));
        assert_eq!(
            parse_address("[2001:db8::1]:80"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(parse_address("192.0.2.60:81"), "192.0.2.60".parse().ok());
    }
}
