//! Segments: the list, the builder's input, previews and the custom field
//! catalogue. Filters cross IPC as plain JSON (the interchange format of
//! docs/segments.md); the UI types them by hand in
//! `ui/src/features/segments/filter.ts`.

use herald_store::segments::{CustomKind, Segment};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::contacts::{ContactRow, ContactSortField, SortDirection};
use super::instant;

/// One row of the segments list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The last count taken; `countFresh` says whether it still holds.
    pub count: Option<i64>,
    pub count_fresh: bool,
    pub updated_at: String,
}

impl From<&Segment> for SegmentSummary {
    fn from(s: &Segment) -> Self {
        SegmentSummary {
            id: s.id.to_string(),
            name: s.name.clone(),
            description: s.description.clone(),
            count: s.cached_count,
            count_fresh: s.count_fresh,
            updated_at: instant(herald_store::from_millis(s.updated_at)),
        }
    }
}

/// A segment as the builder edits it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentDetail {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    #[ts(type = "unknown")]
    pub filter: Value,
    pub count: Option<i64>,
    pub count_fresh: bool,
    pub created_at: String,
    pub updated_at: String,
    /// The names of the segments whose filters refer to this one.
    pub used_by: Vec<String>,
}

impl SegmentDetail {
    pub fn new(s: Segment, used_by: Vec<String>) -> Self {
        SegmentDetail {
            id: s.id.to_string(),
            name: s.name,
            description: s.description,
            filter: s.filter,
            count: s.cached_count,
            count_fresh: s.count_fresh,
            created_at: instant(herald_store::from_millis(s.created_at)),
            updated_at: instant(herald_store::from_millis(s.updated_at)),
            used_by,
        }
    }
}

/// What saving a segment takes; an empty description is none.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentInput {
    pub name: String,
    pub description: String,
    #[ts(type = "unknown")]
    pub filter: Value,
}

impl From<SegmentInput> for herald_store::segments::SegmentInput {
    fn from(input: SegmentInput) -> Self {
        herald_store::segments::SegmentInput {
            name: input.name,
            description: Some(input.description),
            filter: input.filter,
        }
    }
}

/// One problem with a filter, at a JSON path ("" = the root group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FilterIssue {
    pub path: String,
    pub message: String,
}

impl From<herald_core::segment::FilterIssue> for FilterIssue {
    fn from(issue: herald_core::segment::FilterIssue) -> Self {
        FilterIssue {
            path: issue.path,
            message: issue.message,
        }
    }
}

/// What the live preview asks for. `ticket` increases with every request
/// from one builder; a request overtaken by a newer one is refused.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentPreviewQuery {
    #[ts(type = "unknown")]
    pub filter: Value,
    /// name, createdAt, lastInteractionAt or revenue.
    pub sort: ContactSortField,
    pub direction: SortDirection,
    pub after: Option<String>,
    pub limit: u32,
    pub ticket: u64,
}

/// The exact count and one page of the contacts a filter matches.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentPreview {
    pub count: i64,
    pub items: Vec<ContactRow>,
    pub next_cursor: Option<String>,
    /// How long the count and the page took.
    pub elapsed_ms: u64,
    pub ticket: u64,
}

/// A saved segment's count and how long it took (≈0 when cached).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentCount {
    pub count: i64,
    pub elapsed_ms: u64,
}

/// A custom field key in use and the kind of value it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CustomFieldInfo {
    pub key: String,
    #[ts(type = r#""text" | "number" | "date" | "boolean""#)]
    pub kind: &'static str,
}

impl CustomFieldInfo {
    pub fn new(key: String, kind: CustomKind) -> Self {
        let kind = match kind {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::Boolean => "boolean",
        };
        CustomFieldInfo { key, kind }
    }
}
