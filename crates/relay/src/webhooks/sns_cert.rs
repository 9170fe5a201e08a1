//! Amazon SNS signing certificates: which URLs may serve them, and a small
//! cache of the public keys they hold.
//!
//! An SNS message names the certificate that verifies it (`SigningCertURL`),
//! so the URL is the whole of the trust: it must be `https://` on
//! `sns.<region>.amazonaws.com` (or `.amazonaws.com.cn`), with no user
//! info, no port, no query, and a path ending in `.pem`. The certificate is
//! then fetched over HTTPS (whose own certificate check proves the host) and
//! its RSA key kept, so that each certificate is fetched once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use url::{Host, Url};
use x509_cert::der::{DecodePem, Encode};
use x509_cert::Certificate;

use super::fetch::HttpsFetcher;

/// More distinct certificates than SNS uses at once: a full cache is
/// emptied (attackers can make the relay fetch from pinned URLs that do not
/// exist, but those are never cached).
const MAX_CACHED: usize = 32;

/// Why a signing key could not be had.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum CertError {
    /// The URL is not a pinned SNS certificate URL.
    NotPinned,
    /// The fetch failed: the provider should retry.
    Fetch(String),
    /// What was served is not a PEM X.509 certificate with an RSA key.
    NotRsaCertificate,
    /// The certificate is not valid at this time.
    Expired,
}

/// A certificate's key and the time it is valid for.
#[derive(Debug)]
struct CachedKey {
    key: Arc<RsaPublicKey>,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
}

/// Signing keys by certificate URL. The lock is never held across a fetch.
#[derive(Debug, Default)]
pub(super) struct CertCache {
    keys: Mutex<HashMap<String, CachedKey>>,
}

