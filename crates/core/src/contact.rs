//! The small closed vocabularies that describe a contact: subscription
//! statuses, channels, consent actions and interaction kinds.
//!
//! Parsing is forgiving because these values arrive from other tools' CSV
//! exports, which spell them in many ways ("opted-in", "TRUE", "1"); the
//! canonical form written back out is always the snake_case name.
//! Custom fields live in `custom_fields` and are re-exported here.

use thiserror::Error;

pub use crate::custom_fields::{to_snake_case, CustomFieldError, CustomFields, CustomValue};

/// Why some text is not one of the values a vocabulary allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum StatusError {
    #[error("\"{raw}\" is not a valid {kind}: use one of {}", expected.join(", "))]
    Unknown {
        kind: &'static str,
        raw: String,
        expected: &'static [&'static str],
    },
}

macro_rules! define_vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $canonical:literal $(| $synonym:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            const NAMES: &'static [&'static str] = &[$($canonical),+];

            /// The canonical snake_case name.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $canonical, )+
                }
            }

            /// Parses the canonical name or a common synonym, ignoring case,
            /// surrounding whitespace, and whether words are joined by
            /// spaces, dashes or underscores.
            pub fn parse(raw: &str) -> Result<$name, StatusError> {
                let trimmed = raw.trim();
                let key: String = trimmed
                    .chars()
                    .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                match key.as_str() {
                    $( $canonical $(| $synonym)* => Ok($name::$variant), )+
                    _ => Err(StatusError::Unknown {
                        kind: $kind,
                        raw: trimmed.to_owned(),
                        expected: Self::NAMES,
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::string_serde::impl_string_serde!($name, StatusError);
    };
}

define_vocabulary! {
    /// Whether a contact may be sent email.
    EmailStatus, "email status" {
        Subscribed => "subscribed" | "subscribe" | "active" | "opted_in" | "opt_in" | "yes" | "true" | "1",
        Unsubscribed => "unsubscribed" | "unsubscribe" | "opted_out" | "opt_out" | "no" | "false" | "0",
        /// The address hard-bounced; "cleaned" is Mailchimp's word for it.
        Bounced => "bounced" | "cleaned",
        /// The recipient reported a message as spam.
        Complained => "complained" | "spam" | "abuse",
    }
}

impl EmailStatus {
    /// Only subscribed contacts may receive campaigns; the others have
    /// opted out or are undeliverable, and mailing them harms the sender.
    pub fn is_sendable(&self) -> bool {
        matches!(self, EmailStatus::Subscribed)
    }
}

define_vocabulary! {
    /// Whether a contact may be sent SMS.
    SmsStatus, "SMS status" {
        Subscribed => "subscribed" | "subscribe" | "active" | "opted_in" | "opt_in" | "start" | "yes" | "true" | "1",
        /// The contact replied STOP or otherwise withdrew.
        OptedOut => "opted_out" | "opt_out" | "unsubscribed" | "unsubscribe" | "stop" | "no" | "false" | "0",
        /// The number cannot receive messages.
        Invalid => "invalid" | "undeliverable",
    }
}

impl SmsStatus {
    pub fn is_sendable(&self) -> bool {
        matches!(self, SmsStatus::Subscribed)
    }
}

define_vocabulary! {
    /// A way of reaching a contact.
    Channel, "channel" {
        Email => "email" | "e_mail" | "mail",
        Sms => "sms" | "text" | "text_message",
    }
}

define_vocabulary! {
    /// Whether a consent event gave or took away permission.
    ConsentAction, "consent action" {
        Granted => "granted" | "grant" | "given" | "opted_in" | "opt_in",
        Withdrawn => "withdrawn" | "withdraw" | "revoked" | "opted_out" | "opt_out",
    }
}

define_vocabulary! {
    /// What kind of touchpoint an interaction with a contact was.
    InteractionKind, "interaction kind" {
        Note => "note",
        Call => "call" | "phone_call" | "phone",
        Meeting => "meeting",
        Email => "email" | "e_mail",
        Sms => "sms" | "text",
        Campaign => "campaign",
        Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_round_trip_for_every_vocabulary() {
        for s in EmailStatus::ALL {
            assert_eq!(EmailStatus::parse(s.as_str()), Ok(*s));
        }
        for s in SmsStatus::ALL {
            assert_eq!(SmsStatus::parse(s.as_str()), Ok(*s));
        }
        for s in Channel::ALL {
            assert_eq!(Channel::parse(s.as_str()), Ok(*s));
        }
        for s in ConsentAction::ALL {
            assert_eq!(ConsentAction::parse(s.as_str()), Ok(*s));
        }
        for s in InteractionKind::ALL {
            assert_eq!(InteractionKind::parse(s.as_str()), Ok(*s));
        }
        assert_eq!(InteractionKind::ALL.len(), 7);
    }

    #[test]
    fn email_status_synonyms_are_understood() {
        use EmailStatus::*;
        let cases = [
            ("subscribe", Subscribed),
            ("Active", Subscribed),
            ("opted-in", Subscribed),
            ("YES", Subscribed),
            ("true", Subscribed),
            ("1", Subscribed),
            ("unsubscribe", Unsubscribed),
            ("Opted Out", Unsubscribed),
            ("no", Unsubscribed),
            ("FALSE", Unsubscribed),
            ("0", Unsubscribed),
            ("cleaned", Bounced),
            (" bounced ", Bounced),
            ("spam", Complained),
            ("abuse", Complained),
        ];
        for (raw, expected) in cases {
            assert_eq!(EmailStatus::parse(raw), Ok(expected), "{raw:?}");
        }
    }

    #[test]
    fn only_subscribed_contacts_are_sendable() {
        assert!(EmailStatus::Subscribed.is_sendable());
        assert!(!EmailStatus::Unsubscribed.is_sendable());
        assert!(!EmailStatus::Bounced.is_sendable());
        assert!(!EmailStatus::Complained.is_sendable());
        assert!(SmsStatus::Subscribed.is_sendable());
        assert!(!SmsStatus::OptedOut.is_sendable());
        assert!(!SmsStatus::Invalid.is_sendable());
    }

    #[test]
    fn sms_status_synonyms_are_understood() {
        for raw in ["opted_out", "opt-out", "Unsubscribed", "STOP", "no"] {
            assert_eq!(SmsStatus::parse(raw), Ok(SmsStatus::OptedOut), "{raw:?}");
        }
        assert_eq!(SmsStatus::parse("opted in"), Ok(SmsStatus::Subscribed));
        assert_eq!(SmsStatus::parse("Invalid"), Ok(SmsStatus::Invalid));
    }

    #[test]
    fn other_vocabularies_accept_their_synonyms() {
        assert_eq!(Channel::parse("E-mail"), Ok(Channel::Email));
        assert_eq!(Channel::parse("SMS"), Ok(Channel::Sms));
        assert_eq!(
            ConsentAction::parse("Revoked"),
            Ok(ConsentAction::Withdrawn)
        );
        assert_eq!(ConsentAction::parse("granted"), Ok(ConsentAction::Granted));
        assert_eq!(
            InteractionKind::parse("Phone call"),
            Ok(InteractionKind::Call)
        );
        assert_eq!(
            InteractionKind::parse("MEETING"),
            Ok(InteractionKind::Meeting)
        );
    }

    #[test]
    fn unknown_values_list_the_allowed_ones() {
        let err = EmailStatus::parse(" maybe ").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"maybe\" is not a valid email status: use one of subscribed, unsubscribed, bounced, complained"
        );
        assert!(SmsStatus::parse("cleaned").is_err());
        assert!(Channel::parse("").is_err());
        assert!(InteractionKind::parse("lunch")
            .unwrap_err()
            .to_string()
            .contains("interaction kind"));
    }

    #[test]
    fn display_and_serde_use_snake_case() {
        assert_eq!(SmsStatus::OptedOut.to_string(), "opted_out");
        assert_eq!(
            serde_json::to_string(&SmsStatus::OptedOut).unwrap(),
            "\"opted_out\""
        );
        assert_eq!(
            serde_json::to_string(&InteractionKind::Sms).unwrap(),
            "\"sms\""
        );
        let status: EmailStatus = serde_json::from_str("\"complained\"").unwrap();
        assert_eq!(status, EmailStatus::Complained);
    }

    #[test]
    fn deserialising_accepts_synonyms_but_refuses_unknown_values() {
        let status: EmailStatus = serde_json::from_str("\"Opted-In\"").unwrap();
        assert_eq!(status, EmailStatus::Subscribed);
        assert!(serde_json::from_str::<EmailStatus>("\"pending\"").is_err());
        assert!(serde_json::from_str::<ConsentAction>("\"\"").is_err());
    }
}
