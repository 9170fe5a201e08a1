//! The web version of a campaign: its email as a page the relay serves at
//! `/v/<token>` to whoever follows a recipient's `web_view_url`.
//!
//! Rendered once per campaign, not per recipient, so it holds nobody's
//! data: the standard contact fields are empty, there are no custom
//! fields, and a value no one has prints nothing (where a recipient's own
//! render would fail), so `default("there")` fallbacks show. Links go
//! straight to their destinations and there is no open pixel: reading the
//! web version is not tracked. The unsubscribe link is the literal
//! [`UNSUBSCRIBE_MARKER`], which the relay replaces with the reader's own
//! link (their token is in the `/v/` URL).

use minijinja::UndefinedBehavior;
use serde::Serialize;
use uuid::Uuid;

use super::headers::HeaderText;
use super::links::{self, escape_html, Splice};
use super::personalize::{self, Part};
use super::prepare::render_in;
use super::{ComposeError, PreparedCampaign};

/// Where the web version's unsubscribe links go; the relay puts each
/// reader's `/u/<token>` URL in its place.
pub const UNSUBSCRIBE_MARKER: &str = "%HERALD_UNSUBSCRIBE_URL%";

/// What `web_view_url` is in the web version itself: the reader is there.
const WEB_VIEW_SELF: &str = "#";

/// A campaign's web version, as the relay stores it
/// (`PUT /api/v1/campaigns/{id}/web-view`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebVersion {
    /// The subject as the recipients saw it.
    pub subject: String,
    /// The whole HTML document, CSS inlined as in the email, with the
    /// subject as its `<title>` when the email has none (the relay serves
    /// the HTML as it is, and a browser tab should not show a bare URL).
    pub html: String,
}

impl PreparedCampaign {
    /// The campaign's web version (see the module's documentation). Fails
    /// when a template cannot be rendered without a recipient (arithmetic
    /// on a contact's value, say) or the subject would be unsafe.
    pub fn web_version(&self) -> Result<WebVersion, ComposeError> {
        // The compiled templates, read leniently: a value nobody has here
        // prints nothing, and so does a lookup inside one.
        let mut env = self.env.clone();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        let ctx = personalize::web_context(&self.campaign_name, UNSUBSCRIBE_MARKER);
        let render = |part: Part| {
            // The same wording as a recipient's render error, without the
            // recipient.
            render_in(&env, part, Uuid::nil(), &ctx).map_err(|e| ComposeError::WebVersion {
                part,
                message: match e {
                    ComposeError::Render { message, .. } => message,
                    other => other.to_string(),
                },
            })
        };

        let subject = render(Part::Subject)?;
        let subject = HeaderText::parse("subject", &subject)
            .map_err(|e| ComposeError::WebVersion {
                part: Part::Subject,
                message: e.to_string(),
            })?
            .into_string();
        let preheader = if self.has_preheader {
            render(Part::Preheader)?
        } else {
            String::new()
        };
        let html = render(Part::Html)?;
        let html = links::splice(
            &links::strip_pixel(&html),
            &Splice {
                tracking: None,
                recipient: Uuid::nil(),
                unsubscribe_url: Some(UNSUBSCRIBE_MARKER),
                web_view_url: Some(WEB_VIEW_SELF),
                preheader: &escape_html(&preheader),
                html: true,
                signed: None,
            },
        )
        .map_err(|message| ComposeError::WebVersion {
            part: Part::Html,
            message,
        })?;
        let html = with_title(html, &subject);
        Ok(WebVersion { subject, html })
    }
}

/// `html` with `<title>subject</title>` in its head, unless it has a title.
fn with_title(html: String, subject: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if tag_end(&lower, "title").is_some() {
        return html;
    }
    let title = format!("<title>{}</title>", escape_html(subject));
    // Just inside <head ...>, else after <html ...> or the doctype, else at
    // the start: where a parser puts a head of its own.
    let at = ["head", "html", "!doctype"]
        .iter()
        .find_map(|name| tag_end(&lower, name))
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + title.len());
    out.push_str(&html[..at]);
    out.push_str(&title);
    out.push_str(&html[at..]);
    out
}

/// Where the first `<name ...>` tag of lower-cased `html` ends (not
/// `<header>` for `head`).
fn tag_end(html: &str, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(found) = html[from..].find(&open) {
        let after = from + found + open.len();
        match html.as_bytes().get(after) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => {
                return Some(after + html[after..].find('>')? + 1)
            }
            _ => from = after,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::with_title;

    #[test]
    fn a_page_without_a_title_gets_the_subject_in_its_head() {
        assert_eq!(
            with_title("<!DOCTYPE html><html><HEAD lang=en><meta charset=utf-8></head><body>Hi</body></html>".into(), "Spring & sale"),
            "<!DOCTYPE html><html><HEAD lang=en><title>Spring &amp; sale</title><meta charset=utf-8></head><body>Hi</body></html>"
        );
        assert_eq!(
            with_title("<html><body>Hi</body></html>".into(), "S"),
            "<html><title>S</title><body>Hi</body></html>"
        );
        assert_eq!(
            with_title("<p>Hi</p>".into(), "S"),
            "<title>S</title><p>Hi</p>"
        );
        assert_eq!(
            with_title("<header>Top</header>".into(), "S"),
            "<title>S</title><header>Top</header>"
        );
    }

    #[test]
    fn a_page_with_its_own_title_keeps_it() {
        let html = "<html><head><title>Own</title></head></html>";
        assert_eq!(with_title(html.into(), "S"), html);
    }
}
