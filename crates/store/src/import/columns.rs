//! Mapping CSV headers to contact fields: case-insensitive, with the
//! synonyms real exports use, explicit overrides, and unknown columns kept as
//! custom fields.

use std::collections::HashMap;

use herald_core::to_snake_case;

use super::ColumnReport;

/// Where a column's values go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    FirstName,
    LastName,
    /// "Name" alone: split into first and last when those are not mapped.
    FullName,
    Email,
    Phone,
    Company,
    City,
    Region,
    Country,
    Revenue,
    RevenueCurrency,
    Tags,
    EmailStatus,
    SmsStatus,
    CreatedAt,
    EmailConsentAt,
    EmailConsentSource,
    EmailConsentMethod,
    SmsConsentAt,
    SmsConsentSource,
    SmsConsentMethod,
    /// A JSON object of custom fields (Herald's own export writes one).
    CustomJson,
    Custom(String),
    /// Known but derived data (e.g. `updated_at` in Herald's export), or
    /// explicitly dropped.
    Ignore,
}

impl Field {
    /// The name used in `--map` and in reports.
    pub fn name(&self) -> String {
        match self {
            Field::Custom(key) => format!("custom.{key}"),
            other => FIELD_NAMES
                .iter()
                .find(|(_, f)| f == other)
                .map(|(n, _)| (*n).to_owned())
                .unwrap_or_default(),
        }
    }

    /// Parses a field name as written in `--map "Header=field"`.
    pub fn parse(raw: &str) -> Result<Field, MappingError> {
        let name = raw.trim().to_lowercase();
        if let Some(key) = name.strip_prefix("custom.") {
            return to_snake_case(key)
                .map(Field::Custom)
                .ok_or_else(|| MappingError::UnknownField(raw.to_owned()));
        }
        FIELD_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f.clone())
            .ok_or_else(|| MappingError::UnknownField(raw.to_owned()))
    }
}

const FIELD_NAMES: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("first_name", Field::FirstName),
    ("last_name", Field::LastName),
    ("name", Field::FullName),
    ("email", Field::Email),
    ("phone", Field::Phone),
    ("company", Field::Company),
    ("city", Field::City),
    ("region", Field::Region),
    ("country", Field::Country),
    ("revenue", Field::Revenue),
    ("revenue_currency", Field::RevenueCurrency),
    ("tags", Field::Tags),
    ("email_status", Field::EmailStatus),
    ("sms_status", Field::SmsStatus),
    ("created_at", Field::CreatedAt),
    ("email_consent_at", Field::EmailConsentAt),
    ("email_consent_source", Field::EmailConsentSource),
    ("email_consent_method", Field::EmailConsentMethod),
    ("sms_consent_at", Field::SmsConsentAt),
    ("sms_consent_source", Field::SmsConsentSource),
    ("sms_consent_method", Field::SmsConsentMethod),
    ("custom", Field::CustomJson),
    ("ignore", Field::Ignore),
];

