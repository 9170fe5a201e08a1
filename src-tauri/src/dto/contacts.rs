//! Contacts, their timeline, the contact table's query, and form input.

use herald_store::consent_events::ConsentEvent;
use herald_store::contacts::{self, Contact};
use herald_store::interactions::Interaction;
use herald_store::ledger::ContactCampaign;
use herald_store::projects::Project;
use herald_store::tags;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::instant;
use super::sending::RecipientStatus;

/// Whether a contact may be sent email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    Subscribed,
    Unsubscribed,
    Bounced,
    Complained,
}

/// Whether a contact may be sent SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    Subscribed,
    OptedOut,
    Invalid,
}

impl From<herald_core::EmailStatus> for EmailStatus {
    fn from(status: herald_core::EmailStatus) -> Self {
        use herald_core::EmailStatus as S;
        match status {
            S::Subscribed => EmailStatus::Subscribed,
            S::Unsubscribed => EmailStatus::Unsubscribed,
            S::Bounced => EmailStatus::Bounced,
            S::Complained => EmailStatus::Complained,
        }
    }
}

impl From<EmailStatus> for herald_core::EmailStatus {
    fn from(status: EmailStatus) -> Self {
        use herald_core::EmailStatus as S;
        match status {
            EmailStatus::Subscribed => S::Subscribed,
            EmailStatus::Unsubscribed => S::Unsubscribed,
            EmailStatus::Bounced => S::Bounced,
            EmailStatus::Complained => S::Complained,
        }
    }
}

impl From<herald_core::SmsStatus> for SmsStatus {
    fn from(status: herald_core::SmsStatus) -> Self {
        use herald_core::SmsStatus as S;
        match status {
            S::Subscribed => SmsStatus::Subscribed,
            S::OptedOut => SmsStatus::OptedOut,
            S::Invalid => SmsStatus::Invalid,
        }
    }
}

impl From<SmsStatus> for herald_core::SmsStatus {
    fn from(status: SmsStatus) -> Self {
        use herald_core::SmsStatus as S;
        match status {
            SmsStatus::Subscribed => S::Subscribed,
            SmsStatus::OptedOut => S::OptedOut,
            SmsStatus::Invalid => S::Invalid,
        }
    }
}

/// A way of reaching a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

/// Whether a consent event gave or took away permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    Granted,
    Withdrawn,
}

/// The contact table's sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ContactSortField {
    Name,
    Email,
    Company,
    Country,
    CreatedAt,
    LastInteractionAt,
    Revenue,
}

impl From<ContactSortField> for contacts::SortField {
    fn from(field: ContactSortField) -> Self {
        use contacts::SortField as F;
        match field {
            ContactSortField::Name => F::Name,
            ContactSortField::Email => F::Email,
            ContactSortField::Company => F::Company,
            ContactSortField::Country => F::Country,
            ContactSortField::CreatedAt => F::CreatedAt,
            ContactSortField::LastInteractionAt => F::LastInteractionAt,
            ContactSortField::Revenue => F::Revenue,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    Asc,
    Desc,
}

/// One row of the contact table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactRow {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email_status: EmailStatus,
    pub sms_status: SmsStatus,
    pub tags: Vec<String>,
    pub revenue_minor: i64,
    pub revenue_currency: String,
    pub created_at: String,
    pub last_interaction_at: Option<String>,
}

impl From<&Contact> for ContactRow {
    fn from(c: &Contact) -> Self {
        ContactRow {
            id: c.id.to_string(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            display_name: c.display_name(),
            email: c.email.as_ref().map(ToString::to_string),
            phone: c.phone.as_ref().map(ToString::to_string),
            company: c.company.clone(),
            city: c.city.clone(),
            country: c.country.map(|code| code.as_str().to_owned()),
            email_status: c.email_status.into(),
            sms_status: c.sms_status.into(),
            tags: c.tags.clone(),
            revenue_minor: c.revenue.minor(),
            revenue_currency: c.revenue.currency().code().to_owned(),
            created_at: instant(c.created_at),
            last_interaction_at: c.last_interaction_at.map(instant),
        }
    }
}

/// What the contact table asks for. `after` is the opaque cursor of the
/// previous page; `tag` is a tag name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactListQuery {
    pub search: Option<String>,
    pub tag: Option<String>,
    pub email_status: Option<EmailStatus>,
    pub sms_status: Option<SmsStatus>,
    pub sort: ContactSortField,
    pub direction: SortDirection,
    pub after: Option<String>,
    pub limit: u32,
}

impl From<ContactListQuery> for contacts::PageQuery {
    fn from(q: ContactListQuery) -> Self {
        contacts::PageQuery {
            search: q.search,
            tag: q.tag,
            email_status: q.email_status.map(Into::into),
            sms_status: q.sms_status.map(Into::into),
            sort: q.sort.into(),
            direction: match q.direction {
                SortDirection::Asc => contacts::Direction::Asc,
                SortDirection::Desc => contacts::Direction::Desc,
            },
            after: q.after,
            limit: q.limit,
            segment: None,
        }
    }
}

/// One page of the contact table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactPage {
    pub items: Vec<ContactRow>,
    pub total: i64,
    pub next_cursor: Option<String>,
}

impl From<contacts::Page> for ContactPage {
    fn from(page: contacts::Page) -> Self {
        ContactPage {
            items: page.contacts.iter().map(ContactRow::from).collect(),
            total: page.total,
            next_cursor: page.next_cursor,
        }
    }
}

/// When, where and how a contact last consented on a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Consent {
    pub at: String,
    pub source: String,
    pub method: String,
}

impl From<&contacts::Consent> for Consent {
    fn from(c: &contacts::Consent) -> Self {
        Consent {
            at: instant(c.at),
            source: c.source.clone(),
            method: c.method.clone(),
        }
    }
}

