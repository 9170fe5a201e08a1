//! Tracked links: the markers a prepared template carries where per-
//! recipient URLs go, and splicing the signed URLs in after rendering.
//!
//! A prepared template holds, in place of each tracked href, the href as
//! written between `LINK_START` and `LINK_END`; `PREHEADER` where the
//! hidden preheader goes and `OPEN_PIXEL` as the pixel's `src`. The
//! characters are C0 controls that neither a template nor a contact value
//! may contain (both are checked), so a rendered part has markers only
//! where the composer put them.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;

use herald_core::token::{check_click_url, sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use uuid::Uuid;

use crate::relay::RelayUrl;

pub(super) const LINK_START: char = '\u{1}';
pub(super) const LINK_END: char = '\u{2}';
pub(super) const PREHEADER: char = '\u{3}';
pub(super) const OPEN_PIXEL: char = '\u{4}';

/// Whether the composer may use `text` as a template: no marker character.
pub(super) fn has_marker(text: &str) -> bool {
    text.contains([LINK_START, LINK_END, PREHEADER, OPEN_PIXEL])
}

/// Whether an href (as the recipient's client would read it) is one the
/// composer tracks: absolute http(s). `mailto:`, `tel:`, `#anchors` and
/// relative links are left alone.
pub(super) fn is_trackable(url: &str) -> bool {
    let url = url.trim_start();
    url.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        || url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// The destination a click token carries for `url`: the URL as written
/// when a token can carry it, otherwise the URL parser's normal form
/// (which percent-encodes spaces and non-ASCII).
pub(super) fn click_destination(url: &str) -> Result<String, String> {
    let url = url.trim();
    if check_click_url(url).is_ok() {
        return Ok(url.to_owned());
    }
    let parsed = url::Url::parse(url).map_err(|e| format!("not a valid URL ({e})"))?;
    check_click_url(parsed.as_str()).map_err(|e| e.to_string())?;
    Ok(parsed.into())
}

/// The per-campaign part of tracking: the relay's routes and the key.
#[derive(Debug)]
pub(super) struct Tracking {
    /// `<relay>/c/`, `<relay>/o/`, `<relay>/u/`, `<relay>/v/`.
    click_prefix: String,
    open_prefix: String,
    unsubscribe_prefix: String,
    view_prefix: String,
    key: SigningKey,
    campaign: Uuid,
    /// The campaign's tracked URLs, each already accepted by
    /// `click_destination` at preparation: a link that renders to one of
    /// them needs no new check per recipient.
    known: HashSet<String>,
}

impl Tracking {
    pub(super) fn new(relay: &RelayUrl, key: SigningKey, campaign: Uuid) -> Tracking {
        Tracking {
            click_prefix: relay.endpoint("c/").into(),
            open_prefix: relay.endpoint("o/").into(),
            unsubscribe_prefix: relay.endpoint("u/").into(),
            view_prefix: relay.endpoint("v/").into(),
            key,
            campaign,
            known: HashSet::new(),
        }
    }

    /// Remembers the campaign's tracked URLs (see `known`).
    pub(super) fn with_known(mut self, urls: &[String]) -> Tracking {
        self.known = urls.iter().cloned().collect();
        self
    }

    fn token(&self, kind: TokenKind, recipient: Uuid, url: Option<String>) -> String {
        let claims = Claims {
            kind,
            campaign: self.campaign,
            recipient,
            channel: Channel::Email,
            url,
        };
        // Only a click URL can be refused, and those are checked by
        // `click_destination` first.
        sign(&self.key, &claims).unwrap_or_default()
    }

    /// The recipient's one-click unsubscribe page.
    pub(super) fn unsubscribe_url(&self, recipient: Uuid) -> String {
        let token = self.token(TokenKind::Unsubscribe, recipient, None);
        format!("{}{token}", self.unsubscribe_prefix)
    }

    /// The recipient's link to the campaign's web version (`web_view_url`).
    /// Not a tracking link: the relay only serves the page with it.
    pub(super) fn web_view_url(&self, recipient: Uuid) -> String {
        let token = self.token(TokenKind::View, recipient, None);
        format!("{}{token}", self.view_prefix)
    }
}

/// One recipient's view of tracking while splicing a part.
#[derive(Debug)]
pub(super) struct Splice<'a> {
    pub tracking: Option<&'a Tracking>,
    pub recipient: Uuid,
    pub unsubscribe_url: Option<&'a str>,
    /// The recipient's web version link: never tracked either.
    pub web_view_url: Option<&'a str>,
    /// The rendered preheader, already escaped for the part.
    pub preheader: &'a str,
    /// Whether the part is HTML (link text is entity-escaped there).
    pub html: bool,
    /// The click tokens already signed for this recipient, when there is
    /// one.
    pub signed: Option<&'a Signed>,
}

/// One recipient's click tokens by destination: the text part links to the
/// same URLs as the HTML part, and a URL may appear more than once, so
/// each is signed once per message.
#[derive(Debug, Default)]
pub(super) struct Signed(RefCell<Vec<(String, String)>>);

impl Signed {
    fn get(&self, destination: &str) -> Option<std::cell::Ref<'_, str>> {
        let cache = self.0.borrow();
        let i = cache.iter().position(|(d, _)| d == destination)?;
        Some(std::cell::Ref::map(cache, |c| c[i].1.as_str()))
    }
}

