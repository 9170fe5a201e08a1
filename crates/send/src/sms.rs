//! SMS: the provider settings (credentials in the keychain only) and the
//! clients for the two providers Herald speaks to, Twilio and Vonage, behind
//! one [`provider::SmsProvider`] trait.
//!
//! A provider sends one message and says how far it got: accepted with the
//! provider's message id, or an [`provider::SmsError`] sorted by what the
//! send engine can do about it (retry later, fail this recipient, report
//! in doubt, stop the campaign).
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, secrets: std::sync::Arc<dyn herald_send::secrets::Secrets>)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use herald_send::sms::{provider, settings};
//!
//! let settings = settings::load(&store).await?.expect("SMS is set up");
//! let keys = settings::provider_secrets(secrets, &settings).await?;
//! let sms = provider::provider(&settings, &keys, Some("https://relay.example.com"))?;
//! let check = sms.verify().await?;
//! println!("{} ({})", check.detail, sms.sender());
//! let message = provider::SmsMessage {
//!     to: herald_core::PhoneNumber::parse("+14155552671", None)?,
//!     body: "Sale starts today. Reply STOP to opt out".into(),
//!     client_ref: "msg-1".into(),
//! };
//! let accepted = sms.send(&message).await?;
//! println!("sent as {}", accepted.provider_message_id);
//! # Ok(()) }
//! ```

pub mod campaign;
pub mod help;
mod http;
pub mod provider;
pub mod settings;
pub mod twilio;
pub mod vonage;
