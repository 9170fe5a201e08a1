use proptest::prelude::*;

use super::*;

fn parts(text: &str) -> (SmsEncoding, usize, usize, usize) {
    let c = count(text);
    (c.encoding, c.units, c.parts, c.left_in_part)
}

#[test]
fn letters_of_the_gsm_table_are_gsm_and_their_neighbours_are_not() {
    for c in "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r !\"#%&'()*+,-./:;<=>?".chars()
    {
        assert!(is_gsm7(c), "{c:?} is in the GSM 03.38 default alphabet");
    }
    // Lower-case ç, á, í, ó, ú, capital È, Ì, Ò, Ù, À are not in the table
    // (only é, è, ù, ì, ò, à lower-case and É, Ç upper-case are).
    for c in "çáíóúâêîôûëïÿÈÌÒÙÀÁÍÓÚÂÊãõœ`’“\u{1B}\t\u{2126}".chars()
    {
        assert!(!is_gsm7(c), "{c:?} is not in GSM 03.38");
    }
}

#[test]
fn extension_characters_are_gsm_and_cost_two_septets() {
    for c in ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\u{0C}'] {
        assert!(is_gsm7(c), "{c:?}");
        let counted = count(&c.to_string());
        assert_eq!(counted.encoding, SmsEncoding::Gsm7);
        assert_eq!((counted.characters, counted.units), (1, 2), "{c:?}");
    }
}

#[test]
fn an_empty_text_is_no_part_with_a_whole_message_free() {
    let c = count("");
    assert_eq!(c.encoding, SmsEncoding::Gsm7);
    assert_eq!((c.characters, c.units, c.parts), (0, 0, 0));
    assert_eq!((c.per_part, c.left_in_part), (160, 160));
}

#[test]
fn gsm_text_fits_160_septets_in_one_message_and_161_takes_two_parts() {
    assert_eq!(parts(&"a".repeat(160)), (SmsEncoding::Gsm7, 160, 1, 0));
    let c = count(&"a".repeat(161));
    assert_eq!((c.units, c.parts, c.per_part), (161, 2, 153));
    assert_eq!(c.left_in_part, 153 - 8);
}

#[test]
fn gsm_text_of_306_septets_is_two_full_parts_and_307_is_three() {
    assert_eq!(parts(&"a".repeat(306)), (SmsEncoding::Gsm7, 306, 2, 0));
    assert_eq!(parts(&"a".repeat(307)), (SmsEncoding::Gsm7, 307, 3, 152));
    assert_eq!(parts(&"a".repeat(459)), (SmsEncoding::Gsm7, 459, 3, 0));
}

#[test]
fn extension_characters_fill_a_single_message_exactly() {
    // 158 + 2 = 160 septets: still one message.
    assert_eq!(
        parts(&format!("{}€", "a".repeat(158))),
        (SmsEncoding::Gsm7, 160, 1, 0)
    );
    // 159 + 2 = 161 septets: two parts.
    assert_eq!(count(&format!("{}€", "a".repeat(159))).parts, 2);
}

#[test]
fn an_extension_character_is_never_split_across_parts() {
    // 152 septets, then € (2) would straddle the 153 boundary: it moves to
    // part two, leaving one septet of part one unused.
    let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
    let c = count(&text);
    assert_eq!(c.units, 306, "by division this would fit two parts");
    assert_eq!(c.parts, 3);
    assert_eq!(c.left_in_part, 152, "part three holds the last septet");
}

#[test]
fn an_extension_character_that_ends_a_part_exactly_stays_in_it() {
    let text = format!("{}€{}", "a".repeat(151), "a".repeat(153));
    let c = count(&text);
    assert_eq!((c.units, c.parts, c.left_in_part), (306, 2, 0));
}

#[test]
fn one_character_outside_gsm_switches_the_whole_text_to_ucs2() {
    let c = count("Merci, François");
    assert_eq!(c.encoding, SmsEncoding::Ucs2);
    assert_eq!((c.characters, c.units, c.per_part), (15, 15, 70));
    assert_eq!(
        c.forced_ucs2,
        vec![ForcedUcs2 {
            ch: 'ç',
            index: 11,
            replacement: None
        }]
    );
}

#[test]
fn ucs2_text_fits_70_units_in_one_message_and_71_takes_two_parts() {
    let base = "ç".repeat(69);
    assert_eq!(parts(&format!("{base}a")), (SmsEncoding::Ucs2, 70, 1, 0));
    let c = count(&format!("{base}ab"));
    assert_eq!(
        (c.units, c.parts, c.per_part, c.left_in_part),
        (71, 2, 67, 63)
    );
}

#[test]
fn ucs2_text_of_134_units_is_two_full_parts_and_135_is_three() {
    assert_eq!(parts(&"ç".repeat(134)), (SmsEncoding::Ucs2, 134, 2, 0));
    assert_eq!(parts(&"ç".repeat(135)), (SmsEncoding::Ucs2, 135, 3, 66));
}

