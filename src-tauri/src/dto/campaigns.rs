//! Campaign records as docs/campaigns.md's IPC contract defines them: the
//! list's summaries, the editor's detail and input, templates and
//! attachments. Instants are ms since the epoch (numbers), ids UUID strings.
//! `CampaignStatus`, `CampaignCounts` and `Exclusions` are shared with the
//! sending commands.

use herald_store::campaign_attachments::AttachmentInfo as StoredAttachment;
use herald_store::campaign_templates::{Template, TemplateSummary as StoredTemplate};
use herald_store::campaigns::{
    self, Campaign, CampaignCounts as StoredCounts, CampaignSummary as StoredSummary,
};
use herald_store::start_failures::{self, StartFailure};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::contacts::Channel;

/// Where a campaign is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Scheduled,
    Sending,
    Paused,
    Sent,
    Cancelled,
    Failed,
}

impl From<campaigns::CampaignStatus> for CampaignStatus {
    fn from(s: campaigns::CampaignStatus) -> Self {
        use campaigns::CampaignStatus as S;
        match s {
            S::Draft => CampaignStatus::Draft,
            S::Scheduled => CampaignStatus::Scheduled,
            S::Sending => CampaignStatus::Sending,
            S::Paused => CampaignStatus::Paused,
            S::Sent => CampaignStatus::Sent,
            S::Cancelled => CampaignStatus::Cancelled,
            S::Failed => CampaignStatus::Failed,
        }
    }
}

impl From<CampaignStatus> for campaigns::CampaignStatus {
    fn from(s: CampaignStatus) -> Self {
        use campaigns::CampaignStatus as S;
        match s {
            CampaignStatus::Draft => S::Draft,
            CampaignStatus::Scheduled => S::Scheduled,
            CampaignStatus::Sending => S::Sending,
            CampaignStatus::Paused => S::Paused,
            CampaignStatus::Sent => S::Sent,
            CampaignStatus::Cancelled => S::Cancelled,
            CampaignStatus::Failed => S::Failed,
        }
    }
}

pub(crate) fn channel_of(c: herald_core::Channel) -> Channel {
    match c {
        herald_core::Channel::Email => Channel::Email,
        herald_core::Channel::Sms => Channel::Sms,
    }
}

pub(crate) fn core_channel(c: Channel) -> herald_core::Channel {
    match c {
        Channel::Email => herald_core::Channel::Email,
        Channel::Sms => herald_core::Channel::Sms,
    }
}

/// How the body is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CampaignEditor {
    Rich,
    Html,
}

/// A campaign's send ledger by status and engagement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignCounts {
    pub recipients: i64,
    /// Not sent yet (including messages on their way right now).
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
    pub suppressed: i64,
    pub opened: i64,
    pub clicked: i64,
    /// SMS: delivered, as the carrier reported.
    pub delivered: i64,
    /// SMS: undelivered or failed, as the carrier reported.
    pub undelivered: i64,
}

impl From<StoredCounts> for CampaignCounts {
    fn from(c: StoredCounts) -> Self {
        CampaignCounts {
            recipients: c.recipients,
            queued: c.queued,
            sent: c.sent,
            failed: c.failed,
            in_doubt: c.in_doubt,
            suppressed: c.suppressed,
            opened: c.opened,
            clicked: c.clicked,
            delivered: c.delivered,
            undelivered: c.undelivered,
        }
    }
}

/// Who the audience left out when it was resolved, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Exclusions {
    pub unsubscribed: i64,
    pub bounced: i64,
    pub complained: i64,
    pub no_consent: i64,
    pub no_address: i64,
    pub duplicate: i64,
}

impl From<campaigns::Exclusions> for Exclusions {
    fn from(e: campaigns::Exclusions) -> Self {
        Exclusions {
            unsubscribed: e.unsubscribed,
            bounced: e.bounced,
            complained: e.complained,
            no_consent: e.no_consent,
            no_address: e.no_address,
            duplicate: e.duplicate,
        }
    }
}

/// One row of the campaigns list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignSummary {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub status: CampaignStatus,
    pub segment_id: Option<String>,
    pub segment_name: Option<String>,
    pub subject: String,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub counts: CampaignCounts,
    /// Scheduled, due, and it could not start (the list says so).
    pub start_failure: Option<CampaignStartFailure>,
}

/// Why a scheduled campaign could not start when it was due. It stays
/// scheduled and the app tries again (docs/email.md, "Scheduling").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignStartFailure {
    /// What a manual start would report: the error's kind ("validation",
    /// "relay", "keychain", ...) and its message.
    pub kind: String,
    pub message: String,
    /// When this failure was first met.
    pub failed_at: i64,
    /// The earliest the app's scheduler tries again.
    pub retry_at: i64,
}

impl CampaignStartFailure {
    /// The failure of a campaign in `status`: only a scheduled campaign
    /// has one to show.
    pub fn of(status: campaigns::CampaignStatus, f: Option<StartFailure>) -> Option<Self> {
        let f = f.filter(|_| status == campaigns::CampaignStatus::Scheduled)?;
        Some(CampaignStartFailure {
            kind: f.kind,
            message: f.message,
            failed_at: f.failed_at,
            retry_at: f.tried_at + start_failures::RETRY_AFTER_MS,
        })
    }
}

