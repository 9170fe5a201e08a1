//! Reading a filter from its JSON form, reporting every problem at once.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::ast::{
    CountryOp, CustomOp, DateField, DateOp, Engagement, EngagementKind, Group, GroupKind, Node,
    NumOp, ProjectStatusOp, Rule, Span, SpanUnit, StatusOp, TagOp, TextField, TextOp,
};
use super::fold::fold;
use super::Filter;
use crate::{CountryCode, EmailStatus, SegmentId, SmsStatus};

/// Groups nest at most this deep (the root group is depth 1).
pub const MAX_DEPTH: usize = 8;

/// The longest relative span accepted, in its unit.
const MAX_SPAN: u64 = 10_000;

/// Longest custom field key, as in `CustomFields`.
const MAX_KEY_LEN: usize = 64;

/// One problem with a filter, at a JSON path such as `all[1].any[0]` (the
/// empty path is the root group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FilterIssue {
    pub path: String,
    pub message: String,
}

impl fmt::Display for FilterIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for FilterIssue {}

impl Filter {
    /// Reads a filter, or reports every problem in it.
    pub fn parse(json: &Value) -> Result<Filter, Vec<FilterIssue>> {
        let mut issues = Vec::new();
        let root = match json {
            Value::Object(map) if group_kind(map).is_some() => parse_group(map, "", 1, &mut issues),
            _ => {
                issues.push(FilterIssue {
                    path: String::new(),
                    message: "a filter is a group: {\"all\": [...]}, {\"any\": [...]} or \
                              {\"none\": [...]}"
                        .to_owned(),
                });
                None
            }
        };
        match root {
            Some(root) if issues.is_empty() => Ok(Filter { root }),
            _ => Err(issues),
        }
    }

    /// Reads a filter from JSON text.
    pub fn parse_str(text: &str) -> Result<Filter, Vec<FilterIssue>> {
        let json: Value = serde_json::from_str(text).map_err(|e| {
            vec![FilterIssue {
                path: String::new(),
                message: format!("the filter is not valid JSON: {e}"),
            }]
        })?;
        Filter::parse(&json)
    }
}

fn group_kind(map: &Map<String, Value>) -> Option<GroupKind> {
    if map.len() != 1 {
        return None;
    }
    match map.keys().next().map(String::as_str) {
        Some("all") => Some(GroupKind::All),
        Some("any") => Some(GroupKind::Any),
        Some("none") => Some(GroupKind::None),
        _ => None,
    }
}

fn parse_group(
    map: &Map<String, Value>,
    path: &str,
    depth: usize,
    issues: &mut Vec<FilterIssue>,
) -> Option<Group> {
    let kind = group_kind(map)?;
    let issue = |issues: &mut Vec<FilterIssue>, message: String| {
        issues.push(FilterIssue {
            path: path.to_owned(),
            message,
        });
    };
    if depth > MAX_DEPTH {
        issue(
            issues,
            format!("groups nest at most {MAX_DEPTH} deep; this one is at depth {depth}"),
        );
        return None;
    }
    let Some(Value::Array(items)) = map.get(kind.as_str()) else {
        issue(
            issues,
            format!("\"{}\" must be a list of rules and groups", kind.as_str()),
        );
        return None;
    };
    let mut children = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let child_path = if path.is_empty() {
            format!("{}[{i}]", kind.as_str())
        } else {
            format!("{path}.{}[{i}]", kind.as_str())
        };
        match parse_node(item, &child_path, depth, issues) {
            Some(node) => children.push(node),
            None => ok = false,
        }
    }
    ok.then_some(Group { kind, children })
}

fn parse_node(
    json: &Value,
    path: &str,
    depth: usize,
    issues: &mut Vec<FilterIssue>,
) -> Option<Node> {
    let Value::Object(map) = json else {
        issues.push(FilterIssue {
            path: path.to_owned(),
            message: format!(
                "expected a rule {{\"field\", \"op\", \"value\"}} or a group, not {}",
                describe(json)
            ),
        });
        return None;
    };
    if group_kind(map).is_some() {
        return parse_group(map, path, depth + 1, issues).map(Node::Group);
    }
    match parse_rule(map) {
        Ok(rule) => Some(Node::Rule(rule)),
        Err(message) => {
            issues.push(FilterIssue {
                path: path.to_owned(),
                message,
            });
            None
        }
    }
}

type Parsed<T> = Result<T, String>;

