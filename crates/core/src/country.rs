//! ISO 3166-1 alpha-2 country codes, used for contact addresses and as the
//! default region when interpreting national phone numbers.
//!
//! Besides the two-letter code, parsing accepts the English short name and a
//! few everyday aliases, because imported spreadsheets say "Germany" or "USA"
//! far more often than "DE" or "US".

use std::fmt;

use thiserror::Error;

use crate::string_serde::impl_string_serde;
use crate::text::match_key;

mod table;
use table::{ALIASES, COUNTRIES};

/// An officially assigned ISO 3166-1 alpha-2 code, always uppercase ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

/// Why some text is not a recognised country.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum CountryError {
    #[error("\"{0}\" is not a country: use an ISO 3166-1 alpha-2 code such as US or DE")]
    Unknown(String),
}

impl CountryCode {
    /// Parses a two-letter code, an English short name or a common alias, ignoring case.
    pub fn parse(raw: &str) -> Result<CountryCode, CountryError> {
        let trimmed = raw.trim();
        let unknown = || CountryError::Unknown(trimmed.to_owned());
        if let [a, b] = trimmed.as_bytes() {
            if let Some(code) = Self::from_code(&[a.to_ascii_uppercase(), b.to_ascii_uppercase()]) {
                return Ok(code);
            }
        }
        let key = match_key(trimmed);
        if key.is_empty() {
            return Err(unknown());
        }
        let alias = ALIASES
            .iter()
            .find(|(alias, _)| match_key(alias) == key)
            .map(|(_, code)| *code);
        let code = match alias {
            Some(code) => code,
            None => COUNTRIES
                .iter()
                .find(|(_, name)| match_key(name) == key)
                .map(|(code, _)| *code)
                .ok_or_else(unknown)?,
        };
        Self::from_code(code.as_bytes()).ok_or_else(unknown)
    }

    fn from_code(code: &[u8]) -> Option<CountryCode> {
        let code: [u8; 2] = code.try_into().ok()?;
        Self::index(code).ok().map(|_| CountryCode(code))
    }

    fn index(code: [u8; 2]) -> Result<usize, usize> {
        COUNTRIES.binary_search_by(|(candidate, _)| candidate.as_bytes().cmp(&code[..]))
    }

    fn entry(self) -> &'static (&'static str, &'static str) {
        // A CountryCode is only ever built from a code found in the table.
        let index = Self::index(self.0).expect("CountryCode holds an assigned code");
        &COUNTRIES[index]
    }

    /// The uppercase two-letter code, e.g. `"US"`.
    pub fn as_str(&self) -> &'static str {
        self.entry().0
    }

    /// The ISO 3166-1 English short name, e.g. `"Germany"`.
    pub fn name(&self) -> &'static str {
        self.entry().1
    }

    /// Every officially assigned country, in code order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        COUNTRIES
            .iter()
            .filter_map(|(code, _)| Self::from_code(code.as_bytes()))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl_string_serde!(CountryCode, CountryError);

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> &'static str {
        CountryCode::parse(raw)
            .unwrap_or_else(|e| panic!("{raw:?} should parse: {e}"))
            .as_str()
    }

    #[test]
    fn table_has_all_249_assigned_codes_in_sorted_order() {
        assert_eq!(COUNTRIES.len(), 249);
        assert_eq!(CountryCode::all().count(), 249);
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COUNTRIES.iter().all(|(c, n)| c.len() == 2
            && c.bytes().all(|b| b.is_ascii_uppercase())
            && !n.is_empty()));
    }

    #[test]
    fn every_alias_points_at_an_assigned_code() {
        for (alias, target) in ALIASES {
            assert_eq!(code(alias), *target, "alias {alias}");
        }
    }

    #[test]
    fn every_name_parses_back_to_its_own_code() {
        for country in CountryCode::all() {
            assert_eq!(CountryCode::parse(country.name()), Ok(country));
            assert_eq!(CountryCode::parse(country.as_str()), Ok(country));
        }
    }

    #[test]
    fn codes_are_accepted_in_any_case_with_whitespace() {
        assert_eq!(code("us"), "US");
        assert_eq!(code(" De "), "DE");
        assert_eq!(code("fR"), "FR");
    }

    #[test]
    fn english_names_are_matched_case_insensitively() {
        assert_eq!(code("United States"), "US");
        assert_eq!(code("germany"), "DE");
        assert_eq!(code("  NEW   zealand "), "NZ");
        assert_eq!(code("Viet Nam"), "VN");
    }

    #[test]
    fn names_match_without_accents_or_with_curly_apostrophes() {
        assert_eq!(code("Cote d'Ivoire"), "CI");
        assert_eq!(code("Côte d’Ivoire"), "CI");
        assert_eq!(code("curacao"), "CW");
        assert_eq!(code("Turkiye"), "TR");
    }

    #[test]
    fn common_aliases_are_accepted() {
        assert_eq!(code("UK"), "GB");
        assert_eq!(code("uk"), "GB");
        assert_eq!(code("USA"), "US");
        assert_eq!(code("u.s."), "US");
        assert_eq!(code("Deutschland"), "DE");
        assert_eq!(code("holland"), "NL");
        assert_eq!(code("South Korea"), "KR");
        assert_eq!(code("Russia"), "RU");
        assert_eq!(code("Czech Republic"), "CZ");
    }

    #[test]
    fn england_is_not_a_country_code() {
        assert!(CountryCode::parse("England").is_err());
    }

    #[test]
    fn unassigned_codes_and_unknown_names_are_refused() {
        for raw in ["XX", "EU", "ZZ", "U", "USAA", "", "   ", "1A"] {
            assert!(
                CountryCode::parse(raw).is_err(),
                "{raw:?} should be refused"
            );
        }
    }

    #[test]
    fn unknown_country_message_suggests_codes() {
        assert_eq!(
            CountryCode::parse(" Narnia ").unwrap_err().to_string(),
            "\"Narnia\" is not a country: use an ISO 3166-1 alpha-2 code such as US or DE"
        );
    }

    #[test]
    fn name_and_display_come_from_the_table() {
        let de = CountryCode::parse("de").unwrap();
        assert_eq!(de.name(), "Germany");
        assert_eq!(de.to_string(), "DE");
    }

    #[test]
    fn serde_round_trips_as_the_code() {
        let gb = CountryCode::parse("United Kingdom").unwrap();
        let json = serde_json::to_string(&gb).unwrap();
        assert_eq!(json, "\"GB\"");
        assert_eq!(serde_json::from_str::<CountryCode>(&json).unwrap(), gb);
    }

    #[test]
    fn deserialising_refuses_unknown_countries() {
        let err = serde_json::from_str::<CountryCode>("\"XX\"").unwrap_err();
        assert!(err.to_string().contains("is not a country"));
    }
}
