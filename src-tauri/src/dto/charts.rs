//! Charts as the UI asks for them and gets them (docs/analytics.md,
//! "Charts"): what to draw (`ChartSpec`), in which theme and size, and the
//! SVG with the points the UI shows on hover, or a file to download.

use herald_charts::{Chart, HoverPoint};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which chart. Instants are RFC 3339; `null` bounds: from the campaign's
/// start to now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChartSpec {
    /// Human opens and clicks per hour (up to 7 days) or per day.
    #[serde(rename_all = "camelCase")]
    Engagement {
        campaign_id: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Sent → delivered → opened → clicked (SMS: sent → delivered, and
    /// opt-outs beside).
    #[serde(rename_all = "camelCase")]
    Funnel { campaign_id: String },
    /// Two to five campaigns' opens per hour since their send.
    #[serde(rename_all = "camelCase")]
    Comparison { campaign_ids: Vec<String> },
    /// The dashboard's 12 weeks of subscribed, unsubscribed and net.
    Growth,
}

impl ChartSpec {
    /// `engagement`, `funnel`...: the export's default file name.
    pub fn kind(&self) -> &'static str {
        match self {
            ChartSpec::Engagement { .. } => "engagement",
            ChartSpec::Funnel { .. } => "funnel",
            ChartSpec::Comparison { .. } => "comparison",
            ChartSpec::Growth => "growth",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartTheme {
    Light,
    Dark,
}

impl From<ChartTheme> for herald_charts::Theme {
    fn from(t: ChartTheme) -> Self {
        match t {
            ChartTheme::Light => herald_charts::Theme::Light,
            ChartTheme::Dark => herald_charts::Theme::Dark,
        }
    }
}

/// A chart in a theme, at a size in pixels (width 200 to 4000, height 120
/// to 3000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartRequest {
    pub spec: ChartSpec,
    pub theme: ChartTheme,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartBucket {
    Hour,
    Day,
}

/// Where a value is drawn, in the SVG's pixels (`viewBox` units), and what
/// to show on hover: "label — value".
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HoverPointView {
    pub x: f64,
    pub y: f64,
    pub series: String,
    /// e.g. "Tue 3 Nov, 14:00".
    pub label: String,
    /// e.g. "12 opens".
    pub value: String,
    /// `#rrggbb`.
    pub color: String,
}

impl From<HoverPoint> for HoverPointView {
    fn from(p: HoverPoint) -> Self {
        HoverPointView {
            x: p.x,
            y: p.y,
            series: p.series,
            label: p.label,
            value: p.value,
            color: p.color,
        }
    }
}

/// A drawn chart: SVG that fills its box (`viewBox="0 0 width height"`,
/// transparent background), the bucket of a series, and `empty` when every
/// count is zero (the SVG is still a frame with axes).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartView {
    pub svg: String,
    pub width: u32,
    pub height: u32,
    pub bucket: Option<ChartBucket>,
    pub empty: bool,
    pub points: Vec<HoverPointView>,
}

impl From<Chart> for ChartView {
    fn from(c: Chart) -> Self {
        ChartView {
            svg: c.svg,
            width: c.width,
            height: c.height,
            bucket: c.bucket.map(|b| match b {
                herald_charts::Bucket::Hour => ChartBucket::Hour,
                herald_charts::Bucket::Day => ChartBucket::Day,
            }),
            empty: c.empty,
            points: c.points.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartFormat {
    Png,
    Svg,
}

/// A chart file for the browser to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartFile {
    /// e.g. `engagement.png`.
    pub file_name: String,
    /// `image/png` or `image/svg+xml`.
    pub mime: String,
    pub base64: String,
}
