//! Tests for custom field values, keys and their JSON form.

use super::*;
use serde_json::json;

fn date(y: i32, m: u32, d: u32) -> CustomValue {
    CustomValue::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn int(n: i64) -> CustomValue {
    CustomValue::Number(Number::from(n))
}

fn text(s: &str) -> CustomValue {
    CustomValue::Text(s.to_owned())
}

#[test]
fn empty_cells_infer_nothing() {
    assert_eq!(CustomValue::infer(""), None);
    assert_eq!(CustomValue::infer("   "), None);
}

#[test]
fn booleans_are_inferred_case_insensitively() {
    assert_eq!(CustomValue::infer("TRUE"), Some(CustomValue::Bool(true)));
    assert_eq!(
        CustomValue::infer(" false "),
        Some(CustomValue::Bool(false))
    );
    assert_eq!(CustomValue::infer("yes"), Some(text("yes")));
}

#[test]
fn plain_decimals_are_inferred_as_numbers() {
    assert_eq!(CustomValue::infer("42"), Some(int(42)));
    assert_eq!(CustomValue::infer("-7"), Some(int(-7)));
    assert_eq!(CustomValue::infer("0"), Some(int(0)));
    assert_eq!(CustomValue::infer("0.25").unwrap().to_string(), "0.25");
    assert_eq!(CustomValue::infer("-12.5").unwrap().to_json(), json!(-12.5));
}

#[test]
fn zip_codes_phones_and_odd_numbers_stay_text() {
    for raw in [
        "02134",
        "007",
        "+14155552671",
        "415-555-2671",
        "1e5",
        "1.",
        ".5",
        "1,000",
        "12 345",
        "4111111111111111",
        "NaN",
        "inf",
    ] {
        assert_eq!(CustomValue::infer(raw), Some(text(raw)), "{raw:?}");
    }
}

#[test]
fn iso_dates_are_inferred_and_impossible_dates_stay_text() {
    assert_eq!(CustomValue::infer("2024-02-29"), Some(date(2024, 2, 29)));
    assert_eq!(CustomValue::infer("2023-02-29"), Some(text("2023-02-29")));
    assert_eq!(CustomValue::infer("2024-2-9"), Some(text("2024-2-9")));
    assert_eq!(CustomValue::infer("29/02/2024"), Some(text("29/02/2024")));
}

#[test]
fn inferred_text_is_trimmed() {
    assert_eq!(CustomValue::infer("  gold plan "), Some(text("gold plan")));
}

#[test]
fn values_convert_to_canonical_json() {
    assert_eq!(text("hi").to_json(), json!("hi"));
    assert_eq!(int(3).to_json(), json!(3));
    assert_eq!(CustomValue::Bool(true).to_json(), json!(true));
    assert_eq!(date(2024, 1, 5).to_json(), json!("2024-01-05"));
}

#[test]
fn json_strings_that_are_dates_become_dates() {
    assert_eq!(
        CustomValue::from_json(&json!("2024-01-05")),
        Ok(date(2024, 1, 5))
    );
    assert_eq!(
        CustomValue::from_json(&json!("2024-01-05 ")),
        Ok(text("2024-01-05 "))
    );
    assert_eq!(
        CustomValue::from_json(&json!(1.5)).unwrap().to_json(),
        json!(1.5)
    );
}

#[test]
fn json_null_lists_and_objects_are_refused() {
    for (value, found) in [
        (json!(null), "null"),
        (json!([1]), "a list"),
        (json!({"a": 1}), "an object"),
    ] {
        let err = CustomValue::from_json(&value).unwrap_err();
        assert_eq!(err, CustomFieldError::UnsupportedValue { found });
        assert!(err.to_string().ends_with(&format!("not {found}")));
    }
}

#[test]
fn value_serde_round_trips_every_variant() {
    for value in [
        text("x"),
        int(-3),
        CustomValue::Bool(false),
        date(1999, 12, 31),
    ] {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<CustomValue>(&json).unwrap(), value);
    }
    assert!(serde_json::from_str::<CustomValue>("null").is_err());
}

#[test]
fn valid_keys_are_stored_and_read_back() {
    let mut fields = CustomFields::new();
    assert!(fields.is_empty());
    fields.insert("plan", text("pro")).unwrap();
    fields.insert(String::from("seats_2"), int(3)).unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields.get("plan"), Some(&text("pro")));
    assert_eq!(fields.get("missing"), None);
    let keys: Vec<&str> = fields.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["plan", "seats_2"]);
    assert_eq!(fields.remove("plan"), Some(text("pro")));
    assert_eq!(fields.len(), 1);
}

