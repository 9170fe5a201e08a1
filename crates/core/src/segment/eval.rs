//! The oracle: a filter evaluated over one contact held in memory. It is
//! written for obviousness, not speed; the SQL compiler is tested against it.

use serde_json::{Map, Value};

use super::ast::{
    CountryOp, CustomOp, DateField, DateOp, Group, GroupKind, Node, ProjectStatusOp, Rule, TagOp,
    TextField, TextOp,
};
use super::fold::fold;
use super::parse::is_iso_day_shape;
use super::time::Clock;
use super::Filter;
use crate::{CountryCode, Currency, EmailStatus, SegmentId, SmsStatus};

/// What a filter can look at in one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFacts {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub country: Option<CountryCode>,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub last_interaction_at: Option<i64>,
    pub revenue_minor: i64,
    /// ISO 4217 code.
    pub revenue_currency: String,
    pub custom: Map<String, Value>,
    pub email_status: EmailStatus,
    pub sms_status: SmsStatus,
    pub tags: Vec<String>,
    /// One entry per project.
    pub project_statuses: Vec<String>,
}

/// Finds the filter of a saved segment, for `segment in/not_in` rules.
pub trait SegmentLookup {
    fn filter(&self, id: SegmentId) -> Option<Filter>;
}

impl SegmentLookup for std::collections::HashMap<SegmentId, Filter> {
    fn filter(&self, id: SegmentId) -> Option<Filter> {
        self.get(&id).cloned()
    }
}

/// How many ten-thousandths of a major unit one minor unit of `code` is:
/// 100 for USD (cents), 10 000 for JPY, 10 for BHD. Unknown codes count
/// as two-decimal currencies.
pub fn revenue_scale(code: &str) -> i64 {
    let digits = Currency::parse(code).map_or(2, |c| c.minor_digits());
    10_i64.pow(4_u32.saturating_sub(digits))
}

