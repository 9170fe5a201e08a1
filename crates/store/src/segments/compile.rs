//! A segment filter as ONE parameterised SQL condition over `contacts`.
//!
//! Every user value is bound, never spliced into the text; custom field keys
//! are validated by the parser (`[a-z0-9_]+`) and bound as JSON paths
//! anyway. The only literals in the text are the compiler's own constants
//! (operators, ISO currency codes, JSON type names).
//!
//! Every condition the compiler emits is TRUE or FALSE, never NULL: a NULL
//! would turn `NOT (…)` in a "none" group or a `not_in` segment into
//! "unknown", and SQLite drops unknown rows, so missing values would quietly
//! leave negative rules. Hence the `coalesce`s and `IS NOT NULL AND`s.

use herald_core::segment::{
    revenue_scales, Clock, CountryOp, CustomOp, DateField, DateOp, Filter, Group, GroupKind, Node,
    NumOp, ProjectStatusOp, Rule, StatusOp, TagOp, TextOp,
};
use herald_core::SegmentId;
use sqlx::{QueryBuilder, Sqlite};

use super::SavedFilters;

/// A value bound to a `?`.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Real(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Sql(String),
    Bind(Bind),
}

/// A compiled filter: SQL text with its bound values, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    parts: Vec<Part>,
}

impl Compiled {
    fn sql(&mut self, text: &str) -> &mut Self {
        match self.parts.last_mut() {
            Some(Part::Sql(last)) => last.push_str(text),
            _ => self.parts.push(Part::Sql(text.to_owned())),
        }
        self
    }

    fn bind(&mut self, value: Bind) -> &mut Self {
        self.parts.push(Part::Bind(value));
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.bind(Bind::Text(value.to_owned()))
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Bind::Int(value))
    }

    /// `(?, ?, …)` of texts.
    fn text_list<S: AsRef<str>>(&mut self, values: &[S]) -> &mut Self {
        self.sql("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.sql(", ");
            }
            self.text(v.as_ref());
        }
        self.sql(")")
    }

    /// Appends the condition to a query, binding its values.
    pub fn push_to(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        for part in &self.parts {
            match part {
                Part::Sql(text) => {
                    q.push(text);
                }
                Part::Bind(Bind::Int(v)) => {
                    q.push_bind(*v);
                }
                Part::Bind(Bind::Real(v)) => {
                    q.push_bind(*v);
                }
                Part::Bind(Bind::Text(v)) => {
                    q.push_bind(v.clone());
                }
            }
        }
    }

    /// The SQL text with `?` placeholders, and the values, for logs and
    /// benchmarks.
    pub fn to_sql(&self) -> (String, Vec<Bind>) {
        let mut text = String::new();
        let mut binds = Vec::new();
        for part in &self.parts {
            match part {
                Part::Sql(s) => text.push_str(s),
                Part::Bind(b) => {
                    text.push('?');
                    binds.push(b.clone());
                }
            }
        }
        (text, binds)
    }
}

/// Why a valid filter cannot be compiled against this workspace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("the segment this rule refers to no longer exists ({0})")]
    UnknownSegment(SegmentId),
    #[error("segments cannot include themselves: {0}")]
    Cycle(String),
    #[error(
        "engagement rules (opened, clicked) need campaigns, which this version of Herald \
         does not have yet"
    )]
    Engagement,
}

/// Compiles `filter` at `clock` against the saved segments it may refer to.
pub fn compile(
    filter: &Filter,
    clock: &Clock,
    saved: &SavedFilters,
) -> Result<Compiled, CompileError> {
    run(clock, saved, |c, out| c.group(&filter.root, out))
}

/// Compiles one rule on its own (the segment index asks SQLite for text
/// rules this way).
pub fn compile_rule(
    rule: &Rule,
    clock: &Clock,
    saved: &SavedFilters,
) -> Result<Compiled, CompileError> {
    run(clock, saved, |c, out| c.rule(rule, out))
}

fn run(
    clock: &Clock,
    saved: &SavedFilters,
    emit: impl FnOnce(&mut Compiler<'_>, &mut Compiled) -> Result<(), CompileError>,
) -> Result<Compiled, CompileError> {
    let mut out = Compiled::default();
    let mut stack = Vec::new();
    let mut compiler = Compiler {
        clock,
        saved,
        stack: &mut stack,
    };
    emit(&mut compiler, &mut out)?;
    Ok(out)
}

struct Compiler<'a> {
    clock: &'a Clock,
    saved: &'a SavedFilters,
    /// The segments being inlined, outermost first, to catch cycles.
    stack: &'a mut Vec<SegmentId>,
}

