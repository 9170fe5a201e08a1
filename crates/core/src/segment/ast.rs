//! The filter tree. Values are stored ready to compare: text is already
//! [`fold`](super::fold)ed, revenue is in ten-thousandths of a major unit.

use chrono::NaiveDate;

use crate::{CountryCode, EmailStatus, SegmentId, SmsStatus};

/// How a group combines its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// Every child matches.
    All,
    /// At least one child matches.
    Any,
    /// No child matches.
    None,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::All => "all",
            GroupKind::Any => "any",
            GroupKind::None => "none",
        }
    }
}

/// A group of rules and groups. An empty group is no condition at all: it
/// matches every contact, whatever its kind (docs/segments.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: GroupKind,
    pub children: Vec<Node>,
}

impl Group {
    pub(crate) fn visit_rules(&self, visit: &mut dyn FnMut(&Rule)) {
        for child in &self.children {
            match child {
                Node::Group(group) => group.visit_rules(visit),
                Node::Rule(rule) => visit(rule),
            }
        }
    }
}

/// One child of a group.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Group(Group),
    Rule(Rule),
}

/// One condition on a contact.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Text(TextField, TextOp),
    Country(CountryOp),
    Tag(TagOp),
    ProjectStatus(ProjectStatusOp),
    /// Lifetime revenue in the contact's own currency.
    Revenue(NumOp<i64>),
    Date(DateField, DateOp),
    EmailStatus(StatusOp<EmailStatus>),
    SmsStatus(StatusOp<SmsStatus>),
    /// A custom field, by its snake_case key.
    Custom(String, CustomOp),
    /// Membership of another saved segment (`member: false` = not in it).
    Segment {
        id: SegmentId,
        member: bool,
    },
    Engagement(Engagement),
}

impl Rule {
    pub(crate) fn depends_on_now(&self) -> bool {
        match self {
            Rule::Date(_, op) | Rule::Custom(_, CustomOp::Date(op)) => op.depends_on_now(),
            Rule::Engagement(e) => e.within_last.is_some(),
            _ => false,
        }
    }
}

/// The text columns a rule can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    FirstName,
    LastName,
    Email,
    Company,
    City,
    Region,
    Phone,
}

impl TextField {
    pub const ALL: [TextField; 7] = [
        TextField::FirstName,
        TextField::LastName,
        TextField::Email,
        TextField::Company,
        TextField::City,
        TextField::Region,
        TextField::Phone,
    ];

    /// The field's name in the filter JSON, which is also its column.
    pub fn as_str(self) -> &'static str {
        match self {
            TextField::FirstName => "first_name",
            TextField::LastName => "last_name",
            TextField::Email => "email",
            TextField::Company => "company",
            TextField::City => "city",
            TextField::Region => "region",
            TextField::Phone => "phone",
        }
    }
}

/// Text operators. Every value is folded and non-empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOp {
    Eq(String),
    Neq(String),
    Contains(String),
    NotContains(String),
    StartsWith(String),
    EndsWith(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    IsEmpty,
    IsNotEmpty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryOp {
    Eq(CountryCode),
    Neq(CountryCode),
    In(Vec<CountryCode>),
    NotIn(Vec<CountryCode>),
    IsEmpty,
    IsNotEmpty,
}

/// Tag operators; names are folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagOp {
    HasAny(Vec<String>),
    HasAll(Vec<String>),
    HasNone(Vec<String>),
}

/// Project status operators; statuses are folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectStatusOp {
    /// Has at least one project with one of these statuses.
    In(Vec<String>),
    /// Has no project with any of these statuses.
    NotIn(Vec<String>),
    /// Has no projects.
    IsEmpty,
}

/// Comparisons of a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumOp<T> {
    Eq(T),
    Neq(T),
    Gt(T),
    Gte(T),
    Lt(T),
    Lte(T),
    /// Inclusive at both ends; `lo <= hi`.
    Between(T, T),
}

