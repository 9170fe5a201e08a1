//! What an SMS reply asks for: to opt out (STOP), to opt back in (START),
//! or for help (HELP).
//!
//! Carriers and the CTIA guidelines expect every sender to honour these
//! words. The relay hands inbound messages to the desktop untouched and the
//! desktop decides here whether one changes a contact's SMS status.
//!
//! Two kinds of message count, and nothing else:
//!
//! 1. **A keyword as the whole message**: STOP, STOPALL, UNSUBSCRIBE,
//!    CANCEL, END, QUIT, REVOKE, OPT OUT (also OPTOUT, OPT-OUT) opt out;
//!    START, YES, UNSTOP opt in; HELP, INFO ask for help. Case does not
//!    matter and whitespace and punctuation around the word are ignored
//!    ("Stop.", " STOP!!", "*stop*"). The same opt-out keyword repeated
//!    ("STOP STOP") still opts out.
//! 2. **A short message that plainly asks to stop** ("please stop texting
//!    me", "unsubscribe me", "remove me from your list", "no more texts
//!    please", "don't text me again"). Such messages are opt-outs only:
//!    opting someone *in* or answering HELP on free text would act on
//!    a sentence that merely contains the word.
//!
//! The second kind is deliberately narrow, because a wrong opt-out loses a
//! contact who wanted the messages. A message of at most ten words is split
//! into lower-case words (apostrophes dropped, so "don't" is `dont`), polite
//! padding is peeled off both ends ("please", "can you", "I want to" …
//! "thanks", "again", "anymore"), and what is left must be *exactly* one
//! phrase of a small grammar (see `phrases`): a stop verb with what to stop
//! ("stop texting me", "cancel my subscription"), a removal from a list
//! ("take me off this list"), or a refusal ("don't text me", "I don't want
//! these messages"). Anything more or different is not a match, so negations
//! ("don't stop"), other uses of the verbs ("I can't stop laughing", "stop by
//! the store at 5", "when does the sale end?") and replies that start with a
//! keyword ("yes I'd love to come") are `None` and kept for a person to read.
//!
//! ```
//! use herald_core::sms_keywords::{classify, SmsKeyword};
//!
//! assert_eq!(classify("  Stop! "), Some(SmsKeyword::OptOut));
//! assert_eq!(classify("Opt-Out"), Some(SmsKeyword::OptOut));
//! assert_eq!(classify("Please stop texting me."), Some(SmsKeyword::OptOut));
//! assert_eq!(classify("unstop"), Some(SmsKeyword::OptIn));
//! assert_eq!(classify("help?"), Some(SmsKeyword::Help));
//! assert_eq!(classify("don't stop"), None);
//! assert_eq!(classify("yes I'd love to come"), None);
//! ```

mod phrases;

/// What a keyword reply asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsKeyword {
    /// STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT, or a
    /// short message that plainly asks to stop.
    OptOut,
    /// START, UNSTOP, YES.
    OptIn,
    /// HELP, INFO.
    Help,
}

impl SmsKeyword {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsKeyword::OptOut => "opt_out",
            SmsKeyword::OptIn => "opt_in",
            SmsKeyword::Help => "help",
        }
    }
}

/// Keywords as they are after [`words`] (OPT OUT and OPT-OUT become `optout`).
const OPT_OUT: &[&str] = &[
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
];
const OPT_IN: &[&str] = &["start", "unstop", "yes"];
const HELP: &[&str] = &["help", "info"];

/// Longer messages are never a keyword or a plain request to stop.
const MAX_WORDS: usize = 10;
/// Ten long words and generous punctuation fit; the cap keeps a pasted
/// essay from being split into words at all.
const MAX_CHARS: usize = 200;

/// What `body` asks for: a keyword as the whole message, or (opt-out only)
/// a short message that plainly asks to stop; `None` for anything else.
/// See the [module documentation](self) for the exact rule.
pub fn classify(body: &str) -> Option<SmsKeyword> {
    if body.chars().count() > MAX_CHARS {
        return None;
    }
    let words = words(body);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] => None,
        [word] => keyword(word),
        _ if words.len() > MAX_WORDS => None,
        _ if words.iter().all(|w| OPT_OUT.contains(w)) => Some(SmsKeyword::OptOut),
        _ if phrases::asks_to_stop(&words) => Some(SmsKeyword::OptOut),
        _ => None,
    }
}

fn keyword(word: &str) -> Option<SmsKeyword> {
    if OPT_OUT.contains(&word) {
        Some(SmsKeyword::OptOut)
    } else if OPT_IN.contains(&word) {
        Some(SmsKeyword::OptIn)
    } else if HELP.contains(&word) {
        Some(SmsKeyword::Help)
    } else {
        None
    }
}

/// The message as lower-case words: letters and digits, split at anything
/// else, apostrophes dropped ("don't" → `dont`). "opt out" becomes
/// `optout` and "do not" becomes `dont`, so each has one spelling.
fn words(body: &str) -> Vec<String> {
    let is_apostrophe = |c: char| matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}');
    let mut words: Vec<String> = Vec::new();
    for raw in body.split(|c: char| !c.is_alphanumeric() && !is_apostrophe(c)) {
        let word: String = raw
            .chars()
            .filter(|c| !is_apostrophe(*c))
            .flat_map(char::to_lowercase)
            .collect();
        if word.is_empty() {
            continue;
        }
        let joined = match (words.last().map(String::as_str), word.as_str()) {
            (Some("opt"), "out") => Some("optout"),
            (Some("do"), "not") => Some("dont"),
            _ => None,
        };
        match joined {
            Some(joined) => *words.last_mut().expect("matched a last word") = joined.to_owned(),
            None => words.push(word),
        }
    }
    words
}

#[cfg(test)]
mod tests;
