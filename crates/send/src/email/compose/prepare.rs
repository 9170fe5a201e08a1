//! Preparing a campaign once (inline CSS, find and mark links, add the
//! preheader and the open pixel, derive the text part, compile templates)
//! and rendering one recipient's message from it.

use std::cell::RefCell;

use lettre::message::dkim::DkimConfig;
use lettre::message::Mailbox;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use minijinja::{Environment, Value};
use uuid::Uuid;

use super::content::{CampaignContent, ComposeContext, RecipientData, RenderedEmail};
use super::headers::HeaderText;
use super::links::{
    self, click_destination, escape_html, is_trackable, Splice, Tracking, LINK_END, LINK_START,
    OPEN_PIXEL, PREHEADER,
};
use super::mime::{self, EncodedAttachment};
use super::personalize::{self, render_error, Part};
use super::text::html_to_text;
use super::ComposeError;

/// A campaign ready to render, shared by the send workers (`Send + Sync`).
#[derive(Debug)]
pub struct PreparedCampaign {
    env: Environment<'static>,
    /// The prepared HTML and text templates, for quoting in errors.
    html_source: String,
    text_source: String,
    has_preheader: bool,
    campaign_id: Uuid,
    campaign_name: String,
    from: Mailbox,
    from_address: String,
    from_domain: String,
    reply_to: Option<Mailbox>,
    tracking: Option<Tracking>,
    /// Signs unsubscribe tokens even when opens and clicks are not tracked.
    unsubscribe: Option<Tracking>,
    unsubscribe_mailto: Option<String>,
    tracked_urls: Vec<String>,
    personalised_links: Vec<String>,
    attachments: Vec<EncodedAttachment>,
    dkim: Option<std::sync::Arc<DkimConfig>>,
}

/// Prepares `content` for sending: all the work that is the same for every
/// recipient. Fails on a template problem, an unsafe sender name, a link
/// that cannot be tracked, a bad attachment or DKIM key.
pub fn prepare(
    content: &CampaignContent,
    ctx: ComposeContext,
) -> Result<PreparedCampaign, ComposeError> {
    for (part, source) in [
        (Part::Subject, Some(content.subject.as_str())),
        (Part::Preheader, content.preheader.as_deref()),
        (Part::Html, Some(content.html.as_str())),
        (Part::Text, content.text.as_deref()),
    ] {
        if let Some(source) = source {
            if links::has_marker(source) {
                return Err(ComposeError::Html(format!(
                    "the {part} contains control characters"
                )));
            }
        }
    }
    let from_name =
        HeaderText::parse("sender name", &content.from_name).map_err(ComposeError::Content)?;
    let reply_to_name = content
        .reply_to_name
        .as_deref()
        .map(|n| HeaderText::parse("reply-to name", n))
        .transpose()
        .map_err(ComposeError::Content)?;
    let from = mime::mailbox(Some(from_name.as_str()), &content.from_address)
        .map_err(|problem| ComposeError::Html(format!("sender address: {problem}")))?;
    let reply_to = content
        .reply_to
        .as_ref()
        .map(|a| mime::mailbox(reply_to_name.as_ref().map(HeaderText::as_str), a))
        .transpose()
        .map_err(|problem| ComposeError::Html(format!("reply-to address: {problem}")))?;
    let attachments = ctx
        .attachments
        .iter()
        .map(EncodedAttachment::new)
        .collect::<Result<Vec<_>, _>>()?;

    let unsubscribe = ctx
        .relay
        .as_ref()
        .map(|(url, key)| Tracking::new(url, key.clone(), ctx.campaign_id));
    let tracking = if content.tracking {
        unsubscribe
            .as_ref()
            .and(ctx.relay.as_ref())
            .map(|(url, key)| Tracking::new(url, key.clone(), ctx.campaign_id))
    } else {
        None
    };

    let protected = Protected::new(&content.html)?;
    let inlined = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .build()
        .inline(&protected.html)
        .map_err(|e| ComposeError::Html(format!("inlining CSS: {e}")))?;
    let marked = mark(
        &inlined,
        &protected,
        tracking.is_some(),
        content.preheader.is_some(),
    )?;

    let html_source = protected.restore(&marked.html);
    let text_source = match &content.text {
        Some(text) => text.clone(),
        None => protected.restore(&html_to_text(&marked.html)),
    };

    let mut env = personalize::environment();
    let compile = |env: &mut Environment<'static>, part: Part, source: String| {
        let shown = source.clone();
        env.add_template_owned(part.name(), source)
            .map_err(|e| ComposeError::Template(syntax_issue(part, &shown, &e)))
    };
    compile(&mut env, Part::Subject, content.subject.clone())?;
    compile(
        &mut env,
        Part::Preheader,
        content.preheader.clone().unwrap_or_default(),
    )?;
    compile(&mut env, Part::Html, html_source.clone())?;
    compile(&mut env, Part::Text, text_source.clone())?;

    Ok(PreparedCampaign {
        env,
        html_source,
        text_source,
        has_preheader: content.preheader.is_some(),
        campaign_id: ctx.campaign_id,
        campaign_name: ctx.campaign_name,
        from,
        from_address: content.from_address.as_str().to_owned(),
        from_domain: content.from_address.domain().to_owned(),
        reply_to,
        tracking,
        unsubscribe,
        unsubscribe_mailto: ctx.unsubscribe_mailto.map(|a| a.as_str().to_owned()),
        tracked_urls: marked.tracked_urls,
        personalised_links: marked.personalised_links,
        attachments,
        dkim: ctx.dkim.map(|d| d.config),
    })
}

