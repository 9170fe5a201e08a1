use chrono::{TimeZone, Timelike};
use chrono_tz::{America, Asia, Europe, Pacific, UTC};

use super::*;

fn hours(from: &str, until: &str) -> SendingHours {
    SendingHours::parse(from, until).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).unwrap()
}

#[test]
fn parse_reads_24_hour_times() {
    let h = hours("08:00", " 21:30 ");
    assert_eq!(
        (h.from.hour(), h.until.hour(), h.until.minute()),
        (8, 21, 30)
    );
    assert_eq!(hours("8:00", "9:15").from.hour(), 8);
}

#[test]
fn parse_errors_name_the_field_and_the_problem() {
    let err = SendingHours::parse("8am", "21:00").unwrap_err();
    assert_eq!(
        err,
        SendingHoursError::NotATime {
            field: "from",
            value: "8am".into()
        }
    );
    assert!(
        err.to_string()
            .starts_with("from: \"8am\" is not a time of day"),
        "{err}"
    );
    let err = SendingHours::parse("08:00", "25:00").unwrap_err();
    assert!(err.to_string().starts_with("until:"), "{err}");
    assert!(matches!(
        err,
        SendingHoursError::NotATime { field: "until", .. }
    ));
}

#[test]
fn a_window_must_open_before_it_closes() {
    for (from, until) in [("21:00", "08:00"), ("09:00", "09:00")] {
        let err = SendingHours::parse(from, until).unwrap_err();
        assert!(
            matches!(err, SendingHoursError::Empty { .. }),
            "{from}-{until}"
        );
        assert!(err.to_string().contains("until"), "{err}");
    }
}

#[test]
fn hours_serialise_as_from_and_until_strings() {
    let json = serde_json::to_value(hours("08:00", "21:00")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "from": "08:00", "until": "21:00" })
    );
    let back: SendingHours = serde_json::from_value(json).unwrap();
    assert_eq!(back, hours("08:00", "21:00"));
}

