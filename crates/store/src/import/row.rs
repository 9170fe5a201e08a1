//! Parsing one CSV record into typed contact values, or into the reasons it
//! is bad. Every problem of a row is reported, each naming its column.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use herald_core::{
    CountryCode, Currency, CustomFields, CustomValue, EmailAddress, EmailStatus, Money,
    PhoneNumber, SmsStatus,
};

use super::columns::{Field, Mapping};
use super::RowError;
use crate::tags;

/// Consent details found on a row for one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RowConsent {
    pub at: Option<i64>,
    pub source: Option<String>,
    pub method: Option<String>,
}

impl RowConsent {
    fn is_empty(&self) -> bool {
        self.at.is_none() && self.source.is_none() && self.method.is_none()
    }
}

/// A good row.
#[derive(Debug, Clone, Default)]
pub(super) struct ParsedRow {
    pub line: u64,
    pub id: Option<uuid::Uuid>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<CountryCode>,
    pub revenue: Option<Money>,
    pub tags: Vec<String>,
    pub email_status: Option<EmailStatus>,
    pub sms_status: Option<SmsStatus>,
    pub created_at: Option<i64>,
    pub email_consent: Option<RowConsent>,
    pub sms_consent: Option<RowConsent>,
    pub custom: CustomFields,
}

pub(super) struct RowParser<'a> {
    pub mapping: &'a Mapping,
    pub default_region: Option<CountryCode>,
    pub default_currency: Currency,
    pub extra_tags: Vec<String>,
}

/// Undoes the formula neutralisation Herald's export applies (a `'` put in
/// front of cells starting with `=`, `+`, `-`, `@`, tab or CR), so that an
/// export imports back unchanged.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Reads an instant: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` (taken as UTC) or a
/// bare `YYYY-MM-DD` (midnight UTC). Slashed day/month orders are ambiguous
/// between countries and are refused rather than guessed.
pub fn parse_instant(raw: &str) -> Option<i64> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc).timestamp_millis());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(raw, format) {
            return Some(at.and_utc().timestamp_millis());
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(day) = NaiveDate::parse_from_str(raw, format) {
            return day
                .and_hms_opt(0, 0, 0)
                .map(|at| at.and_utc().timestamp_millis());
        }
    }
    None
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