impl CertCache {
    /// The RSA key of the certificate at `url`, fetched through `fetcher`
    /// the first time.
    pub(super) async fn key(
        &self,
        url: &str,
        fetcher: &dyn HttpsFetcher,
        now: DateTime<Utc>,
    ) -> Result<Arc<RsaPublicKey>, CertError> {
        let url = certificate_url(url).ok_or(CertError::NotPinned)?;
        let cached = self
            .lock()
            .get(url.as_str())
            .map(|cached| (cached.key.clone(), cached.not_before, cached.not_after));
        let (key, not_before, not_after) = match cached {
            Some(cached) => cached,
            None => {
                let pem = fetcher
                    .get(url.as_str())
                    .await
                    .map_err(|error| CertError::Fetch(error.0))?;
                let fetched = parse_certificate(&pem)?;
                let found = (fetched.key.clone(), fetched.not_before, fetched.not_after);
                let mut keys = self.lock();
                if keys.len() >= MAX_CACHED {
                    keys.clear();
                }
                keys.insert(url.to_string(), fetched);
                found
            }
        };
        if now < not_before || now > not_after {
            return Err(CertError::Expired);
        }
        Ok(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedKey>> {
        // The map holds no invariant a panicking holder could break.
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn parse_certificate(pem: &[u8]) -> Result<CachedKey, CertError> {
    let certificate = Certificate::from_pem(pem).map_err(|_| CertError::NotRsaCertificate)?;
    let tbs = &certificate.tbs_certificate;
    let spki = tbs
        .subject_public_key_info
        .to_der()
        .map_err(|_| CertError::NotRsaCertificate)?;
    let key = RsaPublicKey::from_public_key_der(&spki).map_err(|_| CertError::NotRsaCertificate)?;
    let time = |time: x509_cert::time::Time| {
        DateTime::<Utc>::from_timestamp(time.to_unix_duration().as_secs() as i64, 0)
            .ok_or(CertError::NotRsaCertificate)
    };
    Ok(CachedKey {
        key: Arc::new(key),
        not_before: time(tbs.validity.not_before)?,
        not_after: time(tbs.validity.not_after)?,
    })
}

/// A `SigningCertURL` that may be fetched: on a pinned host, a path ending
/// in `.pem`, no query.
pub(super) fn certificate_url(raw: &str) -> Option<Url> {
    pinned_url(raw).filter(|url| url.path().ends_with(".pem") && url.query().is_none())
}

/// A `SubscribeURL` that may be called: on a pinned host, SNS's
/// `ConfirmSubscription` action.
pub(super) fn subscribe_url(raw: &str) -> Option<Url> {
    pinned_url(raw).filter(|url| {
        url.query_pairs()
            .any(|(name, value)| name == "Action" && value == "ConfirmSubscription")
    })
}

/// `raw` parsed, if it is `https://sns.<region>.amazonaws.com[.cn]/...`
/// with no user info, port or fragment.
fn pinned_url(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    let Some(Host::Domain(host)) = url.host() else {
        return None;
    };
    let pinned = url.scheme() == "https"
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && url.fragment().is_none()
        && is_sns_host(host);
    pinned.then_some(url)
}

/// `sns.<region>.amazonaws.com` or `sns.<region>.amazonaws.com.cn`, where a
/// region is like `us-east-1`, `eu-central-2`, `us-gov-west-1` or
/// `cn-north-1`: lowercase words joined by `-`, the first two letters long,
/// the last a number.
fn is_sns_host(host: &str) -> bool {
    let Some(rest) = host.strip_prefix("sns.") else {
        return false;
    };
    let Some(region) = rest
        .strip_suffix(".amazonaws.com")
        .or_else(|| rest.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    let words: Vec<&str> = region.split('-').collect();
    let [first, middle @ .., last] = words.as_slice() else {
        return false;
    };
    let letters = |word: &&str| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase());
    first.len() == 2
        && letters(first)
        && !middle.is_empty()
        && middle.iter().all(letters)
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem_url(raw: &str) -> bool {
        certificate_url(raw).is_some()
    }

    #[test]
    fn certificate_urls_on_sns_regional_hosts_are_pinned() {
        assert!(pem_url(
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
        ));
        assert!(pem_url("https://sns.us-gov-west-1.amazonaws.com/a.pem"));
        assert!(pem_url("https://sns.cn-north-1.amazonaws.com.cn/a.pem"));
        assert!(pem_url("https://SNS.EU-WEST-1.AMAZONAWS.COM/a.pem"));
    }

    #[test]
    fn lookalike_and_insecure_certificate_urls_are_refused() {
        for url in [
            "http://sns.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
            "https://sns.us-east-1.amazonaws.com@evil.example/x.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
            "https://user@sns.us-east-1.amazonaws.com/a.pem",
            "https://sns.us-east-1.amazonaws.com:8443/a.pem",
            "https://sns.us-east-1.amazonaws.com/a.pem?x=1",
            "https://sns.us-east-1.amazonaws.com/a.pem#x",
            "https://sns.us-east-1.amazonaws.com/a.txt",
            "https://sns.amazonaws.com/a.pem",
            "https://sns.evil-1.amazonaws.com.evil/a.pem",
            "https://sns.us-east.amazonaws.com/a.pem",
            "https://xsns.us-east-1.amazonaws.com/a.pem",
            "https://sqs.us-east-1.amazonaws.com/a.pem",
            "https://54.239.28.85/a.pem",
            "sns.us-east-1.amazonaws.com/a.pem",
        ] {
            assert!(!pem_url(url), "{url} should not be pinned");
        }
    }

    #[test]
    fn only_confirm_subscription_on_a_pinned_host_may_be_called() {
        let topic = "TopicArn=arn:aws:sns:us-east-1:123456789012:herald&Token=2336412f37";
        let good =
            format!("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&{topic}");
        assert!(subscribe_url(&good).is_some());
        for url in [
            format!("http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&{topic}"),
            format!("https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription&{topic}"),
            format!("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&{topic}"),
            format!("https://evil.example/?Action=ConfirmSubscription&{topic}"),
        ] {
            assert!(subscribe_url(&url).is_none(), "{url} should not be called");
        }
    }
}
