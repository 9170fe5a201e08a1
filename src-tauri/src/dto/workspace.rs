//! The workspace as a whole.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app shows about the open workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInfo {
    /// The workspace file.
    pub path: String,
    pub name: String,
    pub contacts: i64,
    /// The country assumed for phone numbers without a country code.
    pub default_region: Option<String>,
    pub default_currency: String,
    /// The IANA zone segment filters read calendar days in.
    pub time_zone: String,
}

/// What the settings form saves; an empty region is none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSettingsInput {
    pub name: String,
    pub default_region: String,
    pub default_currency: String,
    pub time_zone: String,
}

/// The choices the settings form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingOptions {
    /// ISO 4217 codes, alphabetically.
    pub currencies: Vec<String>,
    /// IANA zone names, alphabetically.
    pub time_zones: Vec<String>,
}

/// What loading demo data added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct DemoSummary {
    pub contacts: u64,
    pub interactions: u64,
    pub projects: u64,
}

impl From<herald_demo::DemoSummary> for DemoSummary {
    fn from(s: herald_demo::DemoSummary) -> Self {
        DemoSummary {
            contacts: s.contacts,
            interactions: s.interactions,
            projects: s.projects,
        }
    }
}
