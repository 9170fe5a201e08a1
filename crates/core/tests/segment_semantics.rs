//! The semantics of docs/segments.md, one rule at a time, on the oracle.
//! (The SQL compiler is held to the oracle by herald-store's property test.)

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use herald_core::segment::{Clock, ContactFacts, Filter, MAX_DEPTH};
use herald_core::{CountryCode, EmailStatus, SegmentId, SmsStatus};
use serde_json::{json, Value};

fn clock() -> Clock {
    Clock::new(
        "2026-06-15T12:00:00Z".parse::<DateTime<Utc>>().unwrap(),
        chrono_tz::Tz::UTC,
    )
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<DateTime<Utc>>().unwrap().timestamp_millis()
}

/// A contact with nothing optional set.
fn bare() -> ContactFacts {
    ContactFacts {
        first_name: None,
        last_name: None,
        email: Some("ada@example.com".into()),
        company: None,
        city: None,
        region: None,
        phone: None,
        country: None,
        created_at: ms("2026-01-10T09:00:00Z"),
        last_interaction_at: None,
        revenue_minor: 0,
        revenue_currency: "USD".into(),
        custom: serde_json::Map::new(),
        email_status: EmailStatus::Subscribed,
        sms_status: SmsStatus::Subscribed,
        tags: Vec::new(),
        project_statuses: Vec::new(),
    }
}

fn rule(field: &str, op: &str, value: Option<Value>) -> Value {
    let mut r = json!({"field": field, "op": op});
    if let Some(v) = value {
        r["value"] = v;
    }
    json!({ "all": [r] })
}

fn matches(filter: &Value, c: &ContactFacts) -> bool {
    let f = Filter::parse(filter).unwrap_or_else(|e| panic!("{filter} refused: {e:?}"));
    f.matches(c, &clock(), &HashMap::new()).unwrap()
}

fn issues(filter: &Value) -> Vec<(String, String)> {
    Filter::parse(filter)
        .expect_err("the filter should be refused")
        .into_iter()
        .map(|i| (i.path, i.message))
        .collect()
}

#[test]
fn text_compares_with_unicode_case_folding_and_ignores_surrounding_space() {
    let c = ContactFacts {
        first_name: Some("  ölaf ".into()),
        city: Some("Straße".into()),
        ..bare()
    };
    assert!(matches(&rule("first_name", "eq", Some(json!("ÖLAF"))), &c));
    assert!(matches(&rule("city", "eq", Some(json!("STRASSE"))), &c));
    assert!(matches(
        &rule("first_name", "starts_with", Some(json!("Öl"))),
        &c
    ));
    assert!(matches(
        &rule("first_name", "ends_with", Some(json!("AF"))),
        &c
    ));
    assert!(matches(
        &rule("first_name", "contains", Some(json!("LA"))),
        &c
    ));
    assert!(matches(
        &rule("first_name", "in", Some(json!(["x", "ÖLAF"]))),
        &c
    ));
    assert!(!matches(
        &rule("first_name", "neq", Some(json!("Ölaf"))),
        &c
    ));
    assert!(!matches(
        &rule("first_name", "not_in", Some(json!(["ölaf"]))),
        &c
    ));
    assert!(!matches(
        &rule("first_name", "not_contains", Some(json!("ö"))),
        &c
    ));
}

