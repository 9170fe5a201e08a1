//! SMTP delivery: the settings (server, sender, rate; the password in the
//! keychain), a pool of TCP_NODELAY connections that sends one message to
//! one recipient at a time and classifies every failure by how far the
//! message got, and a connection test for the settings screen.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, secrets: std::sync::Arc<dyn herald_send::secrets::Secrets>)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use herald_send::email::smtp::{self, Endpoint, SmtpFailure, SmtpPool};
//!
//! let settings = smtp::settings::load(&store).await?.expect("email is set up");
//! let password = smtp::settings::password(secrets).await?;
//! let endpoint = Endpoint::new(&settings, password);
//! smtp::test_connection(&endpoint).await?;
//! let pool = SmtpPool::new(endpoint, settings.connections());
//! let raw = b"From: news@example.com\r\nTo: ada@example.org\r\nSubject: Hi\r\n\r\nHello\r\n";
//! match pool.send("bounces@example.com", "ada@example.org", raw).await {
//!     Ok(accepted) => println!("sent: {}", accepted.reply),
//!     Err(SmtpFailure::Transient { reply }) => println!("retry later: {reply}"),
//!     Err(SmtpFailure::Permanent { reply }) => println!("refused: {reply}"),
//!     Err(SmtpFailure::Unknown { detail }) => println!("may have been sent: {detail}"),
//! }
//! pool.close().await;
//! # Ok(()) }
//! ```

mod bench;
mod connection;
mod dotstuff;
mod pool;
pub mod presets;
mod reply;
mod session;
pub mod settings;
mod tls;
mod transaction;

pub use bench::{raw_limit, RawLimit};
pub use connection::{connect_tcp, test_connection, ConnectionReport, Endpoint};
pub use pool::SmtpPool;
pub use presets::Preset;
pub use reply::{Accepted, SmtpFailure};
pub use settings::{PasswordChange, Security, SettingsError, SmtpSettings, SmtpSettingsInput};
pub use tls::Trust;
