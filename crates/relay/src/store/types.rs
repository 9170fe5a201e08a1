//! What goes into the store and what comes back out.

use crate::event::{Event, NewEvent, Provider};
use thiserror::Error;
use uuid::Uuid;

/// A one-time value a provider signed (Mailgun's token, ...), with a hash of
/// the body it came with: the same nonce and body again is the provider
/// retrying, the same nonce with another body is a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nonce {
    pub provider: Provider,
    pub value: String,
    pub body_sha256: [u8; 32],
}

/// One accepted request's worth of events, stored all or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub events: Vec<NewEvent>,
    pub nonce: Option<Nonce>,
}

impl Write {
    /// Events without a nonce (token routes, most webhooks).
    pub fn events(events: Vec<NewEvent>) -> Self {
        Write {
            events,
            nonce: None,
        }
    }
}

/// What a committed [`Write`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// New events got these ids; `duplicates` were already stored under
    /// the same provider event id and were skipped.
    Stored { ids: Vec<Uuid>, duplicates: usize },
    /// The nonce was already stored with the same body: a provider retry,
    /// nothing new.
    Retry,
}

/// A stored event and its place in the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: i64,
    pub event: Event,
}

/// Why the store refused or failed.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    /// The nonce was already used with a different body.
    #[error("replayed nonce")]
    Replay,
    /// An ack for events the relay never handed out.
    #[error("cursor: ahead of the newest event ({newest})")]
    CursorAhead { newest: i64 },
    /// The store is shutting down.
    #[error("the store is shut down")]
    Closed,
    /// Anything else, with its cause chain (for the log, never a client).
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    pub(crate) fn internal(error: &anyhow::Error) -> Self {
        StoreError::Internal(format!("{error:#}"))
    }
}
