//! The HTML pass of preparation: template tags protected from the HTML
//! parser, tracked links wrapped in markers, the preheader block and the
//! open pixel added (one streaming rewrite with lol_html).

use std::cell::RefCell;

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};

use super::links::{
    self, click_destination, is_trackable, LINK_END, LINK_START, OPEN_PIXEL, PREHEADER,
};
use super::ComposeError;

/// The HTML with every template tag (`{{ }}`, `{% %}`, `{# #}`) replaced by
/// a placeholder word, so that the CSS inliner's HTML parser and serialiser
/// (which escape `<`, `>` and `&` in text) leave the tags intact.
pub(super) struct Protected {
    pub(super) html: String,
    tags: Vec<String>,
}

const PLACEHOLDER: &str = "xhrldtpl";

impl Protected {
    pub(super) fn new(source: &str) -> Result<Protected, ComposeError> {
        if source.contains(PLACEHOLDER) {
            return Err(ComposeError::Html(format!(
                "the HTML contains the reserved word \"{PLACEHOLDER}\""
            )));
        }
        let mut html = String::with_capacity(source.len());
        let mut tags = Vec::new();
        let mut rest = source;
        while let Some(start) = find_tag_start(rest) {
            let close = match &rest[start + 1..start + 2] {
                "{" => "}}",
                "%" => "%}",
                _ => "#}",
            };
            let Some(len) = rest[start + 2..].find(close) else {
                break;
            };
            let end = start + 2 + len + 2;
            html.push_str(&rest[..start]);
            html.push_str(&format!("{PLACEHOLDER}{}x", tags.len()));
            tags.push(rest[start..end].to_owned());
            rest = &rest[end..];
        }
        html.push_str(rest);
        Ok(Protected { html, tags })
    }

