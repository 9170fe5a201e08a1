//! Personalisation: the template environment (minijinja), the variables a
//! template may use, and the values one recipient (or, for the web
//! version, no one) supplies. Checking a template at save time is in
//! `validation`.
//!
//! Undefined values are semi-strict: printing a variable that has no value
//! for this contact fails that recipient's render instead of sending a
//! blank, while `{% if contact.custom.plan %}` and `| default("there")`
//! still work. A standard contact field that is simply empty is the empty
//! string, and `default()` replaces empty values as well as missing ones.

use std::fmt;

use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;
use thiserror::Error;

use herald_core::EmailAddress;

use super::content::RecipientData;
use super::validation::syntax_issue;
use super::ComposeError;

/// The contact fields templates see under `contact.` (besides `custom`).
pub const CONTACT_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "country",
    "id",
];

/// Which part of a campaign a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Subject,
    Preheader,
    Html,
    Text,
}

impl Part {
    /// The template's name in the environment; only `html` autoescapes.
    pub(super) fn name(self) -> &'static str {
        match self {
            Part::Subject => "subject",
            Part::Preheader => "preheader",
            Part::Html => "html",
            Part::Text => "text",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Subject => "subject",
            Part::Preheader => "preheader",
            Part::Html => "HTML body",
            Part::Text => "text body",
        })
    }
}

/// A problem in a template, where the user can find it (1-based line and
/// column, in characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
#[error("{part}, line {line}, column {column}: {message}")]
pub struct TemplateIssue {
    pub part: Part,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The environment every campaign template is compiled in.
pub(super) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|name| {
        if name == Part::Html.name() {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_keep_trailing_newline(true);
    env.add_filter("default", default_filter);
    env
}

/// Like Jinja's `default`, but an empty value (a contact with no first name)
/// counts as missing too: that is what a fallback greeting is for.
fn default_filter(value: Value, fallback: Option<Value>, lax: Option<bool>) -> Value {
    let missing = value.is_undefined()
        || value.is_none()
        || value.as_str().is_some_and(|s| s.trim().is_empty())
        || (lax == Some(true) && !value.is_true());
    if missing {
        fallback.unwrap_or_else(|| Value::from(""))
    } else {
        value
    }
}

/// The variables one recipient's render sees.
#[derive(Serialize)]
struct RenderContext<'a> {
    contact: ContactValues<'a>,
    campaign: CampaignValues<'a>,
    /// Absent (so a template using it fails) when there is no way to
    /// unsubscribe: no relay and no unsubscribe mailbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    unsubscribe_url: Option<&'a str>,
    /// Absent when there is no relay to serve the web version.
    #[serde(skip_serializing_if = "Option::is_none")]
    web_view_url: Option<&'a str>,
}

#[derive(Serialize)]
struct ContactValues<'a> {
    id: &'a str,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    phone: &'a str,
    company: &'a str,
    country: &'a str,
    custom: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct CampaignValues<'a> {
    name: &'a str,
}

/// One recipient's template context. Refuses values with control
/// characters other than tab and line breaks: the composer uses a few of
/// them internally to mark links, and no contact data needs them.
pub(super) fn recipient_context(
    r: &RecipientData,
    campaign_name: &str,
    unsubscribe_url: Option<&str>,
    web_view_url: Option<&str>,
) -> Result<Value, ComposeError> {
    let text = |field: &str, value: &Option<String>| -> Result<(), ComposeError> {
        check_value(r, field, value.as_deref().unwrap_or(""))
    };
    text("first_name", &r.first_name)?;
    text("last_name", &r.last_name)?;
    text("phone", &r.phone)?;
    text("company", &r.company)?;
    text("country", &r.country)?;
    for (key, value) in &r.custom {
        check_json(r, key, value)?;
    }
    let id = r.contact_id.to_string();
    let ctx = RenderContext {
        contact: ContactValues {
            id: &id,
            email: r.email.as_ref().map_or("", EmailAddress::as_str),
            first_name: r.first_name.as_deref().unwrap_or(""),
            last_name: r.last_name.as_deref().unwrap_or(""),
            phone: r.phone.as_deref().unwrap_or(""),
            company: r.company.as_deref().unwrap_or(""),
            country: r.country.as_deref().unwrap_or(""),
            custom: &r.custom,
        },
        campaign: CampaignValues {
            name: campaign_name,
        },
        unsubscribe_url,
        web_view_url,
    };
    Ok(Value::from_serialize(&ctx))
}