/// Where a spliced part goes: a `String` (the preview, the web version)
/// or a message's body as it is written.
pub(super) trait Out {
    fn put(&mut self, text: &str);
}

impl Out for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// [`splice_into`] a new `String`.
pub(super) fn splice(rendered: &str, s: &Splice<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(rendered.len() + 2048);
    splice_into(rendered, s, &mut out)?;
    Ok(out)
}

/// Replaces the markers of a rendered part, writing the result to `out`.
/// A link that is not trackable once rendered (it became a `mailto:`, the
/// unsubscribe or web version URL) is written back as it was; one that is
/// trackable but cannot be signed is an error naming the URL.
pub(super) fn splice_into<O: Out + ?Sized>(
    rendered: &str,
    s: &Splice<'_>,
    out: &mut O,
) -> Result<(), String> {
    let mut rest = rendered;
    // The markers are single bytes, so a byte search finds them (memchr's
    // vectorised search: the rendered HTML is tens of kilobytes).
    while let Some(i) = memchr::memchr3(
        LINK_START as u8,
        PREHEADER as u8,
        OPEN_PIXEL as u8,
        rest.as_bytes(),
    ) {
        out.put(&rest[..i]);
        let marker = char::from(rest.as_bytes()[i]);
        rest = &rest[i + 1..];
        match marker {
            PREHEADER => out.put(s.preheader),
            OPEN_PIXEL => {
                if let Some(t) = s.tracking {
                    out.put(&t.open_prefix);
                    out.put(&t.token(TokenKind::Open, s.recipient, None));
                }
            }
            _ => {
                let end = memchr::memchr(LINK_END as u8, rest.as_bytes()).unwrap_or(rest.len());
                let written = &rest[..end];
                rest = rest.get(end + 1..).unwrap_or("");
                link(written, s, out)?;
            }
        }
    }
    out.put(rest);
    Ok(())
}

/// Writes one marked link: signed when tracked, as written otherwise. The
/// relay's prefix and the token go to `out` as they are, not formatted
/// into a new string first.
fn link<O: Out + ?Sized>(written: &str, s: &Splice<'_>, out: &mut O) -> Result<(), String> {
    let url = if s.html {
        unescape_html(written)
    } else {
        Cow::Borrowed(written)
    };
    let url = url.trim();
    let tracking = s.tracking.filter(|_| {
        is_trackable(url) && s.unsubscribe_url != Some(url) && s.web_view_url != Some(url)
    });
    let Some(tracking) = tracking else {
        // The template engine escapes `/` too; written back with only the
        // escapes an attribute needs, the href reads as the author wrote it.
        out.put(&if s.html {
            escape_html(url)
        } else {
            Cow::Borrowed(written)
        });
        return Ok(());
    };
    out.put(&tracking.click_prefix);
    if let Some(token) = s.signed.and_then(|signed| signed.get(url)) {
        out.put(&token);
        return Ok(());
    }
    let destination = if tracking.known.contains(url) {
        url.to_owned()
    } else {
        click_destination(url).map_err(|problem| format!("link \"{url}\": {problem}"))?
    };
    let token = tracking.token(TokenKind::Click, s.recipient, Some(destination));
    out.put(&token);
    if let Some(signed) = s.signed {
        // Keyed by the URL as rendered, which is what the next part holds.
        signed.0.borrow_mut().push((url.to_owned(), token));
    }
    Ok(())
}

/// The HTML without the open pixel's `<img>` (the tag around the
/// `OPEN_PIXEL` marker, which only the composer writes, in that tag's
/// `src`): for the web version, which nobody's reading of is tracked.
pub(super) fn strip_pixel(html: &str) -> Cow<'_, str> {
    let Some(at) = html.find(OPEN_PIXEL) else {
        return Cow::Borrowed(html);
    };
    let start = html[..at].rfind('<').unwrap_or(at);
    let end = html[at..].find('>').map_or(html.len(), |i| at + i + 1);
    Cow::Owned(format!("{}{}", &html[..start], &html[end..]))
}

/// Decodes the entities a template engine or an author puts in an href:
/// named `&amp; &lt; &gt; &quot; &apos;` and numeric ones. Others stay.
pub(super) fn unescape_html(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escapes text for HTML content or a double-quoted attribute.
pub(super) fn escape_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// HTML with every non-ASCII character as a numeric character reference,
/// so that the part can go as 7bit. Sound in text and attribute values,
/// where references are decoded; the prepared HTML has no `<style>` or
/// `<script>` content, where they would not be.
pub(super) fn ascii_html(html: String) -> String {
    if html.is_ascii() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 64);
    for c in html.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            use std::fmt::Write as _;
            let _ = write!(out, "&#{};", u32::from(c));
        }
    }
    out
}
