//! Phone numbers for SMS campaigns, stored in E.164 form (`+14155552671`).
//!
//! E.164 is the one spelling every SMS gateway accepts and the only one in
//! which two ways of writing the same number compare equal, so everything a
//! user types or imports is normalised to it. Validation uses Google's
//! libphonenumber rules and metadata (via the `rlibphonenumber` crate), so
//! numbers must be of a length and prefix actually in use in their country.

use std::fmt;
use std::str::FromStr;

use rlibphonenumber::{ParseError, PhoneNumber as Parsed, PhoneNumberFormat, Region};
use thiserror::Error;

use crate::country::CountryCode;

/// A valid phone number in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

/// Why some text is not an acceptable phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error(
        "\"{raw}\" has no country code: write it with a + and the country code \
         (such as +44 20 7946 0958) or set a default region"
    )]
    NoRegion { raw: String },
    #[error("\"{raw}\" is not a valid phone number: {reason}")]
    Invalid { raw: String, reason: String },
}

impl PhoneNumber {
    /// Parses an international number (`+44 …` or `0044 …`), or a national
    /// one (`020 7946 0958`) when `default_region` says which country it is in.
    pub fn parse(
        raw: &str,
        default_region: Option<CountryCode>,
    ) -> Result<PhoneNumber, PhoneError> {
        let trimmed = raw.trim();
        let invalid = |reason: String| PhoneError::Invalid {
            raw: trimmed.to_owned(),
            reason,
        };
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }

        let digits = clean(trimmed).map_err(invalid)?;
        if digits.is_empty() {
            return Err(invalid("it contains no digits".to_owned()));
        }
        // "00" is the international call prefix almost everywhere except
        // North America, and no national number starts with it, so it is
        // safe to read as "+" even without knowing the region.
        let digits = match digits.strip_prefix("00") {
            Some(rest) => format!("+{rest}"),
            None => digits,
        };

        let region = if digits.starts_with('+') {
            None
        } else {
            let Some(region) = default_region else {
                return Err(PhoneError::NoRegion {
                    raw: trimmed.to_owned(),
                });
            };
            let id = Region::from_code(region.as_str()).map_err(|_| {
                invalid(format!(
                    "national numbers cannot be read for {}; write it with a + and the country code",
                    region.name()
                ))
            })?;
            Some(id)
        };

        let number =
            Parsed::parse(&digits, region).map_err(|err| invalid(describe(&err).to_owned()))?;
        if !number.is_valid() {
            // Shared codes such as +1 cannot name a country for an invalid
            // number, so fall back on the region the number was read in.
            let country = number
                .get_region_code()
                .and_then(|id| CountryCode::parse(&id.to_string()).ok())
                .or(default_region.filter(|_| region.is_some()));
            let place = match country {
                Some(country) => country.name().to_owned(),
                None => format!("country code +{}", number.country_code),
            };
            return Err(invalid(format!(
                "it is not a valid number for {place} (check the number of digits)"
            )));
        }
        Ok(PhoneNumber(
            number.format_as(PhoneNumberFormat::E164).into_owned(),
        ))
    }

    /// The E.164 form, e.g. `+14155552671`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country the number belongs to, when it belongs to exactly one
    /// (shared codes such as +1 are resolved by their area codes).
    pub fn region(&self) -> Option<CountryCode> {
        let number = Parsed::parse(&self.0, None).ok()?;
        let id = number.get_region_code()?;
        CountryCode::parse(&id.to_string()).ok()
    }
}

/// Strips the punctuation people put in phone numbers, keeping a leading `+`.
fn clean(raw: &str) -> Result<String, String> {
    let mut digits = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => digits.push(c),
            ' ' | '\u{a0}' | '-' | '.' | '(' | ')' | '/' => {}
            _ => {
                return Err(format!(
                    "it contains \"{c}\"; only digits, spaces, dashes, dots and parentheses are allowed"
                ))
            }
        }
    }
    Ok(digits)
}

fn describe(err: &ParseError) -> &'static str {
    match err {
        ParseError::NotANumber(_) => "it does not contain enough digits to be a phone number",
        ParseError::InvalidCountryCode => "the country code is not in use",
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => "it is too short",
        ParseError::TooLongNsn => "it is too long",
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Without a region only international numbers parse, which is exactly what
/// the stored E.164 form is.
impl FromStr for PhoneNumber {
    type Err = PhoneError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        PhoneNumber::parse(raw, None)
    }
}