/// One row of the consent ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConsentEventView {
    pub id: String,
    #[ts(inline)]
    pub channel: Channel,
    #[ts(inline)]
    pub action: ConsentAction,
    /// The status after this event.
    pub status: String,
    pub source: String,
    pub method: String,
    pub at: String,
}

impl From<&ConsentEvent> for ConsentEventView {
    fn from(e: &ConsentEvent) -> Self {
        ConsentEventView {
            id: e.id.to_string(),
            // The ledger's CHECK constraints admit only these words.
            channel: if e.channel == "sms" {
                Channel::Sms
            } else {
                Channel::Email
            },
            action: if e.action == "withdrawn" {
                ConsentAction::Withdrawn
            } else {
                ConsentAction::Granted
            },
            status: e.status.clone(),
            source: e.source.clone(),
            method: e.method.clone(),
            at: instant(e.at),
        }
    }
}

/// One entry of a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InteractionView {
    pub id: String,
    pub kind: String,
    pub occurred_at: String,
    pub summary: String,
}

impl From<&Interaction> for InteractionView {
    fn from(i: &Interaction) -> Self {
        InteractionView {
            id: i.id.to_string(),
            kind: i.kind.as_str().to_owned(),
            occurred_at: instant(i.occurred_at),
            summary: i.summary.clone(),
        }
    }
}

/// A project (deal) attached to a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectView {
    pub id: String,
    pub name: String,
    pub status: String,
    pub value_minor: i64,
    pub currency: String,
}

impl From<&Project> for ProjectView {
    fn from(p: &Project) -> Self {
        ProjectView {
            id: p.id.to_string(),
            name: p.name.clone(),
            status: p.status.clone(),
            value_minor: p.value.minor(),
            currency: p.value.currency().code().to_owned(),
        }
    }
}

/// Everything the contact page shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactDetail {
    pub contact: ContactRow,
    pub region: Option<String>,
    #[ts(type = "Record<string, unknown>")]
    pub custom: serde_json::Value,
    pub email_consent: Option<Consent>,
    pub sms_consent: Option<Consent>,
    pub updated_at: String,
    pub consent_events: Vec<ConsentEventView>,
    pub interactions: Vec<InteractionView>,
    pub projects: Vec<ProjectView>,
    /// The campaigns sent (or being sent) to the contact, newest first.
    pub campaigns: Vec<ContactCampaignView>,
}

impl ContactDetail {
    pub fn new(
        contact: &Contact,
        events: &[ConsentEvent],
        interactions: &[Interaction],
        projects: &[Project],
    ) -> Self {
        ContactDetail {
            contact: contact.into(),
            region: contact.region.clone(),
            custom: contact.custom.to_json(),
            email_consent: contact.email_consent.as_ref().map(Consent::from),
            sms_consent: contact.sms_consent.as_ref().map(Consent::from),
            updated_at: instant(contact.updated_at),
            consent_events: events.iter().map(ConsentEventView::from).collect(),
            interactions: interactions.iter().map(InteractionView::from).collect(),
            projects: projects.iter().map(ProjectView::from).collect(),
            campaigns: Vec::new(),
        }
    }

    /// The detail with the campaigns on the contact's timeline.
    pub fn with_campaigns(mut self, campaigns: &[ContactCampaign]) -> Self {
        self.campaigns = campaigns.iter().map(ContactCampaignView::from).collect();
        self
    }
}

/// A campaign on a contact's timeline: when it went to them and what they
/// did with it, each instant the first one seen (RFC 3339; null: not seen).
/// Machine opens (privacy proxies) and scanner clicks are not in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactCampaignView {
    pub campaign_id: String,
    pub campaign_name: String,
    pub channel: Channel,
    pub status: RecipientStatus,
    pub sent_at: Option<String>,
    pub delivered_at: Option<String>,
    pub opened_at: Option<String>,
    pub clicked_at: Option<String>,
    pub bounced_at: Option<String>,
    pub complained_at: Option<String>,
    pub unsubscribed_at: Option<String>,
}

impl From<&ContactCampaign> for ContactCampaignView {
    fn from(c: &ContactCampaign) -> Self {
        let at = |ms: Option<i64>| ms.map(|ms| instant(herald_store::from_millis(ms)));
        ContactCampaignView {
            campaign_id: c.campaign_id.to_string(),
            campaign_name: c.campaign_name.clone(),
            channel: match c.channel.as_str() {
                "sms" => Channel::Sms,
                _ => Channel::Email,
            },
            status: c.status.into(),
            sent_at: at(c.sent_at),
            delivered_at: at(c.delivered_at),
            opened_at: at(c.opened_at),
            clicked_at: at(c.clicked_at),
            bounced_at: at(c.bounced_at),
            complained_at: at(c.complained_at),
            unsubscribed_at: at(c.unsubscribed_at),
        }
    }
}

/// The add/edit form. Every field is text as typed; `""` means empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub city: String,
    pub region: String,
    pub country: String,
}

/// The inputs `contacts_check_field` can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckedField {
    Email,
    Phone,
    Country,
}

/// The verdict on one form input, from the parsers saving uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldCheck {
    pub ok: bool,
    /// The value as it would be saved (`+14155552671`, `ada@example.com`, `DE`).
    pub normalized: Option<String>,
    /// Why the value cannot be saved.
    pub message: Option<String>,
}

/// A tag with how many contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TagCount {
    pub id: String,
    pub name: String,
    pub contacts: i64,
}

impl From<tags::TagCount> for TagCount {
    fn from(t: tags::TagCount) -> Self {
        TagCount {
            id: t.id.to_string(),
            name: t.name,
            contacts: t.contacts,
        }
    }
}