/// Header spellings seen in Mailchimp, HubSpot, Google Contacts, Outlook and
/// hand-made Excel sheets, after [`normalise`] (lower case, punctuation to
/// spaces).
const SYNONYMS: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("herald id", Field::Id),
    ("first name", Field::FirstName),
    ("firstname", Field::FirstName),
    ("first", Field::FirstName),
    ("given name", Field::FirstName),
    ("forename", Field::FirstName),
    ("fname", Field::FirstName),
    ("last name", Field::LastName),
    ("lastname", Field::LastName),
    ("last", Field::LastName),
    ("surname", Field::LastName),
    ("family name", Field::LastName),
    ("lname", Field::LastName),
    ("name", Field::FullName),
    ("full name", Field::FullName),
    ("fullname", Field::FullName),
    ("contact name", Field::FullName),
    ("display name", Field::FullName),
    ("email", Field::Email),
    ("e mail", Field::Email),
    ("email address", Field::Email),
    ("e mail address", Field::Email),
    ("emailaddress", Field::Email),
    ("mail", Field::Email),
    ("primary email", Field::Email),
    ("work email", Field::Email),
    ("e mail 1 value", Field::Email),
    ("email 1 value", Field::Email),
    ("phone", Field::Phone),
    ("phone number", Field::Phone),
    ("phonenumber", Field::Phone),
    ("mobile", Field::Phone),
    ("mobile phone", Field::Phone),
    ("mobile phone number", Field::Phone),
    ("mobile number", Field::Phone),
    ("cell", Field::Phone),
    ("cell phone", Field::Phone),
    ("cellphone", Field::Phone),
    ("telephone", Field::Phone),
    ("tel", Field::Phone),
    ("sms", Field::Phone),
    ("sms phone number", Field::Phone),
    ("phone 1 value", Field::Phone),
    ("company", Field::Company),
    ("company name", Field::Company),
    ("organization", Field::Company),
    ("organisation", Field::Company),
    ("organization name", Field::Company),
    ("organisation name", Field::Company),
    ("organization 1 name", Field::Company),
    ("employer", Field::Company),
    ("city", Field::City),
    ("town", Field::City),
    ("locality", Field::City),
    ("address city", Field::City),
    ("address 1 city", Field::City),
    ("state", Field::Region),
    ("region", Field::Region),
    ("province", Field::Region),
    ("state province", Field::Region),
    ("state region", Field::Region),
    ("county", Field::Region),
    ("address state", Field::Region),
    ("address 1 region", Field::Region),
    ("country", Field::Country),
    ("country code", Field::Country),
    ("country region", Field::Country),
    ("address country", Field::Country),
    ("address 1 country", Field::Country),
    ("revenue", Field::Revenue),
    ("lifetime revenue", Field::Revenue),
    ("lifetime value", Field::Revenue),
    ("ltv", Field::Revenue),
    ("total revenue", Field::Revenue),
    ("total spent", Field::Revenue),
    ("currency", Field::RevenueCurrency),
    ("revenue currency", Field::RevenueCurrency),
    ("tags", Field::Tags),
    ("tag", Field::Tags),
    ("labels", Field::Tags),
    ("group membership", Field::Tags),
    ("groups", Field::Tags),
    ("email status", Field::EmailStatus),
    ("status", Field::EmailStatus),
    ("subscription status", Field::EmailStatus),
    ("email subscription status", Field::EmailStatus),
    ("sms status", Field::SmsStatus),
    ("sms subscription status", Field::SmsStatus),
    ("created at", Field::CreatedAt),
    ("created", Field::CreatedAt),
    ("create date", Field::CreatedAt),
    ("date created", Field::CreatedAt),
    ("date added", Field::CreatedAt),
    ("email consent at", Field::EmailConsentAt),
    ("optin time", Field::EmailConsentAt),
    ("email consent source", Field::EmailConsentSource),
    ("email consent method", Field::EmailConsentMethod),
    ("sms consent at", Field::SmsConsentAt),
    ("sms consent source", Field::SmsConsentSource),
    ("sms consent method", Field::SmsConsentMethod),
    ("custom", Field::CustomJson),
    // Derived in Herald; present in its own export, not imported.
    ("updated at", Field::Ignore),
    ("last interaction at", Field::Ignore),
    ("project statuses", Field::Ignore),
];

/// Lower case, every run of non-alphanumeric characters turned into one
/// space: "E-mail Address" and "e_mail address" both become "e mail address".
fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut pending_space = false;
    for c in header.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Why a file's columns cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("\"{0}\" is not a contact field (use e.g. email, first_name, phone, tags, custom.<key> or ignore)")]
    UnknownField(String),
    #[error("--map names the column \"{0}\", which the file does not have")]
    UnknownHeader(String),
    #[error(
        "the columns \"{0}\" and \"{1}\" both map to {2}; map one of them elsewhere with --map"
    )]
    Twice(String, String, String),
    #[error("the file has no email or phone column, so no row could become a contact")]
    NoIdentity,
}

/// The resolved target of every column, by position.
#[derive(Debug, Clone)]
pub(super) struct Mapping {
    pub headers: Vec<String>,
    pub fields: Vec<Field>,
    /// Whether "name" columns should be split into first and last names.
    pub split_full_name: bool,
}

