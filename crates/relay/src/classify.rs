//! Telling machine hits from people: privacy proxies and prefetchers for
//! opens, link scanners for clicks.
//!
//! The relay sees one request and nothing else (it does not know when the
//! message was delivered), so it judges by the request alone and says why
//! in the event's `detail.machine_reason`. The desktop, which knows the
//! delivery time, applies the timing rule ("within seconds of delivery")
//! on top. The rules are documented in docs/relay.md; keep them in step.

use axum::http::{header, HeaderMap, Method};

/// User-agent fragments (lower case) of link scanners, preview bots and
/// HTTP libraries: a click from these is not a person's.
const SCANNERS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "preview",
    "scanner",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "headlesschrome",
    "phantomjs",
    "barracuda",
    "mimecast",
    "proofpoint",
    "symantec",
    "forcepoint",
    "trendmicro",
    "sophos",
    "fortiguard",
    "cisco",
    "ironport",
    "zscaler",
    "facebookexternalhit",
    "whatsapp",
    "skypeuripreview",
    "googleimageproxy",
    "yahoomailproxy",
];

/// Why an open looks like a machine's, or `None` for a person's.
pub fn open(headers: &HeaderMap) -> Option<&'static str> {
    let agent = user_agent(headers);
    if agent.is_empty() {
        return Some("no_user_agent");
    }
    if agent.contains("GoogleImageProxy") {
        return Some("gmail_image_proxy");
    }
    if agent.contains("YahooMailProxy") {
        return Some("yahoo_image_proxy");
    }
    // Apple Mail Privacy Protection loads remote content through Apple's
    // proxies with this bare user agent, at delivery time, whether or not
    // the message is ever read. Real Mail clients send a full one.
    if agent == "Mozilla/5.0" {
        return Some("apple_mail_privacy");
    }
    if is_prefetch(headers) {
        return Some("prefetch");
    }
    is_scanner(agent).then_some("bot")
}

/// Why a click looks like a scanner's, or `None` for a person's.
pub fn click(method: &Method, headers: &HeaderMap) -> Option<&'static str> {
    if method == Method::HEAD {
        return Some("head_request");
    }
    let agent = user_agent(headers);
    if agent.is_empty() {
        return Some("no_user_agent");
    }
    if is_prefetch(headers) {
        return Some("prefetch");
    }
    is_scanner(agent).then_some("scanner")
}

/// Whether `agent` contains one of [`SCANNERS`], ignoring ASCII case.
/// Every open and click asks, so a user agent of ordinary length is
/// lower-cased on the stack rather than into a new `String`.
fn is_scanner(agent: &str) -> bool {
    let matches = |lower: &str| SCANNERS.iter().any(|s| lower.contains(s));
    let mut buffer = [0u8; 512];
    let Some(lower) = buffer.get_mut(..agent.len()) else {
        return matches(&agent.to_ascii_lowercase());
    };
    lower.copy_from_slice(agent.as_bytes());
    lower.make_ascii_lowercase();
    // ASCII lower-casing leaves UTF-8 valid; the fallback is never taken.
    match std::str::from_utf8(lower) {
        Ok(lower) => matches(lower),
        Err(_) => matches(&agent.to_ascii_lowercase()),
    }
}

fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map_or("", str::trim)
}

/// Browsers mark speculative loads: `Sec-Purpose: prefetch`, the older
/// `Purpose: prefetch`, Firefox's `X-Moz: prefetch`, and link previews'
/// `X-Purpose: preview`.
fn is_prefetch(headers: &HeaderMap) -> bool {
    ["sec-purpose", "purpose", "x-purpose", "x-moz"]
        .iter()
        .any(|name| {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    let v = v.to_ascii_lowercase();
                    v.contains("prefetch") || v.contains("preview") || v.contains("prerender")
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(ua: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::USER_AGENT, ua.parse().unwrap());
        headers
    }

    const SAFARI: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

    #[test]
    fn opens_through_privacy_proxies_are_machine_opens() {
        let gmail = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
        assert_eq!(open(&agent(gmail)), Some("gmail_image_proxy"));
        assert_eq!(open(&agent("Mozilla/5.0")), Some("apple_mail_privacy"));
        assert_eq!(open(&HeaderMap::new()), Some("no_user_agent"));
        assert_eq!(
            open(&agent(
                "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"
            )),
            Some("yahoo_image_proxy")
        );
        assert_eq!(open(&agent(SAFARI)), None);
        assert_eq!(open(&agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148")), None);
    }

    #[test]
    fn head_requests_prefetches_and_scanners_are_machine_clicks() {
        assert_eq!(click(&Method::HEAD, &agent(SAFARI)), Some("head_request"));
        assert_eq!(click(&Method::GET, &agent(SAFARI)), None);
        assert_eq!(
            click(&Method::GET, &agent("python-requests/2.31")),
            Some("scanner")
        );
        assert_eq!(
            click(
                &Method::GET,
                &agent("Mozilla/5.0 (compatible; Barracuda Sentinel)")
            ),
            Some("scanner")
        );
        assert_eq!(
            click(&Method::GET, &HeaderMap::new()),
            Some("no_user_agent")
        );
        // Longer than the stack buffer: still searched, case and all.
        let long = format!("{} BarracudaCentral", "x".repeat(600));
        assert_eq!(click(&Method::GET, &agent(&long)), Some("scanner"));
        assert_eq!(
            open(&agent("Mozilla/5.0 (compatible; Googlebot/2.1)")),
            Some("bot")
        );
        let mut prefetch = agent(SAFARI);
        prefetch.insert("sec-purpose", "prefetch;prerender".parse().unwrap());
        assert_eq!(click(&Method::GET, &prefetch), Some("prefetch"));
    }
}
