//! The keywords an SMS reply can be: opt out (STOP), opt back in (START),
//! or ask for help (HELP).
//!
//! Carriers and the CTIA guidelines expect every sender to honour these
//! words. The relay hands inbound messages to the desktop untouched and the
//! desktop decides here whether one changes a contact's SMS status.
//!
//! **The keyword must be the whole message.** Case does not matter, and
//! whitespace and punctuation around it are ignored ("Stop.", " STOP!!",
//! "*stop*"), but "please stop texting me" or "don't stop" is not a keyword:
//! reading intent into free text would opt people out (or, worse, back in)
//! on a sentence that merely contains the word. Twilio, Vonage and the US
//! carriers match the same way. Such a message is kept for a person to read.
//!
//! ```
//! use herald_core::sms_keywords::{classify, SmsKeyword};
//!
//! assert_eq!(classify("  Stop! "), Some(SmsKeyword::OptOut));
//! assert_eq!(classify("unstop"), Some(SmsKeyword::OptIn));
//! assert_eq!(classify("help?"), Some(SmsKeyword::Help));
//! assert_eq!(classify("please stop"), None);
//! ```

/// What a keyword reply asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsKeyword {
    /// STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT.
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

const OPT_OUT: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
];
const OPT_IN: &[&str] = &["START", "UNSTOP", "YES"];
const HELP: &[&str] = &["HELP", "INFO"];

/// The keyword `body` is, if the whole message (trimmed of whitespace and
/// punctuation, ignoring case) is one; `None` for anything else.
pub fn classify(body: &str) -> Option<SmsKeyword> {
    let word = body.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    // No keyword is longer than 11 letters: skip upper-casing long texts.
    if word.is_empty() || word.len() > 16 {
        return None;
    }
    let word = word.to_ascii_uppercase();
    let is = |list: &[&str]| list.contains(&word.as_str());
    if is(OPT_OUT) {
        Some(SmsKeyword::OptOut)
    } else if is(OPT_IN) {
        Some(SmsKeyword::OptIn)
    } else if is(HELP) {
        Some(SmsKeyword::Help)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_recognised_in_any_case() {
        for (list, expected) in [
            (OPT_OUT, SmsKeyword::OptOut),
            (OPT_IN, SmsKeyword::OptIn),
            (HELP, SmsKeyword::Help),
        ] {
            for word in list {
                assert_eq!(classify(word), Some(expected), "{word}");
                assert_eq!(classify(&word.to_lowercase()), Some(expected), "{word}");
                let mixed: String = word
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i % 2 == 0 {
                            c.to_ascii_lowercase()
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
    fn surrounding_whitespace_and_punctuation_are_ignored() {
        for body in [
            "Stop.",
            "  STOP!!\n",
            "\tstop ",
            "*stop*",
            "\"Stop\"",
            "stop?!",
        ] {
            assert_eq!(classify(body), Some(SmsKeyword::OptOut), "{body:?}");
        }
        assert_eq!(classify(" Start! "), Some(SmsKeyword::OptIn));
        assert_eq!(classify("info?"), Some(SmsKeyword::Help));
    }

    #[test]
    fn a_keyword_inside_a_sentence_is_not_a_keyword() {
        for body in [
            "please stop",
            "stop texting me",
            "don't stop",
            "STOP STOP",
            "yes please",
            "help me",
            "st op",
            "stopp",
            "",
            "   ",
            "!!!",
            "unsubscribeeeeeeeeeeeee",
        ] {
            assert_eq!(classify(body), None, "{body:?}");
        }
    }

    #[test]
    fn punctuation_inside_the_word_is_kept() {
        // "opt-out" is not OPTOUT: the message is kept for a person to read.
        assert_eq!(classify("opt-out"), None);
        assert_eq!(classify("OPTOUT"), Some(SmsKeyword::OptOut));
    }
}
