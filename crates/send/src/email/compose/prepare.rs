//! Preparing a campaign once (inline CSS, find and mark links, add the
//! preheader and the open pixel, derive the text part, compile templates)
//! and rendering one recipient's message from it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use minijinja::{Environment, Value};
use uuid::Uuid;

use super::content::{CampaignContent, ComposeContext, RecipientData, RenderedEmail};
use super::dkim::Signer;
use super::headers::HeaderText;
use super::links::{self, escape_html, Out, Signed, Splice, Tracking};
use super::markup::{break_long_lines, mark, Protected};
use super::mime::{self, EncodedAttachment, Head, Headers, Kind, Writer};
use super::personalize::{self, render_error, Part};
use super::text::{html_to_text, wrap};
use super::validation;
use super::ComposeError;

/// A campaign ready to render, shared by the send workers (`Send + Sync`).
#[derive(Debug)]
pub struct PreparedCampaign {
    pub(super) env: Environment<'static>,
    pub(super) has_preheader: bool,
    /// Whether a part reads `web_view_url` (so the web version is published).
    uses_web_view: bool,
    campaign_id: Uuid,
    pub(super) campaign_name: String,
    /// The headers and attachments every message shares, written once.
    head: Head,
    from_address: String,
    from_domain: String,
    tracking: Option<Tracking>,
    /// Signs unsubscribe and web version tokens even when opens and clicks
    /// are not tracked.
    unsubscribe: Option<Tracking>,
    unsubscribe_mailto: Option<String>,
    tracked_urls: Vec<String>,
    personalised_links: Vec<String>,
    dkim: Option<Arc<Signer>>,
    /// The largest message rendered so far: the next one's buffer is
    /// allocated at that size, so it is never grown (and copied) midway.
    size_hint: AtomicUsize,
}

/// Prepares `content` for sending: all the work that is the same for every
/// recipient. Fails on a template problem (`web_view_url` without a
/// relay is one), an unsafe sender name, a link that cannot be tracked, a
/// bad attachment or DKIM key.
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
    mime::check_address(&content.from_address).map_err(|problem| ComposeError::Address {
        field: "sender address",
        problem,
    })?;
    if let Some(reply_to) = &content.reply_to {
        mime::check_address(reply_to).map_err(|problem| ComposeError::Address {
            field: "reply-to address",
            problem,
        })?;
    }
    let attachments = ctx
        .attachments
        .iter()
        .map(EncodedAttachment::new)
        .collect::<Result<Vec<_>, _>>()?;
    let head = Head::new(
        (from_name.as_str(), &content.from_address),
        content
            .reply_to
            .as_ref()
            .map(|a| (reply_to_name.as_ref().map(HeaderText::as_str), a)),
        ctx.campaign_id,
        attachments,
    );

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

    let html_source = protected.restore(&break_long_lines(&marked.html));
    let text_source = match &content.text {
        Some(text) => text.clone(),
        None => protected.restore(&wrap(&html_to_text(&marked.html))),
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
    compile(&mut env, Part::Html, html_source)?;
    compile(&mut env, Part::Text, text_source)?;
    let mut uses_web_view = false;
    for part in [Part::Subject, Part::Preheader, Part::Html, Part::Text] {
        let template = env
            .get_template(part.name())
            .map_err(|e| ComposeError::Html(format!("the {part} did not compile: {e}")))?;
        if ctx.relay.is_none() {
            if let Some(issue) = validation::web_view_issue(&template, part) {
                return Err(ComposeError::Template(issue));
            }
        }
        uses_web_view |= validation::uses_web_view(&template);
    }

    Ok(PreparedCampaign {
        env,
        has_preheader: content.preheader.is_some(),
        uses_web_view,
        campaign_id: ctx.campaign_id,
        campaign_name: ctx.campaign_name,
        head,
        from_address: content.from_address.as_str().to_owned(),
        from_domain: content.from_address.domain().to_owned(),
        tracking: tracking.map(|t| t.with_known(&marked.tracked_urls)),
        unsubscribe,
        unsubscribe_mailto: ctx.unsubscribe_mailto.map(|a| a.as_str().to_owned()),
        tracked_urls: marked.tracked_urls,
        personalised_links: marked.personalised_links,
        dkim: ctx.dkim.map(|d| d.signer),
        size_hint: AtomicUsize::new(0),
    })
}

