//! Turning what the UI sends into domain values with herald-core's parsers.
//! `contacts_check_field` and saving use the same functions here, so a value
//! the form accepts is a value the save accepts.

use chrono::{DateTime, Utc};
use herald_core::{CampaignId, ContactId, CountryCode, EmailAddress, PhoneNumber, SegmentId};
use herald_store::contacts::{ContactPatch, NewContact};

use crate::dto::{CheckedField, ContactInput, FieldCheck};
use crate::error::{CommandError, CommandResult};

/// A field name as the forms spell it: herald-send names fields in
/// snake_case (`twilio_account_sid`), the UI in camelCase.
pub fn camel(field: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `""` (after trimming) is "no value".
fn present(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|v| !v.is_empty())
}

pub fn contact_id(raw: &str, field: &str) -> CommandResult<ContactId> {
    ContactId::parse(raw.trim()).map_err(|e| CommandError::validation(field, e.to_string()))
}

pub fn segment_id(raw: &str, field: &str) -> CommandResult<SegmentId> {
    SegmentId::parse(raw.trim()).map_err(|e| CommandError::validation(field, e.to_string()))
}

pub fn campaign_id(raw: &str, field: &str) -> CommandResult<CampaignId> {
    CampaignId::parse(raw.trim()).map_err(|e| CommandError::validation(field, e.to_string()))
}

/// An instant as the UI sends it (RFC 3339); errors name `field`.
pub fn instant(raw: &str, field: &str) -> CommandResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            CommandError::validation(
                field,
                format!("\"{raw}\" is not an instant (RFC 3339, e.g. 2026-03-01T09:00:00Z)"),
            )
        })
}

pub fn email(raw: &str) -> CommandResult<Option<EmailAddress>> {
    present(raw)
        .map(EmailAddress::parse)
        .transpose()
        .map_err(|e| CommandError::validation("email", e.to_string()))
}

pub fn country(raw: &str) -> CommandResult<Option<CountryCode>> {
    present(raw)
        .map(CountryCode::parse)
        .transpose()
        .map_err(|e| CommandError::validation("country", e.to_string()))
}

/// A national number ("030 1234567") is read in the contact's own country
/// when the form names one, else in the workspace's default region.
pub fn phone(
    raw: &str,
    country: Option<CountryCode>,
    default_region: Option<CountryCode>,
) -> CommandResult<Option<PhoneNumber>> {
    present(raw)
        .map(|p| PhoneNumber::parse(p, country.or(default_region)))
        .transpose()
        .map_err(|e| CommandError::validation("phone", e.to_string()))
}

/// The form's values, parsed. Errors name the form input at fault, checked
/// in the order the form shows them.
#[derive(Debug)]
pub struct ParsedInput {
    email: Option<EmailAddress>,
    phone: Option<PhoneNumber>,
    country: Option<CountryCode>,
    input: ContactInput,
}

impl ParsedInput {
    pub fn parse(input: ContactInput, default_region: Option<CountryCode>) -> CommandResult<Self> {
        let email = email(&input.email)?;
        // The country only helps read the phone when it is itself valid; an
        // invalid one is reported after the phone.
        let hint = country(&input.country).ok().flatten();
        let phone = phone(&input.phone, hint, default_region)?;
        let country = country(&input.country)?;
        if email.is_none() && phone.is_none() {
            return Err(CommandError::validation(
                "email",
                "A contact needs an email address or a phone number",
            ));
        }
        Ok(ParsedInput {
            email,
            phone,
            country,
            input,
        })
    }

    fn text(raw: &str) -> Option<String> {
        present(raw).map(str::to_owned)
    }

    /// A new contact (no tags or consent: the form does not ask for them).
    pub fn into_new_contact(self) -> NewContact {
        NewContact {
            first_name: Self::text(&self.input.first_name),
            last_name: Self::text(&self.input.last_name),
            email: self.email,
            phone: self.phone,
            company: Self::text(&self.input.company),
            city: Self::text(&self.input.city),
            region: Self::text(&self.input.region),
            country: self.country,
            ..NewContact::default()
        }
    }

    /// Every field of the form replaces the stored one.
    pub fn into_patch(self) -> ContactPatch {
        ContactPatch {
            first_name: Some(Self::text(&self.input.first_name)),
            last_name: Some(Self::text(&self.input.last_name)),
            email: Some(self.email),
            phone: Some(self.phone),
            company: Some(Self::text(&self.input.company)),
            city: Some(Self::text(&self.input.city)),
            region: Some(Self::text(&self.input.region)),
            country: Some(self.country),
        }
    }
}

/// Checks one input as saving would. An empty value is fine (the form
/// decides whether a field is required).
pub fn check_field(
    field: CheckedField,
    value: &str,
    country_hint: Option<&str>,
    default_region: Option<CountryCode>,
) -> FieldCheck {
    let result = match field {
        CheckedField::Email => email(value).map(|e| e.map(|e| e.to_string())),
        CheckedField::Country => country(value).map(|c| c.map(|c| c.as_str().to_owned())),
        CheckedField::Phone => {
            let hint = country_hint.and_then(|c| country(c).ok()).flatten();
            phone(value, hint, default_region).map(|p| p.map(|p| p.to_string()))
        }
    };
    match result {
        Ok(normalized) => FieldCheck {
            ok: true,
            normalized,
            message: None,
        },
        Err(err) => FieldCheck {
            ok: false,
            normalized: None,
            message: Some(err.message),
        },
    }
}