impl From<StoredSummary> for CampaignSummary {
    fn from(s: StoredSummary) -> Self {
        CampaignSummary {
            id: s.id.to_string(),
            name: s.name,
            channel: channel_of(s.channel),
            status: s.status.into(),
            segment_id: s.segment_id.map(|id| id.to_string()),
            segment_name: s.segment_name,
            subject: s.subject,
            scheduled_at: s.scheduled_at,
            started_at: s.started_at,
            finished_at: s.finished_at,
            created_at: s.created_at,
            updated_at: s.updated_at,
            counts: s.counts.into(),
            start_failure: None,
        }
    }
}

/// What the editor saves. Empty optional texts count as none.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignInput {
    pub channel: Channel,
    pub name: String,
    pub segment_id: Option<String>,
    pub subject: String,
    pub preheader: Option<String>,
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    pub html: String,
    pub text_body: Option<String>,
    pub editor: CampaignEditor,
    pub template_id: Option<String>,
    pub tracking: bool,
    /// SMS: append the opt-out instruction from the SMS settings ("Reply
    /// STOP to opt out"). Absent: on.
    #[serde(default = "on")]
    #[ts(optional)]
    pub sms_opt_out: Option<bool>,
    /// Messages per second; null: the channel settings' rate.
    pub rate: Option<f64>,
}

fn on() -> Option<bool> {
    Some(true)
}

/// A file attached to a campaign (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

impl From<StoredAttachment> for AttachmentInfo {
    fn from(a: StoredAttachment) -> Self {
        AttachmentInfo {
            id: a.id.to_string(),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
        }
    }
}

/// A campaign as the editor shows it: the summary's fields, the input's
/// fields, and what only the detail has.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignDetail {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub status: CampaignStatus,
    pub segment_id: Option<String>,
    pub segment_name: Option<String>,
    pub subject: String,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub counts: CampaignCounts,
    pub preheader: Option<String>,
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    pub html: String,
    pub text_body: Option<String>,
    pub editor: CampaignEditor,
    pub template_id: Option<String>,
    pub tracking: bool,
    /// SMS: whether the opt-out instruction is appended.
    pub sms_opt_out: bool,
    pub rate: Option<f64>,
    pub attachments: Vec<AttachmentInfo>,
    pub exclusions: Option<Exclusions>,
    pub last_error: Option<String>,
    /// Draft, scheduled or paused: content, settings and attachments can
    /// change.
    pub editable: bool,
    /// Scheduled, due, and it could not start: why.
    pub start_failure: Option<CampaignStartFailure>,
}

impl CampaignDetail {
    pub fn new(
        c: Campaign,
        counts: StoredCounts,
        attachments: Vec<StoredAttachment>,
        start_failure: Option<StartFailure>,
    ) -> Self {
        CampaignDetail {
            start_failure: CampaignStartFailure::of(c.status, start_failure),
            id: c.id.to_string(),
            name: c.name,
            channel: channel_of(c.channel),
            status: c.status.into(),
            segment_id: c.segment_id.map(|id| id.to_string()),
            segment_name: c.segment_name,
            subject: c.subject,
            scheduled_at: c.scheduled_at,
            started_at: c.started_at,
            finished_at: c.finished_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            counts: counts.into(),
            preheader: c.preheader,
            from_name: c.from_name,
            from_address: c.from_address.map(|a| a.as_str().to_owned()),
            reply_to: c.reply_to.map(|a| a.as_str().to_owned()),
            html: c.html,
            text_body: c.text_body,
            editor: match c.editor {
                campaigns::Editor::Rich => CampaignEditor::Rich,
                campaigns::Editor::Html => CampaignEditor::Html,
            },
            template_id: c.template_id.map(|id| id.to_string()),
            tracking: c.tracking,
            sms_opt_out: c.sms_opt_out,
            rate: c.rate,
            attachments: attachments.into_iter().map(AttachmentInfo::from).collect(),
            exclusions: c.exclusions.map(Exclusions::from),
            last_error: c.last_error,
            editable: c.status.is_editable(),
        }
    }
}

/// A template as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    /// A small SVG picture of the layout (built-in starters).
    pub thumbnail: Option<String>,
    pub builtin: bool,
}

impl From<StoredTemplate> for TemplateSummary {
    fn from(t: StoredTemplate) -> Self {
        TemplateSummary {
            id: t.id.to_string(),
            name: t.name,
            thumbnail: t.thumbnail,
            builtin: t.builtin,
        }
    }
}

/// A template with its HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDetail {
    pub id: String,
    pub name: String,
    pub thumbnail: Option<String>,
    pub builtin: bool,
    pub html: String,
}

impl From<Template> for TemplateDetail {
    fn from(t: Template) -> Self {
        TemplateDetail {
            id: t.summary.id.to_string(),
            name: t.summary.name,
            thumbnail: t.summary.thumbnail,
            builtin: t.summary.builtin,
            html: t.html,
        }
    }
}

/// Saving the editor's HTML as one of the user's templates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInput {
    pub name: String,
    pub html: String,
}