fn syntax_issue(part: Part, source: &str, err: &minijinja::Error) -> personalize::TemplateIssue {
    // The same report `validate` gives, against the prepared source.
    match validation::validate::<&str>(source, part, &[], validation::Relay::Set) {
        Err(issue) if issue.message.starts_with("syntax error") => issue,
        _ => personalize::TemplateIssue {
            part,
            line: err.line().unwrap_or(1),
            column: 1,
            message: format!("syntax error: {err}"),
        },
    }
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

    /// Whether the subject, preheader, HTML or text reads `web_view_url`:
    /// then the web version must be on the relay before the first message
    /// goes out ([`PreparedCampaign::web_version`]).
    pub fn uses_web_view(&self) -> bool {
        self.uses_web_view
    }

    /// The campaign's id, as in `X-Herald-Campaign`.
    pub fn campaign_id(&self) -> Uuid {
        self.campaign_id
    }

    /// One recipient's complete message. `test` prefixes the subject with
    /// `[Test] `. Errors concern this recipient only
    /// ([`ComposeError::is_recipient_error`]).
    pub fn render(&self, r: &RecipientData, test: bool) -> Result<RenderedEmail, ComposeError> {
        let recipient = self.recipient(r)?;
        let (urls, ctx) = (recipient.urls(), &recipient.ctx);

        // A value left empty by personalisation ("Hello {{ contact.first_name }}")
        // leaves a space at an end: trimmed, so that the header stays plain
        // text rather than an encoded word kept only to carry that space.
        let subject = self.render_part(Part::Subject, r, ctx)?;
        let subject = HeaderText::parse("subject", subject.trim()).map_err(|source| {
            ComposeError::Header {
                contact_id: r.contact_id,
                source,
            }
        })?;
        let subject = if test {
            format!("[Test] {subject}")
        } else {
            subject.into_string()
        };
        let preheader = self.preheader(r, ctx)?;
        let html = self.render_part(Part::Html, r, ctx)?;
        let text = self.render_part(Part::Text, r, ctx)?;

        let list_unsubscribe = match (&recipient.unsubscribe_url, &recipient.mailto) {
            (Some(https), Some(mailto)) => Some(format!("<{https}>, <{mailto}>")),
            (Some(https), None) => Some(format!("<{https}>")),
            (None, Some(mailto)) => Some(format!("<{mailto}>")),
            (None, None) => None,
        };
        let email = r.email.as_ref().ok_or_else(|| ComposeError::Recipient {
            contact_id: r.contact_id,
            field: "email".to_owned(),
            problem: "the contact has no email address".to_owned(),
        })?;
        mime::check_address(email).map_err(|problem| ComposeError::Recipient {
            contact_id: r.contact_id,
            field: "email".to_owned(),
            problem,
        })?;
        let message_id = mime::message_id(self.campaign_id, r.contact_id, &self.from_domain);

        // Room for the signed links (some 200 bytes each) and a CR per line.
        let links = self.tracked_urls.len() + self.personalised_links.len() + 4;
        let estimate = self.head.len()
            + subject.len() * 2
            + (html.len() + text.len()) * 33 / 32
            + links * 2 * 256
            + if self.dkim.is_some() { 1024 } else { 0 };
        let capacity = estimate.max(self.size_hint.load(Ordering::Relaxed));
        let mut message = Writer::new(
            &self.head,
            &Headers {
                to: email.as_str(),
                subject: &subject,
                message_id: &message_id,
                list_unsubscribe: list_unsubscribe.as_deref(),
                one_click: recipient.unsubscribe_url.is_some(),
            },
            capacity,
        );
        let tracking = self.tracking.as_ref();
        message.part(Kind::Text, text.is_ascii(), |out| {
            self.splice(r, Part::Text, &text, tracking, urls, "", out)
        })?;
        let preheader = escape_html(&preheader);
        // An HTML part writes non-ASCII as references: it is tried as 7bit
        // whatever it holds.
        message.part(Kind::Html, true, |out| {
            self.splice(r, Part::Html, &html, tracking, urls, &preheader, out)
        })?;
        let raw = message.finish(self.dkim.as_deref());
        self.size_hint.fetch_max(raw.len(), Ordering::Relaxed);
        Ok(RenderedEmail {
            envelope_from: self.from_address.clone(),
            to: email.as_str().to_owned(),
            message_id,
            raw,
        })
    }

    /// One recipient's unsubscribe and web version links and template values.
    pub(super) fn recipient(&self, r: &RecipientData) -> Result<Recipient, ComposeError> {
        let unsubscribe_url = self
            .unsubscribe
            .as_ref()
            .map(|t| t.unsubscribe_url(r.contact_id));
        let web_view_url = self
            .unsubscribe
            .as_ref()
            .map(|t| t.web_view_url(r.contact_id));
        let mailto = self
            .unsubscribe_mailto
            .as_ref()
            .map(|a| format!("mailto:{a}?subject=unsubscribe"));
        let template_unsubscribe = unsubscribe_url.as_deref().or(mailto.as_deref());
        let ctx = personalize::recipient_context(
            r,
            &self.campaign_name,
            template_unsubscribe,
            web_view_url.as_deref(),
        )?;
        Ok(Recipient {
            unsubscribe_url,
            mailto,
            web_view_url,
            ctx,
            signed: Signed::default(),
        })
    }

    pub(super) fn html(
        &self,
        r: &RecipientData,
        ctx: &Value,
        tracking: Option<&Tracking>,
        urls: Urls<'_>,
    ) -> Result<String, ComposeError> {
        let preheader = self.preheader(r, ctx)?;
        let html = self.render_part(Part::Html, r, ctx)?;
        let mut out = String::with_capacity(html.len() + 2048);
        self.splice(
            r,
            Part::Html,
            &html,
            tracking,
            urls,
            &escape_html(&preheader),
            &mut out,
        )?;
        Ok(out)
    }

    /// The rendered preheader, empty when the campaign has none.
    fn preheader(&self, r: &RecipientData, ctx: &Value) -> Result<String, ComposeError> {
        if self.has_preheader {
            self.render_part(Part::Preheader, r, ctx)
        } else {
            Ok(String::new())
        }
    }

    /// The text part: rendered, with Herald's links and the tracked ones
    /// (when `tracking`) spliced in.
    pub(super) fn text(
        &self,
        r: &RecipientData,
        ctx: &Value,
        tracking: Option<&Tracking>,
        urls: Urls<'_>,
    ) -> Result<String, ComposeError> {
        let text = self.render_part(Part::Text, r, ctx)?;
        let mut out = String::with_capacity(text.len() + 2048);
        self.splice(r, Part::Text, &text, tracking, urls, "", &mut out)?;
        Ok(out)
    }

    /// Writes a rendered HTML or text part to `out` with Herald's links,
    /// the tracked ones (when `tracking`) and, in HTML, the preheader
    /// spliced in.
    #[allow(clippy::too_many_arguments)]
    fn splice<O: Out + ?Sized>(
        &self,
        r: &RecipientData,
        part: Part,
        rendered: &str,
        tracking: Option<&Tracking>,
        urls: Urls<'_>,
        preheader: &str,
        out: &mut O,
    ) -> Result<(), ComposeError> {
        links::splice_into(
            rendered,
            &Splice {
                tracking,
                recipient: r.contact_id,
                unsubscribe_url: urls.unsubscribe,
                web_view_url: urls.web_view,
                preheader,
                html: part == Part::Html,
                signed: urls.signed,
            },
            out,
        )
        .map_err(|problem| self.link_error(r, part, problem))
    }

    /// Renders one compiled part; errors quote the compiled source.
    pub(super) fn render_part(
        &self,
        part: Part,
        r: &RecipientData,
        ctx: &Value,
    ) -> Result<String, ComposeError> {
        render_in(&self.env, part, r.contact_id, ctx)
    }

    pub(super) fn link_error(
        &self,
        r: &RecipientData,
        part: Part,
        problem: String,
    ) -> ComposeError {
        ComposeError::Render {
            contact_id: r.contact_id,
            part,
            message: problem,
        }
    }
}

