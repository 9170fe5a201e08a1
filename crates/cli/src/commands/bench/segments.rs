//! `herald bench segments`: how long a segment preview (exact count + the
//! first page of 50, sorted by name) takes on a generated workspace, next to
//! the bare `SELECT COUNT(*)` of the same compiled SQL.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_store::contacts::{Direction, SortField};
use herald_store::segments::{self, Bind};
use herald_store::Store;
use serde_json::{json, Value};

use super::super::print_json;
use super::generate::{self, GENERATOR_VERSION};
use crate::cli::BenchSegmentsArgs;

const DB_FILE: &str = "bench-segments.sqlite3";
/// What the kept workspace was generated from, beside it.
const MARKER_FILE: &str = "bench-segments.json";
const PAGE: u32 = 50;

/// One filter the benchmark times.
struct Case {
    name: &'static str,
    filter: Value,
}

/// The five filters, built relative to the day the data was generated (its
/// dates are relative to that day).
fn cases(generated_at_ms: i64) -> Vec<Case> {
    let day = |days_ago: i64| {
        herald_store::from_millis(generated_at_ms - days_ago * 86_400_000)
            .format("%Y-%m-%d")
            .to_string()
    };
    vec![
        Case {
            name: "plain columns",
            filter: json!({"all": [
                {"field": "country", "op": "in", "value": ["US", "DE"]},
                {"field": "email_status", "op": "in", "value": ["subscribed"]},
                {"field": "created_at", "op": "within_last", "value": {"amount": 2, "unit": "years"}}
            ]}),
        },
        Case {
            name: "custom field",
            filter: json!({"all": [
                {"field": "custom.plan", "op": "eq", "value": "pro"}
            ]}),
        },
        Case {
            name: "nested",
            filter: json!({"all": [
                {"field": "tag", "op": "has_any", "value": ["tag-1", "tag-5"]},
                {"any": [
                    {"field": "last_interaction", "op": "within_last", "value": {"amount": 30, "unit": "days"}},
                    {"field": "project_status", "op": "in", "value": ["active", "won"]}
                ]},
                {"field": "revenue", "op": "gte", "value": 10000},
                {"field": "custom.plan", "op": "eq", "value": "pro"},
                {"none": [{"field": "country", "op": "eq", "value": "US"}]}
            ]}),
        },
        Case {
            name: "selective (1 week)",
            filter: json!({"all": [
                {"field": "created_at", "op": "between", "value": [day(206), day(200)]}
            ]}),
        },
        Case {
            name: "broad tag (40%)",
            filter: json!({"all": [
                {"field": "tag", "op": "has_any", "value": [generate::tag_name(1)]}
            ]}),
        },
    ]
}

