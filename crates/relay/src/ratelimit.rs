//! A per-IP token bucket for the public routes.
//!
//! Each client address gets `burst` tokens, refilled at `per_second`; a
//! request takes one or is refused with 429. Buckets live in a few
//! mutex-guarded shards so that concurrent requests rarely contend, and
//! full buckets are forgotten when a shard grows large, so the memory an
//! attacker can make us hold is bounded.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

const SHARDS: usize = 16;
/// A shard past this many addresses drops the ones whose buckets are full.
const SHARD_SOFT_CAP: usize = 8_192;

/// How fast each client may go. `per_second == 0` turns limiting off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    hasher: RandomState,
    shards: Vec<Mutex<HashMap<IpAddr, Bucket>>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.limit.per_second > 0.0
    }

    /// Takes a token for `ip` at `now`; `false` when its bucket is empty.
    pub fn allow(&self, ip: IpAddr, now: Instant) -> bool {
        if !self.enabled() {
            return true;
        }
        let burst = f64::from(self.limit.burst.max(1));
        let shard = &self.shards[self.hasher.hash_one(ip) as usize % SHARDS];
        let mut buckets = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= SHARD_SOFT_CAP && !buckets.contains_key(&ip) {
            let rate = self.limit.per_second;
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.limit.per_second).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_client_gets_its_burst_then_the_refill_rate() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 2.0,
            burst: 3,
        });
        let ip: IpAddr = "203.0.113.1".parse().unwrap();
        let other: IpAddr = "203.0.113.2".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow(ip, t0)));
        assert!(!limiter.allow(ip, t0));
        // Another address has its own bucket.
        assert!(limiter.allow(other, t0));
        // Half a second refills one token.
        assert!(limiter.allow(ip, t0 + Duration::from_millis(500)));
        assert!(!limiter.allow(ip, t0 + Duration::from_millis(500)));
    }

    #[test]
    fn a_zero_rate_means_no_limit() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 0.0,
            burst: 0,
        });
        let ip: IpAddr = "203.0.113.1".parse().unwrap();
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow(ip, now)));
    }
}
