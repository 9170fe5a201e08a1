//! `herald bench segments`: how long a segment preview (exact count + the
//! first page of 50, sorted by name) takes on a generated workspace, by the
//! SQL path and by the in-memory segment index, next to the bare
//! `SELECT COUNT(*)` of the same compiled SQL.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_core::segment::Filter;
use herald_store::contacts::{Direction, SortField};
use herald_store::segments::{self, Bind};
use herald_store::Store;
use serde_json::{json, Value};

use super::super::print_json;
use super::generate::{self, GENERATOR_VERSION};
use super::measure::{load_average, ms, percentile, remove_workspace};
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

/// Timings of one filter's previews: the first run apart, then the
/// others sorted.
struct Timed {
    count: i64,
    page: usize,
    first: Duration,
    times: Vec<Duration>,
}

/// One preview, then `runs` more, timed around the whole call.
async fn time_previews(store: &Store, case: &Case, runs: usize) -> anyhow::Result<Timed> {
    let mut first = None;
    let mut times = Vec::with_capacity(runs);
    let (mut count, mut page) = (0, 0);
    for run in 0..=runs {
        let started = Instant::now();
        let p = segments::preview(
            store,
            &case.filter,
            SortField::Name,
            Direction::Asc,
            None,
            PAGE,
        )
        .await?;
        let took = started.elapsed();
        if run == 0 {
            first = Some(took);
            (count, page) = (p.count, p.contacts.len());
        } else {
            times.push(took);
            // A relative date ("within the last 2 years") moves with the
            // clock, so its count may change by one between runs.
            anyhow::ensure!(
                p.count == count || depends_on_now(case),
                "\"{}\": the count changed between runs",
                case.name
            );
        }
    }
    times.sort();
    Ok(Timed {
        count,
        page,
        first: first.unwrap_or_default(),
        times,
    })
}

fn depends_on_now(case: &Case) -> bool {
    Filter::parse(&case.filter).is_ok_and(|f| f.depends_on_now())
}

/// Checks that the SQL path (a bare count) and the index agree, back to
/// back. A filter with relative dates is compiled against the clock, so a
/// contact may cross its boundary between the two: it gets three tries.
async fn agree(sql_store: &Store, index_store: &Store, case: &Case) -> anyhow::Result<()> {
    let mut last = (0, 0);
    for _ in 0..3 {
        let (_, compiled) = segments::prepare(sql_store, &case.filter).await?;
        let by_sql = segments::count_compiled(sql_store, &compiled).await?;
        let by_index = segments::preview(
            index_store,
            &case.filter,
            SortField::Name,
            Direction::Asc,
            None,
            1,
        )
        .await?
        .count;
        if by_sql == by_index {
            return Ok(());
        }
        last = (by_sql, by_index);
        if !depends_on_now(case) {
            break;
        }
    }
    anyhow::bail!(
        "\"{}\": SQL counted {} but the segment index {}",
        case.name,
        last.0,
        last.1
    )
}

/// The baseline's timings, and its SQL.
struct Bare {
    count: i64,
    times: Vec<Duration>,
    sql: String,
}

/// The compiled condition in one bare `SELECT COUNT(*)`, on one pooled
/// connection (it has herald_fold), nothing else; the first run warms the
/// statement and is left out.
async fn time_bare_count(store: &Store, case: &Case, runs: usize) -> anyhow::Result<Bare> {
    let (_, compiled) = segments::prepare(store, &case.filter).await?;
    let (sql, binds) = compiled.to_sql();
    let text = format!("SELECT COUNT(*) FROM contacts WHERE {sql}");
    let mut conn = store
        .pool()
        .acquire()
        .await
        .context("taking a connection")?;
    let mut times = Vec::with_capacity(runs + 1);
    let mut count = 0;
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
        count = q
            .fetch_one(&mut *conn)
            .await
            .context("running the bare count")?;
        times.push(started.elapsed());
    }
    times.remove(0);
    times.sort();
    Ok(Bare {
        count,
        times,
        sql: text,
    })
}