/// The most recipients one test send goes to, by email or text: enough for
/// a team, too few to be a campaign that skips consent and the ledger.
pub const MAX_TEST_RECIPIENTS: usize = 5;

/// The phone numbers of a test text: blanks dropped, each parsed in the
/// workspace's default region, 1 to [`MAX_TEST_RECIPIENTS`] of them; an
/// error names `field` and the number it is about.
pub fn test_numbers(
    raw: &[String],
    region: Option<CountryCode>,
    field: &str,
) -> CommandResult<Vec<PhoneNumber>> {
    let numbers = raw
        .iter()
        .filter_map(|n| present(n))
        .map(|n| {
            PhoneNumber::parse(n, region)
                .map_err(|e| CommandError::validation(field, format!("{n}: {e}")))
        })
        .collect::<CommandResult<Vec<_>>>()?;
    if numbers.is_empty() {
        return Err(CommandError::validation(
            field,
            "enter at least one phone number",
        ));
    }
    if numbers.len() > MAX_TEST_RECIPIENTS {
        return Err(CommandError::validation(
            field,
            format!(
                "a test goes to {MAX_TEST_RECIPIENTS} numbers at most, not {}",
                numbers.len()
            ),
        ));
    }
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn field_names_become_the_forms() {
        assert_eq!(camel("twilio_account_sid"), "twilioAccountSid");
        assert_eq!(camel("provider"), "provider");
    }

    fn input(email: &str, phone: &str, country: &str) -> ContactInput {
        ContactInput {
            first_name: " Ada ".to_owned(),
            email: email.to_owned(),
            phone: phone.to_owned(),
            country: country.to_owned(),
            ..ContactInput::default()
        }
    }

    #[test]
    fn a_form_with_an_email_becomes_a_trimmed_normalised_contact() {
        let parsed = ParsedInput::parse(input(" Ada@Example.COM ", "", "germany"), None).unwrap();
        let new = parsed.into_new_contact();
        assert_eq!(new.first_name.as_deref(), Some("Ada"));
        assert_eq!(new.last_name, None);
        assert_eq!(new.email.unwrap().as_str(), "ada@example.com");
        assert_eq!(new.country.unwrap().as_str(), "DE");
    }

    #[test]
    fn a_national_phone_is_read_in_the_contacts_country() {
        let parsed = ParsedInput::parse(input("", "030 901820", "DE"), None).unwrap();
        assert_eq!(
            parsed.into_patch().phone,
            Some(Some(PhoneNumber::parse("+4930901820", None).unwrap()))
        );
    }

    #[test]
    fn an_invalid_phone_is_a_validation_error_on_phone() {
        let err = ParsedInput::parse(input("a@b.co", "12", "US"), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.field.as_deref(), Some("phone"));
    }

    #[test]
    fn a_contact_without_email_or_phone_is_refused_on_email() {
        let err = ParsedInput::parse(input(" ", "", ""), None).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("email"));
    }

    #[test]
    fn the_patch_clears_emptied_fields() {
        let patch = ParsedInput::parse(input("a@b.co", "", ""), None)
            .unwrap()
            .into_patch();
        assert_eq!(patch.company, Some(None));
        assert_eq!(patch.phone, Some(None));
    }

    #[test]
    fn field_checks_give_the_saved_form_or_the_reason() {
        let us = CountryCode::parse("US").ok();
        let ok = check_field(CheckedField::Phone, "(201) 555-0123", None, us);
        assert_eq!(ok.normalized.as_deref(), Some("+12015550123"));
        assert!(ok.ok);
        let bad = check_field(CheckedField::Email, "ada@", None, None);
        assert!(!bad.ok);
        assert!(bad.message.unwrap().contains("not a valid email address"));
        let empty = check_field(CheckedField::Country, "", None, None);
        assert_eq!((empty.ok, empty.normalized), (true, None));
        let hinted = check_field(CheckedField::Phone, "030 901820", Some("DE"), us);
        assert_eq!(hinted.normalized.as_deref(), Some("+4930901820"));
    }

    #[test]
    fn test_numbers_drop_blanks_and_name_the_field_and_the_bad_number() {
        let us = CountryCode::parse("US").ok();
        let raw = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let parsed = test_numbers(&raw(&[" (201) 555-0123 ", "", "  "]), us, "numbers").unwrap();
        assert_eq!(
            parsed,
            vec![PhoneNumber::parse("+12015550123", None).unwrap()]
        );
        let bad = test_numbers(&raw(&["+12015550123", "12"]), us, "addresses").unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("addresses"));
        assert!(bad.message.starts_with("12: "), "{}", bad.message);
        let none = test_numbers(&raw(&[" "]), us, "numbers").unwrap_err();
        assert!(none.message.contains("at least one"), "{}", none.message);
        let six = test_numbers(&raw(&["+12015550123"; 6]), us, "numbers").unwrap_err();
        assert!(
            six.message.contains("5 numbers at most, not 6"),
            "{}",
            six.message
        );
    }
}
