//! The small grammar of short messages that plainly ask to stop.
//!
//! A phrase is a sequence of slots; each slot is a set of words separated
//! by `|`, and a leading `?` makes the slot optional. A message matches when
//! its words, once polite padding is peeled off both ends, are exactly one
//! phrase: no extra word before, between or after. That anchoring is what
//! keeps "don't stop", "stop by the store" and "I can't stop laughing" out.

/// Polite or framing words before the request. Never a negation.
const LEADING: &[&[&str]] = &[
    &["please"],
    &["pls"],
    &["plz"],
    &["kindly"],
    &["just"],
    &["hi"],
    &["hello"],
    &["hey"],
    &["ok"],
    &["okay"],
    &["can", "you"],
    &["can", "u"],
    &["could", "you"],
    &["could", "u"],
    &["would", "you"],
    &["will", "you"],
    &["i", "want", "to"],
    &["i", "would", "like", "to"],
    &["id", "like", "to"],
    &["i", "wish", "to"],
    &["i", "need", "to"],
    &["we", "want", "to"],
];

/// Polite or emphatic words after the request.
const TRAILING: &[&[&str]] = &[
    &["please"],
    &["pls"],
    &["plz"],
    &["thanks"],
    &["thank", "you"],
    &["thank", "u"],
    &["thx"],
    &["ty"],
    &["now"],
    &["asap"],
    &["immediately"],
    &["already"],
    &["again"],
    &["ever"],
    &["anymore"],
    &["any", "more"],
    &["forever"],
];

// Slots shared by the phrases below.
const STOP_WORD: &str = "stop|stopall|unsubscribe|optout";
const SEND_VERB: &str =
    "texting|txting|text|messaging|msging|message|sending|contacting|spamming|bothering|smsing|sms";
const ME: &str = "me|us";
const ME_OPT: &str = "?me|us";
const DET: &str = "?the|these|this|those|your|ur|all|any|my|such";
const THING: &str = "texts|text|txts|txt|messages|message|msgs|msg|sms|alerts|notifications|promos|promotions|ads|offers|spam|subscription|marketing";
const THING_OPT: &str = "?texts|text|txts|txt|messages|message|msgs|msg|sms|alerts|notifications|promos|promotions|ads|offers|spam|subscription|marketing";
const FROM_OPT: &str = "?from|off|of";
const LIST_KIND: &str = "?mailing|sms|text|texting|contact|marketing|messaging|distribution|subscriber|promo|promotional";
const LIST: &str = "list|lists|number|database|service|subscription|program|texts|messages|sms|alerts|newsletter|contacts";
const LIST_OPT: &str = "?list|lists|number|database|service|subscription|program|texts|messages|sms|alerts|newsletter|contacts";

/// Every phrase that plainly asks to stop, with an example for each.
const PHRASES: &[&[&str]] = &[
    // "please stop", "stop it", "unsubscribe please", "opt out"
    &[STOP_WORD, "?it|all|everything"],
    // "stop texting me", "stop sending me messages", "quit spamming us"
    &[
        "stop|quit|cease",
        SEND_VERB,
        ME_OPT,
        DET,
        THING_OPT,
        "?to",
        ME_OPT,
    ],
    // "stop the texts", "cancel my subscription", "end these messages"
    &["stop|end|cancel|quit", DET, THING, "?to", ME_OPT],
    // "unsubscribe me", "unsubscribe me from this list", "opt out of the sms list"
    &[
        "unsubscribe|optout|unsub",
        ME_OPT,
        FROM_OPT,
        DET,
        LIST_KIND,
        LIST_OPT,
    ],
    // "opt me out"
    &["opt", ME, "out", FROM_OPT, DET, LIST_KIND, LIST_OPT],
    // "remove me", "remove me from your list", "delete us"
    &["remove|delete", ME, FROM_OPT, DET, LIST_KIND, LIST_OPT],
    // "remove my number from your list"
    &[
        "remove|delete",
        "my|this|our",
        "number|contact|details",
        FROM_OPT,
        DET,
        LIST_KIND,
        LIST_OPT,
    ],
    // "take me off this list", "take me off"
    &["take", ME, "off", "?of|from", DET, LIST_KIND, LIST_OPT],
    // "take me out of your database", "get me off this list"
    &["take|get", ME, "off|out", "?of|from", DET, LIST_KIND, LIST],
    // "no more texts please", "no more messages from you"
    &["no", "more", "?of", DET, THING, "?from", "?you|u|them|this"],
    // "don't text me again", "never contact us", "do not message me"
    &[
        "dont|never",
        "text|txt|message|msg|sms|contact|spam|bother",
        ME,
    ],
    // "don't send me any more messages", "do not send texts"
    &["dont|never", "send", ME_OPT, DET, "?more", THING],
    // "I don't want these texts", "we no longer want your messages"
    &["i|we", "dont|no", "?longer", "want", DET, "?more", THING],
    // (after "I want to") "be removed", "be unsubscribed from this list"
    &[
        "be",
        "removed|unsubscribed|deleted",
        FROM_OPT,
        DET,
        LIST_KIND,
        LIST_OPT,
    ],
];

/// Whether `words` (lower-case, from `super::words`) plainly ask to stop.
pub(super) fn asks_to_stop(words: &[&str]) -> bool {
    let core = peel(words);
    !core.is_empty() && PHRASES.iter().any(|phrase| matches(phrase, core))
}

/// `words` without polite padding at either end.
fn peel<'a, 'w>(mut words: &'a [&'w str]) -> &'a [&'w str] {
    while let Some(rest) = LEADING.iter().find_map(|pad| words.strip_prefix(*pad)) {
        words = rest;
    }
    while let Some(rest) = TRAILING.iter().find_map(|pad| words.strip_suffix(*pad)) {
        words = rest;
    }
    words
}

/// Whether `words` are exactly `phrase`, each optional slot used or skipped.
fn matches(phrase: &[&str], words: &[&str]) -> bool {
    let Some((slot, rest)) = phrase.split_first() else {
        return words.is_empty();
    };
    let (optional, choices) = match slot.strip_prefix('?') {
        Some(choices) => (true, choices),
        None => (false, *slot),
    };
    let takes_first = words.split_first().is_some_and(|(word, after)| {
        choices.split('|').any(|c| c == *word) && matches(rest, after)
    });
    takes_first || (optional && matches(rest, words))
}
