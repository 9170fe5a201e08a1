//! What a campaign is: its status, its stored record, and the input that
//! creates or edits one, with the checks that turn that input into values
//! the table can hold.
//!
//! Validation errors name the field as the desktop's `CampaignInput` does
//! (camelCase: `fromAddress`), so the UI can show each under its input.

use std::fmt;
use std::str::FromStr;

use herald_core::{Channel, EmailAddress, SegmentId};

use crate::ledger::Exclusions;
use crate::{Result, StoreError};
use herald_core::{CampaignId, TemplateId};

/// The longest campaign name.
pub const MAX_NAME_CHARS: usize = 200;
/// RFC 5322's line limit: a subject longer than this could not be one
/// header line even before encoding.
pub const MAX_SUBJECT_CHARS: usize = 998;
/// The longest preheader and sender name (both end up in the inbox line).
pub const MAX_SHORT_TEXT_CHARS: usize = 500;
/// The most messages per second a campaign may ask for (the schema's CHECK).
pub const MAX_RATE: f64 = 1000.0;
/// The longest SMS body: Twilio's limit for one message (10 parts of
/// GSM-7, fewer of UCS-2); the providers refuse longer ones.
pub const MAX_SMS_CHARS: usize = 1600;

/// Where a campaign is in its life (docs/campaigns.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignStatus {
    Draft,
    Scheduled,
    Sending,
    Paused,
    Sent,
    Cancelled,
    Failed,
}

/// A status name that is not one of the seven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a campaign status (draft, scheduled, sending, paused, sent, cancelled, failed)"
)]
pub struct UnknownStatus(pub String);

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 7] = [
        CampaignStatus::Draft,
        CampaignStatus::Scheduled,
        CampaignStatus::Sending,
        CampaignStatus::Paused,
        CampaignStatus::Sent,
        CampaignStatus::Cancelled,
        CampaignStatus::Failed,
    ];

    /// The name stored in `campaigns.status`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Scheduled => "scheduled",
            CampaignStatus::Sending => "sending",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Sent => "sent",
            CampaignStatus::Cancelled => "cancelled",
            CampaignStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Result<CampaignStatus, UnknownStatus> {
        let raw = raw.trim();
        CampaignStatus::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw))
            .ok_or_else(|| UnknownStatus(raw.to_owned()))
    }

    /// Content and settings can change only before sending starts or while
    /// it is paused; a paused campaign's edits apply to who is left.
    pub fn is_editable(&self) -> bool {
        matches!(
            self,
            CampaignStatus::Draft | CampaignStatus::Scheduled | CampaignStatus::Paused
        )
    }
}

impl fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CampaignStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CampaignStatus::parse(s)
    }
}

/// How the body is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Editor {
    /// The visual editor.
    Rich,
    /// Raw HTML.
    Html,
}

impl Editor {
    pub fn as_str(&self) -> &'static str {
        match self {
            Editor::Rich => "rich",
            Editor::Html => "html",
        }
    }

    pub(crate) fn from_stored(raw: &str) -> Editor {
        if raw == "html" {
            Editor::Html
        } else {
            Editor::Rich
        }
    }
}

/// A stored campaign: every column of `campaigns`.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: CampaignId,
    pub channel: Channel,
    pub name: String,
    pub status: CampaignStatus,
    pub segment_id: Option<SegmentId>,
    /// The segment's name now, or as it was when last saved if it has been
    /// deleted since.
    pub segment_name: Option<String>,
    pub subject: String,
    pub preheader: Option<String>,
    pub from_name: Option<String>,
    pub from_address: Option<EmailAddress>,
    pub reply_to: Option<EmailAddress>,
    pub html: String,
    /// `None`: the plain-text alternative is generated from the HTML.
    pub text_body: Option<String>,
    pub editor: Editor,
    pub template_id: Option<TemplateId>,
    pub tracking: bool,
    /// SMS: append the opt-out instruction ("Reply STOP to opt out").
    pub sms_opt_out: bool,
    /// Messages per second; `None`: the channel settings' rate.
    pub rate: Option<f64>,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub exclusions: Option<Exclusions>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What creating or editing a campaign takes, as the user typed it. Empty
/// optional texts count as none.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignInput {
    pub channel: Channel,
    pub name: String,
    pub segment_id: Option<SegmentId>,
    pub subject: String,
    pub preheader: Option<String>,
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    pub html: String,
    pub text_body: Option<String>,
    pub editor: Editor,
    pub template_id: Option<TemplateId>,
    pub tracking: bool,
    /// SMS: append the opt-out instruction.
    pub sms_opt_out: bool,
    pub rate: Option<f64>,
}