impl RowParser<'_> {
    /// `Ok(None)` for a row whose every cell is empty (spreadsheets leave
    /// those behind): it is not a contact and not an error either.
    pub fn parse(
        &self,
        record: &csv::ByteRecord,
        line: u64,
    ) -> Result<Option<ParsedRow>, Vec<RowError>> {
        if record
            .iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            return Ok(None);
        }
        let headers = &self.mapping.headers;
        if record.len() != headers.len() {
            return Err(vec![RowError {
                line,
                column: "*".to_owned(),
                reason: format!(
                    "wrong column count: expected {} columns, found {}",
                    headers.len(),
                    record.len()
                ),
            }]);
        }
        let mut errors = Vec::new();
        let mut row = ParsedRow {
            line,
            ..ParsedRow::default()
        };
        let mut revenue_raw: Option<(&str, &str)> = None;
        let mut currency = self.default_currency;
        let mut full_name: Option<String> = None;
        let mut email_consent = RowConsent::default();
        let mut sms_consent = RowConsent::default();

        for ((cell, field), header) in record.iter().zip(&self.mapping.fields).zip(headers) {
            let mut fail = |reason: String| {
                errors.push(RowError {
                    line,
                    column: header.clone(),
                    reason,
                });
            };
            let Ok(cell) = std::str::from_utf8(cell) else {
                fail("not valid UTF-8 text".to_owned());
                continue;
            };
            let value = unneutralise(cell.trim()).trim();
            if value.is_empty() {
                continue;
            }
            match field {
                Field::Ignore => {}
                Field::Id => match uuid::Uuid::parse_str(value) {
                    Ok(id) => row.id = Some(id),
                    // Another system's id: worth keeping, not worth refusing.
                    Err(_) => {
                        if let Err(e) = row.custom.insert(
                            "external_id".to_owned(),
                            CustomValue::Text(value.to_owned()),
                        ) {
                            fail(e.to_string());
                        }
                    }
                },
                Field::FirstName => row.first_name = text(value),
                Field::LastName => row.last_name = text(value),
                Field::FullName => full_name = text(value),
                Field::Email => match EmailAddress::parse(value) {
                    Ok(email) => row.email = Some(email),
                    Err(e) => fail(format!("invalid email: {e}")),
                },
                Field::Phone => match PhoneNumber::parse(value, self.default_region) {
                    Ok(phone) => row.phone = Some(phone),
                    Err(e) => fail(format!("unparseable phone: {e}")),
                },
                Field::Company => row.company = text(value),
                Field::City => row.city = text(value),
                Field::Region => row.region = text(value),
                Field::Country => match CountryCode::parse(value) {
                    Ok(c) => row.country = Some(c),
                    Err(e) => fail(format!("invalid country: {e}")),
                },
                Field::Revenue => revenue_raw = Some((value, header.as_str())),
                Field::RevenueCurrency => match Currency::parse(value) {
                    Ok(c) => currency = c,
                    Err(e) => fail(format!("invalid currency: {e}")),
                },
                Field::Tags => {
                    for name in split_tags(value) {
                        match tags::clean_name(name) {
                            Ok(name) => row.tags.push(name),
                            Err(e) => fail(format!("invalid tag: {e}")),
                        }
                    }
                }
                Field::EmailStatus => match EmailStatus::parse(value) {
                    Ok(s) => row.email_status = Some(s),
                    Err(e) => fail(format!("invalid email status: {e}")),
                },
                Field::SmsStatus => match SmsStatus::parse(value) {
                    Ok(s) => row.sms_status = Some(s),
                    Err(e) => fail(format!("invalid SMS status: {e}")),
                },
                Field::CreatedAt => match parse_instant(value) {
                    Some(at) => row.created_at = Some(at),
                    None => fail(bad_date(value)),
                },
                Field::EmailConsentAt | Field::SmsConsentAt => match parse_instant(value) {
                    Some(at) if *field == Field::EmailConsentAt => email_consent.at = Some(at),
                    Some(at) => sms_consent.at = Some(at),
                    None => fail(bad_date(value)),
                },
                Field::EmailConsentSource => email_consent.source = text(value),
                Field::EmailConsentMethod => email_consent.method = text(value),
                Field::SmsConsentSource => sms_consent.source = text(value),
                Field::SmsConsentMethod => sms_consent.method = text(value),
                Field::CustomJson => match CustomFields::from_json_str(value) {
                    Ok(fields) => row.custom.merge(&fields),
                    Err(e) => fail(format!("invalid custom fields: {e}")),
                },
                Field::Custom(key) => {
                    if let Some(v) = CustomValue::infer(value) {
                        if let Err(e) = row.custom.insert(key.clone(), v) {
                            fail(e.to_string());
                        }
                    }
                }
            }
        }

        // Revenue needs the row's currency, which may come in a later column.
        if let Some((raw, header)) = revenue_raw {
            match Money::parse_major(raw, currency) {
                Ok(m) => row.revenue = Some(m),
                Err(e) => errors.push(RowError {
                    line,
                    column: header.to_owned(),
                    reason: format!("invalid revenue: {e}"),
                }),
            }
        }
        if let Some(name) = full_name {
            if self.mapping.split_full_name {
                // "Ada King Lovelace": the last word is the family name.
                match name.rsplit_once(' ') {
                    Some((first, last)) => {
                        row.first_name = text(first.trim());
                        row.last_name = text(last.trim());
                    }
                    None => row.first_name = Some(name),
                }
            }
        }
        if !email_consent.is_empty() {
            row.email_consent = Some(email_consent);
        }
        if !sms_consent.is_empty() {
            row.sms_consent = Some(sms_consent);
        }
        for tag in &self.extra_tags {
            row.tags.push(tag.clone());
        }
        if errors.is_empty() && row.email.is_none() && row.phone.is_none() {
            let column = self
                .mapping
                .fields
                .iter()
                .position(|f| *f == Field::Email || *f == Field::Phone)
                .map(|i| headers[i].clone())
                .unwrap_or_else(|| "*".to_owned());
            errors.push(RowError {
                line,
                column,
                reason: "the row has neither an email address nor a phone number".to_owned(),
            });
        }
        if errors.is_empty() {
            Ok(Some(row))
        } else {
            Err(errors)
        }
    }
}

/// Tag names in a cell: separated by `,` `;` `|`, or Google Contacts' ` ::: `.
/// Google marks its built-in groups with `* ` ("* starred" becomes "starred")
/// and puts every contact in "* myContacts", which says nothing and is
/// dropped.
fn split_tags(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::")
        .flat_map(|part| part.split(tags::SEPARATORS))
        .map(|name| {
            let name = name.trim();
            name.strip_prefix("* ").map_or(name, str::trim_start)
        })
        .filter(|name| !name.is_empty() && *name != "myContacts")
}

fn bad_date(value: &str) -> String {
    format!("bad date \"{value}\": write it as YYYY-MM-DD, optionally with a time (YYYY-MM-DD HH:MM:SS or RFC 3339)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_in_common_shapes_are_read_as_utc() {
        let day = parse_instant("2024-03-05").unwrap();
        assert_eq!(parse_instant("2024-03-05 00:00:00").unwrap(), day);
        assert_eq!(parse_instant("2024-03-05T01:00:00+01:00").unwrap(), day);
        assert_eq!(parse_instant("2024-03-05T00:00:00.000Z").unwrap(), day);
        assert!(parse_instant("05/03/2024").is_none());
        assert!(parse_instant("2024-02-30").is_none());
    }

    #[test]
    fn tags_split_on_every_separator_including_googles() {
        let names: Vec<&str> =
            split_tags("* myContacts ::: Friends ::: * starred; vip|a,b").collect();
        assert_eq!(names, ["Friends", "starred", "vip", "a", "b"]);
    }

    #[test]
    fn neutralised_cells_are_restored() {
        assert_eq!(unneutralise("'+14155550100"), "+14155550100");
        assert_eq!(unneutralise("'=1+1"), "=1+1");
        assert_eq!(unneutralise("'quoted'"), "'quoted'");
    }
}
