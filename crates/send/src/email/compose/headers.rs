//! Header-safe text: what may go into a header such as `Subject` or a
//! display name without letting anyone add headers of their own.
//!
//! The check runs on the final text, after personalisation: a contact whose
//! first name holds `"\r\nBcc: x"` makes that recipient's render fail.

use std::fmt;

use thiserror::Error;

/// The longest header text accepted, in characters: well past any sensible
/// subject, short enough that a runaway template is caught.
const MAX_CHARS: usize = 998;

/// Text without line breaks or other control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderText(String);

/// Why some text cannot go into a header. `field` names the header.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum HeaderTextError {
    #[error("{field}: contains a line break, which could add headers to the message")]
    LineBreak { field: &'static str },
    #[error("{field}: contains the control character U+{code:04X}")]
    Control { field: &'static str, code: u32 },
    #[error("{field}: is {chars} characters long, at most {MAX_CHARS} are allowed")]
    TooLong { field: &'static str, chars: usize },
}

impl HeaderText {
    /// Accepts `raw` as is when it has no control character (tabs
    /// included: they are folding whitespace to a mail parser).
    pub fn parse(field: &'static str, raw: &str) -> Result<HeaderText, HeaderTextError> {
        if let Some(c) = raw.chars().find(|c| c.is_control()) {
            return Err(if c == '\r' || c == '\n' {
                HeaderTextError::LineBreak { field }
            } else {
                HeaderTextError::Control {
                    field,
                    code: u32::from(c),
                }
            });
        }
        // The Unicode line and paragraph separators are not controls but
        // some clients break lines on them.
        if raw.contains(['\u{2028}', '\u{2029}', '\u{85}']) {
            return Err(HeaderTextError::LineBreak { field });
        }
        let chars = raw.chars().count();
        if chars > MAX_CHARS {
            return Err(HeaderTextError::TooLong { field, chars });
        }
        Ok(HeaderText(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for HeaderText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