/// The nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// The 1, 5 and 15 minute load averages (Linux), to judge how quiet the
/// machine was.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn remove_workspace(db: &Path) {
    for stale in [
        db.to_owned(),
        db.with_extension("sqlite3-wal"),
        db.with_extension("sqlite3-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
}

/// The marker of a kept workspace, when it matches what is asked for.
fn reusable(dir: &Path, args: &BenchSegmentsArgs) -> Option<Value> {
    if !dir.join(DB_FILE).exists() {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(MARKER_FILE)).ok()?;
    let marker: Value = serde_json::from_str(&text).ok()?;
    let fits = marker["contacts"] == args.contacts
        && marker["seed"] == args.seed
        && marker["generator"] == GENERATOR_VERSION;
    fits.then_some(marker)
}

pub async fn run(args: BenchSegmentsArgs) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir: PathBuf = args.keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db_path = dir.join(DB_FILE);

    let (marker, generated_now) = match reusable(&dir, &args) {
        Some(marker) => {
            eprintln!(
                "Reusing the workspace in {} ({} contacts, seed {}).",
                dir.display(),
                args.contacts,
                args.seed
            );
            (marker, false)
        }
        None => {
            remove_workspace(&db_path);
            let _ = std::fs::remove_file(dir.join(MARKER_FILE));
            eprintln!(
                "Generating {} contacts (seed {}) in {}…",
                args.contacts,
                args.seed,
                db_path.display()
            );
            let started = Instant::now();
            let store = Store::open(&db_path).await?;
            let summary = generate::generate(&store, args.contacts, args.seed).await?;
            store.close().await;
            let seconds = started.elapsed().as_secs_f64();
            let marker = json!({
                "contacts": args.contacts,
                "seed": args.seed,
                "generator": GENERATOR_VERSION,
                "generated_at_ms": herald_store::now_millis(),
                "generation_seconds": (seconds * 100.0).round() / 100.0,
                "summary": summary,
            });
            std::fs::write(
                dir.join(MARKER_FILE),
                serde_json::to_string_pretty(&marker).context("encoding JSON")?,
            )
            .with_context(|| format!("writing {}", dir.join(MARKER_FILE).display()))?;
            eprintln!("Generated in {seconds:.1} s.");
            (marker, true)
        }
    };
    let generated_at_ms = marker["generated_at_ms"]
        .as_i64()
        .context("the kept workspace's marker has no generated_at_ms")?;

    let store = Store::open(&db_path).await?;
    let runs = args.runs.max(1) as usize;
    let mut results = Vec::new();
    for case in cases(generated_at_ms) {
        eprintln!("Timing \"{}\"…", case.name);
        // The first run reads pages from disk into the page cache; it is
        // reported on its own and not counted in the percentiles.
        let started = Instant::now();
        let first = segments::preview(
            &store,
            &case.filter,
            SortField::Name,
            Direction::Asc,
            None,
            PAGE,
        )
        .await?;
        let first_time = started.elapsed();
        let mut preview_times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let p = segments::preview(
                &store,
                &case.filter,
                SortField::Name,
                Direction::Asc,
                None,
                PAGE,
            )
            .await?;
            preview_times.push(started.elapsed());
            anyhow::ensure!(
                p.count == first.count,
                "\"{}\": the count changed between runs",
                case.name
            );
        }
        preview_times.sort();

        // The baseline: the compiled condition in one bare COUNT(*), on one
        // pooled connection (it has herald_fold), nothing else.
        let (_, compiled) = segments::prepare(&store, &case.filter).await?;
        let (sql, binds) = compiled.to_sql();
        let text = format!("SELECT COUNT(*) FROM contacts WHERE {sql}");
        let mut conn = store
            .pool()
            .acquire()
            .await
            .context("taking a connection")?;
        let mut count_times = Vec::with_capacity(runs);
        let mut counted = 0;
        for _ in 0..=runs {
            let mut q = sqlx::query_scalar::<_, i64>(&text);
            for b in &binds {
                q = match b {
                    Bind::Int(v) => q.bind(*v),
                    Bind::Real(v) => q.bind(*v),
                    Bind::Text(v) => q.bind(v.clone()),
                };
            }
            let started = Instant::now();
            counted = q
                .fetch_one(&mut *conn)
                .await
                .context("running the bare count")?;
            count_times.push(started.elapsed());
        }
        drop(conn);
        // The first bare count warms its statement; leave it out too.
        count_times.remove(0);
        count_times.sort();
        anyhow::ensure!(
            counted == first.count,
            "\"{}\": the preview counted {} but the bare SQL {counted}",
            case.name,
            first.count
        );
        let p50 = percentile(&preview_times, 50.0);
        let count_p50 = percentile(&count_times, 50.0);
        results.push(json!({
            "filter": case.name,
            "json": case.filter,
            "count": first.count,
            "page": first.contacts.len(),
            "preview_first_ms": ms(first_time),
            "preview_p50_ms": ms(p50),
            "preview_p95_ms": ms(percentile(&preview_times, 95.0)),
            "count_sql_p50_ms": ms(count_p50),
            "ratio": (p50.as_secs_f64() / count_p50.as_secs_f64().max(1e-9) * 100.0).round() / 100.0,
            "sql": text,
        }));
    }
    store.close().await;
    let workspace_bytes = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);

    let report = json!({
        "benchmark": "segments",
        "contacts": args.contacts,
        "seed": args.seed,
        "runs": runs,
        "page": PAGE,
        "sort": "name",
        "generated_now": generated_now,
        "generation_seconds": marker["generation_seconds"],
        "generated": marker["summary"],
        "workspace_bytes": workspace_bytes,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "load_average": load_average(),
        "filters": results,
    });
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "segments: {} contacts ({:.0} MB workspace, generated in {} s{}), {runs} runs per filter",
        args.contacts,
        workspace_bytes as f64 / 1e6,
        marker["generation_seconds"],
        if generated_now { "" } else { ", reused" },
    );
    if let Some(load) = load_average() {
        println!("load average at the end: {load} (other work on the machine skews timings)");
    }
    println!("preview = exact count + first page of {PAGE} sorted by name (segments::preview)");
    println!("bare    = SELECT COUNT(*) FROM contacts WHERE <compiled SQL>, one connection");
    println!();
    println!(
        "{:<20} {:>9} {:>10} {:>10} {:>10} {:>10} {:>7}",
        "filter", "count", "first ms", "p50 ms", "p95 ms", "bare p50", "ratio"
    );
    for r in &results {
        println!(
            "{:<20} {:>9} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>7.2}",
            r["filter"].as_str().unwrap_or(""),
            r["count"].as_i64().unwrap_or(0),
            r["preview_first_ms"].as_f64().unwrap_or(0.0),
            r["preview_p50_ms"].as_f64().unwrap_or(0.0),
            r["preview_p95_ms"].as_f64().unwrap_or(0.0),
            r["count_sql_p50_ms"].as_f64().unwrap_or(0.0),
            r["ratio"].as_f64().unwrap_or(0.0),
        );
    }
    Ok(ExitCode::SUCCESS)
}