#[test]
fn deserialising_refuses_an_invalid_window() {
    let err = serde_json::from_str::<SendingHours>(r#"{"from":"21:00","until":"08:00"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be later than from"), "{err}");
    assert!(serde_json::from_str::<SendingHours>(r#"{"from":"x","until":"08:00"}"#).is_err());
}

#[test]
fn inside_the_window_there_is_nothing_to_wait_for() {
    let h = hours("08:00", "21:00");
    // Berlin is UTC+1 in January: 07:00 UTC is 08:00 local (the first open minute).
    assert_eq!(h.next_open(utc(2026, 1, 15, 7, 0), Europe::Berlin), None);
    assert_eq!(h.next_open(utc(2026, 1, 15, 12, 0), Europe::Berlin), None);
    assert_eq!(h.next_open(utc(2026, 1, 15, 19, 59), Europe::Berlin), None);
}

#[test]
fn before_the_window_the_send_waits_for_this_mornings_opening() {
    let h = hours("08:00", "21:00");
    // 06:30 UTC is 07:30 in Berlin.
    assert_eq!(
        h.next_open(utc(2026, 1, 15, 6, 30), Europe::Berlin),
        Some(utc(2026, 1, 15, 7, 0))
    );
}

#[test]
fn at_or_after_closing_the_send_waits_for_tomorrow_morning() {
    let h = hours("08:00", "21:00");
    // 20:00 UTC is 21:00 in Berlin: `until` is exclusive.
    for now in [utc(2026, 1, 15, 20, 0), utc(2026, 1, 15, 22, 59)] {
        assert_eq!(
            h.next_open(now, Europe::Berlin),
            Some(utc(2026, 1, 16, 7, 0)),
            "{now}"
        );
    }
}

#[test]
fn the_window_follows_the_recipients_day_not_the_utc_day() {
    let h = hours("08:00", "21:00");
    // 23:30 UTC on the 15th is already 08:30 on the 16th in Tokyo: open.
    assert_eq!(h.next_open(utc(2026, 1, 15, 23, 30), Asia::Tokyo), None);
    // 03:00 UTC on the 16th is 22:00 on the 15th in New York (UTC-5):
    // it opens at 08:00 on the 16th there, 13:00 UTC.
    assert_eq!(
        h.next_open(utc(2026, 1, 16, 3, 0), America::New_York),
        Some(utc(2026, 1, 16, 13, 0))
    );
    // Just after local midnight in Auckland (UTC+13 in summer): this morning.
    assert_eq!(
        h.next_open(utc(2026, 1, 15, 11, 5), Pacific::Auckland),
        Some(utc(2026, 1, 15, 19, 0))
    );
}

#[test]
fn the_window_keeps_wall_clock_time_across_the_spring_change() {
    let h = hours("08:00", "21:00");
    // Berlin moves to CEST (UTC+2) on Sunday 29 March 2026 at 02:00.
    // Saturday 22:00 CET = 21:00 UTC: next opening is Sunday 08:00 CEST = 06:00 UTC.
    assert_eq!(
        h.next_open(utc(2026, 3, 28, 21, 0), Europe::Berlin),
        Some(utc(2026, 3, 29, 6, 0))
    );
}

#[test]
fn the_window_keeps_wall_clock_time_across_the_autumn_change() {
    let h = hours("08:00", "21:00");
    // Berlin returns to CET (UTC+1) on Sunday 25 October 2026 at 03:00.
    assert_eq!(
        h.next_open(utc(2026, 10, 24, 20, 0), Europe::Berlin),
        Some(utc(2026, 10, 25, 7, 0))
    );
}

#[test]
fn a_window_opening_in_the_skipped_hour_opens_when_the_clock_jumps() {
    let h = hours("02:30", "21:00");
    // 02:30 does not exist in Berlin on 29 March 2026: at 01:00 UTC the
    // clock goes from 02:00 CET to 03:00 CEST, past 02:30.
    let saturday_night = utc(2026, 3, 28, 23, 0); // 00:00 CET on Sunday
    assert_eq!(
        h.next_open(saturday_night, Europe::Berlin),
        Some(utc(2026, 3, 29, 1, 0))
    );
    // The first CEST minute is inside the window.
    assert_eq!(h.next_open(utc(2026, 3, 29, 1, 0), Europe::Berlin), None);
}

#[test]
fn a_window_opening_in_the_repeated_hour_opens_on_its_first_pass() {
    let h = hours("02:30", "21:00");
    // 25 October 2026: 02:30 CEST is 00:30 UTC, 02:30 CET is 01:30 UTC.
    let before = utc(2026, 10, 24, 23, 0); // 01:00 CEST
    assert_eq!(
        h.next_open(before, Europe::Berlin),
        Some(utc(2026, 10, 25, 0, 30))
    );
}

#[test]
fn during_the_second_pass_of_a_repeated_hour_it_opens_on_that_pass() {
    let h = hours("02:30", "21:00");
    // 01:10 UTC is 02:10 CET, the second 02:10: the window opens at the
    // second 02:30, 01:30 UTC, not tomorrow.
    assert_eq!(
        h.next_open(utc(2026, 10, 25, 1, 10), Europe::Berlin),
        Some(utc(2026, 10, 25, 1, 30))
    );
}

#[test]
fn an_explicit_zone_wins_over_the_country() {
    let us = country("US");
    let de = country("DE");
    assert_eq!(
        recipient_zone(Some("America/Chicago"), Some(&us), UTC),
        America::Chicago
    );
    assert_eq!(
        recipient_zone(Some(" Asia/Tokyo "), Some(&de), UTC),
        Asia::Tokyo
    );
}

#[test]
fn an_invalid_explicit_zone_falls_back_to_the_country_then_the_workspace() {
    let de = country("DE");
    let us = country("US");
    assert_eq!(
        recipient_zone(Some("Mars/Olympus"), Some(&de), UTC),
        Europe::Berlin
    );
    assert_eq!(recipient_zone(Some(""), Some(&de), UTC), Europe::Berlin);
    assert_eq!(
        recipient_zone(None, Some(&us), America::Denver),
        America::Denver
    );
    assert_eq!(recipient_zone(None, None, Europe::Paris), Europe::Paris);
}

#[test]
fn every_eu_country_has_one_zone() {
    let eu = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
        "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];
    for code in eu {
        assert!(zone_of_country(&country(code)).is_some(), "{code}");
    }
}

#[test]
fn common_countries_map_to_their_zone() {
    for (code, zone) in [
        ("DE", Europe::Berlin),
        ("GB", Europe::London),
        ("FR", Europe::Paris),
        ("NL", Europe::Amsterdam),
        ("IT", Europe::Rome),
        ("ES", Europe::Madrid),
        ("PT", Europe::Lisbon),
        ("CH", Europe::Zurich),
        ("NO", Europe::Oslo),
        ("IE", Europe::Dublin),
        ("UA", Europe::Kyiv),
        ("TR", Europe::Istanbul),
        ("JP", Asia::Tokyo),
        ("KR", Asia::Seoul),
        ("IN", Asia::Kolkata),
        ("CN", Asia::Shanghai),
        ("SG", Asia::Singapore),
        ("AE", Asia::Dubai),
        ("IL", Asia::Jerusalem),
        ("PH", Asia::Manila),
        ("ZA", chrono_tz::Africa::Johannesburg),
        ("NG", chrono_tz::Africa::Lagos),
        ("KE", chrono_tz::Africa::Nairobi),
        ("EG", chrono_tz::Africa::Cairo),
        ("AR", America::Argentina::Buenos_Aires),
        ("CO", America::Bogota),
        ("PE", America::Lima),
        ("NZ", Pacific::Auckland),
    ] {
        assert_eq!(zone_of_country(&country(code)), Some(zone), "{code}");
    }
}

#[test]
fn countries_with_several_zones_have_none() {
    for code in [
        "US", "CA", "AU", "BR", "RU", "MX", "ID", "KZ", "CL", "CD", "MN", "GL",
    ] {
        assert_eq!(zone_of_country(&country(code)), None, "{code}");
    }
}