impl<T: PartialOrd + Copy> NumOp<T> {
    /// Whether a present value satisfies the comparison.
    pub fn test(&self, value: T) -> bool {
        match *self {
            NumOp::Eq(v) => value == v,
            NumOp::Neq(v) => value != v,
            NumOp::Gt(v) => value > v,
            NumOp::Gte(v) => value >= v,
            NumOp::Lt(v) => value < v,
            NumOp::Lte(v) => value <= v,
            NumOp::Between(lo, hi) => lo <= value && value <= hi,
        }
    }

    /// The same comparison on values converted by `f`.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> NumOp<U> {
        match self {
            NumOp::Eq(v) => NumOp::Eq(f(v)),
            NumOp::Neq(v) => NumOp::Neq(f(v)),
            NumOp::Gt(v) => NumOp::Gt(f(v)),
            NumOp::Gte(v) => NumOp::Gte(f(v)),
            NumOp::Lt(v) => NumOp::Lt(f(v)),
            NumOp::Lte(v) => NumOp::Lte(f(v)),
            NumOp::Between(lo, hi) => NumOp::Between(f(lo), f(hi)),
        }
    }

    /// `neq` is the one negative comparison: it matches a missing value.
    pub fn is_negative(&self) -> bool {
        matches!(self, NumOp::Neq(_))
    }
}

/// The contact dates a rule can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    CreatedAt,
    LastInteraction,
}

impl DateField {
    pub fn as_str(self) -> &'static str {
        match self {
            DateField::CreatedAt => "created_at",
            DateField::LastInteraction => "last_interaction",
        }
    }
}

/// Date operators. Calendar dates are days in the workspace's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOp {
    /// Strictly before that day.
    Before(NaiveDate),
    /// Strictly after that day.
    After(NaiveDate),
    /// From the first day to the last, both included.
    Between(NaiveDate, NaiveDate),
    /// Between now − span and now.
    WithinLast(Span),
    /// Before now − span.
    MoreThanAgo(Span),
    IsEmpty,
    IsNotEmpty,
}

impl DateOp {
    pub(crate) fn depends_on_now(&self) -> bool {
        matches!(self, DateOp::WithinLast(_) | DateOp::MoreThanAgo(_))
    }
}

/// A relative length of time: `{"amount": 30, "unit": "days"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub amount: u32,
    pub unit: SpanUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl SpanUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            SpanUnit::Days => "days",
            SpanUnit::Weeks => "weeks",
            SpanUnit::Months => "months",
            SpanUnit::Years => "years",
        }
    }
}

/// Subscription status operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusOp<S> {
    In(Vec<S>),
    NotIn(Vec<S>),
}

impl<S: PartialEq> StatusOp<S> {
    pub fn test(&self, status: &S) -> bool {
        match self {
            StatusOp::In(set) => set.contains(status),
            StatusOp::NotIn(set) => !set.contains(status),
        }
    }
}

/// Custom field operators, by the type the rule's value gives the field.
/// A stored value of another type counts as missing for the rule.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomOp {
    /// Never `IsEmpty`/`IsNotEmpty`: those are the type-free variants below.
    Text(TextOp),
    Number(NumOp<f64>),
    /// Never `IsEmpty`/`IsNotEmpty`.
    Date(DateOp),
    IsTrue,
    IsFalse,
    /// Absent, null, or empty text.
    IsEmpty,
    IsNotEmpty,
}

/// Opened or clicked a campaign (or any campaign), optionally recently.
/// Parsed and validated now; it compiles once campaigns exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engagement {
    pub kind: EngagementKind,
    /// `None` = any campaign.
    pub campaign: Option<uuid::Uuid>,
    pub within_last: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngagementKind {
    Opened,
    Clicked,
    NotOpened,
    NotClicked,
}

impl EngagementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementKind::Opened => "opened",
            EngagementKind::Clicked => "clicked",
            EngagementKind::NotOpened => "not_opened",
            EngagementKind::NotClicked => "not_clicked",
        }
    }
}
