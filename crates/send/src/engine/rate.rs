//! Spacing messages out to a rate (messages per second) across workers,
//! slowing down when the provider says it is being asked too fast.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A token bucket of one token shared by every worker: a message may start
/// only `1 / rate` after the previous one's turn. Workers queue on a gate
/// (first come, first served); the one at its head sleeps until its turn
/// and takes the token. A worker that wakes late (a busy machine) marks the
/// instant it actually went, pushing the next one back instead of letting
/// several go at once. Time nobody used is not saved up: after a
/// pause the rate does not burst. In any second at most `rate` messages
/// (plus the one already due) start.
///
/// Adaptive: each [`RateLimiter::throttled`] (an HTTP 429) halves the rate,
/// down to a sixteenth of the configured one, and holds every worker for
/// the provider's `Retry-After`; each accepted message then wins back 2%
/// of the interval, so a run that stops being throttled returns to the
/// configured rate over a few dozen messages.
///
/// Two gates at the same rate: [`RateLimiter::wait`] before a message is
/// claimed in the ledger, and [`RateLimiter::release`] after, right before
/// the request. The first keeps claims to the rate (so a crash leaves in
/// doubt only messages on their way, not a queue of claimed ones); the
/// second spaces the requests again, because claims commit in groups and
/// a group's messages would otherwise leave together.
#[derive(Debug)]
pub struct RateLimiter {
    base: Duration,
    state: Mutex<State>,
    turns: Gate,
    releases: Gate,
}

/// Workers queue here; the mark is when the last one went.
#[derive(Debug, Default)]
struct Gate(tokio::sync::Mutex<Option<Instant>>);

#[derive(Debug)]
struct State {
    interval: Duration,
    /// Nobody goes before this instant (a provider's `Retry-After`).
    hold_until: Option<Instant>,
}

/// The slowest a throttled run goes, relative to its configured rate.
const MAX_SLOWDOWN: u32 = 16;
/// How late a worker may wake for its turn and still be on time.
const ON_TIME: Duration = Duration::from_millis(2);
/// The interval a run without a configured rate starts from when throttled.
const UNLIMITED_THROTTLED: Duration = Duration::from_millis(10);

impl RateLimiter {
    /// `rate` messages per second; `None` or a non-positive rate: no limit.
    pub fn new(rate: Option<f64>) -> RateLimiter {
        let base = match rate {
            Some(r) if r.is_finite() && r > 0.0 => Duration::from_secs_f64(1.0 / r),
            _ => Duration::ZERO,
        };
        RateLimiter {
            base,
            state: Mutex::new(State {
                interval: base,
                hold_until: None,
            }),
            turns: Gate::default(),
            releases: Gate::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn limits(&self) -> (Duration, Option<Instant>) {
        let state = self.state();
        (state.interval, state.hold_until)
    }

    /// Waits for this caller's turn to claim a message.
    pub async fn wait(&self) {
        self.pass(&self.turns).await;
    }

    /// Waits, after the claim, until the message may leave.
    pub async fn release(&self) {
        self.pass(&self.releases).await;
    }

    async fn pass(&self, gate: &Gate) {
        if self.limits() == (Duration::ZERO, None) {
            return;
        }
        let mut last = gate.0.lock().await;
        loop {
            // Read afresh after every sleep: a 429 meanwhile moves the turn.
            let (interval, hold) = self.limits();
            let now = Instant::now();
            let mut turn = last.map_or(now, |at| at + interval);
            if let Some(hold) = hold {
                turn = turn.max(hold);
            }
            if turn <= now {
                // On time (the timer's usual millisecond of lateness): the
                // turn is the mark, so that lateness does not add up and
                // slow the rate. Late by more (the machine was busy, or
                // nobody asked): now is, so the next one is pushed back
                // rather than let go at once.
                *last = Some(if now - turn <= ON_TIME { turn } else { now });
                return;
            }
            tokio::time::sleep_until(turn).await;
        }
    }

    /// The provider refused a message for sending too fast: halve the rate
    /// and hold every worker for `retry_after` when it said.
    pub fn throttled(&self, retry_after: Option<Duration>) {
        let mut state = self.state();
        let floor = if self.base.is_zero() {
            UNLIMITED_THROTTLED
        } else {
            self.base
        };
        state.interval = (state.interval * 2).max(floor).min(floor * MAX_SLOWDOWN);
        if let Some(wait) = retry_after {
            let until = Instant::now() + wait;
            state.hold_until = Some(state.hold_until.map_or(until, |h| h.max(until)));
        }
    }

    /// A message was accepted: win back a little of a throttled rate.
    pub fn accepted(&self) {
        let mut state = self.state();
        if state.interval > self.base {
            state.interval = state.interval.mul_f64(0.98).max(self.base);
        }
    }

    /// Messages per second now (after any slowing down); `None`: no limit.
    pub fn current_rate(&self) -> Option<f64> {
        let interval = self.state().interval;
        (!interval.is_zero()).then(|| 1.0 / interval.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_halves_the_rate_down_to_a_sixteenth_and_acceptance_wins_it_back() {
        let limiter = RateLimiter::new(Some(100.0));
        assert_eq!(limiter.current_rate(), Some(100.0));
        limiter.throttled(None);
        assert!((limiter.current_rate().unwrap() - 50.0).abs() < 1e-6);
        for _ in 0..10 {
            limiter.throttled(None);
        }
        assert!((limiter.current_rate().unwrap() - 100.0 / 16.0).abs() < 1e-6);
        for _ in 0..1_000 {
            limiter.accepted();
        }
        assert!((limiter.current_rate().unwrap() - 100.0).abs() < 1e-6);
    }

    #[test]
    fn an_unlimited_run_gets_a_rate_once_throttled() {
        let limiter = RateLimiter::new(None);
        assert_eq!(limiter.current_rate(), None);
        limiter.throttled(None);
        assert!(limiter.current_rate().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_holds_every_worker_until_it_has_passed() {
        let limiter = RateLimiter::new(Some(1000.0));
        let start = Instant::now();
        limiter.throttled(Some(Duration::from_secs(7)));
        limiter.wait().await;
        assert!(start.elapsed() >= Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn claims_that_commit_together_still_leave_one_interval_apart() {
        let limiter = RateLimiter::new(Some(20.0));
        // Three claims committed at once reach the second gate together.
        let start = Instant::now();
        let mut left = Vec::new();
        for _ in 0..3 {
            limiter.release().await;
            left.push(start.elapsed());
        }
        assert_eq!(
            left,
            [0, 50, 100].map(Duration::from_millis).to_vec(),
            "each request an interval after the last"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_spaced_by_the_interval_without_saving_missed_ones() {
        let limiter = RateLimiter::new(Some(10.0));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.wait().await;
        }
        // Slots at 0, 100, 200, 300, 400 ms.
        assert_eq!(start.elapsed(), Duration::from_millis(400));
        tokio::time::sleep(Duration::from_secs(5)).await;
        let after_pause = Instant::now();
        limiter.wait().await;
        limiter.wait().await;
        assert_eq!(after_pause.elapsed(), Duration::from_millis(100));
    }
}
