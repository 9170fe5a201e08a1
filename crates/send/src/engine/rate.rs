//! Spacing messages out to a rate (messages per second) across workers.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Hands out send slots `1 / rate` apart. A worker that finds the next slot
/// in the future sleeps until it. Slots missed while nobody asked are not
/// saved up: after a pause the rate does not burst.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// `rate` messages per second; `None` or a non-positive rate: no limit.
    pub fn new(rate: Option<f64>) -> RateLimiter {
        let interval = match rate {
            Some(r) if r.is_finite() && r > 0.0 => Duration::from_secs_f64(1.0 / r),
            _ => Duration::ZERO,
        };
        RateLimiter {
            interval,
            next: Mutex::new(None),
        }
    }

    /// Waits for this caller's slot.
    pub async fn wait(&self) {
        if self.interval.is_zero() {
            return;
        }
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = match *next {
                Some(at) if at > now => at,
                _ => now,
            };
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}