fn parse_rule(map: &Map<String, Value>) -> Parsed<Rule> {
    if let Some(unknown) = map
        .keys()
        .find(|k| !matches!(k.as_str(), "field" | "op" | "value"))
    {
        return Err(if matches!(unknown.as_str(), "all" | "any" | "none") {
            "a group has exactly one key (\"all\", \"any\" or \"none\")".to_owned()
        } else {
            format!("unexpected key \"{unknown}\": a rule has \"field\", \"op\" and \"value\"")
        });
    }
    let field = match map.get("field") {
        Some(Value::String(f)) => f.trim(),
        Some(other) => return Err(format!("\"field\" must be text, not {}", describe(other))),
        None => return Err("the rule has no \"field\"".to_owned()),
    };
    let op = match map.get("op") {
        Some(Value::String(o)) => o.trim(),
        Some(other) => return Err(format!("\"op\" must be text, not {}", describe(other))),
        None => return Err(format!("the rule on {field} has no \"op\"")),
    };
    let value = map.get("value").filter(|v| !v.is_null());
    let rule = Rule::parse(field, op, value)?;
    Ok(rule)
}

/// Operator names per kind of field, for messages.
const TEXT_OPS: &[&str] = &[
    "eq",
    "neq",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "in",
    "not_in",
    "is_empty",
    "is_not_empty",
];
const COUNTRY_OPS: &[&str] = &["eq", "neq", "in", "not_in", "is_empty", "is_not_empty"];
const TAG_OPS: &[&str] = &["has_any", "has_all", "has_none"];
const PROJECT_OPS: &[&str] = &["in", "not_in", "is_empty"];
const NUMBER_OPS: &[&str] = &["eq", "neq", "gt", "gte", "lt", "lte", "between"];
const DATE_OPS: &[&str] = &[
    "before",
    "after",
    "between",
    "within_last",
    "more_than_ago",
    "is_empty",
    "is_not_empty",
];
const STATUS_OPS: &[&str] = &["in", "not_in"];
const SEGMENT_OPS: &[&str] = &["in", "not_in"];
const ENGAGEMENT_OPS: &[&str] = &["opened", "clicked", "not_opened", "not_clicked"];

const FIELDS: &str = "first_name, last_name, email, company, city, region, phone, country, \
                      tag, project_status, revenue, created_at, last_interaction, email_status, \
                      sms_status, segment, engagement or custom.<key>";

fn not_allowed(op: &str, field: &str, allowed: &[&str]) -> String {
    format!(
        "the operator \"{op}\" does not apply to {field}; use one of {}",
        allowed.join(", ")
    )
}

impl Rule {
    fn parse(field: &str, op: &str, value: Option<&Value>) -> Parsed<Rule> {
        if let Some(text) = TextField::ALL.iter().find(|f| f.as_str() == field) {
            return parse_text_op(field, op, value).map(|op| Rule::Text(*text, op));
        }
        if let Some(key) = field.strip_prefix("custom.") {
            let key = custom_key(key)?;
            return parse_custom_op(field, op, value).map(|op| Rule::Custom(key, op));
        }
        match field {
            "country" => parse_country_op(op, value).map(Rule::Country),
            "tag" => {
                let names = || text_list(field, op, value);
                Ok(Rule::Tag(match op {
                    "has_any" => TagOp::HasAny(names()?),
                    "has_all" => TagOp::HasAll(names()?),
                    "has_none" => TagOp::HasNone(names()?),
                    _ => return Err(not_allowed(op, field, TAG_OPS)),
                }))
            }
            "project_status" => Ok(Rule::ProjectStatus(match op {
                "in" => ProjectStatusOp::In(text_list(field, op, value)?),
                "not_in" => ProjectStatusOp::NotIn(text_list(field, op, value)?),
                "is_empty" => {
                    no_value(field, op, value)?;
                    ProjectStatusOp::IsEmpty
                }
                _ => return Err(not_allowed(op, field, PROJECT_OPS)),
            })),
            "revenue" => parse_number_op(field, op, value, revenue_amount).map(Rule::Revenue),
            "created_at" => {
                parse_date_op(field, op, value).map(|op| Rule::Date(DateField::CreatedAt, op))
            }
            "last_interaction" => {
                parse_date_op(field, op, value).map(|op| Rule::Date(DateField::LastInteraction, op))
            }
            "email_status" => {
                parse_status_op(field, op, value, EmailStatus::parse).map(Rule::EmailStatus)
            }
            "sms_status" => {
                parse_status_op(field, op, value, SmsStatus::parse).map(Rule::SmsStatus)
            }
            "segment" => {
                let member = match op {
                    "in" => true,
                    "not_in" => false,
                    _ => return Err(not_allowed(op, field, SEGMENT_OPS)),
                };
                let id = match value {
                    Some(Value::String(raw)) => {
                        SegmentId::parse(raw).map_err(|e| format!("segment {op}: {e}"))?
                    }
                    _ => return Err(format!("segment {op} needs a segment id")),
                };
                Ok(Rule::Segment { id, member })
            }
            "engagement" => parse_engagement(op, value).map(Rule::Engagement),
            "" => Err("the rule's \"field\" is empty".to_owned()),
            _ => Err(format!("unknown field \"{field}\"; use {FIELDS}")),
        }
    }
}