    /// Puts the template tags back. A tag the parser took for an attribute
    /// name (`<td {% if x %}...`) comes back without the `=""` the
    /// serialiser gave it.
    pub(super) fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut rest = text;
        while let Some(i) = rest.find(PLACEHOLDER) {
            out.push_str(&rest[..i]);
            let after = &rest[i + PLACEHOLDER.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let index: Option<usize> = after[..digits].parse().ok();
            match (
                index.and_then(|n| self.tags.get(n)),
                after[digits..].strip_prefix('x'),
            ) {
                (Some(tag), Some(tail)) => {
                    out.push_str(tag);
                    rest = tail.strip_prefix("=\"\"").unwrap_or(tail);
                }
                _ => {
                    out.push_str(PLACEHOLDER);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn has_tag(text: &str) -> bool {
        text.contains(PLACEHOLDER)
    }

    /// Whether `href` is exactly `{{ unsubscribe_url }}` or `{{
    /// web_view_url }}`: Herald's own links, which are never tracked.
    fn is_herald_link(&self, href: &str) -> bool {
        let restored = self.restore(href.trim());
        restored
            .strip_prefix("{{")
            .and_then(|s| s.strip_suffix("}}"))
            .is_some_and(|inner| matches!(inner.trim(), "unsubscribe_url" | "web_view_url"))
    }
}

fn find_tag_start(s: &str) -> Option<usize> {
    s.match_indices('{')
        .map(|(i, _)| i)
        .find(|&i| matches!(s.as_bytes().get(i + 1), Some(b'{' | b'%' | b'#')))
}

pub(super) struct Marked {
    pub(super) html: String,
    pub(super) tracked_urls: Vec<String>,
    pub(super) personalised_links: Vec<String>,
}

/// Rewrites the inlined HTML: tracked hrefs wrapped in link markers, the
/// preheader marker at the start of the body, the open pixel at its end.
pub(super) fn mark(
    inlined: &str,
    protected: &Protected,
    track: bool,
    preheader: bool,
) -> Result<Marked, ComposeError> {
    let tracked = RefCell::new(Vec::<String>::new());
    let personalised = RefCell::new(Vec::<String>::new());
    let failure = RefCell::new(None::<ComposeError>);
    let preheader_html = format!(
        "<div style=\"display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;\
         opacity:0;overflow:hidden;mso-hide:all\">{PREHEADER}</div>"
    );
    let pixel_html = format!(
        "<img src=\"{OPEN_PIXEL}\" width=\"1\" height=\"1\" alt=\"\" \
         style=\"display:block;border:0;width:1px;height:1px\">"
    );
    let mut handlers = vec![element!("body", |el| {
        if preheader {
            el.prepend(&preheader_html, ContentType::Html);
        }
        if track {
            el.append(&pixel_html, ContentType::Html);
        }
        Ok(())
    })];
    // Links are marked even when nothing is tracked: splicing then writes
    // personalised hrefs back with only the escapes an attribute needs.
    {
        handlers.push(element!("a[href], area[href]", |el| {
            let Some(href) = el.get_attribute("href") else {
                return Ok(());
            };
            let decoded = links::unescape_html(&href).trim().to_owned();
            if Protected::has_tag(&decoded) {
                // Marked like any personalised link, so that it is written
                // back cleanly, but never tracked: splicing recognises it.
                let source = protected.restore(&decoded);
                if !protected.is_herald_link(&decoded) && !personalised.borrow().contains(&source) {
                    personalised.borrow_mut().push(source);
                }
            } else if is_trackable(&decoded) {
                match click_destination(&decoded) {
                    Ok(url) => {
                        if !tracked.borrow().contains(&url) {
                            tracked.borrow_mut().push(url);
                        }
                    }
                    Err(_) if !track => return Ok(()),
                    Err(problem) => {
                        failure.borrow_mut().get_or_insert(ComposeError::Link {
                            url: decoded.clone(),
                            problem,
                        });
                        return Ok(());
                    }
                }
            } else {
                return Ok(());
            }
            el.set_attribute("href", &format!("{LINK_START}{href}{LINK_END}"))?;
            Ok(())
        }));
    }
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    let html = rewrite_str(inlined, settings)
        .map_err(|e| ComposeError::Html(format!("rewriting links: {e}")))?;
    if let Some(err) = failure.into_inner() {
        return Err(err);
    }
    let listed = |links: RefCell<Vec<String>>| {
        if track {
            links.into_inner()
        } else {
            Vec::new()
        }
    };
    Ok(Marked {
        html,
        tracked_urls: listed(tracked),
        personalised_links: listed(personalised),
    })
}

/// Lines this long get a line break inside their next tag.
const LINE_BREAK_AT: usize = 500;

/// Breaks long lines of HTML inside tags (`<p` + newline + `style=...`),
/// where a line break means nothing, so that a part built of one long line
/// (as editors write it) can go as 7bit instead of quoted-printable. Text,
/// and `<style>`/`<script>` content, are never touched.
pub(super) fn break_long_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / LINE_BREAK_AT + 16);
    let mut line = 0usize;
    let mut raw_text_until: Option<&str> = None;
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line = 0,
            b'<' => {
                let rest = &html[i + 1..];
                let lower_starts = |p: &str| {
                    rest.get(..p.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(p))
                };
                if let Some(end) = raw_text_until {
                    if lower_starts(end) {
                        raw_text_until = None;
                    }
                } else if lower_starts("style") {
                    raw_text_until = Some("/style");
                } else if lower_starts("script") {
                    raw_text_until = Some("/script");
                }
                let name_len = rest
                    .bytes()
                    .skip(usize::from(rest.starts_with('/')))
                    .take_while(u8::is_ascii_alphanumeric)
                    .count();
                if line >= LINE_BREAK_AT && raw_text_until.is_none() && name_len > 0 {
                    let after_name = i + 1 + usize::from(rest.starts_with('/')) + name_len;
                    out.push_str(&html[copied..after_name]);
                    out.push('\n');
                    copied = after_name;
                    line = 0;
                    i = after_name;
                    continue;
                }
                line += 1;
            }
            _ => line += 1,
        }
        i += 1;
    }
    out.push_str(&html[copied..]);
    out
}
