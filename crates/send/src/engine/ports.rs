//! The engine's ports: what it needs from a channel.

use async_trait::async_trait;
use herald_store::ledger::BatchRow;
use uuid::Uuid;

/// One recipient's message, ready to deliver.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub contact_id: Uuid,
    /// The message's own id (an email's Message-ID), the same on every
    /// attempt, so a receiver can tell a resend from a new message.
    pub message_id: String,
    /// The sender on the wire (SMTP `MAIL FROM`, an SMS sender id).
    pub from: String,
    /// The address on the wire (SMTP `RCPT TO`, an E.164 number).
    pub to: String,
    /// The message itself (RFC 5322 bytes, or an SMS body).
    pub body: Vec<u8>,
    /// SMS: how many parts the body takes (recorded with the send).
    pub parts: Option<u32>,
}

impl std::fmt::Debug for Outgoing {
    /// Without the body: it holds the contact's personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("contact_id", &self.contact_id)
            .field("message_id", &self.message_id)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Turns a ledger row into its message. Called from several workers at once.
pub trait Composer: Send + Sync {
    /// The message for `row`, or why this recipient's message cannot be
    /// made (the recipient fails; the campaign goes on).
    fn compose(&self, row: &BatchRow) -> Result<Outgoing, String>;

    /// When `row` may not be sent at `now` (ms since the epoch), the
    /// instant it may: an SMS outside the recipient's sending hours. The
    /// row goes back in the queue until then, without counting an attempt.
    fn defer_until(&self, _row: &BatchRow, _now: i64) -> Option<i64> {
        None
    }
}

/// How a delivery attempt ended, by how far the message got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Taken by the server or provider, with its id for the message.
    Accepted { provider_message_id: Option<String> },
    /// Not taken, and it cannot have been: safe to try again later.
    Transient {
        reason: String,
        /// The provider's `Retry-After`, when it said.
        retry_after: Option<std::time::Duration>,
    },
    /// Refused for now because the provider is rate limiting this account
    /// (HTTP 429): like `Transient`, and the engine slows the whole run.
    Throttled {
        reason: String,
        retry_after: Option<std::time::Duration>,
    },
    /// Refused for good (a 5xx, an invalid number): this recipient fails.
    Permanent { reason: String },
    /// Perhaps delivered, perhaps not (the connection died after the whole
    /// message was written): never retried automatically.
    Unknown { reason: String },
    /// Nothing can be sent at all (the login was refused, the account is
    /// suspended): the message was not sent, and the campaign stops.
    Fatal { reason: String },
}

/// Delivers messages on one channel. Called from several workers at once;
/// an implementation bounds its own connections.
#[async_trait]
pub trait Messenger: Send + Sync {
    async fn deliver(&self, message: &Outgoing) -> Delivery;
}
