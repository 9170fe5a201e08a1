//! Segment filters: the typed tree behind a dynamic segment, its JSON
//! interchange format, and the in-memory evaluator that is the reference for
//! what a filter means.
//!
//! ```json
//! {"all": [
//!   {"field": "tag", "op": "has_any", "value": ["vip", "newsletter"]},
//!   {"any": [
//!     {"field": "last_interaction", "op": "within_last", "value": {"amount": 30, "unit": "days"}},
//!     {"field": "project_status", "op": "in", "value": ["active", "won"]}
//!   ]},
//!   {"none": [{"field": "country", "op": "eq", "value": "US"}]}
//! ]}
//! ```
//!
//! [`Filter::parse`] turns that JSON into a [`Filter`] or into every problem
//! it has, each with the JSON path of the rule at fault (`all[1].any[0]`).
//! herald-store compiles a `Filter` to one parameterised SQL query;
//! [`Filter::matches`] evaluates it over one contact's [`ContactFacts`] and is
//! the oracle the SQL is tested against. Both read dates through the same
//! [`Clock`] and compare text through the same [`fold`], so they can only
//! disagree if one of them is wrong. The semantics are in docs/segments.md.

mod ast;
mod eval;
mod fold;
mod parse;
mod time;

pub use ast::{
    CountryOp, CustomOp, DateField, DateOp, Engagement, EngagementKind, Group, GroupKind, Node,
    NumOp, ProjectStatusOp, Rule, Span, SpanUnit, StatusOp, TagOp, TextField, TextOp,
};
pub use eval::{revenue_scale, revenue_scales, text_test, ContactFacts, SegmentLookup};
pub use fold::fold;
pub use parse::{is_iso_day_shape, FilterIssue, MAX_DEPTH};
pub use time::{Clock, DateRange, InstantRange};

/// A validated segment filter: the root group of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub root: Group,
}

impl Filter {
    /// The filter every contact matches: an empty "all" group.
    pub fn everyone() -> Filter {
        Filter {
            root: Group {
                kind: GroupKind::All,
                children: Vec::new(),
            },
        }
    }

    /// The segments this filter refers to, directly (not through them).
    pub fn referenced_segments(&self) -> Vec<crate::SegmentId> {
        let mut found = Vec::new();
        self.root.visit_rules(&mut |rule| {
            if let Rule::Segment { id, .. } = rule {
                if !found.contains(id) {
                    found.push(*id);
                }
            }
        });
        found
    }

    /// Whether the filter's result moves with the clock (relative dates),
    /// so a cached count of it goes stale without any write.
    pub fn depends_on_now(&self) -> bool {
        let mut relative = false;
        self.root.visit_rules(&mut |rule| {
            relative |= rule.depends_on_now();
        });
        relative
    }
}