fn syntax_issue(part: Part, source: &str, err: &minijinja::Error) -> personalize::TemplateIssue {
    // The same report `validate` gives, against the prepared source.
    match personalize::validate::<&str>(source, part, &[]) {
        Err(issue) if issue.message.starts_with("syntax error") => issue,
        _ => personalize::TemplateIssue {
            part,
            line: err.line().unwrap_or(1),
            column: 1,
            message: format!("syntax error: {err}"),
        },
    }
}

/// The HTML with every template tag (`{{ }}`, `{% %}`, `{# #}`) replaced by
/// a placeholder word, so that the CSS inliner's HTML parser and serialiser
/// (which escape `<`, `>` and `&` in text) leave the tags intact.
struct Protected {
    html: String,
    tags: Vec<String>,
}

const PLACEHOLDER: &str = "xhrldtpl";

impl Protected {
    fn new(source: &str) -> Result<Protected, ComposeError> {
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
    fn restore(&self, text: &str) -> String {
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

    /// Whether `href` is exactly `{{ unsubscribe_url }}`.
    fn is_unsubscribe(&self, href: &str) -> bool {
        let restored = self.restore(href.trim());
        restored
            .strip_prefix("{{")
            .and_then(|s| s.strip_suffix("}}"))
            .is_some_and(|inner| inner.trim() == "unsubscribe_url")
    }
}

fn find_tag_start(s: &str) -> Option<usize> {
    s.match_indices('{')
        .map(|(i, _)| i)
        .find(|&i| matches!(s.as_bytes().get(i + 1), Some(b'{' | b'%' | b'#')))
}

struct Marked {
    html: String,
    tracked_urls: Vec<String>,
    personalised_links: Vec<String>,
}

/// Rewrites the inlined HTML: tracked hrefs wrapped in link markers, the
/// preheader marker at the start of the body, the open pixel at its end.
fn mark(
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
    if track {
        handlers.push(element!("a[href], area[href]", |el| {
            let Some(href) = el.get_attribute("href") else {
                return Ok(());
            };
            let decoded = links::unescape_html(&href).trim().to_owned();
            if Protected::has_tag(&decoded) {
                if protected.is_unsubscribe(&decoded) {
                    return Ok(());
                }
                let source = protected.restore(&decoded);
                if !personalised.borrow().contains(&source) {
                    personalised.borrow_mut().push(source);
                }
            } else if is_trackable(&decoded) {
                match click_destination(&decoded) {
                    Ok(url) => {
                        if !tracked.borrow().contains(&url) {
                            tracked.borrow_mut().push(url);
                        }
                    }
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
    Ok(Marked {
        html,
        tracked_urls: tracked.into_inner(),
        personalised_links: personalised.into_inner(),
    })
}

impl PreparedCampaign {
    /// The distinct tracked URLs of the campaign's links, as the click
    /// tokens carry them (for the campaign's link table).
    pub fn tracked_urls(&self) -> &[String] {
        &self.tracked_urls
    }

    /// Tracked links whose href is a template (`https://x.com/?id={{
    /// contact.id }}`), as written: their URLs differ per recipient.
    pub fn personalised_links(&self) -> &[String] {
        &self.personalised_links
    }

    /// The campaign's id, as in `X-Herald-Campaign`.
    pub fn campaign_id(&self) -> Uuid {
        self.campaign_id
    }

    /// One recipient's complete message. `test` prefixes the subject with
    /// `[Test] `. Errors concern this recipient only
    /// ([`ComposeError::is_recipient_error`]).
    pub fn render(&self, r: &RecipientData, test: bool) -> Result<RenderedEmail, ComposeError> {
        let unsubscribe_url = self
            .unsubscribe
            .as_ref()
            .map(|t| t.unsubscribe_url(r.contact_id));
        let mailto = self
            .unsubscribe_mailto
            .as_ref()
            .map(|a| format!("mailto:{a}?subject=unsubscribe"));
        let template_unsubscribe = unsubscribe_url.as_deref().or(mailto.as_deref());
        let ctx = personalize::recipient_context(r, &self.campaign_name, template_unsubscribe)?;

        let subject = self.render_part(Part::Subject, &content_source(""), r, &ctx)?;
        let subject =
            HeaderText::parse("subject", &subject).map_err(|source| ComposeError::Header {
                contact_id: r.contact_id,
                source,
            })?;
        let subject = if test {
            format!("[Test] {subject}")
        } else {
            subject.into_string()
        };
        let html = self.html(r, &ctx, self.tracking.as_ref(), template_unsubscribe)?;
        let text = self.render_part(Part::Text, &self.text_source, r, &ctx)?;
        let text = links::splice(
            &text,
            &Splice {
                tracking: self.tracking.as_ref(),
                recipient: r.contact_id,
                unsubscribe_url: template_unsubscribe,
                preheader: "",
                html: false,
            },
        )
        .map_err(|problem| self.link_error(r, Part::Text, problem))?;

        let list_unsubscribe = match (&unsubscribe_url, &mailto) {
            (Some(https), Some(mailto)) => Some(format!("<{https}>, <{mailto}>")),
            (Some(https), None) => Some(format!("<{https}>")),
            (None, Some(mailto)) => Some(format!("<{mailto}>")),
            (None, None) => None,
        };
        let to = mime::mailbox(None, &r.email).map_err(|problem| ComposeError::Recipient {
            contact_id: r.contact_id,
            field: "email".to_owned(),
            problem,
        })?;
        let message_id = mime::message_id(self.campaign_id, r.contact_id, &self.from_domain);
        let raw = mime::assemble(mime::Parts {
            from: &self.from,
            reply_to: self.reply_to.as_ref(),
            to,
            subject,
            message_id: &message_id,
            list_unsubscribe,
            one_click: unsubscribe_url.is_some(),
            campaign_id: self.campaign_id,
            text,
            html,
            attachments: &self.attachments,
            dkim: self.dkim.as_deref(),
        })?;
        Ok(RenderedEmail {
            envelope_from: self.from_address.clone(),
            to: r.email.as_str().to_owned(),
            message_id,
            raw,
        })
    }

    /// The recipient's HTML as the UI's preview shows it: personalised, the
    /// links as written (nothing signed), no open pixel.
    pub fn preview_html(&self, r: &RecipientData) -> Result<String, ComposeError> {
        let unsubscribe_url = self
            .unsubscribe
            .as_ref()
            .map(|t| t.unsubscribe_url(r.contact_id));
        let mailto = self
            .unsubscribe_mailto
            .as_ref()
            .map(|a| format!("mailto:{a}?subject=unsubscribe"));
        let template_unsubscribe = unsubscribe_url.as_deref().or(mailto.as_deref());
        let ctx = personalize::recipient_context(r, &self.campaign_name, template_unsubscribe)?;
        self.html(r, &ctx, None, template_unsubscribe)
    }

    fn html(
        &self,
        r: &RecipientData,
        ctx: &Value,
        tracking: Option<&Tracking>,
        unsubscribe_url: Option<&str>,
    ) -> Result<String, ComposeError> {
        let preheader = if self.has_preheader {
            self.render_part(Part::Preheader, &content_source(""), r, ctx)?
        } else {
            String::new()
        };
        let html = self.render_part(Part::Html, &self.html_source, r, ctx)?;
        links::splice(
            &html,
            &Splice {
                tracking,
                recipient: r.contact_id,
                unsubscribe_url,
                preheader: &escape_html(&preheader),
                html: true,
            },
        )
        .map_err(|problem| self.link_error(r, Part::Html, problem))
    }

    fn render_part(
        &self,
        part: Part,
        source: &str,
        r: &RecipientData,
        ctx: &Value,
    ) -> Result<String, ComposeError> {
        let template = self
            .env
            .get_template(part.name())
            .map_err(|e| render_error(r.contact_id, part, source, &e))?;
        let rendered = template.render(ctx).map_err(|e| {
            let source = if source.is_empty() {
                template.source()
            } else {
                source
            };
            render_error(r.contact_id, part, source, &e)
        })?;
        if links::has_marker(&rendered) && matches!(part, Part::Subject | Part::Preheader) {
            return Err(ComposeError::Render {
                contact_id: r.contact_id,
                part,
                message: "contains control characters".to_owned(),
            });
        }
        Ok(rendered)
    }

    fn link_error(&self, r: &RecipientData, part: Part, problem: String) -> ComposeError {
        ComposeError::Render {
            contact_id: r.contact_id,
            part,
            message: problem,
        }
    }
}

/// The source to quote for parts compiled from the content as is (the
/// environment holds it).
fn content_source(s: &str) -> String {
    s.to_owned()
}
