//! What the UI's preview shows of one recipient's message: personalised,
//! the links as written (nothing signed), no open pixel.

use super::content::RecipientData;
use super::personalize::Part;
use super::{ComposeError, PreparedCampaign};

impl PreparedCampaign {
    /// The recipient's HTML as the UI's preview shows it: personalised, the
    /// links as written (nothing signed), no open pixel.
    pub fn preview_html(&self, r: &RecipientData) -> Result<String, ComposeError> {
        let recipient = self.recipient(r)?;
        self.html(r, &recipient.ctx, None, recipient.urls())
    }

    /// The recipient's subject, HTML and text as the review step shows them:
    /// personalised, links as written (nothing signed), no open pixel.
    pub fn preview(&self, r: &RecipientData) -> Result<Preview, ComposeError> {
        let recipient = self.recipient(r)?;
        let (urls, ctx) = (recipient.urls(), &recipient.ctx);
        let subject = self.render_part(Part::Subject, r, ctx)?;
        let html = self.html(r, ctx, None, urls)?;
        let text = self.text(r, ctx, None, urls)?;
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
