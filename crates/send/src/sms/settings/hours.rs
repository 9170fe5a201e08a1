//! The daily window texts may be sent in, as stored in the settings:
//! `{"from":"08:00","until":"21:00"}`, the recipient's local time.
//!
//! This is the stored shape only; the time-zone arithmetic (when the window
//! next opens for a recipient) belongs to `herald_core::sending_hours`,
//! which takes the same JSON.

use std::fmt;

use chrono::NaiveTime;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// From `from` (inclusive) to `until` (exclusive), local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SendingHours {
    #[serde(serialize_with = "hh_mm", deserialize_with = "parse_hh_mm")]
    pub from: NaiveTime,
    #[serde(serialize_with = "hh_mm", deserialize_with = "parse_hh_mm")]
    pub until: NaiveTime,
}

/// Why a window is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendingHoursError {
    #[error("{field}: \"{raw}\" is not a time of day such as 08:00")]
    NotATime { field: &'static str, raw: String },
    #[error("until: the window must end after it starts ({from} to {until})")]
    Empty { from: String, until: String },
}

impl SendingHours {
    /// 08:00 to 21:00, the quiet hours most guidance asks for.
    pub const DEFAULT: SendingHours = SendingHours {
        from: match NaiveTime::from_hms_opt(8, 0, 0) {
            Some(time) => time,
            None => NaiveTime::MIN,
        },
        until: match NaiveTime::from_hms_opt(21, 0, 0) {
            Some(time) => time,
            None => NaiveTime::MIN,
        },
    };

    /// Reads `HH:MM` times; `from` must come before `until`.
    pub fn parse(from: &str, until: &str) -> Result<SendingHours, SendingHoursError> {
        let time = |field: &'static str, raw: &str| {
            NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| {
                SendingHoursError::NotATime {
                    field,
                    raw: raw.trim().to_owned(),
                }
            })
        };
        let hours = SendingHours {
            from: time("from", from)?,
            until: time("until", until)?,
        };
        hours.check()?;
        Ok(hours)
    }

    /// The fields are public (the form sets them): checks they make a window.
    pub fn check(&self) -> Result<(), SendingHoursError> {
        if self.from < self.until {
            Ok(())
        } else {
            Err(SendingHoursError::Empty {
                from: self.from.format("%H:%M").to_string(),
                until: self.until.format("%H:%M").to_string(),
            })
        }
    }
}

impl fmt::Display for SendingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{}",
            self.from.format("%H:%M"),
            self.until.format("%H:%M")
        )
    }
}

fn hh_mm<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&time.format("%H:%M"))
}

fn parse_hh_mm<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
    let raw = String::deserialize(deserializer)?;
    NaiveTime::parse_from_str(&raw, "%H:%M").map_err(serde::de::Error::custom)
}
