//! Currencies and exact money amounts.
//!
//! Amounts are whole numbers of the currency's minor unit (cents for USD,
//! yen for JPY) held in an `i64`. No floating point is used anywhere, so
//! sums and formatting are exact and arithmetic overflow is detected.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::string_serde::impl_string_serde;

/// An ISO 4217 currency such as USD.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

/// An exact amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Why some text is not an acceptable currency or amount.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum MoneyError {
    #[error("\"{raw}\" is not a currency: use an ISO 4217 code such as USD or EUR")]
    UnknownCurrency { raw: String },
    #[error("the amount is empty")]
    Empty,
    #[error("\"{raw}\" is not an amount: {reason}")]
    Invalid { raw: String, reason: String },
    #[error(
        "\"{raw}\" has {places} decimal place{} but {currency} has {allowed}",
        if *places == 1 { "" } else { "s" }
    )]
    TooManyDecimals {
        raw: String,
        places: usize,
        currency: Currency,
        allowed: u32,
    },
    #[error("\"{raw}\" is too large an amount")]
    Overflow { raw: String },
}

impl Currency {
    /// Parses an ISO 4217 code, ignoring case and surrounding whitespace.
    pub fn parse(raw: &str) -> Result<Currency, MoneyError> {
        let trimmed = raw.trim();
        iso_currency::Currency::from_code(&trimmed.to_ascii_uppercase())
            .map(Currency)
            .ok_or_else(|| MoneyError::UnknownCurrency {
                raw: trimmed.to_owned(),
            })
    }

    /// The three-letter code, e.g. `"USD"`.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// How many decimal places the minor unit has (2 for USD, 0 for JPY).
    /// Currencies without a minor unit, such as gold (XAU), count as 0.
    pub fn minor_digits(&self) -> u32 {
        self.0.exponent().map_or(0, u32::from)
    }

    /// Every ISO 4217 currency.
    pub fn all() -> impl Iterator<Item = Currency> {
        use iso_currency::IntoEnumIterator;
        iso_currency::Currency::iter().map(Currency)
    }

    /// 10 to the power of `minor_digits`: minor units per major unit.
    fn scale(&self) -> u64 {
        10u64.pow(self.minor_digits())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl_string_serde!(Currency, MoneyError);

impl Money {
    /// An amount given in minor units: `from_minor(1050, USD)` is $10.50.
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::from_minor(0, currency)
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Parses an amount in major units as people write it: `10000.50`,
    /// `10,000.50`, `$1 234.5`, `-12,50`. A lone comma followed by one or two
    /// digits is a decimal comma; otherwise commas and spaces group thousands.
    ///
    /// Extra decimal places are refused rather than rounded, except trailing
    /// zeros (`"1500.00"` JPY), which lose nothing.
    pub fn parse_major(raw: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = raw.trim();
        let invalid = |reason: &str| MoneyError::Invalid {
            raw: trimmed.to_owned(),
            reason: reason.to_owned(),
        };
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }

        let (negative, body) = strip_sign_and_symbol(trimmed);
        if body.is_empty() {
            return Err(invalid("it has no digits"));
        }
        let (whole, fraction) = split_decimal(body);
        let whole = ungroup(whole).map_err(invalid)?;
        if fraction.is_some_and(str::is_empty) {
            return Err(invalid("nothing follows the decimal point"));
        }
        if fraction.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit())) {
            return Err(invalid("the decimal part must be digits only"));
        }
        let fraction = fraction.unwrap_or("");
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid("it has no digits"));
        }

        let allowed = currency.minor_digits();
        let significant = fraction.trim_end_matches('0');
        if significant.len() > allowed as usize {
            return Err(MoneyError::TooManyDecimals {
                raw: trimmed.to_owned(),
                places: fraction.len(),
                currency,
                allowed,
            });
        }

        // Accumulate with the sign applied digit by digit so that i64::MIN
        // is reachable and overflow is caught at the exact digit it happens.
        let padded = (significant.len()..allowed as usize).map(|_| b'0');
        let digits = whole.bytes().chain(significant.bytes()).chain(padded);
        let overflow = || MoneyError::Overflow {
            raw: trimmed.to_owned(),
        };
        let mut minor: i64 = 0;
        for digit in digits {
            let digit = i64::from(digit - b'0');
            minor = minor.checked_mul(10).ok_or_else(overflow)?;
            minor = if negative {
                minor.checked_sub(digit)
            } else {
                minor.checked_add(digit)
            }
            .ok_or_else(overflow)?;
        }
        Ok(Money::from_minor(minor, currency))
    }

    /// The amount in major units with exactly `minor_digits` decimals and no
    /// grouping, e.g. `"10000.50"` or, for JPY, `"1500"`.
    pub fn format_major(&self) -> String {
        let digits = self.currency.minor_digits() as usize;
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{magnitude}");
        }
        let scale = self.currency.scale();
        format!("{sign}{}.{:0digits$}", magnitude / scale, magnitude % scale)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.format_major(), self.currency)
    }
}

/// Removes an optional `-` and currency symbol, in either order (`-$5`, `$-5`).
fn strip_sign_and_symbol(raw: &str) -> (bool, &str) {
    const SYMBOLS: [char; 4] = ['$', '€', '£', '¥'];
    let mut rest = raw;
    let mut negative = false;
    for _ in 0..2 {
        if let Some(after) = rest.strip_prefix('-') {
            if negative {
                break;
            }
            negative = true;
            rest = after.trim_start();
        } else if let Some(after) = rest.strip_prefix(SYMBOLS) {
            rest = after.trim_start();
        }
    }
    (negative, rest)
}

/// Splits into whole and fractional parts. The decimal mark is `.`, or a
/// single `,` followed by one or two digits when there is no `.` at all.
fn split_decimal(body: &str) -> (&str, Option<&str>) {
    if let Some((whole, fraction)) = body.split_once('.') {
        return (whole, Some(fraction));
    }
    if body.matches(',').count() == 1 {
        if let Some((whole, fraction)) = body.split_once(',') {
            if (1..=2).contains(&fraction.len()) {
                return (whole, Some(fraction));
            }
        }
    }
    (body, None)
}

/// Removes thousands separators, insisting they sit every three digits.
fn ungroup(whole: &str) -> Result<String, &'static str> {
    let is_separator = |c: char| matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}');
    let mut groups = whole.split(is_separator);
    let first = groups.next().unwrap_or("");
    let mut digits = first.to_owned();
    let mut grouped = false;
    for group in groups {
        grouped = true;
        if group.len() != 3 {
            return Err("thousands separators must come every three digits");
        }
        digits.push_str(group);
    }
    if grouped && !(1..=3).contains(&first.len()) {
        return Err("thousands separators must come every three digits");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("it contains characters other than digits, separators and a currency symbol");
    }
    Ok(digits)
}

#[cfg(test)]
mod tests;