#[test]
fn keys_that_are_not_snake_case_are_refused() {
    let mut fields = CustomFields::new();
    let long = format!("a{}", "b".repeat(64));
    for key in [
        "",
        "Plan",
        "2fa",
        "_plan",
        "plan tier",
        "plan-tier",
        "plän",
        long.as_str(),
    ] {
        let err = fields.insert(key, text("x")).unwrap_err();
        assert_eq!(
            err,
            CustomFieldError::InvalidKey {
                key: key.to_owned()
            }
        );
    }
    assert!(fields.is_empty());
    fields.insert("a".repeat(64), text("x")).unwrap();
    let message = CustomFieldError::InvalidKey { key: "Plan".into() }.to_string();
    assert!(message.starts_with("\"Plan\" is not a valid custom field name"));
}

#[test]
fn merge_lets_the_other_side_win_and_keeps_the_rest() {
    let mut base = CustomFields::new();
    base.insert("plan", text("free")).unwrap();
    base.insert("city", text("Oslo")).unwrap();
    let mut update = CustomFields::new();
    update.insert("plan", text("pro")).unwrap();
    update.insert("seats", int(5)).unwrap();
    base.merge(&update);
    assert_eq!(base.get("plan"), Some(&text("pro")));
    assert_eq!(base.get("city"), Some(&text("Oslo")));
    assert_eq!(base.get("seats"), Some(&int(5)));
    assert_eq!(base.len(), 3);
}

#[test]
fn fields_round_trip_through_a_json_string() {
    let mut fields = CustomFields::new();
    fields.insert("vip", CustomValue::Bool(true)).unwrap();
    fields.insert("joined", date(2024, 3, 1)).unwrap();
    fields.insert("score", int(10)).unwrap();
    let json = fields.to_json_string();
    assert_eq!(json, r#"{"joined":"2024-03-01","score":10,"vip":true}"#);
    assert_eq!(fields.to_string(), json);
    assert_eq!(CustomFields::from_json_str(&json), Ok(fields));
}

#[test]
fn from_json_str_refuses_non_objects_bad_keys_and_bad_values() {
    assert_eq!(
        CustomFields::from_json_str("[1, 2]"),
        Err(CustomFieldError::NotAnObject { found: "a list" })
    );
    assert!(matches!(
        CustomFields::from_json_str("{not json"),
        Err(CustomFieldError::InvalidJson { .. })
    ));
    assert_eq!(
        CustomFields::from_json_str(r#"{"Bad Key": 1}"#),
        Err(CustomFieldError::InvalidKey {
            key: "Bad Key".into()
        })
    );
    let err = CustomFields::from_json_str(r#"{"tags": ["a"]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the custom field \"tags\" must be text, a number, true/false or a date, not a list"
    );
}

#[test]
fn fields_serde_as_a_json_object_and_refuse_invalid_input() {
    let mut fields = CustomFields::new();
    fields.insert("plan", text("pro")).unwrap();
    let value = serde_json::to_value(&fields).unwrap();
    assert_eq!(value, json!({"plan": "pro"}));
    assert_eq!(
        serde_json::from_value::<CustomFields>(value).unwrap(),
        fields
    );
    assert!(serde_json::from_str::<CustomFields>(r#"{"Plan": "pro"}"#).is_err());
    assert!(serde_json::from_str::<CustomFields>(r#""plan""#).is_err());
}

#[test]
fn headers_become_snake_case_keys() {
    let cases = [
        ("Favourite Colour", "favourite_colour"),
        ("signupDate", "signup_date"),
        ("Plan (tier)", "plan_tier"),
        ("  E-mail  Address ", "e_mail_address"),
        ("HTTPServer", "http_server"),
        ("userID", "user_id"),
        ("Address Line 2", "address_line_2"),
        ("Don't Call", "dont_call"),
        ("Café Größe", "cafe_grosse"),
        ("already_snake", "already_snake"),
        ("2nd Phone", "f_2nd_phone"),
    ];
    for (header, expected) in cases {
        assert_eq!(
            to_snake_case(header).as_deref(),
            Some(expected),
            "{header:?}"
        );
    }
}

#[test]
fn headers_with_nothing_usable_give_none() {
    assert_eq!(to_snake_case(""), None);
    assert_eq!(to_snake_case("  (#) "), None);
    assert_eq!(to_snake_case("名前"), None);
}

#[test]
fn snake_case_output_is_always_a_valid_key() {
    let long = "Very Long Header ".repeat(10);
    for header in [long.as_str(), "9", "a__b", "x", "Ünïcödé Stüff 123"] {
        let key = to_snake_case(header).unwrap();
        assert!(is_valid_key(&key), "{header:?} gave {key:?}");
        CustomFields::new().insert(key, text("x")).unwrap();
    }
}
