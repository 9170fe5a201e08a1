//! The dashboard's campaign widgets as the UI reads them (docs/analytics.md,
//! "Dashboard"): the last campaigns with their key rates, the one sending
//! now, the last 30 days against the 30 before, and the weekly audience
//! growth. Names carry a `Dashboard` prefix so that they never clash with
//! the campaign report's types in the generated bindings.

use anyhow::Context;
use herald_store::analytics::{
    Dashboard, GrowthWeek, RateBasis, RecentCampaign, SendingCampaign, Totals,
};
use herald_store::campaigns::CampaignStatus as StoreStatus;
use serde::Serialize;
use ts_rs::TS;

use crate::dto::campaigns::{channel_of, CampaignStatus};
use crate::dto::{instant, Channel};

/// What a campaign's rates are shares of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DashboardRateBasis {
    /// The provider reported deliveries.
    Delivered,
    /// No delivery reports: messages sent.
    Sent,
}

impl From<RateBasis> for DashboardRateBasis {
    fn from(b: RateBasis) -> Self {
        match b {
            RateBasis::Delivered => DashboardRateBasis::Delivered,
            RateBasis::Sent => DashboardRateBasis::Sent,
        }
    }
}

/// One of the last started campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardCampaign {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub status: CampaignStatus,
    pub started_at: Option<String>,
    pub sent: i64,
    pub basis: DashboardRateBasis,
    /// Unique human opens over the basis, 0.0 to 1.0; null when the basis
    /// is zero (nothing sent or delivered yet).
    pub open_rate: Option<f64>,
    /// Unique human clicks over the basis; null as `openRate`.
    pub click_rate: Option<f64>,
    /// Contacts reported delivered over messages sent (a text's headline:
    /// texts have no opens and no tracked links); null with nothing sent.
    pub delivered_rate: Option<f64>,
}

/// The campaign sending now and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardSending {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
}

/// A 30-day window's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardTotals {
    /// Messages sent by the campaigns that started in the window.
    pub sent: i64,
    /// Contacts' first human open of a campaign falling in the window,
    /// added over campaigns.
    pub unique_opens: i64,
    pub unique_clicks: i64,
    /// Email unsubscribes and SMS opt-outs.
    pub unsubscribes: i64,
}

/// One week (from Monday 00:00 in the workspace's zone) of email consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardGrowthWeek {
    pub week_start: String,
    pub subscribed: i64,
    /// Unsubscribes, complaints and hard bounces.
    pub unsubscribed: i64,
    pub net: i64,
}

/// Everything the dashboard's campaign widgets show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// No contacts and no campaigns: the first-run state.
    pub empty: bool,
    /// The last 5 started campaigns, newest first.
    pub recent: Vec<DashboardCampaign>,
    pub sending: Option<DashboardSending>,
    pub last_30_days: DashboardTotals,
    pub previous_30_days: DashboardTotals,
    /// 12 weeks, oldest first; the last is the current week.
    pub growth: Vec<DashboardGrowthWeek>,
}

/// The store keeps channel and status as their names; a name it does not
/// know is a corrupt row, reported as an internal error.
fn channel(raw: &str) -> anyhow::Result<Channel> {
    let c =
        herald_core::Channel::parse(raw).with_context(|| format!("campaign channel {raw:?}"))?;
    Ok(channel_of(c))
}

fn status(raw: &str) -> anyhow::Result<CampaignStatus> {
    let s = StoreStatus::parse(raw).with_context(|| format!("campaign status {raw:?}"))?;
    Ok(s.into())
}

impl TryFrom<RecentCampaign> for DashboardCampaign {
    type Error = anyhow::Error;
    fn try_from(c: RecentCampaign) -> anyhow::Result<Self> {
        Ok(DashboardCampaign {
            id: c.id.to_string(),
            channel: channel(&c.channel)?,
            status: status(&c.status)?,
            name: c.name,
            started_at: c.started_at.map(instant),
            sent: c.sent,
            basis: c.basis.into(),
            open_rate: c.open_rate,
            click_rate: c.click_rate,
            delivered_rate: c.delivered_rate,
        })
    }
}

impl TryFrom<SendingCampaign> for DashboardSending {
    type Error = anyhow::Error;
    fn try_from(c: SendingCampaign) -> anyhow::Result<Self> {
        Ok(DashboardSending {
            id: c.id.to_string(),
            channel: channel(&c.channel)?,
            name: c.name,
            recipients: c.recipients,
            sent: c.sent,
            failed: c.failed,
            in_doubt: c.in_doubt,
        })
    }
}

impl From<Totals> for DashboardTotals {
    fn from(t: Totals) -> Self {
        DashboardTotals {
            sent: t.sent,
            unique_opens: t.unique_opens,
            unique_clicks: t.unique_clicks,
            unsubscribes: t.unsubscribes,
        }
    }
}

impl From<GrowthWeek> for DashboardGrowthWeek {
    fn from(w: GrowthWeek) -> Self {
        DashboardGrowthWeek {
            week_start: instant(w.week_start),
            subscribed: w.subscribed,
            unsubscribed: w.unsubscribed,
            net: w.net,
        }
    }
}

impl TryFrom<Dashboard> for DashboardView {
    type Error = anyhow::Error;
    fn try_from(d: Dashboard) -> anyhow::Result<Self> {
        Ok(DashboardView {
            empty: d.empty,
            recent: d
                .recent
                .into_iter()
                .map(DashboardCampaign::try_from)
                .collect::<anyhow::Result<_>>()?,
            sending: d.sending.map(DashboardSending::try_from).transpose()?,
            last_30_days: d.last_30_days.into(),
            previous_30_days: d.previous_30_days.into(),
            growth: d.growth.into_iter().map(Into::into).collect(),
        })
    }
}