/// The folded text of a column, '' when missing.
fn folded(column: &str) -> String {
    format!("coalesce(herald_fold({column}), '')")
}

impl Compiler<'_> {
    fn group(&mut self, group: &Group, out: &mut Compiled) -> Result<(), CompileError> {
        if group.children.is_empty() {
            out.sql("1");
            return Ok(());
        }
        let joiner = match group.kind {
            GroupKind::All => " AND ",
            GroupKind::Any | GroupKind::None => " OR ",
        };
        if group.kind == GroupKind::None {
            out.sql("NOT ");
        }
        out.sql("(");
        for (i, child) in group.children.iter().enumerate() {
            if i > 0 {
                out.sql(joiner);
            }
            match child {
                Node::Group(g) => self.group(g, out)?,
                Node::Rule(r) => self.rule(r, out)?,
            }
        }
        out.sql(")");
        Ok(())
    }

    fn rule(&mut self, rule: &Rule, out: &mut Compiled) -> Result<(), CompileError> {
        match rule {
            Rule::Text(field, op) => {
                let column = field.as_str();
                text_op(op, out, &|o: &mut Compiled| {
                    o.sql(&folded(column));
                });
            }
            Rule::Country(op) => country_op(op, out),
            Rule::Tag(op) => tag_op(op, out),
            Rule::ProjectStatus(op) => project_op(op, out),
            Rule::Revenue(op) => {
                let mut scaled = String::from("(revenue_minor * CASE");
                for (scale, codes) in revenue_scales() {
                    let list = codes
                        .iter()
                        .map(|c| format!("'{c}'"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    scaled.push_str(&format!(" WHEN revenue_currency IN ({list}) THEN {scale}"));
                }
                scaled.push_str(" ELSE 100 END)");
                num_op(op, out, &scaled, |o, v| {
                    o.int(v);
                });
            }
            Rule::Date(field, op) => self.date_op(*field, op, out),
            Rule::EmailStatus(op) => status_op(op, "email_status", out, |s| s.as_str()),
            Rule::SmsStatus(op) => status_op(op, "sms_status", out, |s| s.as_str()),
            Rule::Custom(key, op) => self.custom_op(key, op, out),
            Rule::Segment { id, member } => {
                if let Some(at) = self.stack.iter().position(|s| s == id) {
                    let mut names: Vec<String> = self.stack[at..]
                        .iter()
                        .map(|s| self.saved.name(*s))
                        .collect();
                    names.push(self.saved.name(*id));
                    return Err(CompileError::Cycle(names.join(" → ")));
                }
                let Some(inner) = self.saved.get(*id) else {
                    return Err(CompileError::UnknownSegment(*id));
                };
                if !member {
                    out.sql("NOT ");
                }
                out.sql("(");
                self.stack.push(*id);
                self.group(&inner.filter.root, out)?;
                self.stack.pop();
                out.sql(")");
            }
            Rule::Engagement(_) => return Err(CompileError::Engagement),
        }
        Ok(())
    }

    fn date_op(&self, field: DateField, op: &DateOp, out: &mut Compiled) {
        let (column, nullable) = match field {
            DateField::CreatedAt => ("created_at", false),
            DateField::LastInteraction => ("last_interaction_at", true),
        };
        match op {
            DateOp::IsEmpty => {
                out.sql(if nullable {
                    "last_interaction_at IS NULL"
                } else {
                    "0"
                });
            }
            DateOp::IsNotEmpty => {
                out.sql(if nullable {
                    "last_interaction_at IS NOT NULL"
                } else {
                    "1"
                });
            }
            op => {
                let range = self
                    .clock
                    .instant_range(op)
                    .expect("every other date operator has a range");
                out.sql("(");
                out.sql(&format!("{column} IS NOT NULL"));
                if let Some(from) = range.from {
                    out.sql(&format!(" AND {column} >= ")).int(from);
                }
                if let Some(until) = range.until {
                    out.sql(&format!(" AND {column} <= ")).int(until);
                }
                out.sql(")");
            }
        }
    }

    fn custom_op(&self, key: &str, op: &CustomOp, out: &mut Compiled) {
        let path = format!("$.\"{key}\"");
        // The value's JSON type ('missing' when absent) and the value.
        let ty = |o: &mut Compiled| {
            o.sql("coalesce(json_type(custom, ")
                .text(&path)
                .sql("), 'missing')");
        };
        let value = |o: &mut Compiled| {
            o.sql("json_extract(custom, ").text(&path).sql(")");
        };
        match op {
            CustomOp::Text(op) => text_op(op, out, &|o: &mut Compiled| {
                o.sql("(CASE WHEN ");
                ty(o);
                o.sql(" = 'text' THEN coalesce(herald_fold(");
                value(o);
                o.sql("), '') ELSE '' END)");
            }),
            CustomOp::Number(op) => {
                let negative = op.is_negative();
                let op = match *op {
                    NumOp::Neq(v) => NumOp::Eq(v),
                    other => other,
                };
                if negative {
                    out.sql("NOT ");
                }
                out.sql("(");
                ty(out);
                out.sql(" IN ('integer', 'real') AND ");
                let mut lhs = Compiled::default();
                value(&mut lhs);
                compare(&op, out, &lhs, |o, v| {
                    o.bind(Bind::Real(v));
                });
                out.sql(")");
            }
            CustomOp::Date(op) => {
                let range = self
                    .clock
                    .date_range(op)
                    .expect("custom date operators all have a range");
                let (from, until) = range.as_iso();
                out.sql("(");
                ty(out);
                out.sql(" = 'text' AND ");
                value(out);
                out.sql(" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'");
                if let Some(from) = from {
                    out.sql(" AND ");
                    value(out);
                    out.sql(" >= ").text(&from);
                }
                if let Some(until) = until {
                    out.sql(" AND ");
                    value(out);
                    out.sql(" <= ").text(&until);
                }
                out.sql(")");
            }
            CustomOp::IsTrue => {
                out.sql("(");
                ty(out);
                out.sql(" = 'true')");
            }
            CustomOp::IsFalse => {
                out.sql("(");
                ty(out);
                out.sql(" = 'false')");
            }
            CustomOp::IsEmpty | CustomOp::IsNotEmpty => {
                if *op == CustomOp::IsNotEmpty {
                    out.sql("NOT ");
                }
                out.sql("(");
                ty(out);
                out.sql(" IN ('missing', 'null') OR (");
                ty(out);
                out.sql(" = 'text' AND coalesce(herald_fold(");
                value(out);
                out.sql("), '') = ''))");
            }
        }
    }
}

/// A text operator over a folded, never-NULL expression pushed by `f`.
fn text_op(op: &TextOp, out: &mut Compiled, f: &dyn Fn(&mut Compiled)) {
    out.sql("(");
    match op {
        TextOp::Eq(v) => {
            f(out);
            out.sql(" = ").text(v);
        }
        TextOp::Neq(v) => {
            f(out);
            out.sql(" <> ").text(v);
        }
        TextOp::Contains(v) => {
            out.sql("instr(");
            f(out);
            out.sql(", ").text(v).sql(") > 0");
        }
        TextOp::NotContains(v) => {
            out.sql("instr(");
            f(out);
            out.sql(", ").text(v).sql(") = 0");
        }
        TextOp::StartsWith(v) => {
            out.sql("substr(");
            f(out);
            out.sql(", 1, ").int(char_len(v)).sql(") = ").text(v);
        }
        TextOp::EndsWith(v) => {
            out.sql("length(");
            f(out);
            out.sql(") >= ").int(char_len(v)).sql(" AND substr(");
            f(out);
            out.sql(", ").int(-char_len(v)).sql(") = ").text(v);
        }
        TextOp::In(set) => {
            f(out);
            out.sql(" IN ").text_list(set);
        }
        TextOp::NotIn(set) => {
            f(out);
            out.sql(" NOT IN ").text_list(set);
        }
        TextOp::IsEmpty => {
            f(out);
            out.sql(" = ''");
        }
        TextOp::IsNotEmpty => {
            f(out);
            out.sql(" <> ''");
        }
    }
    out.sql(")");
}

fn char_len(s: &str) -> i64 {
    i64::try_from(s.chars().count()).unwrap_or(i64::MAX)
}

fn country_op(op: &CountryOp, out: &mut Compiled) {
    match op {
        CountryOp::Eq(c) => {
            out.sql("(country IS NOT NULL AND country = ")
                .text(c.as_str())
                .sql(")");
        }
        CountryOp::Neq(c) => {
            out.sql("(country IS NULL OR country <> ")
                .text(c.as_str())
                .sql(")");
        }
        CountryOp::In(set) => {
            let codes: Vec<&str> = set.iter().map(|c| c.as_str()).collect();
            out.sql("(country IS NOT NULL AND country IN ")
                .text_list(&codes)
                .sql(")");
        }
        CountryOp::NotIn(set) => {
            let codes: Vec<&str> = set.iter().map(|c| c.as_str()).collect();
            out.sql("(country IS NULL OR country NOT IN ")
                .text_list(&codes)
                .sql(")");
        }
        CountryOp::IsEmpty => {
            out.sql("country IS NULL");
        }
        CountryOp::IsNotEmpty => {
            out.sql("country IS NOT NULL");
        }
    }
}

/// `contacts.id [NOT] IN (contacts with any of these tags)`.
fn has_tags(names: &[String], negate: bool, out: &mut Compiled) {
    out.sql(if negate {
        "contacts.id NOT IN"
    } else {
        "contacts.id IN"
    });
    out.sql(
        " (SELECT ct.contact_id FROM contact_tags ct WHERE ct.tag_id IN \
         (SELECT t.id FROM tags t WHERE herald_fold(t.name) IN ",
    )
    .text_list(names)
    .sql("))");
}

fn tag_op(op: &TagOp, out: &mut Compiled) {
    match op {
        TagOp::HasAny(names) => has_tags(names, false, out),
        TagOp::HasNone(names) => has_tags(names, true, out),
        TagOp::HasAll(names) => {
            out.sql("(");
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    out.sql(" AND ");
                }
                has_tags(std::slice::from_ref(name), false, out);
            }
            out.sql(")");
        }
    }
}