fn custom_key(key: &str) -> Parsed<String> {
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(format!(
            "\"custom.{key}\" is not a custom field: a key is 1 to {MAX_KEY_LEN} lowercase \
             letters, digits and underscores"
        ))
    }
}

fn parse_text_op(field: &str, op: &str, value: Option<&Value>) -> Parsed<TextOp> {
    let one = || text_value(field, op, value);
    Ok(match op {
        "eq" => TextOp::Eq(one()?),
        "neq" => TextOp::Neq(one()?),
        "contains" => TextOp::Contains(one()?),
        "not_contains" => TextOp::NotContains(one()?),
        "starts_with" => TextOp::StartsWith(one()?),
        "ends_with" => TextOp::EndsWith(one()?),
        "in" => TextOp::In(text_list(field, op, value)?),
        "not_in" => TextOp::NotIn(text_list(field, op, value)?),
        "is_empty" => {
            no_value(field, op, value)?;
            TextOp::IsEmpty
        }
        "is_not_empty" => {
            no_value(field, op, value)?;
            TextOp::IsNotEmpty
        }
        _ => return Err(not_allowed(op, field, TEXT_OPS)),
    })
}

fn parse_country_op(op: &str, value: Option<&Value>) -> Parsed<CountryOp> {
    let field = "country";
    let code = |raw: &str| CountryCode::parse(raw).map_err(|e| format!("country {op}: {e}"));
    let one = || match value {
        Some(Value::String(raw)) if !raw.trim().is_empty() => code(raw),
        _ => Err(format!("country {op} needs a country code such as \"US\"")),
    };
    let list = || -> Parsed<Vec<CountryCode>> {
        let mut codes = Vec::new();
        for raw in text_list_raw(field, op, value)? {
            let c = code(&raw)?;
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
        Ok(codes)
    };
    Ok(match op {
        "eq" => CountryOp::Eq(one()?),
        "neq" => CountryOp::Neq(one()?),
        "in" => CountryOp::In(list()?),
        "not_in" => CountryOp::NotIn(list()?),
        "is_empty" => {
            no_value(field, op, value)?;
            CountryOp::IsEmpty
        }
        "is_not_empty" => {
            no_value(field, op, value)?;
            CountryOp::IsNotEmpty
        }
        _ => return Err(not_allowed(op, field, COUNTRY_OPS)),
    })
}

fn parse_number_op<T: PartialOrd + Copy>(
    field: &str,
    op: &str,
    value: Option<&Value>,
    read: fn(&str, &str, &Value) -> Parsed<T>,
) -> Parsed<NumOp<T>> {
    let one = || match value {
        Some(v) => read(field, op, v),
        None => Err(format!("{field} {op} needs a number")),
    };
    Ok(match op {
        "eq" => NumOp::Eq(one()?),
        "neq" => NumOp::Neq(one()?),
        "gt" => NumOp::Gt(one()?),
        "gte" => NumOp::Gte(one()?),
        "lt" => NumOp::Lt(one()?),
        "lte" => NumOp::Lte(one()?),
        "between" => {
            let (lo, hi) = match value {
                Some(Value::Array(pair)) if pair.len() == 2 => {
                    (read(field, op, &pair[0])?, read(field, op, &pair[1])?)
                }
                _ => return Err(format!("{field} between needs [lo, hi]")),
            };
            if lo > hi {
                return Err(format!(
                    "{field} between needs lo <= hi; the first is larger"
                ));
            }
            NumOp::Between(lo, hi)
        }
        _ => return Err(not_allowed(op, field, NUMBER_OPS)),
    })
}

/// A plain finite number.
fn number(field: &str, op: &str, value: &Value) -> Parsed<f64> {
    value
        .as_f64()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("{field} {op} needs a number, not {}", describe(value)))
}

/// Revenue in major units with at most four decimals, as ten-thousandths.
fn revenue_amount(field: &str, op: &str, value: &Value) -> Parsed<i64> {
    let major = number(field, op, value)?;
    let scaled = (major * 10_000.0).round();
    if scaled.abs() > 9.0e15 {
        return Err(format!("{field} {op}: {major} is too large"));
    }
    if (scaled / 10_000.0 - major).abs() > 1e-9 * major.abs().max(1.0) {
        return Err(format!(
            "{field} {op}: {major} has more than 4 decimal places"
        ));
    }
    // In range: checked just above.
    Ok(scaled as i64)
}

