//! Composing campaign email: everything between a campaign's content plus
//! one contact and the raw RFC 5322 bytes handed to SMTP.
//!
//! The expensive work (CSS inlining, parsing the HTML, finding links,
//! compiling templates) happens once per campaign in [`prepare`]; per
//! recipient, [`PreparedCampaign::render`] only renders the templates,
//! signs the tracking tokens, splices them in and encodes the message.
//! [`PreparedCampaign::web_version`] renders the one copy the relay serves
//! to readers of `web_view_url`.
//!
//! ```no_run
//! # fn demo(content: herald_send::email::compose::CampaignContent,
//! #         ctx: herald_send::email::compose::ComposeContext,
//! #         contact: herald_send::email::compose::RecipientData)
//! #         -> Result<(), herald_send::email::compose::ComposeError> {
//! use herald_send::email::compose::prepare;
//!
//! let prepared = prepare(&content, ctx)?;            // once per campaign
//! println!("{} tracked links", prepared.tracked_urls().len());
//! let email = prepared.render(&contact, false)?;     // per recipient, any thread
//! assert!(!email.raw.is_empty());
//! # Ok(()) }
//! ```

mod content;
mod dkim;
mod encode;
mod error;
mod headers;
mod links;
mod markup;
mod mime;
mod personalize;
mod prepare;
mod preview;
mod seven_bit;
mod text;
mod validation;
mod web;

pub use content::{
    Attachment, CampaignContent, ComposeContext, DkimSettings, RecipientData, RenderedEmail,
};
pub use error::ComposeError;
pub use headers::{HeaderText, HeaderTextError};
pub use personalize::{Part, TemplateIssue, TextTemplate};
pub use prepare::{prepare, PreparedCampaign};
pub use preview::Preview;
pub use validation::{validate, Relay};
pub use web::{WebVersion, UNSUBSCRIBE_MARKER};