/// The process's resident set size now (Linux: VmRSS).
fn current_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
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
            let summary = generate::generate(&db_path, args.contacts, args.seed).await?;
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

    let runs = args.runs.max(1) as usize;
    let cases = cases(generated_at_ms);
    // Two stores on the file. One never builds the in-memory index, so its
    // previews take the SQL path, as in one-shot CLI commands and in the
    // app until its index is built (and after every data change, until it
    // is rebuilt). The other builds the index once, as the app keeps it.
    let sql_store = Store::open(&db_path).await?;
    let index_store = Store::open(&db_path).await?;
    eprintln!("Building the segment index…");
    let rss_before = current_rss_bytes();
    let built_in = segments::warm_index(&index_store).await?;
    let rss_after = current_rss_bytes();

    let mut results = Vec::new();
    for case in &cases {
        eprintln!("Timing \"{}\"…", case.name);
        let sql = time_previews(&sql_store, case, runs).await?;
        let bare = time_bare_count(&sql_store, case, runs).await?;
        anyhow::ensure!(
            bare.count == sql.count || depends_on_now(case),
            "\"{}\": the preview counted {} but the bare SQL {}",
            case.name,
            sql.count,
            bare.count
        );
        let index = time_previews(&index_store, case, runs).await?;
        agree(&sql_store, &index_store, case).await?;
        let bare_p50 = percentile(&bare.times, 50.0);
        let ratio = |t: &Timed| {
            let p50 = percentile(&t.times, 50.0).as_secs_f64();
            (p50 / bare_p50.as_secs_f64().max(1e-9) * 100.0).round() / 100.0
        };
        results.push(json!({
            "filter": case.name,
            "json": case.filter,
            "count": sql.count,
            "page": sql.page,
            "sql_first_ms": ms(sql.first),
            "sql_p50_ms": ms(percentile(&sql.times, 50.0)),
            "sql_p95_ms": ms(percentile(&sql.times, 95.0)),
            "index_first_ms": ms(index.first),
            "index_p50_ms": ms(percentile(&index.times, 50.0)),
            "index_p95_ms": ms(percentile(&index.times, 95.0)),
            "bare_count_p50_ms": ms(bare_p50),
            "sql_ratio": ratio(&sql),
            "index_ratio": ratio(&index),
            "sql": bare.sql,
        }));
    }
    sql_store.close().await;
    index_store.close().await;
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
        "index_build_ms": ms(built_in),
        "index_rss_bytes": match (rss_before, rss_after) {
            (Some(b), Some(a)) => Some(a.saturating_sub(b)),
            _ => None,
        },
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
    println!(
        "index: built in {:.0} ms{}",
        ms(built_in),
        match (rss_before, rss_after) {
            (Some(b), Some(a)) => format!(", +{:.0} MB RSS", a.saturating_sub(b) as f64 / 1e6),
            _ => String::new(),
        }
    );
    println!(
        "preview = exact count + first page of {PAGE} sorted by name (segments::preview), \
         by SQL (index off) and by the in-memory index"
    );
    println!("bare    = SELECT COUNT(*) FROM contacts WHERE <compiled SQL>, one connection");
    println!(
        "first   = the first run (cold caches; for the index, custom fields load on first use)"
    );
    println!();
    println!(
        "{:<20} {:>8} | {:>9} {:>9} {:>9} | {:>9} {:>9} {:>9} | {:>9} | {:>7} {:>7}",
        "filter",
        "count",
        "SQL first",
        "SQL p50",
        "SQL p95",
        "idx first",
        "idx p50",
        "idx p95",
        "bare p50",
        "SQL/bare",
        "idx/bare"
    );
    for r in &results {
        let f = |key: &str| r[key].as_f64().unwrap_or(0.0);
        println!(
            "{:<20} {:>8} | {:>9.2} {:>9.2} {:>9.2} | {:>9.2} {:>9.2} {:>9.2} | {:>9.2} | {:>7.2} {:>7.2}",
            r["filter"].as_str().unwrap_or(""),
            r["count"].as_i64().unwrap_or(0),
            f("sql_first_ms"),
            f("sql_p50_ms"),
            f("sql_p95_ms"),
            f("index_first_ms"),
            f("index_p50_ms"),
            f("index_p95_ms"),
            f("bare_count_p50_ms"),
            f("sql_ratio"),
            f("index_ratio"),
        );
    }
    println!("(times in ms)");
    Ok(ExitCode::SUCCESS)
}
