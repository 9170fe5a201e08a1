//! The one outbound call the webhooks make: an HTTPS GET, for SNS signing
//! certificates and SNS subscription confirmations. A trait, so that tests
//! serve their own certificates; [`ReqwestFetcher`] is the real one.

use std::time::Duration;

use async_trait::async_trait;

/// GETs an `https://` URL that the caller has already pinned to a trusted
/// host, and returns the body.
#[async_trait]
pub trait HttpsFetcher: Send + Sync + std::fmt::Debug {
    async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError>;
}

/// A failed fetch. The message names what went wrong, not the URL (an SNS
/// confirmation URL carries a subscription token).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct FetchError(pub String);

/// The largest body [`ReqwestFetcher`] reads: an SNS certificate is about
/// 2 KiB, a confirmation answer less.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// [`HttpsFetcher`] over reqwest and rustls (ring). HTTPS only, no
/// redirects (a redirect would leave the pinned host), short timeouts, and a
/// body limit.
#[derive(Debug, Clone)]
pub struct ReqwestFetcher {
    client: reqwest::Client,
}

impl ReqwestFetcher {
    pub fn new() -> Result<Self, FetchError> {
        // reqwest is built without a default crypto provider (the default
        // one, aws-lc, needs cmake); this installs ring as the process's
        // provider unless something already installed one, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .https_only(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| FetchError(format!("building the HTTPS client: {error}")))?;
        Ok(ReqwestFetcher { client })
    }
}

#[async_trait]
impl HttpsFetcher for ReqwestFetcher {
    async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let failed = |error: reqwest::Error| FetchError(error.without_url().to_string());
        let mut response = self.client.get(url).send().await.map_err(failed)?;
        if !response.status().is_success() {
            return Err(FetchError(format!("answered {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(FetchError(format!(
                    "body larger than {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_real_fetcher_builds_and_refuses_plain_http() {
        // Loopback only: port 9 (discard) is never reached, since an
        // `http://` URL is refused before any connection.
        let fetcher = ReqwestFetcher::new().expect("the HTTPS client builds on ring");
        let refused = fetcher.get("http://127.0.0.1:9/cert.pem").await;
        assert!(refused.is_err(), "{refused:?}");
        assert!(!refused.unwrap_err().0.contains("127.0.0.1"));
    }
}