impl Mapping {
    pub fn build(
        headers: &[String],
        overrides: &HashMap<String, String>,
        ignore_unknown: bool,
    ) -> Result<Mapping, MappingError> {
        let lowered: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
        if let Some(unknown) = overrides.keys().find(|k| !lowered.contains(k)) {
            return Err(MappingError::UnknownHeader(unknown.clone()));
        }
        let mut fields = Vec::with_capacity(headers.len());
        for (header, low) in headers.iter().zip(&lowered) {
            let field = if let Some(target) = overrides.get(low) {
                Field::parse(target)?
            } else {
                detect(header, ignore_unknown)
            };
            fields.push(field);
        }
        let mut seen: HashMap<&Field, &str> = HashMap::new();
        for (field, header) in fields.iter().zip(headers) {
            if *field == Field::Ignore {
                continue;
            }
            if let Some(first) = seen.insert(field, header) {
                return Err(MappingError::Twice(
                    first.to_owned(),
                    header.clone(),
                    field.name(),
                ));
            }
        }
        if !fields.contains(&Field::Email) && !fields.contains(&Field::Phone) {
            return Err(MappingError::NoIdentity);
        }
        let split_full_name =
            !fields.contains(&Field::FirstName) && !fields.contains(&Field::LastName);
        Ok(Mapping {
            headers: headers.to_vec(),
            fields,
            split_full_name,
        })
    }

    pub fn report(&self) -> Vec<ColumnReport> {
        self.headers
            .iter()
            .zip(&self.fields)
            .map(|(header, field)| ColumnReport {
                header: header.clone(),
                field: field.name(),
            })
            .collect()
    }
}

fn detect(header: &str, ignore_unknown: bool) -> Field {
    let trimmed = header.trim();
    if let Some(key) = trimmed
        .strip_prefix("custom.")
        .or_else(|| trimmed.strip_prefix("Custom."))
    {
        if let Some(key) = to_snake_case(key) {
            return Field::Custom(key);
        }
    }
    let norm = normalise(header);
    if let Some((_, field)) = SYNONYMS.iter().find(|(s, _)| *s == norm) {
        return field.clone();
    }
    if ignore_unknown {
        return Field::Ignore;
    }
    to_snake_case(header).map_or(Field::Ignore, Field::Custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Result<Vec<Field>, MappingError> {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        Mapping::build(&headers, &HashMap::new(), false).map(|m| m.fields)
    }

    #[test]
    fn common_export_headers_are_recognised() {
        let fields = map(&[
            "Email Address",
            "First Name",
            "Last Name",
            "Mobile",
            "State/Province",
            "Country/Region",
            "Tags",
            "Company Name",
        ])
        .unwrap();
        assert_eq!(
            fields,
            vec![
                Field::Email,
                Field::FirstName,
                Field::LastName,
                Field::Phone,
                Field::Region,
                Field::Country,
                Field::Tags,
                Field::Company
            ]
        );
        assert_eq!(map(&["E-mail"]).unwrap(), vec![Field::Email]);
        assert_eq!(map(&["E-mail 1 - Value"]).unwrap(), vec![Field::Email]);
    }

    #[test]
    fn unknown_headers_become_snake_case_custom_fields() {
        let fields = map(&["email", "Favourite Colour", "custom.plan"]).unwrap();
        assert_eq!(fields[1], Field::Custom("favourite_colour".into()));
        assert_eq!(fields[2], Field::Custom("plan".into()));
    }

    #[test]
    fn ignore_unknown_drops_unrecognised_columns() {
        let headers = vec!["email".to_string(), "Shoe size".to_string()];
        let m = Mapping::build(&headers, &HashMap::new(), true).unwrap();
        assert_eq!(m.fields[1], Field::Ignore);
    }

    #[test]
    fn explicit_mapping_overrides_detection() {
        let headers = vec!["Work Address".to_string(), "Mobile".to_string()];
        let overrides = HashMap::from([
            ("work address".to_string(), "email".to_string()),
            ("mobile".to_string(), "custom.mobile_backup".to_string()),
        ]);
        let m = Mapping::build(&headers, &overrides, false).unwrap();
        assert_eq!(
            m.fields,
            vec![Field::Email, Field::Custom("mobile_backup".into())]
        );
    }

    #[test]
    fn two_columns_for_one_field_are_refused_with_both_names() {
        let err = map(&["Email", "E-mail Address"]).unwrap_err();
        assert_eq!(
            err,
            MappingError::Twice("Email".into(), "E-mail Address".into(), "email".into())
        );
    }

    #[test]
    fn a_file_without_email_or_phone_is_refused() {
        assert_eq!(
            map(&["First Name", "City"]).unwrap_err(),
            MappingError::NoIdentity
        );
    }

    #[test]
    fn a_mapping_for_a_missing_header_is_refused() {
        let headers = vec!["email".to_string()];
        let overrides = HashMap::from([("mobile".to_string(), "phone".to_string())]);
        let err = Mapping::build(&headers, &overrides, false).unwrap_err();
        assert_eq!(err, MappingError::UnknownHeader("mobile".into()));
    }
}
