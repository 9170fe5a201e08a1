//! What the UI's preview shows of one recipient's message: personalised,
//! the links as written (nothing signed), no open pixel.

use super::content::RecipientData;
use super::links::{self, Splice};
use super::personalize::Part;
use super::prepare::{Recipient, Urls};
use super::{ComposeError, PreparedCampaign};

impl PreparedCampaign {
    /// The recipient's HTML as the UI's preview shows it: personalised, the
    /// links as written (nothing signed), no open pixel.
    pub fn preview_html(&self, r: &RecipientData) -> Result<String, ComposeError> {
        let Recipient {
            unsubscribe_url,
            mailto,
            web_view_url,
            ctx,
        } = self.recipient(r)?;
        let urls = Urls {
            unsubscribe: unsubscribe_url.as_deref().or(mailto.as_deref()),
            web_view: web_view_url.as_deref(),
        };
        self.html(r, &ctx, None, urls)
    }

    /// The recipient's subject, HTML and text as the review step shows them:
    /// personalised, links as written (nothing signed), no open pixel.
    pub fn preview(&self, r: &RecipientData) -> Result<Preview, ComposeError> {
        let Recipient {
            unsubscribe_url,
            mailto,
            web_view_url,
            ctx,
        } = self.recipient(r)?;
        let template_unsubscribe = unsubscribe_url.as_deref().or(mailto.as_deref());
        let subject = self.render_part(Part::Subject, r, &ctx)?;
        let urls = Urls {
            unsubscribe: template_unsubscribe,
            web_view: web_view_url.as_deref(),
        };
        let html = self.html(r, &ctx, None, urls)?;
        let text = self.render_part(Part::Text, r, &ctx)?;
        let text = links::splice(
            &text,
            &Splice {
                tracking: None,
                recipient: r.contact_id,
                unsubscribe_url: template_unsubscribe,
                web_view_url: web_view_url.as_deref(),
                preheader: "",
                html: false,
            },
        )
        .map_err(|problem| self.link_error(r, Part::Text, problem))?;
        Ok(Preview {
            subject,
            html,
            text,
        })
    }
}

/// One recipient's message as a person reads it (see [`PreparedCampaign::preview`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub subject: String,
    pub html: String,
    pub text: String,
}