fn parse_date_op(field: &str, op: &str, value: Option<&Value>) -> Parsed<DateOp> {
    let day = |v: Option<&Value>| match v {
        Some(Value::String(raw)) => iso_day(raw).ok_or_else(|| {
            format!("{field} {op}: \"{raw}\" is not a date; write it as YYYY-MM-DD")
        }),
        _ => Err(format!("{field} {op} needs a date written as YYYY-MM-DD")),
    };
    Ok(match op {
        "before" => DateOp::Before(day(value)?),
        "after" => DateOp::After(day(value)?),
        "between" => {
            let (lo, hi) = match value {
                Some(Value::Array(pair)) if pair.len() == 2 => {
                    (day(Some(&pair[0]))?, day(Some(&pair[1]))?)
                }
                _ => {
                    return Err(format!(
                        "{field} between needs [\"YYYY-MM-DD\", \"YYYY-MM-DD\"]"
                    ))
                }
            };
            if lo > hi {
                return Err(format!(
                    "{field} between needs the first date on or before the second"
                ));
            }
            DateOp::Between(lo, hi)
        }
        "within_last" => DateOp::WithinLast(span(field, op, value)?),
        "more_than_ago" => DateOp::MoreThanAgo(span(field, op, value)?),
        "is_empty" => {
            no_value(field, op, value)?;
            DateOp::IsEmpty
        }
        "is_not_empty" => {
            no_value(field, op, value)?;
            DateOp::IsNotEmpty
        }
        _ => return Err(not_allowed(op, field, DATE_OPS)),
    })
}

