//! User-defined contact fields: typed values under snake_case keys.
//!
//! Values are deliberately limited to what a spreadsheet cell can hold and a
//! segment filter can compare: text, numbers, booleans and calendar dates.
//! Their canonical form is plain JSON (a date is a `"YYYY-MM-DD"` string), so
//! the whole set is stored as one JSON object per contact.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use thiserror::Error;

use crate::text::fold_accent;

/// Longest key allowed, long enough for any sensible column header.
const MAX_KEY_LEN: usize = 64;

/// Beyond 15 significant digits an f64 (and a JavaScript number in the UI)
/// no longer holds a decimal exactly, and such long digit strings are almost
/// always identifiers such as card or account numbers, so they stay text.
const MAX_NUMBER_DIGITS: usize = 15;

/// One custom field value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CustomValue {
    Text(String),
    Number(Number),
    Bool(bool),
    Date(NaiveDate),
}

/// Why a custom field or its value is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum CustomFieldError {
    #[error(
        "\"{key}\" is not a valid custom field name: use lowercase letters, digits and \
         underscores, starting with a letter, at most {MAX_KEY_LEN} characters"
    )]
    InvalidKey { key: String },
    #[error("a custom field value must be text, a number, true/false or a date, not {found}")]
    UnsupportedValue { found: &'static str },
    #[error(
        "the custom field \"{key}\" must be text, a number, true/false or a date, not {found}"
    )]
    UnsupportedFieldValue { key: String, found: &'static str },
    #[error("custom fields must be a JSON object of names to values, not {found}")]
    NotAnObject { found: &'static str },
    #[error("custom fields are not valid JSON: {message}")]
    InvalidJson { message: String },
}

impl CustomValue {
    /// Guesses the type of a CSV cell. Leading zeros keep a value as text so
    /// zip codes ("02134") and account numbers are not mangled into numbers.
    pub fn infer(raw: &str) -> Option<CustomValue> {
        let cell = raw.trim();
        if cell.is_empty() {
            return None;
        }
        if cell.eq_ignore_ascii_case("true") {
            return Some(CustomValue::Bool(true));
        }
        if cell.eq_ignore_ascii_case("false") {
            return Some(CustomValue::Bool(false));
        }
        if let Some(number) = plain_number(cell) {
            return Some(CustomValue::Number(number));
        }
        if let Some(date) = iso_date(cell) {
            return Some(CustomValue::Date(date));
        }
        Some(CustomValue::Text(cell.to_owned()))
    }

    pub fn to_json(&self) -> Value {
        match self {
            CustomValue::Text(text) => Value::String(text.clone()),
            CustomValue::Number(number) => Value::Number(number.clone()),
            CustomValue::Bool(flag) => Value::Bool(*flag),
            CustomValue::Date(date) => Value::String(format_date(*date)),
        }
    }

    /// Reads the canonical JSON form. A string that is exactly an ISO date
    /// becomes a `Date`, since that is how dates are written out.
    pub fn from_json(value: &Value) -> Result<CustomValue, CustomFieldError> {
        match value {
            Value::String(text) => Ok(match iso_date(text) {
                Some(date) => CustomValue::Date(date),
                None => CustomValue::Text(text.clone()),
            }),
            Value::Number(number) => Ok(CustomValue::Number(number.clone())),
            Value::Bool(flag) => Ok(CustomValue::Bool(*flag)),
            other => Err(CustomFieldError::UnsupportedValue {
                found: json_kind(other),
            }),
        }
    }
}

impl fmt::Display for CustomValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomValue::Text(text) => f.write_str(text),
            CustomValue::Number(number) => write!(f, "{number}"),
            CustomValue::Bool(flag) => write!(f, "{flag}"),
            CustomValue::Date(date) => f.write_str(&format_date(*date)),
        }
    }
}

impl Serialize for CustomValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CustomValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        CustomValue::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// A contact's custom fields, ordered by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CustomFields(BTreeMap<String, CustomValue>);

impl CustomFields {
    pub fn new() -> CustomFields {
        CustomFields::default()
    }