/// Renders `part` of the templates compiled in `env` with `ctx`; errors
/// quote the compiled source and name `contact_id`. A subject or preheader
/// must not hold the composer's markers (control characters).
pub(super) fn render_in(
    env: &Environment<'_>,
    part: Part,
    contact_id: Uuid,
    ctx: &Value,
) -> Result<String, ComposeError> {
    let template = env
        .get_template(part.name())
        .map_err(|e| render_error(contact_id, part, "", &e))?;
    let rendered = template
        .render(ctx)
        .map_err(|e| render_error(contact_id, part, template.source(), &e))?;
    // Only the short parts are checked: the HTML and text hold the markers
    // by design, and scanning them would cost a pass over ~50 KB.
    if matches!(part, Part::Subject | Part::Preheader) && links::has_marker(&rendered) {
        return Err(ComposeError::Render {
            contact_id,
            part,
            message: "contains control characters".to_owned(),
        });
    }
    Ok(rendered)
}

/// What every render of one recipient starts from.
pub(super) struct Recipient {
    /// The one-click unsubscribe URL (with a relay).
    pub(super) unsubscribe_url: Option<String>,
    /// The mailto unsubscribe link (when an address is set).
    pub(super) mailto: Option<String>,
    /// The recipient's web version link (when a relay is set).
    pub(super) web_view_url: Option<String>,
    /// The template values.
    pub(super) ctx: Value,
    /// The click tokens signed so far for this recipient's message.
    pub(super) signed: Signed,
}

impl Recipient {
    /// Herald's own links as the templates see them.
    pub(super) fn urls(&self) -> Urls<'_> {
        Urls {
            unsubscribe: self.unsubscribe_url.as_deref().or(self.mailto.as_deref()),
            web_view: self.web_view_url.as_deref(),
            signed: Some(&self.signed),
        }
    }
}

/// The links in a recipient's HTML that are Herald's own, never tracked.
#[derive(Clone, Copy)]
pub(super) struct Urls<'a> {
    /// The unsubscribe URL as templates see it (https, else mailto).
    pub(super) unsubscribe: Option<&'a str>,
    pub(super) web_view: Option<&'a str>,
    pub(super) signed: Option<&'a Signed>,
}
