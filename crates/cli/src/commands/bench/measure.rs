//! What every `herald bench` command measures with: nearest-rank
//! percentiles, milliseconds to two decimals, the machine's load average,
//! and a fresh workspace file.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `d` in milliseconds, rounded to hundredths.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// The 1, 5 and 15 minute load averages (Linux), to judge how quiet the
/// machine was.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Removes a workspace file left by an earlier run (`--keep`), with its
/// WAL, shared-memory, rollback-journal and send-lock companions, so the
/// run starts from nothing.
pub fn remove_workspace(db: &Path) {
    let mut lock = db.as_os_str().to_owned();
    lock.push(".send-lock");
    for stale in [
        db.to_owned(),
        db.with_extension("sqlite3-wal"),
        db.with_extension("sqlite3-shm"),
        db.with_extension("sqlite3-journal"),
        PathBuf::from(lock),
    ] {
        let _ = std::fs::remove_file(stale);
    }
}
