//! Why a campaign could not be prepared or a recipient's message rendered.

use thiserror::Error;

use super::personalize::{Part, TemplateIssue};
use super::HeaderTextError;

/// What went wrong composing, by what the caller can do about it: fix the
/// campaign (`Template`, `Content`, `Address`, `Link`, `Attachment`, `Dkim`, `Html`,
/// `WebVersion`) or skip
/// and report one recipient (`Recipient`, `Render`, `Header` after
/// personalisation). No message includes a secret; a recipient's values
/// appear only where they are the problem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ComposeError {
    /// A template does not compile or uses a variable that does not exist.
    #[error(transparent)]
    Template(#[from] TemplateIssue),
    /// A field of the campaign is not acceptable (e.g. a line break in the
    /// sender's name).
    #[error(transparent)]
    Content(HeaderTextError),
    /// A sender or reply-to address cannot be written in a header.
    #[error("{field}: {problem}")]
    Address {
        field: &'static str,
        problem: String,
    },
    /// A link of the campaign cannot be tracked.
    #[error("link \"{url}\": {problem}")]
    Link { url: String, problem: String },
    #[error("attachment \"{filename}\": {problem}")]
    Attachment { filename: String, problem: String },
    #[error("DKIM: {0}")]
    Dkim(String),
    /// The HTML could not be prepared (inlining or rewriting failed).
    #[error("HTML: {0}")]
    Html(String),
    /// One recipient's data cannot be used.
    #[error("recipient {contact_id}: {field}: {problem}")]
    Recipient {
        contact_id: uuid::Uuid,
        field: String,
        problem: String,
    },
    /// Rendering a part for one recipient failed (e.g. a value the template
    /// needs is missing for this contact).
    #[error("recipient {contact_id}: {part}: {message}")]
    Render {
        contact_id: uuid::Uuid,
        part: Part,
        message: String,
    },
    /// The web version (no one's data) could not be rendered: the template
    /// needs a value no reader has, or does arithmetic on one.
    #[error("the web version's {part}: {message}")]
    WebVersion { part: Part, message: String },
    /// A header became unsafe after personalisation for one recipient.
    #[error("recipient {contact_id}: {source}")]
    Header {
        contact_id: uuid::Uuid,
        source: HeaderTextError,
    },
    /// The message could not be assembled (an internal fault).
    #[error("assembling the message: {0}")]
    Mime(String),
}

impl ComposeError {
    /// Whether the error concerns one recipient only: the campaign can go on
    /// with the others.
    pub fn is_recipient_error(&self) -> bool {
        matches!(
            self,
            ComposeError::Recipient { .. }
                | ComposeError::Render { .. }
                | ComposeError::Header { .. }
        )
    }
}
