//! The workspace as a whole.

use serde::Serialize;
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
