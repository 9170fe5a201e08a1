//! `herald bench analytics`: campaign analytics at scale. Generates
//! contacts (the segment benchmark's generator), campaigns sent to all of
//! them (their ledgers) and relay events spread over the campaigns, then
//! times the rollups' rebuild and each query (`analytics::campaign`, the
//! 7- and 90-day series, top links, the dashboard) over many campaigns,
//! beside the raw scan: the same numbers computed by SQL over
//! `relay_events` (docs/benchmarks.md, "Campaign analytics"). Last, fresh
//! events applied page by page as a sync applies them: what keeping the
//! rollups costs a sync (`analytics_sync`).
//!
//! Events are written by SQL (a recursive CTE and SQLite's `random()`, so
//! they differ between runs; `--seed` seeds the contacts) on one plain
//! connection with the secondary indexes dropped and rebuilt afterwards,
//! as the segment generator does. Per campaign: 45 % opens (a fifth of
//! them a proxy's), 15 % clicks over 8 links (a tenth a scanner's), 30 %
//! deliveries, 3 % bounces, 0.5 % complaints, 1 % unsubscribes, the rest
//! SMS-less noise (`other`); instants crowd the first hours after the send
//! and thin out over 14 days.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use herald_store::analytics;
use herald_store::campaigns::CampaignId;
use herald_store::{from_millis, now_millis, Store};
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};
use uuid::Uuid;

use super::super::print_json;
use super::measure::{load_average, ms, percentile, remove_workspace};
use super::{analytics_sync, generate};
use crate::cli::BenchAnalyticsArgs;

const DB_FILE: &str = "bench-analytics.sqlite3";
const DAY_MS: i64 = 86_400_000;
/// The targets (issue 8) on this 2-core machine.
const PER_CAMPAIGN_TARGET_MS: f64 = 50.0;
const DASHBOARD_TARGET_MS: f64 = 100.0;

async fn bulk_connection(path: &Path) -> anyhow::Result<SqliteConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(SqliteSynchronous::Off)
        .foreign_keys(false)
        .pragma("cache_size", "-1048576")
        .pragma("temp_store", "memory");
    for _ in 0..100 {
        match SqliteConnection::connect_with(&options).await {
            Ok(conn) => return Ok(conn),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("5") => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("opening the bulk connection")),
        }
    }
    anyhow::bail!("the generated workspace stayed locked")
}

async fn exec(conn: &mut SqliteConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("running {}", sql.lines().next().unwrap_or(sql)))?;
    Ok(())
}