/// The template context of the web version: nobody's data (the standard
/// contact fields empty, no custom fields), the unsubscribe link as the
/// `marker` the relay replaces per reader, and `web_view_url` as `#` (the
/// reader is on the web version already).
pub(super) fn web_context(campaign_name: &str, marker: &str) -> Value {
    let no_custom = std::collections::BTreeMap::new();
    Value::from_serialize(&RenderContext {
        contact: ContactValues {
            id: "",
            email: "",
            first_name: "",
            last_name: "",
            phone: "",
            company: "",
            country: "",
            custom: &no_custom,
        },
        campaign: CampaignValues {
            name: campaign_name,
        },
        unsubscribe_url: Some(marker),
        web_view_url: Some("#"),
    })
}

fn check_value(r: &RecipientData, field: &str, value: &str) -> Result<(), ComposeError> {
    match value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Some(c) => Err(ComposeError::Recipient {
            contact_id: r.contact_id,
            field: field.to_owned(),
            problem: format!("contains the control character U+{:04X}", u32::from(c)),
        }),
        None => Ok(()),
    }
}

fn check_json(r: &RecipientData, key: &str, value: &serde_json::Value) -> Result<(), ComposeError> {
    match value {
        serde_json::Value::String(s) => check_value(r, &format!("custom.{key}"), s),
        serde_json::Value::Array(items) => items.iter().try_for_each(|v| check_json(r, key, v)),
        serde_json::Value::Object(map) => map.values().try_for_each(|v| check_json(r, key, v)),
        _ => Ok(()),
    }
}

/// A render failure as the user should read it: the part, the line, and
/// the expression that failed, quoted from `source`.
pub(super) fn render_error(
    contact_id: uuid::Uuid,
    part: Part,
    source: &str,
    err: &minijinja::Error,
) -> ComposeError {
    // The range of a failed attribute lookup starts at its `.`; widen it to
    // the whole dotted name the user wrote.
    let expression = err.range().and_then(|r| {
        let head = source.get(..r.start)?;
        let start = head
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
            .len();
        source.get(start..r.end).map(|s| s.trim().to_owned())
    });
    let line = err
        .line()
        .map(|l| format!("line {l}: "))
        .unwrap_or_default();
    let message = match (err.kind(), expression) {
        (ErrorKind::UndefinedError, Some(expr)) => format!(
            "{line}`{expr}` has no value for this contact (add `| default(\"...\")` for a fallback)"
        ),
        (_, Some(expr)) => format!(
            "{line}`{expr}`: {}",
            err.detail()
                .map_or_else(|| err.kind().to_string(), str::to_owned)
        ),
        (_, None) => format!(
            "{line}{}",
            err.detail()
                .map_or_else(|| err.kind().to_string(), str::to_owned)
        ),
    };
    ComposeError::Render {
        contact_id,
        part,
        message,
    }
}

/// A plain-text template compiled once and rendered per recipient: an SMS
/// body. The same variables, filters and undefined-value rules as an
/// email's text part; nothing is escaped.
pub struct TextTemplate {
    env: Environment<'static>,
}

impl fmt::Debug for TextTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextTemplate").finish_non_exhaustive()
    }
}

impl TextTemplate {
    /// Compiles `source`; a syntax error is reported at its line and column.
    pub fn compile(source: &str) -> Result<TextTemplate, ComposeError> {
        let mut env = environment();
        env.add_template_owned(Part::Text.name(), source.to_owned())
            .map_err(|e| ComposeError::Template(syntax_issue(Part::Text, source, &e)))?;
        Ok(TextTemplate { env })
    }

    /// The text for one recipient, or why it cannot be made (a variable
    /// with no value for this contact, a control character in their data).
    pub fn render(&self, r: &RecipientData, campaign_name: &str) -> Result<String, ComposeError> {
        let ctx = recipient_context(r, campaign_name, None, None)?;
        let template = self
            .env
            .get_template(Part::Text.name())
            .map_err(|e| render_error(r.contact_id, Part::Text, "", &e))?;
        template
            .render(ctx)
            .map_err(|e| render_error(r.contact_id, Part::Text, template.source(), &e))
    }
}