/// A strict `YYYY-MM-DD` calendar date.
pub(crate) fn iso_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if !is_iso_day_shape(raw) {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// Whether text has the shape `dddd-dd-dd` (what SQLite's GLOB checks).
pub fn is_iso_day_shape(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn span(field: &str, op: &str, value: Option<&Value>) -> Parsed<Span> {
    let shape = || {
        format!(
            "{field} {op} needs {{\"amount\": n, \"unit\": \"days\" | \"weeks\" | \"months\" | \
             \"years\"}}"
        )
    };
    let Some(Value::Object(map)) = value else {
        return Err(shape());
    };
    if map.keys().any(|k| k != "amount" && k != "unit") {
        return Err(shape());
    }
    let amount = match map.get("amount").and_then(Value::as_u64) {
        Some(n) if (1..=MAX_SPAN).contains(&n) => n as u32,
        Some(_) | None => {
            return Err(format!(
                "{field} {op}: the amount must be a whole number from 1 to {MAX_SPAN}"
            ))
        }
    };
    let unit = match map.get("unit").and_then(Value::as_str).map(str::trim) {
        Some("days" | "day") => SpanUnit::Days,
        Some("weeks" | "week") => SpanUnit::Weeks,
        Some("months" | "month") => SpanUnit::Months,
        Some("years" | "year") => SpanUnit::Years,
        _ => return Err(shape()),
    };
    Ok(Span { amount, unit })
}

fn parse_status_op<S: PartialEq>(
    field: &str,
    op: &str,
    value: Option<&Value>,
    parse: fn(&str) -> Result<S, crate::StatusError>,
) -> Parsed<StatusOp<S>> {
    let list = || -> Parsed<Vec<S>> {
        let mut set = Vec::new();
        for raw in text_list_raw(field, op, value)? {
            let s = parse(&raw).map_err(|e| format!("{field} {op}: {e}"))?;
            if !set.contains(&s) {
                set.push(s);
            }
        }
        Ok(set)
    };
    Ok(match op {
        "in" => StatusOp::In(list()?),
        "not_in" => StatusOp::NotIn(list()?),
        _ => return Err(not_allowed(op, field, STATUS_OPS)),
    })
}

fn parse_custom_op(field: &str, op: &str, value: Option<&Value>) -> Parsed<CustomOp> {
    match op {
        "is_true" | "is_false" => {
            no_value(field, op, value)?;
            Ok(if op == "is_true" {
                CustomOp::IsTrue
            } else {
                CustomOp::IsFalse
            })
        }
        "is_empty" => no_value(field, op, value).map(|()| CustomOp::IsEmpty),
        "is_not_empty" => no_value(field, op, value).map(|()| CustomOp::IsNotEmpty),
        "before" | "after" | "within_last" | "more_than_ago" => {
            parse_date_op(field, op, value).map(CustomOp::Date)
        }
        "between" => match value {
            Some(Value::Array(pair)) if pair.iter().all(Value::is_string) => {
                parse_date_op(field, op, value).map(CustomOp::Date)
            }
            _ => parse_number_op(field, op, value, number).map(CustomOp::Number),
        },
        "gt" | "gte" | "lt" | "lte" => {
            parse_number_op(field, op, value, number).map(CustomOp::Number)
        }
        "eq" | "neq" => match value {
            Some(Value::Number(_)) => {
                parse_number_op(field, op, value, number).map(CustomOp::Number)
            }
            Some(Value::Bool(b)) => Err(format!(
                "{field} {op} {b}: for true/false fields use is_true or is_false"
            )),
            _ => parse_text_op(field, op, value).map(CustomOp::Text),
        },
        "contains" | "not_contains" | "starts_with" | "ends_with" | "in" | "not_in" => {
            parse_text_op(field, op, value).map(CustomOp::Text)
        }
        _ => Err(format!(
            "the operator \"{op}\" does not apply to {field}; use a text operator ({}), a \
             number one ({}), a date one ({}) or is_true / is_false",
            TEXT_OPS.join(", "),
            NUMBER_OPS.join(", "),
            DATE_OPS.join(", ")
        )),
    }
}

fn parse_engagement(op: &str, value: Option<&Value>) -> Parsed<Engagement> {
    let kind = match op {
        "opened" => EngagementKind::Opened,
        "clicked" => EngagementKind::Clicked,
        "not_opened" => EngagementKind::NotOpened,
        "not_clicked" => EngagementKind::NotClicked,
        _ => return Err(not_allowed(op, "engagement", ENGAGEMENT_OPS)),
    };
    let shape = || {
        format!(
            "engagement {op} needs {{\"campaign\": \"<campaign id>\" | \"any\", \"within_last\": \
             {{\"amount\": n, \"unit\": \"days\"}} (optional)}}"
        )
    };
    let Some(Value::Object(map)) = value else {
        return Err(shape());
    };
    if map.keys().any(|k| k != "campaign" && k != "within_last") {
        return Err(shape());
    }
    let campaign = match map.get("campaign").and_then(Value::as_str).map(str::trim) {
        Some("any") => None,
        Some(raw) => Some(
            uuid::Uuid::parse_str(raw)
                .map_err(|_| format!("engagement {op}: \"{raw}\" is not a campaign id"))?,
        ),
        None => return Err(shape()),
    };
    let within_last = match map.get("within_last").filter(|v| !v.is_null()) {
        Some(v) => Some(span("engagement", op, Some(v))?),
        None => None,
    };
    Ok(Engagement {
        kind,
        campaign,
        within_last,
    })
}

/// One non-empty text value, folded.
fn text_value(field: &str, op: &str, value: Option<&Value>) -> Parsed<String> {
    match value {
        Some(Value::String(raw)) => {
            let folded = fold(raw);
            if folded.is_empty() {
                Err(format!(
                    "{field} {op} needs some text; to find missing values use is_empty"
                ))
            } else {
                Ok(folded)
            }
        }
        Some(other) => Err(format!("{field} {op} needs text, not {}", describe(other))),
        None => Err(format!("{field} {op} needs a value")),
    }
}

/// A non-empty list of non-empty texts, as given (trimmed).
fn text_list_raw(field: &str, op: &str, value: Option<&Value>) -> Parsed<Vec<String>> {
    let Some(Value::Array(items)) = value else {
        return Err(format!("{field} {op} needs a list of values"));
    };
    if items.is_empty() {
        return Err(format!(
            "{field} {op} needs at least one value; the list is empty"
        ));
    }
    items
        .iter()
        .map(|item| match item {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            Value::String(_) => Err(format!("{field} {op}: the list has an empty value")),
            other => Err(format!(
                "{field} {op}: the list holds {}, not text",
                describe(other)
            )),
        })
        .collect()
}

/// A non-empty list of distinct folded texts.
fn text_list(field: &str, op: &str, value: Option<&Value>) -> Parsed<Vec<String>> {
    let mut folded: Vec<String> = Vec::new();
    for raw in text_list_raw(field, op, value)? {
        let f = fold(&raw);
        if f.is_empty() {
            return Err(format!("{field} {op}: the list has an empty value"));
        }
        if !folded.contains(&f) {
            folded.push(f);
        }
    }
    Ok(folded)
}

fn no_value(field: &str, op: &str, value: Option<&Value>) -> Parsed<()> {
    match value {
        None => Ok(()),
        Some(_) => Err(format!("{field} {op} takes no value")),
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
