//! What a webhook route hands in ([`WebhookRequest`]) and what an accepted
//! webhook gives back ([`Accepted`]).

use std::fmt;

use chrono::{DateTime, Utc};
use http::HeaderMap;

use crate::event::{NewEvent, Provider};

/// One webhook call, as the relay received it.
#[derive(Clone, Copy)]
pub struct WebhookRequest<'a> {
    /// The public URL of this request as configured: the relay's public base
    /// URL, the route's path and the query string exactly as received. Never
    /// built from the `Host` header, which the caller chooses (Twilio signs
    /// the URL it called).
    pub url: &'a str,
    pub headers: &'a HeaderMap,
    /// The raw body: signatures are checked on these bytes.
    pub body: &'a [u8],
    /// The relay's clock, for freshness windows and for events the provider
    /// does not date.
    pub now: DateTime<Utc>,
}

impl fmt::Debug for WebhookRequest<'_> {
    /// Headers carry credentials and the body personal data: neither is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookRequest")
            .field("url", &self.url)
            .field("headers", &self.headers.len())
            .field("body_bytes", &self.body.len())
            .field("now", &self.now)
            .finish()
    }
}

/// A verified webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The events to store, in one transaction; possibly none (a delivery
    /// state Herald does not track, a subscription confirmation).
    pub events: Vec<NewEvent>,
    /// For providers whose signature does not cover a unique id of its own
    /// (or does, and the relay should hold it): the relay refuses the same
    /// nonce with a different body (403) and answers the same nonce with the
    /// same body as a provider retry (200).
    pub nonce: Option<(Provider, String)>,
    /// The body to answer with.
    pub reply: Reply,
}

impl Accepted {
    pub(super) fn events(events: Vec<NewEvent>) -> Self {
        Accepted {
            events,
            nonce: None,
            reply: Reply::Empty,
        }
    }

    pub(super) fn with_nonce(mut self, provider: Provider, nonce: String) -> Self {
        self.nonce = Some((provider, nonce));
        self
    }

    pub(super) fn with_reply(mut self, reply: Reply) -> Self {
        self.reply = reply;
        self
    }
}

/// The body of a 200 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// No body.
    Empty,
    /// `text/plain`.
    Text(&'static str),
    /// `application/xml`: Twilio's inbound messages are answered with TwiML,
    /// and `<Response/>` tells Twilio to send no automatic reply.
    Xml(&'static str),
}
