//! The baseline for delivery benchmarks: how fast one connection can take
//! messages when nothing but SMTP happens between them. The send engine's
//! bench compares its own rate per connection against this.

use std::time::{Duration, Instant};

use super::connection::Endpoint;
use super::reply::SmtpFailure;
use super::transaction;

impl Endpoint {
    /// With `false`, connections leave Nagle's algorithm on, as lettre's own
    /// connect does: only for benchmarks that show what TCP_NODELAY is worth
    /// (each message then waits for a delayed ACK). [`Endpoint::new`] has it on.
    pub fn with_nodelay(mut self, on: bool) -> Endpoint {
        self.nodelay = on;
        self
    }
}

/// `messages` sent back to back over one connection in `elapsed` (setup excluded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawLimit {
    pub messages: usize,
    pub elapsed: Duration,
}

impl RawLimit {
    pub fn messages_per_second(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Opens one connection to `endpoint` and sends `raw` to `to` `count`
/// times, one transaction after another, as fast as the server answers.
/// Stops at the first message that is not accepted.
pub async fn raw_limit(
    endpoint: &Endpoint,
    envelope_from: &str,
    to: &str,
    raw: &[u8],
    count: usize,
) -> Result<RawLimit, SmtpFailure> {
    let from = transaction::address(envelope_from, "envelope sender")?;
    let to = transaction::address(to, "recipient")?;
    let mut conn = endpoint
        .open()
        .await
        .map_err(|f| SmtpFailure::transient(f.reply))?;
    let start = Instant::now();
    for _ in 0..count {
        conn.deliver(&from, &to, raw).await.result?;
    }
    let elapsed = start.elapsed();
    conn.quit().await;
    Ok(RawLimit {
        messages: count,
        elapsed,
    })
}