impl serde::Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        PhoneNumber::parse(&raw, None).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> Option<CountryCode> {
        Some(CountryCode::parse(code).unwrap())
    }

    fn e164(raw: &str, default: &str) -> String {
        PhoneNumber::parse(raw, region(default))
            .unwrap_or_else(|e| panic!("{raw:?} in {default} should parse: {e}"))
            .to_string()
    }

    /// (region, national form, international form, E.164)
    const SAMPLES: &[(&str, &str, &str, &str)] = &[
        ("US", "(201) 555-0123", "+1 201-555-0123", "+12015550123"),
        ("GB", "07400 123456", "+44 7400 123456", "+447400123456"),
        ("DE", "0151 23456789", "+49 151 23456789", "+4915123456789"),
        ("FR", "01 23 45 67 89", "+33 1 23 45 67 89", "+33123456789"),
        ("IN", "098765 43210", "+91 98765 43210", "+919876543210"),
        (
            "BR",
            "(11) 96123-4567",
            "+55 11 96123-4567",
            "+5511961234567",
        ),
        ("AU", "0412 345 678", "+61 412 345 678", "+61412345678"),
        ("JP", "090-1234-5678", "+81 90-1234-5678", "+819012345678"),
        ("NG", "0802 123 4567", "+234 802 123 4567", "+2348021234567"),
    ];

    #[test]
    fn national_and_international_forms_normalise_to_the_same_e164() {
        for (country, national, international, expected) in SAMPLES {
            assert_eq!(e164(national, country), *expected, "{country} national");
            assert_eq!(e164(international, country), *expected, "{country} intl");
            let without_region = PhoneNumber::parse(international, None).unwrap();
            assert_eq!(without_region.as_str(), *expected, "{country} no region");
        }
    }

    #[test]
    fn region_is_recovered_from_the_number() {
        for (country, _, international, _) in SAMPLES {
            let number = PhoneNumber::parse(international, None).unwrap();
            assert_eq!(number.region(), region(country), "{international}");
        }
    }

    #[test]
    fn double_zero_prefix_is_read_as_plus() {
        let number = PhoneNumber::parse("0044 7400 123456", None).unwrap();
        assert_eq!(number.as_str(), "+447400123456");
    }

    #[test]
    fn dots_slashes_and_surrounding_space_are_tolerated() {
        assert_eq!(e164("  201.555.0123 ", "US"), "+12015550123");
        assert_eq!(e164("030/1234567", "DE"), "+49301234567");
    }

    #[test]
    fn region_is_ignored_for_international_numbers() {
        assert_eq!(e164("+33 1 23 45 67 89", "US"), "+33123456789");
    }

    #[test]
    fn wrong_lengths_are_refused_in_every_country() {
        let bad = [
            ("US", "201-555-012"),
            ("US", "201-555-01234"),
            ("GB", "07400 12345"),
            ("DE", "0151 234"),
            ("FR", "01 23 45 67 8"),
            ("FR", "01 23 45 67 89 0"),
            ("IN", "98765 4321"),
            ("BR", "(11) 9612-345"),
            ("AU", "0412 345 67"),
            ("JP", "090-1234-567"),
            ("NG", "0802 123 456"),
        ];
        for (country, raw) in bad {
            let err = PhoneNumber::parse(raw, region(country)).unwrap_err();
            assert!(
                matches!(err, PhoneError::Invalid { .. }),
                "{country} {raw}: {err:?}"
            );
        }
    }

    #[test]
    fn national_number_without_region_asks_for_a_country_code() {
        let err = PhoneNumber::parse("020 7946 0958", None).unwrap_err();
        assert_eq!(
            err,
            PhoneError::NoRegion {
                raw: "020 7946 0958".to_owned()
            }
        );
        let message = err.to_string();
        assert!(message.contains("+ and the country code"));
        assert!(message.contains("default region"));
    }

    #[test]
    fn empty_input_is_empty() {
        assert_eq!(PhoneNumber::parse("", None), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("  ", region("US")),
            Err(PhoneError::Empty)
        );
    }

    #[test]
    fn letters_and_extensions_are_refused_with_the_offending_character() {
        let err = PhoneNumber::parse("1-800-FLOWERS", region("US")).unwrap_err();
        assert!(err.to_string().contains("\"F\""), "{err}");
        assert!(PhoneNumber::parse("+1 201 555 0123 x12", None).is_err());
    }

    #[test]
    fn punctuation_only_and_plus_in_the_middle_are_refused() {
        assert!(matches!(
            PhoneNumber::parse("()-", region("US")),
            Err(PhoneError::Invalid { .. })
        ));
        assert!(PhoneNumber::parse("201+5550123", region("US")).is_err());
    }

    #[test]
    fn unassigned_country_code_is_refused() {
        let err = PhoneNumber::parse("+999 1234 5678", None).unwrap_err();
        assert!(matches!(err, PhoneError::Invalid { .. }), "{err:?}");
    }

    #[test]
    fn invalid_message_names_the_input_and_country() {
        let err = PhoneNumber::parse("07400 12345", region("GB")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("\"07400 12345\" is not a valid phone number"),
            "{message}"
        );
        assert!(message.contains("United Kingdom"), "{message}");
        let err = PhoneNumber::parse("+1 201 555 012", None).unwrap_err();
        assert!(err.to_string().contains("country code +1"), "{err}");
    }

    /// Numbers on which the `phonenumber` crate, used before, disagreed with
    /// libphonenumber itself (checked against Google's Python port, 9.0.43):
    /// it refused Australia's 0496 mobiles and some Swedish and Argentinian
    /// numbers, and accepted Beijing numbers one digit too long.
    #[test]
    fn validity_follows_libphonenumber() {
        assert_eq!(
            PhoneNumber::parse("+61 496 389 647", None)
                .unwrap()
                .as_str(),
            "+61496389647"
        );
        assert_eq!(e164("0782397125", "SE"), "+46782397125");
        assert_eq!(e164("091105214877", "AR"), "+5491105214877");
        let err = PhoneNumber::parse("+86 10 1234 53312", None).unwrap_err();
        assert!(matches!(err, PhoneError::Invalid { .. }), "{err:?}");
    }

    #[test]
    fn serde_round_trips_as_e164() {
        let number = PhoneNumber::parse("(201) 555-0123", region("US")).unwrap();
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"+12015550123\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), number);
    }

    #[test]
    fn deserialising_refuses_invalid_and_national_numbers() {
        assert!(serde_json::from_str::<PhoneNumber>("\"+1 201 555\"").is_err());
        assert!(serde_json::from_str::<PhoneNumber>("\"2015550123\"").is_err());
    }
}
