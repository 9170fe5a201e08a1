//! Tests for currencies and exact money amounts.

use super::*;

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn minor(raw: &str, code: &str) -> i64 {
    Money::parse_major(raw, cur(code))
        .unwrap_or_else(|e| panic!("{raw:?} should parse: {e}"))
        .minor()
}

fn reason(raw: &str) -> String {
    match Money::parse_major(raw, cur("USD")) {
        Err(MoneyError::Invalid { reason, .. }) => reason,
        other => panic!("{raw:?} should be Invalid, got {other:?}"),
    }
}

#[test]
fn currency_codes_parse_case_insensitively() {
    assert_eq!(cur(" usd ").code(), "USD");
    assert_eq!(cur("Eur"), cur("EUR"));
}

#[test]
fn unknown_currency_is_refused_with_a_hint() {
    let err = Currency::parse("dollars").unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"dollars\" is not a currency: use an ISO 4217 code such as USD or EUR"
    );
    assert!(Currency::parse("").is_err());
    assert!(Currency::parse("XYZ").is_err());
}

#[test]
fn minor_digits_follow_iso_4217() {
    assert_eq!(cur("USD").minor_digits(), 2);
    assert_eq!(cur("JPY").minor_digits(), 0);
    assert_eq!(cur("BHD").minor_digits(), 3);
    assert_eq!(cur("XAU").minor_digits(), 0);
}

#[test]
fn plain_and_grouped_amounts_parse() {
    assert_eq!(minor("10000.50", "USD"), 1_000_050);
    assert_eq!(minor("10,000.50", "USD"), 1_000_050);
    assert_eq!(minor("1 234 567.8", "USD"), 123_456_780);
    assert_eq!(minor("1,234", "USD"), 123_400);
    assert_eq!(minor("7", "USD"), 700);
    assert_eq!(minor(".5", "USD"), 50);
}

#[test]
fn lone_comma_with_one_or_two_digits_is_a_decimal_comma() {
    assert_eq!(minor("12,50", "EUR"), 1250);
    assert_eq!(minor("1 234,5", "EUR"), 123_450);
}

#[test]
fn currency_symbols_and_signs_are_accepted() {
    assert_eq!(minor("$12.34", "USD"), 1234);
    assert_eq!(minor("€ 5", "EUR"), 500);
    assert_eq!(minor("£0.99", "GBP"), 99);
    assert_eq!(minor("¥1,500", "JPY"), 1500);
    assert_eq!(minor("-$5.25", "USD"), -525);
    assert_eq!(minor("$-5.25", "USD"), -525);
    assert_eq!(minor("-0.01", "USD"), -1);
}

#[test]
fn too_many_decimals_names_the_currency() {
    let err = Money::parse_major("1.234", cur("USD")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"1.234\" has 3 decimal places but USD has 2"
    );
    let err = Money::parse_major("1500.5", cur("JPY")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"1500.5\" has 1 decimal place but JPY has 0"
    );
}

#[test]
fn trailing_zero_decimals_are_exact_and_accepted() {
    assert_eq!(minor("1500.00", "JPY"), 1500);
    assert_eq!(minor("1.230", "USD"), 123);
}

#[test]
fn misplaced_separators_and_junk_are_refused() {
    assert!(reason("1,0000").contains("every three digits"));
    assert!(reason("1234,567,890").contains("every three digits"));
    assert!(reason("1,234,56").contains("every three digits"));
    assert!(reason("1.2.3").contains("decimal part"));
    assert!(reason("12.").contains("nothing follows"));
    assert!(reason("12abc").contains("characters other than digits"));
    assert!(reason("--5").contains("characters other than digits"));
    assert!(reason("1e5").contains("characters other than digits"));
    assert!(reason("$").contains("no digits"));
    assert!(reason("-").contains("no digits"));
}

#[test]
fn empty_amount_is_empty() {
    assert_eq!(Money::parse_major("  ", cur("USD")), Err(MoneyError::Empty));
}

#[test]
fn amounts_beyond_i64_overflow_instead_of_wrapping() {
    let usd = cur("USD");
    assert!(matches!(
        Money::parse_major("92233720368547758.08", usd),
        Err(MoneyError::Overflow { .. })
    ));
    assert_eq!(
        Money::parse_major("-92233720368547758.08", usd)
            .unwrap()
            .minor(),
        i64::MIN
    );
    assert_eq!(
        Money::parse_major("92233720368547758.07", usd)
            .unwrap()
            .minor(),
        i64::MAX
    );
}

#[test]
fn format_major_always_shows_the_currency_decimals() {
    assert_eq!(
        Money::from_minor(1_000_050, cur("USD")).format_major(),
        "10000.50"
    );
    assert_eq!(Money::from_minor(5, cur("USD")).format_major(), "0.05");
    assert_eq!(Money::from_minor(-5, cur("USD")).format_major(), "-0.05");
    assert_eq!(Money::from_minor(1500, cur("JPY")).format_major(), "1500");
    assert_eq!(Money::from_minor(1, cur("BHD")).format_major(), "0.001");
    assert_eq!(Money::zero(cur("EUR")).format_major(), "0.00");
    assert_eq!(
        Money::from_minor(i64::MIN, cur("USD")).format_major(),
        "-92233720368547758.08"
    );
}

#[test]
fn display_appends_the_code() {
    assert_eq!(
        Money::from_minor(1_000_050, cur("USD")).to_string(),
        "10000.50 USD"
    );
    assert_eq!(cur("eur").to_string(), "EUR");
}

#[test]
fn formatted_amounts_parse_back_to_the_same_money() {
    for (amount, code) in [(123_456, "USD"), (-7, "EUR"), (1500, "JPY"), (1, "BHD")] {
        let money = Money::from_minor(amount, cur(code));
        assert_eq!(
            Money::parse_major(&money.format_major(), cur(code)),
            Ok(money)
        );
    }
}

#[test]
fn money_serialises_as_minor_units_and_code() {
    let money = Money::from_minor(1050, cur("USD"));
    let json = serde_json::to_string(&money).unwrap();
    assert_eq!(json, r#"{"minor":1050,"currency":"USD"}"#);
    assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
}

#[test]
fn deserialising_refuses_unknown_currencies_and_fields() {
    assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"ABC"}"#).is_err());
    assert!(serde_json::from_str::<Money>(r#"{"minor":1.5,"currency":"USD"}"#).is_err());
    assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"USD","x":1}"#).is_err());
    assert!(serde_json::from_str::<Currency>("\"usd\"").is_ok());
    assert!(serde_json::from_str::<Currency>("\"usdd\"").is_err());
}
