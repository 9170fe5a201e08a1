//! Herald's domain types and pure logic: no I/O, no async, no database.
//!
//! Every value that arrives from a user, a CSV import or storage is turned
//! into one of these types by a `parse` constructor, so the rest of Herald
//! can rely on it being valid and normalised.
//!
//! ```
//! use herald_core::{CountryCode, EmailAddress, PhoneNumber};
//!
//! let email = EmailAddress::parse(" Ada@Example.COM ")?;
//! assert_eq!(email.as_str(), "ada@example.com");
//!
//! let us = CountryCode::parse("United States")?;
//! let phone = PhoneNumber::parse("(201) 555-0123", Some(us))?;
//! assert_eq!(phone.as_str(), "+12015550123");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod string_serde;
mod text;

pub mod contact;
pub mod country;
pub mod custom_fields;
pub mod email;
pub mod id;
pub mod money;
pub mod phone;
pub mod segment;
pub mod sending_hours;
pub mod sms_keywords;
pub mod sms_segments;
pub mod token;

pub use contact::{Channel, ConsentAction, EmailStatus, InteractionKind, SmsStatus, StatusError};
pub use country::{CountryCode, CountryError};
pub use custom_fields::{to_snake_case, CustomFieldError, CustomFields, CustomValue};
pub use email::{EmailAddress, EmailError};
pub use id::{
    AttachmentId, CampaignId, ConsentEventId, ContactId, IdError, InteractionId, ProjectId,
    SegmentId, TagId, TemplateId,
};
pub use money::{Currency, Money, MoneyError};
pub use phone::{PhoneError, PhoneNumber};
