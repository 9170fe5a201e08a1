//! The relay's base URL, parsed once.
//!
//! HTTPS is required, because the API token travels with every pull; plain
//! HTTP is accepted only for a relay on this machine (`localhost`,
//! `127.0.0.1`, `::1`), as in development and tests. A path prefix is kept
//! (`https://example.com/herald/` serves `.../herald/api/v1/events`); a
//! query, a fragment or credentials in the URL are refused.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

use super::RelayError;

/// A relay base URL Herald will talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayUrl(Url);

impl RelayUrl {
    pub fn parse(raw: &str) -> Result<RelayUrl, RelayError> {
        let raw = raw.trim();
        let invalid = |why: &str| RelayError::InvalidUrl(format!("\"{raw}\" {why}"));
        let mut url = Url::parse(raw).map_err(|e| {
            invalid(&format!(
                "is not a URL ({e}); write it as https://relay.example.com"
            ))
        })?;
        let local = match url.host() {
            Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            None => return Err(invalid("has no host")),
        };
        match url.scheme() {
            "https" => {}
            "http" if local => {}
            "http" => return Err(invalid(
                "uses plain HTTP: the API token would cross the internet unencrypted; use https://",
            )),
            _ => return Err(invalid("is not an https:// URL")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Not echoed: the URL holds a password.
            return Err(RelayError::InvalidUrl(
                "the URL contains a user name or password; give the relay's base URL only \
                 (the API token is kept in the keychain)"
                    .to_owned(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            // Not echoed: a query may hold a token.
            return Err(RelayError::InvalidUrl(
                "the URL has a query or fragment; give the relay's base URL only".to_owned(),
            ));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(RelayUrl(url))
    }

    /// `path` (relative, e.g. `api/v1/events`) under the base URL.
    pub fn endpoint(&self, path: &str) -> Url {
        self.0
            .join(path)
            .expect("a relative path joins onto a base URL that ends in /")
    }

    /// The URL as written back to the settings and shown to the user,
    /// without the trailing slash.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

impl fmt::Display for RelayUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_are_accepted_and_keep_their_path() {
        let url = RelayUrl::parse(" https://relay.example.com ").unwrap();
        assert_eq!(url.as_str(), "https://relay.example.com");
        assert_eq!(
            url.endpoint("api/v1/events").as_str(),
            "https://relay.example.com/api/v1/events"
        );
        let prefixed = RelayUrl::parse("https://example.com/herald").unwrap();
        assert_eq!(
            prefixed.endpoint("healthz").as_str(),
            "https://example.com/herald/healthz"
        );
    }

    #[test]
    fn plain_http_is_only_for_this_machine() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:9",
        ] {
            RelayUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "http://relay.example.com",
            "http://10.0.0.5",
            "ftp://relay.example.com",
            "relay.example.com",
            "https://user:pw@relay.example.com",
            "https://relay.example.com/?token=x",
            "https://relay.example.com/#x",
            "",
        ] {
            assert!(
                matches!(RelayUrl::parse(bad), Err(RelayError::InvalidUrl(_))),
                "{bad}"
            );
        }
    }
}
