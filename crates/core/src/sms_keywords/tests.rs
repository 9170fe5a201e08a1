use super::*;

fn assert_all(bodies: &[&str], expected: Option<SmsKeyword>) {
    for body in bodies {
        assert_eq!(classify(body), expected, "{body:?}");
    }
}

#[test]
fn every_keyword_is_recognised_in_any_case() {
    for (list, expected) in [
        (OPT_OUT, SmsKeyword::OptOut),
        (OPT_IN, SmsKeyword::OptIn),
        (HELP, SmsKeyword::Help),
    ] {
        for word in list {
            assert_eq!(classify(word), Some(expected), "{word}");
            assert_eq!(classify(&word.to_uppercase()), Some(expected), "{word}");
            let mixed: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(classify(&mixed), Some(expected), "{mixed}");
        }
    }
}

#[test]
fn opt_out_is_recognised_written_as_one_word_two_words_or_hyphenated() {
    assert_all(
        &[
            "OPT OUT",
            "opt out",
            "Opt-Out",
            "OPTOUT",
            "opt  out!",
            "opt_out",
        ],
        Some(SmsKeyword::OptOut),
    );
}

#[test]
fn surrounding_whitespace_and_punctuation_are_ignored() {
    assert_all(
        &[
            "Stop.",
            "  STOP!!\n",
            "\tstop ",
            "*stop*",
            "\"Stop\"",
            "stop?!",
            "'stop'",
            "STOP 🛑",
        ],
        Some(SmsKeyword::OptOut),
    );
    assert_all(&[" Start! ", "YES!!", "“unstop”"], Some(SmsKeyword::OptIn));
    assert_all(&["info?", "HELP!"], Some(SmsKeyword::Help));
}

#[test]
fn a_repeated_opt_out_keyword_still_opts_out() {
    assert_all(
        &["STOP STOP", "stop. stop!", "Stop, unsubscribe"],
        Some(SmsKeyword::OptOut),
    );
}

#[test]
fn short_messages_that_plainly_ask_to_stop_opt_out() {
    assert_all(
        &[
            "please stop texting me",
            "Stop texting me!",
            "stop sending me messages",
            "Stop sending me these texts please",
            "stop messaging us",
            "quit spamming me",
            "unsubscribe me",
            "Unsubscribe me please.",
            "please unsubscribe me from this list",
            "remove me from your list",
            "Remove me",
            "remove my number from your list",
            "take me off this list",
            "Take me off your mailing list, thanks",
            "get me off this list",
            "opt me out",
            "opt out of the sms list",
            "no more texts please",
            "No more messages from you",
            "don't text me again",
            "Do not contact me",
            "dont message me anymore",
            "never text me again",
            "don’t send me any more messages",
            "I don't want these texts",
            "we no longer want your messages",
            "please stop",
            "Stop please",
            "stop it",
            "stop now!",
            "Stop all messages",
            "cancel my subscription",
            "end these messages",
            "stop the texts",
            "Can you please stop texting me?",
            "I want to unsubscribe",
            "I would like to be removed from your list",
            "id like to opt out",
            "Hi, please unsubscribe me. Thanks!",
        ],
        Some(SmsKeyword::OptOut),
    );
}

#[test]
fn negated_or_unrelated_sentences_are_not_keywords() {
    assert_all(
        &[
            "don't stop",
            "Please don't stop texting me!",
            "never stop sending me deals",
            "I can't stop laughing",
            "stop by the store at 5",
            "Can you stop by later?",
            "when does the sale end?",
            "yes I'd love to come",
            "yes please",
            "help me",
            "stop texting my brother",
            "why did you stop texting me",
            "did you unsubscribe me?",
            "I will never unsubscribe",
            "please don't unsubscribe me",
            "cancel my order",
            "cancel please",
            "take me out",
            "take me out to dinner",
            "get me out of here",
            "the end",
            "I don't want to stop",
            "no more excuses",
            "stop, who is this?",
            "info about the sale",
            "start time?",
            "I want to stop smoking",
        ],
        None,
    );
}

#[test]
fn nothing_but_whitespace_or_punctuation_is_not_a_keyword() {
    assert_all(&["", "   ", "!!!", "...", "🙂"], None);
}

#[test]
fn misspelt_or_split_keywords_are_not_keywords() {
    assert_all(
        &[
            "st op",
            "s.t.o.p",
            "stopp",
            "unsubscribeeeeeeeeeeeee",
            "yess",
        ],
        None,
    );
}

#[test]
fn a_request_longer_than_ten_words_is_kept_for_a_person() {
    assert_eq!(
        classify("please please please please please please please please stop texting me"),
        None
    );
    assert_eq!(
        classify(&"stop ".repeat(50)),
        None,
        "more than 200 characters"
    );
}

#[test]
fn only_opt_out_is_read_from_free_text() {
    // Opting in or answering HELP needs the keyword alone.
    assert_all(
        &["yes please", "start again", "please start", "help please"],
        None,
    );
}

#[test]
fn no_opt_out_keyword_opts_out_when_negated_or_asked_about() {
    for keyword in OPT_OUT
        .iter()
        .chain(&["opt out", "unsubscribe me", "stop texting me"])
    {
        for body in [
            format!("don't {keyword}"),
            format!("Do not {keyword}!"),
            format!("never {keyword}"),
            format!("I can't {keyword}"),
            format!("did you {keyword}?"),
            format!("why {keyword}?"),
        ] {
            assert_eq!(classify(&body), None, "{body:?}");
        }
    }
}