    /// Sets a field, replacing any previous value. The key must already be
    /// snake_case; use [`to_snake_case`] to derive one from a column header.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: CustomValue,
    ) -> Result<(), CustomFieldError> {
        let key = key.into();
        if !is_valid_key(&key) {
            return Err(CustomFieldError::InvalidKey { key });
        }
        self.0.insert(key, value);
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<&CustomValue> {
        self.0.get(key)
    }

    pub fn remove(&mut self, key: &str) -> Option<CustomValue> {
        self.0.remove(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &CustomValue)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Copies every field of `other` into `self`; on a clash `other` wins,
    /// as a re-import should update what it mentions and keep the rest.
    pub fn merge(&mut self, other: &CustomFields) {
        for (key, value) in &other.0 {
            self.0.insert(key.clone(), value.clone());
        }
    }

    pub fn to_json(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(key, value)| (key.clone(), value.to_json()))
                .collect(),
        )
    }

    /// The canonical compact JSON object, e.g. `{"plan":"pro","seats":3}`.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    pub fn from_json(value: &Value) -> Result<CustomFields, CustomFieldError> {
        let Value::Object(map) = value else {
            return Err(CustomFieldError::NotAnObject {
                found: json_kind(value),
            });
        };
        let mut fields = CustomFields::new();
        for (key, value) in map {
            let value = CustomValue::from_json(value).map_err(|_| {
                CustomFieldError::UnsupportedFieldValue {
                    key: key.clone(),
                    found: json_kind(value),
                }
            })?;
            fields.insert(key.as_str(), value)?;
        }
        Ok(fields)
    }

    pub fn from_json_str(raw: &str) -> Result<CustomFields, CustomFieldError> {
        let value: Value =
            serde_json::from_str(raw).map_err(|err| CustomFieldError::InvalidJson {
                message: err.to_string(),
            })?;
        CustomFields::from_json(&value)
    }
}

impl fmt::Display for CustomFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl Serialize for CustomFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CustomFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        CustomFields::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Turns a column header such as "Favourite Colour", "signupDate" or
/// "Plan (tier)" into a valid field key (`favourite_colour`, `signup_date`,
/// `plan_tier`). Returns `None` when nothing usable is left.
pub fn to_snake_case(header: &str) -> Option<String> {
    let chars: Vec<char> = header
        .chars()
        .flat_map(|c| match fold_accent(c) {
            Some(folded) => folded.chars().collect::<Vec<_>>(),
            None => vec![c],
        })
        .collect();

    let mut key = String::with_capacity(chars.len());
    let separate = |key: &mut String| {
        if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_ascii_uppercase() {
            // A word starts at "dD" in "signupDate", "8S" in "utf8String",
            // and at "Se" in "HTTPServer" (the last capital of an acronym).
            let after_lower = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            let ends_acronym = prev.is_some_and(|p| p.is_ascii_uppercase())
                && next.is_some_and(|n| n.is_ascii_lowercase());
            if after_lower || ends_acronym {
                separate(&mut key);
            }
            key.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if matches!(c, '\'' | '\u{2019}') || (!c.is_ascii() && c.is_alphanumeric()) {
            // Apostrophes join ("Don't" -> "dont"); letters with no ASCII
            // spelling are dropped rather than becoming separators.
        } else {
            separate(&mut key);
        }
    }

    let key = key.trim_matches('_');
    let mut key = if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f_{key}")
    } else {
        key.to_owned()
    };
    key.truncate(MAX_KEY_LEN);
    let key = key.trim_end_matches('_');
    (!key.is_empty()).then(|| key.to_owned())
}

fn is_valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && key.len() <= MAX_KEY_LEN
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, exactly representable, as a JSON number.
fn plain_number(cell: &str) -> Option<Number> {
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    if fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let digits = whole.len() + fraction.map_or(0, str::len);
    if digits > MAX_NUMBER_DIGITS {
        return None;
    }
    match fraction {
        None => cell.parse::<i64>().ok().map(Number::from),
        Some(_) => cell.parse::<f64>().ok().and_then(Number::from_f64),
    }
}

fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
