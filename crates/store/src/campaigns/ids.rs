//! Typed ids for campaigns, their templates and attachments: UUID v7
//! newtypes, so that a template id can never be passed as a campaign id.

use herald_core::IdError;

macro_rules! campaign_id_type {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUID v7).
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

            /// Parses any UUID spelling, ignoring surrounding whitespace.
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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }
    };
}

campaign_id_type!(
    /// Identifies a campaign.
    CampaignId,
    "campaign"
);
campaign_id_type!(
    /// Identifies a campaign template (built-in or the user's).
    TemplateId,
    "template"
);
campaign_id_type!(
    /// Identifies a file attached to a campaign.
    AttachmentId,
    "attachment"
);