#[test]
fn negative_operators_match_missing_values_and_positive_ones_never_do() {
    let c = bare();
    for (field, op, value) in [
        ("company", "neq", json!("Acme")),
        ("company", "not_contains", json!("Acme")),
        ("company", "not_in", json!(["Acme"])),
        ("country", "neq", json!("US")),
        ("country", "not_in", json!(["US"])),
        ("tag", "has_none", json!(["vip"])),
        ("project_status", "not_in", json!(["won"])),
        ("revenue", "neq", json!(5)),
        ("custom.plan", "neq", json!("pro")),
        ("custom.seats", "neq", json!(3)),
    ] {
        assert!(
            matches(&rule(field, op, Some(value.clone())), &c),
            "{field} {op} {value}"
        );
    }
    for (field, op, value) in [
        ("company", "eq", json!("Acme")),
        ("company", "contains", json!("a")),
        ("company", "starts_with", json!("a")),
        ("company", "in", json!(["Acme"])),
        ("country", "eq", json!("US")),
        ("country", "in", json!(["US"])),
        ("tag", "has_any", json!(["vip"])),
        ("tag", "has_all", json!(["vip"])),
        ("project_status", "in", json!(["won"])),
        ("custom.plan", "eq", json!("pro")),
        ("custom.seats", "gt", json!(0)),
        (
            "last_interaction",
            "within_last",
            json!({"amount": 100, "unit": "years"}),
        ),
        (
            "last_interaction",
            "more_than_ago",
            json!({"amount": 1, "unit": "days"}),
        ),
        ("last_interaction", "before", json!("2100-01-01")),
        ("custom.since", "after", json!("1900-01-01")),
    ] {
        assert!(
            !matches(&rule(field, op, Some(value.clone())), &c),
            "{field} {op} {value}"
        );
    }
}

#[test]
fn is_empty_matches_missing_and_blank_text() {
    let blank = ContactFacts {
        company: Some("   ".into()),
        custom: json!({"note": " ", "zero": 0, "off": false, "nothing": null})
            .as_object()
            .unwrap()
            .clone(),
        ..bare()
    };
    assert!(matches(&rule("company", "is_empty", None), &blank));
    assert!(matches(&rule("city", "is_empty", None), &blank));
    assert!(!matches(&rule("company", "is_not_empty", None), &blank));
    assert!(matches(&rule("custom.note", "is_empty", None), &blank));
    assert!(matches(&rule("custom.nothing", "is_empty", None), &blank));
    assert!(matches(&rule("custom.absent", "is_empty", None), &blank));
    assert!(matches(&rule("custom.zero", "is_not_empty", None), &blank));
    assert!(matches(&rule("custom.off", "is_not_empty", None), &blank));
    assert!(matches(&rule("country", "is_empty", None), &blank));
    assert!(matches(&rule("last_interaction", "is_empty", None), &blank));
    assert!(!matches(&rule("created_at", "is_empty", None), &blank));
    assert!(matches(&rule("project_status", "is_empty", None), &blank));
}

#[test]
fn relative_dates_are_windows_ending_now_and_absolute_ones_are_whole_days() {
    let recent = ContactFacts {
        last_interaction_at: Some(ms("2026-06-01T00:00:00Z")),
        ..bare()
    };
    let days = |n: u32| json!({"amount": n, "unit": "days"});
    assert!(matches(
        &rule("last_interaction", "within_last", Some(days(30))),
        &recent
    ));
    assert!(!matches(
        &rule("last_interaction", "within_last", Some(days(7))),
        &recent
    ));
    assert!(matches(
        &rule("last_interaction", "more_than_ago", Some(days(7))),
        &recent
    ));
    assert!(!matches(
        &rule("last_interaction", "more_than_ago", Some(days(30))),
        &recent
    ));
    assert!(matches(
        &rule(
            "last_interaction",
            "within_last",
            Some(json!({"amount": 1, "unit": "months"}))
        ),
        &recent
    ));
    // created 2026-01-10 09:00 UTC: "between" includes both days.
    let c = bare();
    assert!(matches(
        &rule(
            "created_at",
            "between",
            Some(json!(["2026-01-10", "2026-01-10"]))
        ),
        &c
    ));
    assert!(matches(
        &rule("created_at", "before", Some(json!("2026-01-11"))),
        &c
    ));
    assert!(!matches(
        &rule("created_at", "before", Some(json!("2026-01-10"))),
        &c
    ));
    assert!(matches(
        &rule("created_at", "after", Some(json!("2026-01-09"))),
        &c
    ));
    assert!(!matches(
        &rule("created_at", "after", Some(json!("2026-01-10"))),
        &c
    ));
}

