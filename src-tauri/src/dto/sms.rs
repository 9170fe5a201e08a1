//! SMS: the segment counter's report, the SMS settings, test sends
//! (docs/sms.md, "In the app").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How an SMS body is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsEncoding {
    /// The GSM 03.38 alphabet: 160 characters in one message, 153 per part.
    Gsm7,
    /// Any other character forces UCS-2: 70 in one message, 67 per part.
    Ucs2,
}

/// A character that forced UCS-2, and its GSM stand-in when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForcedUcs2 {
    pub ch: String,
    /// Its position in the text, in characters (Unicode scalar values).
    pub index: u32,
    pub replacement: Option<String>,
}

/// What a text costs as SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsCount {
    pub encoding: SmsEncoding,
    pub characters: u32,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2) used.
    pub units: u32,
    pub parts: u32,
    pub per_part: u32,
    pub left_in_part: u32,
    pub forced_ucs2: Vec<ForcedUcs2>,
}
