//! What a text costs as SMS: its encoding, how many parts (segments) it is
//! split into, and which characters forced the expensive encoding.
//!
//! A text made only of the GSM 03.38 alphabet travels as 7-bit septets: 160
//! in one message, 153 per part once it is split (the rest of each part is
//! the concatenation header). Characters of the extension table (`^ { } \ [
//! ~ ] | €` and form feed) are sent as escape + code and cost two septets.
//! One character outside the alphabet switches the *whole* text to UCS-2:
//! 70 UTF-16 code units in one message, 67 per part, with emoji and other
//! characters outside the Basic Multilingual Plane costing two.
//!
//! Parts are counted by filling them the way a handset or provider does, not
//! by dividing: an escape and its character are never split across parts,
//! nor are the two halves of a surrogate pair, so a part may end one unit
//! short and a text can need one part more than `units / per_part` suggests.
//!
//! ```
//! use herald_core::sms_segments::{count, gsm_equivalents, SmsEncoding};
//!
//! let plain = count("Sale ends at 9 [today]!");
//! assert_eq!(plain.encoding, SmsEncoding::Gsm7);
//! assert_eq!((plain.characters, plain.units, plain.parts), (23, 25, 1));
//! assert_eq!(plain.left_in_part, 160 - 25);
//!
//! let curly = count("It’s on");
//! assert_eq!(curly.encoding, SmsEncoding::Ucs2);
//! assert_eq!(curly.forced_ucs2[0].ch, '’');
//! assert_eq!(curly.forced_ucs2[0].replacement.as_deref(), Some("'"));
//! assert_eq!(gsm_equivalents("It’s on"), "It's on");
//! ```

use serde::Serialize;

mod gsm;

/// How an SMS body is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsEncoding {
    /// The GSM 03.38 alphabet in 7-bit septets: 160 per message, 153 per part.
    Gsm7,
    /// UTF-16 code units: 70 per message, 67 per part.
    Ucs2,
}

impl SmsEncoding {
    /// Units that fit in a message sent whole.
    pub fn single_capacity(self) -> usize {
        match self {
            SmsEncoding::Gsm7 => 160,
            SmsEncoding::Ucs2 => 70,
        }
    }

    /// Units that fit in each part of a split message.
    pub fn part_capacity(self) -> usize {
        match self {
            SmsEncoding::Gsm7 => 153,
            SmsEncoding::Ucs2 => 67,
        }
    }
}

/// A character that has no GSM-7 encoding and so forced UCS-2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForcedUcs2 {
    /// The character (serialised as a one-character string).
    pub ch: char,
    /// Its position in the text, counted in characters (Unicode scalar values).
    pub index: usize,
    /// What [`gsm_equivalents`] would put in its place (may be empty for an
    /// invisible mark), or `None` when nothing GSM reads the same.
    pub replacement: Option<String>,
}

/// What a text costs as SMS. See the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentCount {
    pub encoding: SmsEncoding,
    /// Characters (Unicode scalar values) in the text.
    pub characters: usize,
    /// Septets (GSM-7; extension characters count 2) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Messages the text is sent as; 0 for an empty text.
    pub parts: usize,
    /// Capacity of each part: 160/70 when the text fits in one message, else 153/67.
    pub per_part: usize,
    /// Units still free in the last part (the whole capacity for an empty text).
    pub left_in_part: usize,
    /// Every character outside GSM 03.38, in text order; empty for GSM-7.
    pub forced_ucs2: Vec<ForcedUcs2>,
}

/// Counts what `text` costs as SMS, exactly as it would be sent.
///
/// ```
/// use herald_core::sms_segments::{count, SmsEncoding};
///
/// let greeting = count("Hi 👋");
/// assert_eq!(greeting.encoding, SmsEncoding::Ucs2);
/// assert_eq!((greeting.characters, greeting.units, greeting.parts), (4, 5, 1));
/// assert_eq!(count("").parts, 0);
/// ```
pub fn count(text: &str) -> SegmentCount {
    let forced_ucs2: Vec<ForcedUcs2> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| !is_gsm7(*c))
        .map(|(index, ch)| ForcedUcs2 {
            ch,
            index,
            replacement: gsm::equivalent(ch).map(str::to_owned),
        })
        .collect();
    let encoding = if forced_ucs2.is_empty() {
        SmsEncoding::Gsm7
    } else {
        SmsEncoding::Ucs2
    };
    // Each character's cost in units; a character is never split across parts.
    let cost = |c: char| match encoding {
        SmsEncoding::Gsm7 => gsm::septets(c).unwrap_or(1),
        SmsEncoding::Ucs2 => c.len_utf16(),
    };
    let units: usize = text.chars().map(cost).sum();
    let characters = text.chars().count();

    let single = encoding.single_capacity();
    let (parts, per_part, last_fill) = if units <= single {
        (usize::from(units > 0), single, units)
    } else {
        let per_part = encoding.part_capacity();
        let (mut parts, mut fill) = (1, 0);
        for c in text.chars() {
            let c = cost(c);
            if fill + c > per_part {
                parts += 1;
                fill = 0;
            }
            fill += c;
        }
        (parts, per_part, fill)
    };
    SegmentCount {
        encoding,
        characters,
        units,
        parts,
        per_part,
        left_in_part: per_part - last_fill,
        forced_ucs2,
    }
}

/// Whether `c` can be sent in GSM-7 (default alphabet or extension table).
///
/// ```
/// use herald_core::sms_segments::is_gsm7;
///
/// assert!(is_gsm7('é') && is_gsm7('Ç') && is_gsm7('€'));
/// assert!(!is_gsm7('ç') && !is_gsm7('á') && !is_gsm7('’'));
/// ```
pub fn is_gsm7(c: char) -> bool {
    gsm::septets(c).is_some()
}

/// `text` with typographic characters that force UCS-2 replaced by their
/// GSM look-alikes: curly quotes → straight, dashes and minus → `-`, `…` →
/// `...`, no-break and thin spaces → space, bullets → `-`, invisible marks
/// (zero-width space, BOM, soft hyphen) removed. Everything else, letters
/// and emoji included, is left as it is.
///
/// ```
/// use herald_core::sms_segments::gsm_equivalents;
///
/// assert_eq!(gsm_equivalents("“Hi” – it’s 10\u{a0}€…"), "\"Hi\" - it's 10 €...");
/// assert_eq!(gsm_equivalents("Café 🎉"), "Café 🎉");
/// ```
pub fn gsm_equivalents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match gsm::equivalent(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