#[test]
fn revenue_is_compared_in_major_units_of_the_contacts_own_currency() {
    let usd = ContactFacts {
        revenue_minor: 1_000_050,
        ..bare()
    };
    let yen = ContactFacts {
        revenue_minor: 10_000,
        revenue_currency: "JPY".into(),
        ..bare()
    };
    assert!(matches(&rule("revenue", "eq", Some(json!(10000.50))), &usd));
    assert!(matches(&rule("revenue", "gte", Some(json!(10000))), &usd));
    assert!(matches(&rule("revenue", "gte", Some(json!(10000))), &yen));
    assert!(!matches(&rule("revenue", "gt", Some(json!(10000))), &yen));
    assert!(matches(
        &rule("revenue", "between", Some(json!([9999, 10000.5]))),
        &usd
    ));
    assert!(matches(&rule("revenue", "lt", Some(json!(1))), &bare()));
}

#[test]
fn custom_fields_compare_by_the_type_the_rule_gives_them() {
    let c = ContactFacts {
        custom: json!({"plan": "Pro", "seats": 12, "trial_ends": "2026-06-20", "beta": true})
            .as_object()
            .unwrap()
            .clone(),
        ..bare()
    };
    assert!(matches(&rule("custom.plan", "eq", Some(json!("pro"))), &c));
    assert!(matches(
        &rule("custom.seats", "between", Some(json!([10, 12]))),
        &c
    ));
    assert!(!matches(&rule("custom.seats", "lt", Some(json!(12))), &c));
    assert!(matches(
        &rule("custom.trial_ends", "after", Some(json!("2026-06-19"))),
        &c
    ));
    assert!(matches(
        &rule(
            "custom.trial_ends",
            "between",
            Some(json!(["2026-06-01", "2026-06-30"]))
        ),
        &c
    ));
    assert!(matches(&rule("custom.beta", "is_true", None), &c));
    assert!(!matches(&rule("custom.beta", "is_false", None), &c));
    // A value of another type is missing for the rule.
    assert!(!matches(&rule("custom.plan", "gt", Some(json!(1))), &c));
    assert!(matches(&rule("custom.seats", "neq", Some(json!("12"))), &c));
    assert!(!matches(&rule("custom.seats", "eq", Some(json!("12"))), &c));
}

#[test]
fn groups_combine_and_an_empty_group_is_no_condition() {
    let c = ContactFacts {
        country: Some(CountryCode::parse("DE").unwrap()),
        tags: vec!["VIP".into()],
        ..bare()
    };
    let us = json!({"field": "country", "op": "eq", "value": "US"});
    let vip = json!({"field": "tag", "op": "has_any", "value": ["vip"]});
    assert!(matches(&json!({"any": [us, vip]}), &c));
    assert!(!matches(&json!({"all": [us, vip]}), &c));
    assert!(matches(&json!({"none": [us]}), &c));
    assert!(!matches(&json!({"none": [us, vip]}), &c));
    assert!(matches(&json!({"all": []}), &c));
    assert!(matches(&json!({"any": []}), &c));
    assert!(matches(&json!({"all": [{"none": []}, vip]}), &c));
}

