//! A pool of up to `connections` open SMTP connections shared by the send
//! engine's workers: a message takes an idle connection (or opens one when
//! fewer than the limit are open), runs one transaction, and gives the
//! connection back when it is in a clean state.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Semaphore;

use super::connection::{Connection, Endpoint};
use super::reply::{Accepted, SmtpFailure};
use super::transaction;

/// Connections to one SMTP server, reused across messages.
pub struct SmtpPool {
    endpoint: Endpoint,
    /// One permit per connection that may be open; held for a whole
    /// transaction, so at most `connections` are ever open at once.
    permits: Semaphore,
    /// Open connections between transactions, each in a clean state.
    idle: Mutex<Vec<Connection>>,
    opened: AtomicUsize,
}

impl fmt::Debug for SmtpPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpPool")
            .field("endpoint", &self.endpoint)
            .field("idle", &self.idle().len())
            .field("opened", &self.connections_opened())
            .finish()
    }
}

impl SmtpPool {
    /// A pool of at most `connections` (at least 1) connections; none is
    /// opened until the first send.
    pub fn new(endpoint: Endpoint, connections: usize) -> SmtpPool {
        SmtpPool {
            endpoint,
            permits: Semaphore::new(connections.max(1)),
            idle: Mutex::new(Vec::new()),
            opened: AtomicUsize::new(0),
        }
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many connections the pool has opened so far.
    pub fn connections_opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }

    /// Sends `raw` (a whole RFC 5322 message) to one recipient. A failure
    /// says whether the message may be retried; see [`SmtpFailure`].
    /// Setting up a connection (connect, TLS, AUTH) never sends anything of
    /// the message, so its failures are all `Transient`, even a refused login.
    pub async fn send(
        &self,
        envelope_from: &str,
        to: &str,
        raw: &[u8],
    ) -> Result<Accepted, SmtpFailure> {
        let from = transaction::address(envelope_from, "envelope sender")?;
        let to = transaction::address(to, "recipient")?;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| SmtpFailure::transient("the SMTP connection pool was closed"))?;
        loop {
            let pooled = self.idle().pop();
            let reused = pooled.is_some();
            let mut conn = match pooled {
                Some(conn) => conn,
                None => self.open().await?,
            };
            let delivery = conn.deliver(&from, &to, raw).await;
            if delivery.reusable {
                self.idle().push(conn);
            }
            // A pooled connection the server closed while it sat idle:
            // nothing was sent on it, so the message goes on another one.
            if delivery.gone_before_mail && reused {
                continue;
            }
            return delivery.result;
        }
    }

    async fn open(&self) -> Result<Connection, SmtpFailure> {
        let conn = self
            .endpoint
            .open()
            .await
            .map_err(|f| SmtpFailure::transient(f.reply))?;
        self.opened.fetch_add(1, Ordering::SeqCst);
        Ok(conn)
    }

    /// Says QUIT on every idle connection and closes it. Sending afterwards
    /// opens new connections.
    pub async fn close(&self) {
        let idle: Vec<Connection> = std::mem::take(&mut *self.idle());
        for mut conn in idle {
            conn.quit().await;
        }
    }
}