/// The currencies whose scale is not 100 (two decimals), grouped by scale,
/// for a SQL `CASE` that agrees with [`revenue_scale`].
pub fn revenue_scales() -> Vec<(i64, Vec<&'static str>)> {
    let mut groups: Vec<(i64, Vec<&'static str>)> = Vec::new();
    for currency in Currency::all() {
        let scale = revenue_scale(currency.code());
        if scale == 100 {
            continue;
        }
        match groups.iter_mut().find(|(s, _)| *s == scale) {
            Some((_, codes)) => codes.push(currency.code()),
            None => groups.push((scale, vec![currency.code()])),
        }
    }
    groups.sort_by_key(|(s, _)| *s);
    groups
}

impl Filter {
    /// Whether the contact matches, or why the filter cannot be evaluated
    /// (an unknown or cyclic segment reference, an engagement rule).
    pub fn matches(
        &self,
        contact: &ContactFacts,
        clock: &Clock,
        segments: &dyn SegmentLookup,
    ) -> Result<bool, String> {
        let mut stack = Vec::new();
        eval_group(&self.root, contact, clock, segments, &mut stack)
    }
}

fn eval_group(
    group: &Group,
    c: &ContactFacts,
    clock: &Clock,
    segments: &dyn SegmentLookup,
    stack: &mut Vec<SegmentId>,
) -> Result<bool, String> {
    // An empty group is no condition.
    if group.children.is_empty() {
        return Ok(true);
    }
    let mut results = Vec::with_capacity(group.children.len());
    for child in &group.children {
        results.push(match child {
            Node::Group(g) => eval_group(g, c, clock, segments, stack)?,
            Node::Rule(r) => eval_rule(r, c, clock, segments, stack)?,
        });
    }
    Ok(match group.kind {
        GroupKind::All => results.iter().all(|r| *r),
        GroupKind::Any => results.iter().any(|r| *r),
        GroupKind::None => !results.iter().any(|r| *r),
    })
}

fn eval_rule(
    rule: &Rule,
    c: &ContactFacts,
    clock: &Clock,
    segments: &dyn SegmentLookup,
    stack: &mut Vec<SegmentId>,
) -> Result<bool, String> {
    Ok(match rule {
        Rule::Text(field, op) => {
            let value = match field {
                TextField::FirstName => &c.first_name,
                TextField::LastName => &c.last_name,
                TextField::Email => &c.email,
                TextField::Company => &c.company,
                TextField::City => &c.city,
                TextField::Region => &c.region,
                TextField::Phone => &c.phone,
            };
            text_test(op, &value.as_deref().map(fold).unwrap_or_default())
        }
        Rule::Country(op) => match op {
            CountryOp::Eq(code) => c.country == Some(*code),
            CountryOp::Neq(code) => c.country != Some(*code),
            CountryOp::In(codes) => c.country.is_some_and(|x| codes.contains(&x)),
            CountryOp::NotIn(codes) => !c.country.is_some_and(|x| codes.contains(&x)),
            CountryOp::IsEmpty => c.country.is_none(),
            CountryOp::IsNotEmpty => c.country.is_some(),
        },
        Rule::Tag(op) => {
            let has: Vec<String> = c.tags.iter().map(|t| fold(t)).collect();
            match op {
                TagOp::HasAny(names) => names.iter().any(|n| has.contains(n)),
                TagOp::HasAll(names) => names.iter().all(|n| has.contains(n)),
                TagOp::HasNone(names) => !names.iter().any(|n| has.contains(n)),
            }
        }
        Rule::ProjectStatus(op) => {
            let has: Vec<String> = c.project_statuses.iter().map(|s| fold(s)).collect();
            match op {
                ProjectStatusOp::In(set) => has.iter().any(|s| set.contains(s)),
                ProjectStatusOp::NotIn(set) => !has.iter().any(|s| set.contains(s)),
                ProjectStatusOp::IsEmpty => has.is_empty(),
            }
        }
        Rule::Revenue(op) => {
            let scaled =
                i128::from(c.revenue_minor) * i128::from(revenue_scale(&c.revenue_currency));
            op.map(i128::from).test(scaled)
        }
        Rule::Date(field, op) => {
            let value = match field {
                DateField::CreatedAt => Some(c.created_at),
                DateField::LastInteraction => c.last_interaction_at,
            };
            match (op, value) {
                (DateOp::IsEmpty, v) => v.is_none(),
                (DateOp::IsNotEmpty, v) => v.is_some(),
                (_, None) => false,
                (op, Some(ms)) => clock
                    .instant_range(op)
                    .is_some_and(|range| range.contains(ms)),
            }
        }
        Rule::EmailStatus(op) => op.test(&c.email_status),
        Rule::SmsStatus(op) => op.test(&c.sms_status),
        Rule::Custom(key, op) => custom_test(op, c.custom.get(key), clock),
        Rule::Segment { id, member } => {
            if stack.contains(id) {
                return Err(format!("segment {id} refers to itself"));
            }
            let Some(filter) = segments.filter(*id) else {
                return Err(format!("there is no segment {id}"));
            };
            stack.push(*id);
            let inside = eval_group(&filter.root, c, clock, segments, stack)?;
            stack.pop();
            inside == *member
        }
        Rule::Engagement(_) => {
            return Err("engagement rules need campaigns, which come in a later version".into())
        }
    })
}

/// A text operator applied to a folded value ("" when missing).
pub fn text_test(op: &TextOp, folded: &str) -> bool {
    match op {
        TextOp::Eq(v) => folded == v,
        TextOp::Neq(v) => folded != v,
        TextOp::Contains(v) => folded.contains(v.as_str()),
        TextOp::NotContains(v) => !folded.contains(v.as_str()),
        TextOp::StartsWith(v) => folded.starts_with(v.as_str()),
        TextOp::EndsWith(v) => folded.ends_with(v.as_str()),
        TextOp::In(set) => set.iter().any(|v| v == folded),
        TextOp::NotIn(set) => !set.iter().any(|v| v == folded),
        TextOp::IsEmpty => folded.is_empty(),
        TextOp::IsNotEmpty => !folded.is_empty(),
    }
}

fn custom_test(op: &CustomOp, value: Option<&Value>, clock: &Clock) -> bool {
    match op {
        CustomOp::Text(op) => {
            let folded = match value {
                Some(Value::String(s)) => fold(s),
                _ => String::new(),
            };
            text_test(op, &folded)
        }
        CustomOp::Number(op) => match value.and_then(Value::as_f64) {
            Some(x) if matches!(value, Some(Value::Number(_))) => op.test(x),
            _ => op.is_negative(),
        },
        CustomOp::Date(op) => match value {
            Some(Value::String(s)) if is_iso_day_shape(s) => {
                clock.date_range(op).is_some_and(|range| {
                    let (from, until) = range.as_iso();
                    from.is_none_or(|f| s.as_str() >= f.as_str())
                        && until.is_none_or(|u| s.as_str() <= u.as_str())
                })
            }
            _ => false,
        },
        CustomOp::IsTrue => value == Some(&Value::Bool(true)),
        CustomOp::IsFalse => value == Some(&Value::Bool(false)),
        CustomOp::IsEmpty => is_empty(value),
        CustomOp::IsNotEmpty => !is_empty(value),
    }
}

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => fold(s).is_empty(),
        Some(_) => false,
    }
}
