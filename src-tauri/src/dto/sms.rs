//! SMS: the segment counter's report, and what verifying the credentials
//! and a test send found (docs/sms.md, "In the app"). The settings form's
//! types are in `sms_settings`.

use herald_core::sms_segments::{self, SegmentCount};
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

/// Counts past u32 are not SMS anyone sends; they saturate rather than wrap.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<SegmentCount> for SmsCount {
    fn from(c: SegmentCount) -> Self {
        SmsCount {
            encoding: match c.encoding {
                sms_segments::SmsEncoding::Gsm7 => SmsEncoding::Gsm7,
                sms_segments::SmsEncoding::Ucs2 => SmsEncoding::Ucs2,
            },
            characters: small(c.characters),
            units: small(c.units),
            parts: small(c.parts),
            per_part: small(c.per_part),
            left_in_part: small(c.left_in_part),
            forced_ucs2: c
                .forced_ucs2
                .into_iter()
                .map(|f| ForcedUcs2 {
                    ch: f.ch.to_string(),
                    index: small(f.index),
                    replacement: f.replacement,
                })
                .collect(),
        }
    }
}

/// What "Verify credentials" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SmsVerifyReport {
    pub ok: bool,
    /// The account's name on success; the provider's refusal in plain
    /// words otherwise.
    pub detail: String,
}

/// One number of a test send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SmsTestResult {
    /// The number as sent (E.164), or as typed when it did not parse.
    pub number: String,
    pub ok: bool,
    /// The provider's message id on success, or why it was refused.
    pub detail: String,
}

/// The outcome of a test SMS, per number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SmsTestReport {
    pub results: Vec<SmsTestResult>,
}