#[test]
fn segment_rules_follow_the_other_segment_and_cycles_are_reported() {
    let vip_id = SegmentId::new();
    let loop_id = SegmentId::new();
    let mut lookup = HashMap::new();
    lookup.insert(
        vip_id,
        Filter::parse(&json!({"all": [{"field": "tag", "op": "has_any", "value": ["vip"]}]}))
            .unwrap(),
    );
    lookup.insert(
        loop_id,
        Filter::parse(
            &json!({"all": [{"field": "segment", "op": "in", "value": loop_id.to_string()}]}),
        )
        .unwrap(),
    );
    let vip = ContactFacts {
        tags: vec!["VIP".into()],
        ..bare()
    };
    let in_vip = Filter::parse(&rule("segment", "in", Some(json!(vip_id.to_string())))).unwrap();
    let not_vip =
        Filter::parse(&rule("segment", "not_in", Some(json!(vip_id.to_string())))).unwrap();
    assert!(in_vip.matches(&vip, &clock(), &lookup).unwrap());
    assert!(!not_vip.matches(&vip, &clock(), &lookup).unwrap());
    assert!(not_vip.matches(&bare(), &clock(), &lookup).unwrap());
    assert_eq!(in_vip.referenced_segments(), vec![vip_id]);
    let looping = Filter::parse(&rule("segment", "in", Some(json!(loop_id.to_string())))).unwrap();
    assert!(looping.matches(&bare(), &clock(), &lookup).is_err());
}

#[test]
fn invalid_filters_are_refused_at_the_path_of_the_rule() {
    let found = issues(&json!({"all": [
        {"field": "tag", "op": "has_any", "value": ["vip"]},
        {"any": [
            {"field": "favourite_colour", "op": "eq", "value": "red"},
            {"field": "country", "op": "gt", "value": "US"}
        ]},
        {"field": "revenue", "op": "gte", "value": "lots"},
        {"field": "tag", "op": "has_any", "value": []},
        {"field": "revenue", "op": "between", "value": [10, 1]},
        {"field": "custom.Plan-Name", "op": "eq", "value": "x"},
        {"field": "created_at", "op": "before", "value": "15/06/2026"}
    ]}));
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "all[1].any[0]",
            "all[1].any[1]",
            "all[2]",
            "all[3]",
            "all[4]",
            "all[5]",
            "all[6]"
        ]
    );
    assert!(
        found[0].1.contains("unknown field \"favourite_colour\""),
        "{}",
        found[0].1
    );
    assert!(
        found[1].1.contains("\"gt\" does not apply to country"),
        "{}",
        found[1].1
    );
    assert!(found[2].1.contains("needs a number"), "{}", found[2].1);
    assert!(found[3].1.contains("list is empty"), "{}", found[3].1);
    assert!(found[4].1.contains("lo <= hi"), "{}", found[4].1);
    assert!(found[5].1.contains("not a custom field"), "{}", found[5].1);
    assert!(found[6].1.contains("YYYY-MM-DD"), "{}", found[6].1);

    assert_eq!(issues(&json!([]))[0].0, "");
    assert!(issues(&rule("company", "eq", Some(json!("  "))))[0]
        .1
        .contains("is_empty"));
    assert!(issues(&rule("company", "is_empty", Some(json!("x"))))[0]
        .1
        .contains("takes no value"));
}

#[test]
fn groups_nest_at_most_eight_deep() {
    let mut deep = json!({"field": "country", "op": "eq", "value": "US"});
    for _ in 0..MAX_DEPTH {
        deep = json!({ "all": [deep] });
    }
    assert!(Filter::parse(&deep).is_ok());
    let too_deep = json!({ "any": [deep] });
    let found = issues(&too_deep);
    assert_eq!(found.len(), 1);
    assert!(found[0].1.contains("at most 8 deep"), "{}", found[0].1);
    assert_eq!(
        found[0].0,
        "any[0].all[0].all[0].all[0].all[0].all[0].all[0].all[0]"
    );
}

#[test]
fn engagement_rules_are_read_but_cannot_run_yet() {
    let f = Filter::parse(&rule(
        "engagement",
        "opened",
        Some(json!({"campaign": "any", "within_last": {"amount": 30, "unit": "days"}})),
    ))
    .unwrap();
    assert!(f.depends_on_now());
    let err = f.matches(&bare(), &clock(), &HashMap::new()).unwrap_err();
    assert!(err.contains("campaigns"), "{err}");
    assert!(issues(&rule(
        "engagement",
        "opened",
        Some(json!({"campaign": "nope"}))
    ))[0]
        .1
        .contains("not a campaign id"));
}