#[test]
fn an_emoji_counts_two_units_and_is_never_split_across_parts() {
    // 66 units, then 🎉 (a surrogate pair) would straddle the 67 boundary.
    let text = format!("{}🎉{}", "a".repeat(66), "a".repeat(66));
    let c = count(&text);
    assert_eq!(c.encoding, SmsEncoding::Ucs2);
    assert_eq!((c.characters, c.units), (133, 134));
    assert_eq!(c.parts, 3, "by division 134 units would fit two parts");
    assert_eq!(c.left_in_part, 67 - 1);
    assert_eq!(c.forced_ucs2.len(), 1);
    assert_eq!(c.forced_ucs2[0].index, 66);
}

#[test]
fn emoji_fill_a_single_ucs2_message_by_code_units() {
    assert_eq!(parts(&"😀".repeat(35)), (SmsEncoding::Ucs2, 70, 1, 0));
    let c = count(&"😀".repeat(36));
    assert_eq!((c.characters, c.units, c.parts), (36, 72, 2));
}

#[test]
fn forced_characters_are_listed_in_order_with_their_gsm_equivalents() {
    let c = count("“Hi” — ça va?");
    let found: Vec<(char, usize, Option<&str>)> = c
        .forced_ucs2
        .iter()
        .map(|f| (f.ch, f.index, f.replacement.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ('“', 0, Some("\"")),
            ('”', 3, Some("\"")),
            ('—', 5, Some("-")),
            ('ç', 7, None),
        ]
    );
}

#[test]
fn gsm_equivalents_turn_pasted_typography_into_gsm() {
    let pasted = "‘Sale’ „now“ – 50%… •\u{a0}ends\u{2009}9pm\u{200b} −5 «ok»";
    let plain = gsm_equivalents(pasted);
    assert_eq!(plain, "'Sale' \"now\" - 50%... - ends 9pm -5 \"ok\"");
    assert_eq!(count(&plain).encoding, SmsEncoding::Gsm7);
}

#[test]
fn gsm_equivalents_leave_letters_and_emoji_alone() {
    assert_eq!(gsm_equivalents("ça 🎉 Ω ñ"), "ça 🎉 Ω ñ");
}

#[test]
fn the_count_serialises_in_camel_case_with_the_character_as_a_string() {
    let json = serde_json::to_value(count("a’")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "encoding": "ucs2",
            "characters": 2,
            "units": 2,
            "parts": 1,
            "perPart": 70,
            "leftInPart": 68,
            "forcedUcs2": [{ "ch": "’", "index": 1, "replacement": "'" }],
        })
    );
    assert_eq!(serde_json::to_value(SmsEncoding::Gsm7).unwrap(), "gsm7");
}

/// Text drawn from GSM characters (some costing two), Latin letters outside
/// GSM, and emoji, so every rule is exercised.
fn sms_text() -> impl Strategy<Value = String> {
    let gsm = prop::sample::select(vec!['a', 'Z', ' ', '€', '[', '^', 'é', 'Ç', '\n']);
    let other = prop::sample::select(vec!['ç', '’', '😀', '中', '🎉']);
    prop_oneof![
        prop::collection::vec(gsm.clone(), 0..500),
        prop::collection::vec(prop_oneof![9 => gsm, 1 => other], 0..300),
    ]
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn parts_always_hold_every_unit(text in sms_text()) {
        let c = count(&text);
        prop_assert!(c.parts * c.per_part >= c.units);
        prop_assert_eq!(c.parts == 0, text.is_empty());
        prop_assert_eq!(c.characters, text.chars().count());
        prop_assert!(c.units >= c.characters);
        if !text.is_empty() {
            prop_assert!(c.left_in_part < c.per_part);
            // Filling wastes at most one unit per full part.
            prop_assert!(c.parts <= c.units.div_ceil(c.per_part - 1).max(1));
            prop_assert!(c.parts >= c.units.div_ceil(c.per_part));
        }
    }

    #[test]
    fn the_encoding_is_ucs2_exactly_when_some_character_forced_it(text in sms_text()) {
        let c = count(&text);
        prop_assert_eq!(c.encoding == SmsEncoding::Ucs2, !c.forced_ucs2.is_empty());
        prop_assert_eq!(c.encoding == SmsEncoding::Gsm7, text.chars().all(is_gsm7));
        if c.encoding == SmsEncoding::Ucs2 {
            prop_assert_eq!(c.units, text.encode_utf16().count());
        }
    }

    #[test]
    fn a_single_message_is_used_exactly_when_the_units_fit(text in sms_text()) {
        let c = count(&text);
        let single = c.encoding.single_capacity();
        prop_assert_eq!(c.parts <= 1, c.units <= single);
        prop_assert_eq!(c.per_part == single, c.units <= single);
    }

    #[test]
    fn gsm_equivalents_never_add_a_forcing_character(text in sms_text()) {
        let before = count(&text).forced_ucs2.iter().filter(|f| f.replacement.is_none()).count();
        let after = count(&gsm_equivalents(&text)).forced_ucs2.len();
        prop_assert_eq!(before, after);
    }
}