/// Campaigns every `spacing` days back from now, their ledgers (every
/// contact, sent) and `events` relay events.
async fn fill(path: &Path, args: &BenchAnalyticsArgs, now: i64) -> anyhow::Result<()> {
    let mut conn = bulk_connection(path).await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN ('relay_events', 'campaign_recipients')",
    )
    .fetch_all(&mut conn)
    .await
    .context("reading the indexes")?;
    exec(&mut conn, "BEGIN").await?;
    for (name, _) in &indexes {
        exec(&mut conn, &format!("DROP INDEX {name}")).await?;
    }
    // 200 campaigns over about 400 days: one every two days.
    let spacing = (400 * DAY_MS) / i64::from(args.campaigns.max(1));
    exec(
        &mut conn,
        "CREATE TEMP TABLE bench_campaigns (k INTEGER PRIMARY KEY, id BLOB, started_at INTEGER)",
    )
    .await?;
    for k in 0..i64::from(args.campaigns) {
        let started = now - (k + 1) * spacing;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO campaigns (id, channel, name, subject, status, started_at, finished_at,
                 resolved_at, exclusions, created_at, updated_at)
             VALUES (?1, 'email', ?2, 'Bench', 'sent', ?3, ?3 + 600000, ?3,
                 '{\"unsubscribed\": 120, \"bounced\": 40, \"no_address\": 12}', ?3, ?3)",
        )
        .bind(id)
        .bind(format!("Bench campaign {k}"))
        .bind(started)
        .execute(&mut conn)
        .await
        .context("adding a campaign")?;
        sqlx::query("INSERT INTO temp.bench_campaigns (k, id, started_at) VALUES (?, ?, ?)")
            .bind(k)
            .bind(id)
            .bind(started)
            .execute(&mut conn)
            .await
            .context("adding a campaign")?;
    }
    eprintln!("Writing the ledgers…");
    exec(
        &mut conn,
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at,
             sent_at, delivered_at, provider_message_id)
         SELECT b.id, c.id, coalesce(c.email, c.phone, ''), 'sent', b.started_at,
             b.started_at + c.rowid * 20, b.started_at + c.rowid * 20 + 3000,
             hex(b.id) || '-' || c.rowid
         FROM temp.bench_campaigns b, contacts c ORDER BY b.id, c.id",
    )
    .await?;
    eprintln!("Writing {} relay events…", args.events);
    let contacts: i64 = sqlx::query_scalar("SELECT max(rowid) FROM contacts")
        .fetch_one(&mut conn)
        .await
        .context("counting contacts")?;
    let started = Instant::now();
    sqlx::query(
        "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < ?1),
         e AS (
             SELECT n, b.id AS campaign_id, b.started_at,
                 (SELECT id FROM contacts WHERE rowid = 1 + abs(random()) % ?2) AS contact_id,
                 abs(random()) % 1000 AS r, abs(random()) % 1000 AS t, abs(random()) % 100 AS m
             FROM s JOIN temp.bench_campaigns b ON b.k = n % ?3
         )
         INSERT INTO relay_events (id, kind, at, campaign_id, contact_id, channel, machine, url,
             detail, applied_at)
         SELECT unhex(printf('%016x', n) || hex(randomblob(8))),
             CASE WHEN r < 450 THEN 'open' WHEN r < 600 THEN 'click' WHEN r < 900 THEN 'delivered'
                  WHEN r < 930 THEN 'bounce' WHEN r < 935 THEN 'complaint'
                  WHEN r < 945 THEN 'unsubscribe' ELSE 'other' END,
             started_at + 3000 + t * t * 1209,
             campaign_id, contact_id, 'email',
             CASE WHEN r < 450 THEN m < 20 WHEN r < 600 THEN m < 10 ELSE 0 END,
             CASE WHEN r >= 450 AND r < 600 THEN 'https://example.com/link-' || (m % 8) END,
             CASE WHEN r >= 900 AND r < 930 THEN
                 CASE WHEN m < 40 THEN '{\"bounce_type\":\"hard\"}' ELSE '{\"bounce_type\":\"soft\"}' END
                 ELSE '{}' END,
             started_at + 3000 + t * t * 1209
         FROM e",
    )
    .bind(args.events as i64)
    .bind(contacts)
    .bind(i64::from(args.campaigns))
    .execute(&mut conn)
    .await
    .context("writing relay events")?;
    eprintln!(
        "  {:.0} s. Rebuilding the indexes…",
        started.elapsed().as_secs_f64()
    );
    for (_, sql) in &indexes {
        exec(&mut conn, sql).await?;
    }
    exec(&mut conn, "COMMIT").await?;
    exec(&mut conn, "ANALYZE").await?;
    conn.close().await.context("closing the bulk connection")?;
    Ok(())
}

