//! The bench's findings: throughput and latency of each server, the
//! persistence accounting, and the targets; as text or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::load::{HitKind, LoadResult};

/// The targets, on 2 cores shared with the load generator.
pub const TARGET_HITS_PER_SECOND: f64 = 30_000.0;
pub const TARGET_P99_MS: f64 = 10.0;
pub const TARGET_RATIO: f64 = 0.7;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub hits: u64,
    pub connections: usize,
    /// "sqlite (temporary file)" or "postgres".
    pub store: String,
    pub group_commit_max_batch: usize,
    pub group_commit_wait_micros: u64,
    /// Always true: the bench turns the per-IP limit off (every hit comes
    /// from 127.0.0.1), for its own relay only.
    pub rate_limit_disabled: bool,
    pub cores: usize,
    pub runtime_threads: usize,
    /// /proc/loadavg's 1-minute figure before and after the run.
    pub load_average_before: Option<f64>,
    pub load_average_after: Option<f64>,
    pub relay: Run,
    pub baseline: Run,
    /// Persisted hits/s over baseline hits/s.
    pub ratio: f64,
    pub accounting: Accounting,
    pub targets: Targets,
}

/// One server's run.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub seconds: f64,
    /// Accepted hits per second over the whole run.
    pub hits_per_second: f64,
    pub accepted: u64,
    pub failed: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    /// The first few failures, in words.
    pub failures: Vec<String>,
}

impl Run {
    pub fn from_load(load: &LoadResult) -> Run {
        let accepted: u64 = load.accepted.iter().sum();
        let seconds = load.elapsed.as_secs_f64();
        let quantile = |q: f64| quantile_ms(&load.latencies_us, q);
        Run {
            seconds,
            hits_per_second: if seconds > 0.0 {
                accepted as f64 / seconds
            } else {
                0.0
            },
            accepted,
            failed: load.failed.iter().sum(),
            p50_ms: quantile(0.50),
            p90_ms: quantile(0.90),
            p99_ms: quantile(0.99),
            p999_ms: quantile(0.999),
            max_ms: load
                .latencies_us
                .last()
                .map_or(0.0, |&us| f64::from(us) / 1000.0),
            failures: load.failures.clone(),
        }
    }
}

/// The `q` quantile of sorted microsecond latencies, in milliseconds
/// (nearest rank).
pub fn quantile_ms(sorted_us: &[u32], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted_us.len() as f64).ceil() as usize;
    f64::from(sorted_us[rank.clamp(1, sorted_us.len()) - 1]) / 1000.0
}

/// Every hit the relay accepted is in the store, and nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct Accounting {
    pub kinds: Vec<KindCount>,
    pub accepted: u64,
    pub stored: u64,
    /// Every response was the expected 2xx/302, on both servers, and the
    /// store holds exactly the accepted hits, kind by kind.
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub hit: &'static str,
    /// The event kind stored for it.
    pub stored_as: &'static str,
    pub sent: u64,
    pub accepted: u64,
    pub stored: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Targets {
    pub hits_per_second: bool,
    pub p99: bool,
    pub ratio: bool,
}

impl Accounting {
    pub fn new(relay: &LoadResult, baseline_failed: u64, stored: &[u64; 4]) -> Accounting {
        let kinds: Vec<KindCount> = HitKind::ALL
            .iter()
            .map(|&k| KindCount {
                hit: k.name(),
                stored_as: k.stored_kind(),
                sent: relay.accepted[k.index()] + relay.failed[k.index()],
                accepted: relay.accepted[k.index()],
                stored: stored[k.index()],
            })
            .collect();
        let accepted = kinds.iter().map(|k| k.accepted).sum();
        let stored_total = kinds.iter().map(|k| k.stored).sum();
        let ok = baseline_failed == 0
            && relay.failed.iter().all(|&f| f == 0)
            && kinds.iter().all(|k| k.accepted == k.stored);
        Accounting {
            kinds,
            accepted,
            stored: stored_total,
            ok,
        }
    }
}

fn thousands(n: f64) -> String {
    let n = n.round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

impl Report {
    /// The human summary.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "herald-relay bench: {} hits (70% opens, 25% clicks, 4% one-click unsubscribes, 1% generic webhooks)",
            thousands(self.hits as f64)
        );
        let _ = writeln!(
            s,
            "  over {} keep-alive HTTP/1.1 connections on loopback; relay and load generator share {} cores (runtime worker threads: {})",
            self.connections, self.cores, self.runtime_threads
        );
        let _ = writeln!(
            s,
            "  store: {}, group commit up to {} jobs, wait {} µs; every 2xx committed before it is sent",
            self.store, self.group_commit_max_batch, self.group_commit_wait_micros
        );
        let _ = writeln!(
            s,
            "  per-IP rate limit: OFF for this bench's own relay only (every hit comes from 127.0.0.1)"
        );
        let load = |l: Option<f64>| l.map_or("?".to_owned(), |l| format!("{l:.2}"));
        let _ = writeln!(
            s,
            "  load average (1 min): {} before, {} after",
            load(self.load_average_before),
            load(self.load_average_after)
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "  {:<22} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "", "hits/s", "seconds", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"
        );
        for (name, run) in [
            ("relay (persisted)", &self.relay),
            ("baseline (no store)", &self.baseline),
        ] {
            let _ = writeln!(
                s,
                "  {:<22} {:>10} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
                name,
                thousands(run.hits_per_second),
                run.seconds,
                run.p50_ms,
                run.p90_ms,
                run.p99_ms,
                run.p999_ms,
                run.max_ms
            );
        }
        let _ = writeln!(s, "  ratio persisted / baseline: {:.2}", self.ratio);
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "  accounting: {} accepted, {} stored: {}",
            thousands(self.accounting.accepted as f64),
            thousands(self.accounting.stored as f64),
            if self.accounting.ok { "OK" } else { "MISMATCH" }
        );
        for k in &self.accounting.kinds {
            let _ = writeln!(
                s,
                "    {:<12} sent {:>9}  accepted {:>9}  stored {:>9} (as {})",
                k.hit,
                thousands(k.sent as f64),
                thousands(k.accepted as f64),
                thousands(k.stored as f64),
                k.stored_as
            );
        }
        for (name, run) in [("relay", &self.relay), ("baseline", &self.baseline)] {
            if run.failed > 0 {
                let _ = writeln!(s, "  {name}: {} failed requests:", run.failed);
                for failure in &run.failures {
                    let _ = writeln!(s, "    {failure}");
                }
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "  targets: ≥ {} persisted hits/s: {}; p99 < {} ms: {}; ratio ≥ {}: {}",
            thousands(TARGET_HITS_PER_SECOND),
            met(self.targets.hits_per_second),
            TARGET_P99_MS,
            met(self.targets.p99),
            TARGET_RATIO,
            met(self.targets.ratio)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let us: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(quantile_ms(&us, 0.5), 50.0);
        assert_eq!(quantile_ms(&us, 0.99), 99.0);
        assert_eq!(quantile_ms(&us, 1.0), 100.0);
        assert_eq!(quantile_ms(&[], 0.5), 0.0);
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
    }
}