impl CampaignInput {
    /// An empty email draft called `name`.
    pub fn draft(name: &str) -> CampaignInput {
        CampaignInput {
            channel: Channel::Email,
            name: name.to_owned(),
            segment_id: None,
            subject: String::new(),
            preheader: None,
            from_name: None,
            from_address: None,
            reply_to: None,
            html: String::new(),
            text_body: None,
            editor: Editor::Rich,
            template_id: None,
            tracking: true,
            sms_opt_out: true,
            rate: None,
        }
    }
}

impl CleanInput {
    /// The body the search index takes: the HTML of an email, the text of
    /// an SMS.
    pub(crate) fn searchable_body(&self) -> &str {
        match self.channel {
            Channel::Email => &self.html,
            Channel::Sms => self.text_body.as_deref().unwrap_or(""),
        }
    }
}

/// A `CampaignInput` whose every value fits the table.
#[derive(Debug, Clone)]
pub(crate) struct CleanInput {
    pub channel: Channel,
    pub name: String,
    pub segment_id: Option<SegmentId>,
    pub subject: String,
    pub preheader: Option<String>,
    pub from_name: Option<String>,
    pub from_address: Option<EmailAddress>,
    pub reply_to: Option<EmailAddress>,
    pub html: String,
    pub text_body: Option<String>,
    pub editor: Editor,
    pub template_id: Option<TemplateId>,
    pub tracking: bool,
    /// SMS: append the opt-out instruction.
    pub sms_opt_out: bool,
    pub rate: Option<f64>,
}

fn optional(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// One header line's worth of text: no line breaks (they would start a new
/// header) and no other control characters.
fn header_text(field: &str, label: &str, raw: &str, max: usize) -> Result<String> {
    if raw.contains(['\r', '\n']) {
        return Err(StoreError::validation(
            field,
            format!("the {label} must be one line"),
        ));
    }
    if let Some(c) = raw.chars().find(|c| c.is_control()) {
        return Err(StoreError::validation(
            field,
            format!(
                "the {label} contains the control character U+{:04X}",
                u32::from(c)
            ),
        ));
    }
    let n = raw.chars().count();
    if n > max {
        return Err(StoreError::validation(
            field,
            format!("the {label} is {n} characters long; at most {max} are allowed"),
        ));
    }
    Ok(raw.to_owned())
}

fn address(field: &str, raw: Option<&str>) -> Result<Option<EmailAddress>> {
    optional(raw)
        .map(|a| EmailAddress::parse(a).map_err(|e| StoreError::validation(field, e.to_string())))
        .transpose()
}

impl CampaignInput {
    /// Checks every value that can be checked without the database.
    pub(crate) fn clean(&self) -> Result<CleanInput> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(StoreError::validation("name", "a campaign needs a name"));
        }
        let name = header_text("name", "name", name, MAX_NAME_CHARS)?;
        let subject = header_text("subject", "subject", self.subject.trim(), MAX_SUBJECT_CHARS)?;
        let preheader = optional(self.preheader.as_deref())
            .map(|p| header_text("preheader", "preheader", p, MAX_SHORT_TEXT_CHARS))
            .transpose()?;
        let from_name = optional(self.from_name.as_deref())
            .map(|n| header_text("fromName", "sender name", n, MAX_SHORT_TEXT_CHARS))
            .transpose()?;
        if let Some(rate) = self.rate {
            if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE) {
                return Err(StoreError::validation(
                    "rate",
                    format!("the rate is messages per second, more than 0 and at most {MAX_RATE}"),
                ));
            }
        }
        if self.channel == Channel::Sms {
            if let Some(body) = &self.text_body {
                let n = body.chars().count();
                if n > MAX_SMS_CHARS {
                    return Err(StoreError::validation(
                        "textBody",
                        format!(
                            "the message is {n} characters long; an SMS campaign takes at most \
                             {MAX_SMS_CHARS} (the providers' limit, about 10 parts)"
                        ),
                    ));
                }
            }
        }
        Ok(CleanInput {
            channel: self.channel,
            name,
            segment_id: self.segment_id,
            subject,
            preheader,
            from_name,
            from_address: address("fromAddress", self.from_address.as_deref())?,
            reply_to: address("replyTo", self.reply_to.as_deref())?,
            html: self.html.clone(),
            text_body: self.text_body.clone().filter(|t| !t.trim().is_empty()),
            editor: self.editor,
            template_id: self.template_id,
            tracking: self.tracking,
            sms_opt_out: self.sms_opt_out,
            rate: self.rate,
        })
    }
}
