//! Typed identifiers for Herald's records.
//!
//! Each kind of record gets its own newtype over a UUID so that a contact id
//! can never be passed where a tag id is expected. New ids are UUID v7: they
//! start with a timestamp, so they sort by creation time and keep database
//! indexes append-mostly.

use thiserror::Error;

/// Why some text is not an acceptable identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum IdError {
    #[error("\"{raw}\" is not a valid {kind} id: expected a UUID such as 0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47")]
    Invalid { kind: &'static str, raw: String },
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUID v7).
            // No `Default`: a default that silently mints a new random id
            // would be surprising in struct-update syntax and derives.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            pub fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }

            /// Parses any UUID spelling the `uuid` crate accepts (hyphenated,
            /// simple, braced or URN), ignoring surrounding whitespace.
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                let trimmed = raw.trim();
                uuid::Uuid::parse_str(trimmed)
                    .map(Self)
                    .map_err(|_| IdError::Invalid {
                        kind: $kind,
                        raw: trimmed.to_owned(),
                    })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        $crate::string_serde::impl_string_serde!($name, IdError);
    };
}

define_id!(
    /// Identifies a contact.
    ContactId,
    "contact"
);
define_id!(
    /// Identifies a tag.
    TagId,
    "tag"
);
define_id!(
    /// Identifies an interaction (note, call, meeting, message) with a contact.
    InteractionId,
    "interaction"
);
define_id!(
    /// Identifies a project.
    ProjectId,
    "project"
);
define_id!(
    /// Identifies one entry in a contact's consent history.
    ConsentEventId,
    "consent event"
);

define_id!(
    /// Identifies a saved segment.
    SegmentId,
    "segment"
);

define_id!(
    /// Identifies a campaign.
    CampaignId,
    "campaign"
);
define_id!(
    /// Identifies a campaign template (built-in or the user's).
    TemplateId,
    "template"
);
define_id!(
    /// Identifies a file attached to a campaign.
    AttachmentId,
    "attachment"
);

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47";

    #[test]
    fn new_ids_are_version_7_and_distinct() {
        let a = ContactId::new();
        let b = ContactId::new();
        assert_ne!(a, b);
        assert_eq!(a.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn new_ids_sort_by_creation_time() {
        let first = TagId::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = TagId::new();
        assert!(first < second);
    }

    #[test]
    fn display_is_lowercase_hyphenated_and_parses_back() {
        let id = ProjectId::parse(&SAMPLE.to_uppercase()).unwrap();
        assert_eq!(id.to_string(), SAMPLE);
        assert_eq!(ProjectId::parse(&id.to_string()), Ok(id));
        let parsed: ProjectId = SAMPLE.parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn simple_and_padded_forms_are_accepted() {
        let simple = SAMPLE.replace('-', "");
        assert_eq!(
            InteractionId::parse(&format!("  {simple} "))
                .unwrap()
                .to_string(),
            SAMPLE
        );
    }

    #[test]
    fn uuid_conversions_round_trip() {
        let uuid = uuid::Uuid::parse_str(SAMPLE).unwrap();
        let id = ConsentEventId::from_uuid(uuid);
        assert_eq!(id.as_uuid(), uuid);
        assert_eq!(uuid::Uuid::from(id), uuid);
        assert_eq!(ConsentEventId::from(uuid), id);
    }

    #[test]
    fn invalid_ids_are_refused_naming_the_kind() {
        let err = ContactId::parse("not-an-id").unwrap_err();
        assert_eq!(
            err,
            IdError::Invalid {
                kind: "contact",
                raw: "not-an-id".to_owned()
            }
        );
        assert!(err
            .to_string()
            .starts_with("\"not-an-id\" is not a valid contact id"));
        assert!(ConsentEventId::parse("")
            .unwrap_err()
            .to_string()
            .contains("consent event id"));
    }

    #[test]
    fn serde_round_trips_as_a_string() {
        let id = ContactId::parse(SAMPLE).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{SAMPLE}\""));
        assert_eq!(serde_json::from_str::<ContactId>(&json).unwrap(), id);
    }

    #[test]
    fn deserialising_refuses_invalid_ids() {
        assert!(serde_json::from_str::<TagId>("\"1234\"").is_err());
        assert!(serde_json::from_str::<TagId>("42").is_err());
    }
}