/// Runs `f` once untimed, then `runs` times over campaigns picked in turn.
async fn time<F, Fut>(ids: &[CampaignId], runs: u32, mut f: F) -> anyhow::Result<Vec<Duration>>
where
    F: FnMut(CampaignId) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    f(ids[0]).await?;
    let mut times = Vec::with_capacity(runs as usize);
    for run in 0..runs as usize {
        // A stride through the campaigns: recent, old and in between.
        let id = ids[(run * 37 + 11) % ids.len()];
        let started = Instant::now();
        f(id).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

fn row(name: &str, times: &[Duration], raw: &[Duration], target: f64) -> Value {
    let p50 = ms(percentile(times, 50.0));
    let p95 = ms(percentile(times, 95.0));
    json!({
        "query": name,
        "p50_ms": p50,
        "p95_ms": p95,
        "raw_p50_ms": ms(percentile(raw, 50.0)),
        "raw_p95_ms": ms(percentile(raw, 95.0)),
        "target_ms": target,
        "met": p95 <= target,
    })
}

pub async fn run(args: BenchAnalyticsArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.campaigns >= 1, "--campaigns must be at least 1");
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir: PathBuf = args.keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join(DB_FILE);
    remove_workspace(&db);

    eprintln!("Generating {} contacts in {}…", args.contacts, db.display());
    let started = Instant::now();
    generate::generate(&db, args.contacts, args.seed).await?;
    let now = now_millis();
    fill(&db, &args, now).await?;
    let generate_s = started.elapsed().as_secs_f64();

    let store = Store::open(&db).await?;
    eprintln!("Rebuilding the rollups…");
    let started = Instant::now();
    analytics::rebuild(&store).await?;
    let rebuild_s = started.elapsed().as_secs_f64();
    let hourly_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM campaign_hourly")
        .fetch_one(store.pool())
        .await
        .context("counting rollup rows")?;

    let ids: Vec<CampaignId> =
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM campaigns ORDER BY started_at DESC")
            .fetch_all(store.pool())
            .await
            .context("listing campaigns")?
            .into_iter()
            .map(CampaignId::from_uuid)
            .collect();
    let zone = herald_store::settings::parse_time_zone("Europe/Paris")?;
    let started_at = |store: &Store, id: CampaignId| {
        let store = store.clone();
        async move {
            let at: i64 = sqlx::query_scalar("SELECT started_at FROM campaigns WHERE id = ?")
                .bind(id.as_uuid())
                .fetch_one(store.pool())
                .await
                .context("reading a start")?;
            anyhow::Ok(at)
        }
    };
    eprintln!("Timing the queries ({} runs each)…", args.runs);
    let mut rows = Vec::new();

    let t = time(&ids, args.runs, |id| {
        let store = store.clone();
        async move {
            analytics::campaign(&store, id).await?;
            Ok(())
        }
    })
    .await?;
    let raw = time(&ids, args.runs, |id| {
        let store = store.clone();
        async move {
            let _: Vec<(String, i64, i64, i64)> = sqlx::query_as(
                "SELECT kind, machine, count(*), count(DISTINCT contact_id) FROM relay_events
                 WHERE campaign_id = ? GROUP BY kind, machine",
            )
            .bind(id.as_uuid())
            .fetch_all(store.pool())
            .await?;
            let _: Vec<(String, i64)> = sqlx::query_as(
                "SELECT status, count(*) FROM campaign_recipients WHERE campaign_id = ?
                 GROUP BY status",
            )
            .bind(id.as_uuid())
            .fetch_all(store.pool())
            .await?;
            Ok(())
        }
    })
    .await?;
    rows.push(row("campaign", &t, &raw, PER_CAMPAIGN_TARGET_MS));

    for days in [7_i64, 90] {
        let t = time(&ids, args.runs, |id| {
            let store = store.clone();
            async move {
                let from = started_at(&store, id).await?;
                analytics::series(
                    &store,
                    id,
                    from_millis(from),
                    from_millis(from + days * DAY_MS),
                    zone,
                )
                .await?;
                Ok(())
            }
        })
        .await?;
        let raw = time(&ids, args.runs, |id| {
            let store = store.clone();
            async move {
                let from = started_at(&store, id).await?;
                let _: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT at / 3600000, kind, count(*) FROM relay_events
                     WHERE campaign_id = ? AND kind IN ('open', 'click') AND machine = 0
                       AND at >= ? AND at < ?
                     GROUP BY 1, 2",
                )
                .bind(id.as_uuid())
                .bind(from)
                .bind(from + days * DAY_MS)
                .fetch_all(store.pool())
                .await?;
                Ok(())
            }
        })
        .await?;
        rows.push(row(
            &format!("series {days} days"),
            &t,
            &raw,
            PER_CAMPAIGN_TARGET_MS,
        ));
    }

    let t = time(&ids, args.runs, |id| {
        let store = store.clone();
        async move {
            analytics::top_links(&store, id, 10).await?;
            Ok(())
        }
    })
    .await?;
    let raw = time(&ids, args.runs, |id| {
        let store = store.clone();
        async move {
            let _: Vec<(Option<String>, i64, i64)> = sqlx::query_as(
                "SELECT url, count(DISTINCT contact_id) AS u, count(*) FROM relay_events
                 WHERE campaign_id = ? AND kind = 'click' AND machine = 0
                 GROUP BY url ORDER BY u DESC LIMIT 10",
            )
            .bind(id.as_uuid())
            .fetch_all(store.pool())
            .await?;
            Ok(())
        }
    })
    .await?;
    rows.push(row("top links", &t, &raw, PER_CAMPAIGN_TARGET_MS));

    let now_utc = from_millis(now);
    let t = time(&ids, args.runs, |_| {
        let store = store.clone();
        async move {
            analytics::dashboard(&store, now_utc, zone).await?;
            Ok(())
        }
    })
    .await?;
    let raw = time(&ids, args.runs, |_| {
        let store = store.clone();
        async move {
            for (from, to) in [
                (now - 30 * DAY_MS, now),
                (now - 60 * DAY_MS, now - 30 * DAY_MS),
            ] {
                let _: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT kind, count(*), count(DISTINCT hex(campaign_id) || hex(contact_id))
                     FROM relay_events
                     WHERE kind IN ('open', 'click', 'unsubscribe') AND at >= ? AND at < ?
                     GROUP BY kind",
                )
                .bind(from)
                .bind(to)
                .fetch_all(store.pool())
                .await?;
            }
            let _: Vec<(Uuid, i64)> = sqlx::query_as(
                "SELECT campaign_id, count(*) FROM relay_events
                 WHERE campaign_id IN (SELECT id FROM campaigns ORDER BY started_at DESC LIMIT 5)
                   AND kind IN ('open', 'click', 'delivered') GROUP BY campaign_id",
            )
            .fetch_all(store.pool())
            .await?;
            Ok(())
        }
    })
    .await?;
    rows.push(row("dashboard", &t, &raw, DASHBOARD_TARGET_MS));

    eprintln!("Applying {} fresh events as a sync does…", args.sync_events);
    let sync = match ids.first() {
        Some(&newest) => {
            Some(analytics_sync::measure(&store, newest, args.sync_events as usize).await?)
        }
        None => None,
    };
    store.close().await;

    let report = json!({
        "events": args.events,
        "campaigns": args.campaigns,
        "contacts": args.contacts,
        "ledger_rows": u64::from(args.campaigns) * u64::from(args.contacts),
        "runs": args.runs,
        "generate_s": (generate_s * 10.0).round() / 10.0,
        "rebuild_s": (rebuild_s * 10.0).round() / 10.0,
        "hourly_rows": hourly_rows,
        "queries": rows,
        "sync": sync.as_ref().map(|s| json!({
            "events": s.events,
            "pages": s.pages,
            "seconds": (s.seconds * 100.0).round() / 100.0,
            "events_per_s": s.events_per_second().round(),
            "ms_per_page": (s.ms_per_page() * 10.0).round() / 10.0,
        })),
        "load_average": load_average(),
        "date": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    if args.json {
        print_json(&report)?;
    } else {
        println!(
            "{} events, {} campaigns × {} contacts; generated in {:.0} s, rollups rebuilt in {:.1} s ({} hourly rows)",
            args.events, args.campaigns, args.contacts, generate_s, rebuild_s, hourly_rows
        );
        println!(
            "{:<16} {:>9} {:>9} {:>11} {:>11} {:>8}",
            "query", "p50 ms", "p95 ms", "raw p50 ms", "raw p95 ms", "target"
        );
        for r in report["queries"].as_array().into_iter().flatten() {
            println!(
                "{:<16} {:>9} {:>9} {:>11} {:>11} {:>8}",
                r["query"].as_str().unwrap_or(""),
                r["p50_ms"].to_string(),
                r["p95_ms"].to_string(),
                r["raw_p50_ms"].to_string(),
                r["raw_p95_ms"].to_string(),
                format!(
                    "{} {}",
                    r["target_ms"],
                    if r["met"] == true { "met" } else { "MISSED" }
                ),
            );
        }
        if let Some(s) = &sync {
            println!(
                "sync: {} events in {} pages applied in {:.2} s: {:.0} events/s, {:.1} ms per page (rollups kept)",
                s.events,
                s.pages,
                s.seconds,
                s.events_per_second(),
                s.ms_per_page()
            );
        }
        println!(
            "load average {}",
            report["load_average"].as_str().unwrap_or("?")
        );
    }
    Ok(ExitCode::SUCCESS)
}