fn project_op(op: &ProjectStatusOp, out: &mut Compiled) {
    let with_status = |set: &[String], negate: bool, out: &mut Compiled| {
        out.sql(if negate {
            "contacts.id NOT IN"
        } else {
            "contacts.id IN"
        });
        out.sql(" (SELECT p.contact_id FROM projects p WHERE herald_fold(p.status) IN ")
            .text_list(set)
            .sql(")");
    };
    match op {
        ProjectStatusOp::In(set) => with_status(set, false, out),
        ProjectStatusOp::NotIn(set) => with_status(set, true, out),
        ProjectStatusOp::IsEmpty => {
            out.sql("contacts.id NOT IN (SELECT p.contact_id FROM projects p)");
        }
    }
}

fn status_op<S>(op: &StatusOp<S>, column: &str, out: &mut Compiled, name: fn(&S) -> &'static str) {
    let (set, keyword) = match op {
        StatusOp::In(set) => (set, "IN"),
        StatusOp::NotIn(set) => (set, "NOT IN"),
    };
    let names: Vec<&str> = set.iter().map(name).collect();
    out.sql(&format!("{column} {keyword} ")).text_list(&names);
}

/// A number comparison on a never-NULL SQL expression.
fn num_op<T: Copy>(op: &NumOp<T>, out: &mut Compiled, lhs: &str, bind: fn(&mut Compiled, T)) {
    let mut l = Compiled::default();
    l.sql(lhs);
    out.sql("(");
    compare(op, out, &l, bind);
    out.sql(")");
}

/// `lhs <op> value`; `lhs` may carry its own binds.
fn compare<T: Copy>(op: &NumOp<T>, out: &mut Compiled, lhs: &Compiled, bind: fn(&mut Compiled, T)) {
    let push_lhs = |out: &mut Compiled| {
        for part in &lhs.parts {
            match part {
                Part::Sql(s) => {
                    out.sql(s);
                }
                Part::Bind(b) => {
                    out.bind(b.clone());
                }
            }
        }
    };
    push_lhs(out);
    let (symbol, value) = match *op {
        NumOp::Eq(v) => (" = ", v),
        NumOp::Neq(v) => (" <> ", v),
        NumOp::Gt(v) => (" > ", v),
        NumOp::Gte(v) => (" >= ", v),
        NumOp::Lt(v) => (" < ", v),
        NumOp::Lte(v) => (" <= ", v),
        NumOp::Between(lo, hi) => {
            out.sql(" BETWEEN ");
            bind(out, lo);
            out.sql(" AND ");
            bind(out, hi);
            return;
        }
    };
    out.sql(symbol);
    bind(out, value);
}
