//! `herald-relay bench`: the relay's throughput benchmark (docs/benchmarks.md).
//!
//! It starts the real relay in this process ([`crate::start`]) on a loopback
//! port with a fresh SQLite store in a temporary directory (or a given
//! PostgreSQL database) and signing keys it generates, and a baseline next
//! to it: the same HTTP server ([`crate::serve`]) with a router that answers
//! each route as the relay does (the same GIF, a 302, a 200) without
//! verifying or storing anything. Its own load generator ([`load`]) then
//! sends the same mixed hits to each over keep-alive connections, and the
//! bench checks that every answer was the expected 2xx/302 and that the
//! store holds exactly the hits the relay accepted.
//!
//! The per-IP rate limit is off for the bench's relay (every hit comes from
//! 127.0.0.1); nothing else differs from a deployed relay.

pub mod load;
pub mod report;

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use herald_core::token::SigningKey;
use rand::RngCore as _;
use sqlx::Connection as _;
use tokio::net::TcpListener;

use crate::config::{FileConfig, Options, Secret, Settings};
use crate::routes::tracking;
use crate::server::{serve, start, ServeOptions};
use load::{HitKind, Plan};
use report::{Accounting, Report, Run, Targets};

/// `herald-relay bench` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Hits to send to each server (the relay, then the baseline).
    #[arg(long, default_value_t = 1_000_000)]
    pub hits: u64,
    /// Keep-alive HTTP/1.1 connections, each sending one request at a time.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Store events in this PostgreSQL database (postgres://...) instead of
    /// a temporary SQLite file. The bench adds events to it: use a
    /// throwaway database. Deliberately not read from the environment.
    #[arg(long = "database-url", value_name = "URL")]
    pub database_url: Option<String>,
    /// Group commit: the most jobs per transaction [default: the relay's].
    #[arg(long, value_name = "N")]
    pub group_commit_max_batch: Option<usize>,
    /// Group commit: how long to wait for more jobs [default: the relay's].
    #[arg(long, value_name = "MICROS")]
    pub group_commit_wait_micros: Option<u64>,
    /// Runtime worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What to run; [`BenchArgs`] without the output choices.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub hits: u64,
    pub connections: usize,
    pub database_url: Option<String>,
    pub group_commit_max_batch: Option<usize>,
    pub group_commit_wait_micros: Option<u64>,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            hits: 1_000_000,
            connections: 64,
            database_url: None,
            group_commit_max_batch: None,
            group_commit_wait_micros: None,
        }
    }
}

/// The subcommand: runs the bench on its own runtime and prints the report.
/// Fails (exit 1) when the accounting does not add up; missed targets are
/// reported, not failed.
pub fn main(args: &BenchArgs) -> ExitCode {
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(threads) = args.threads {
        runtime.worker_threads(threads.max(1));
    }
    let runtime = match runtime.build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("herald-relay bench: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let config = BenchConfig {
        hits: args.hits,
        connections: args.connections,
        database_url: args.database_url.clone(),
        group_commit_max_batch: args.group_commit_max_batch,
        group_commit_wait_micros: args.group_commit_wait_micros,
    };
    let report = match runtime.block_on(run(&config)) {
        Ok(mut report) => {
            report.runtime_threads = args.threads.unwrap_or(report.cores);
            report
        }
        Err(error) => {
            eprintln!("herald-relay bench: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("herald-relay bench: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", report.text());
    }
    if report.accounting.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs the bench on the current runtime.
pub async fn run(config: &BenchConfig) -> anyhow::Result<Report> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let dir = tempfile::Builder::new()
        .prefix("herald-relay-bench")
        .tempdir()
        .context("creating a temporary directory for the store")?;
    let (database_url, store) = match &config.database_url {
        Some(url) => (url.clone(), "postgres".to_owned()),
        None => (
            dir.path()
                .join("relay.sqlite3")
                .to_str()
                .context("the temporary directory's path is not UTF-8")?
                .to_owned(),
            "sqlite (temporary file, WAL, synchronous=FULL)".to_owned(),
        ),
    };
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let key = SigningKey::new(1, secret)?;
    let mut settings = bench_settings(&key, &database_url)?;
    if let Some(max_batch) = config.group_commit_max_batch {
        settings.store.max_batch = max_batch.max(1);
    }
    if let Some(wait) = config.group_commit_wait_micros {
        settings.store.max_wait = Duration::from_micros(wait);
    }
    let group_commit_max_batch = settings.store.max_batch;
    let group_commit_wait_micros = u64::try_from(settings.store.max_wait.as_micros())?;
    let serve_options = ServeOptions {
        header_timeout: settings.limits.header_timeout,
        shutdown_grace: settings.limits.shutdown_grace,
    };

    let load_average_before = load_average();
    let relay = start(settings).await.context("starting the relay")?;
    let before = stored_by_kind(&database_url).await?;
    let plan = Arc::new(Plan::new(config.hits, key.clone(), relay.addr()));
    let relay_load = load::run(relay.addr(), plan, config.connections).await?;
    // Read through a connection of our own while the relay still runs:
    // what it answered 2xx for is committed and visible.
    let after = stored_by_kind(&database_url).await?;
    relay.stop().await;

    let (baseline_addr, stop_baseline, baseline_task) = start_baseline(serve_options).await?;
    let plan = Arc::new(Plan::new(config.hits, key, baseline_addr));
    let baseline_load = load::run(baseline_addr, plan, config.connections).await?;
    let _ = stop_baseline.send(());
    let _ = baseline_task.await;
    let load_average_after = load_average();

    let stored = HitKind::ALL.map(|k| after[k.index()].saturating_sub(before[k.index()]));
    let relay_run = Run::from_load(&relay_load);
    let baseline_run = Run::from_load(&baseline_load);
    let ratio = if baseline_run.hits_per_second > 0.0 {
        relay_run.hits_per_second / baseline_run.hits_per_second
    } else {
        0.0
    };
    let accounting = Accounting::new(&relay_load, baseline_run.failed, &stored);
    let targets = Targets {
        hits_per_second: relay_run.hits_per_second >= report::TARGET_HITS_PER_SECOND,
        p99: relay_run.p99_ms < report::TARGET_P99_MS,
        ratio: ratio >= report::TARGET_RATIO,
    };
    Ok(Report {
        hits: config.hits,
        connections: config.connections,
        store,
        group_commit_max_batch,
        group_commit_wait_micros,
        rate_limit_disabled: true,
        cores,
        runtime_threads: cores,
        load_average_before,
        load_average_after,
        relay: relay_run,
        baseline: baseline_run,
        ratio,
        accounting,
        targets,
    })
}

/// A relay's settings as an operator would give them, on loopback port 0,
/// with the per-IP rate limit off.
fn bench_settings(key: &SigningKey, database_url: &str) -> anyhow::Result<Settings> {
    let mut token = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut token);
    let options = Options {
        bind: Some("127.0.0.1:0".into()),
        public_url: Some("http://127.0.0.1".into()),
        database_url: Some(Secret::new(database_url)),
        api_token: Some(Secret::new(URL_SAFE_NO_PAD.encode(token))),
        signing_key: Some(Secret::new(key.to_config_string())),
        workspace_name: Some("Herald bench".into()),
        // Every hit comes from 127.0.0.1: the bench's relay only.
        rate_limit_per_second: Some(0.0),
        ..Options::default()
    };
    Settings::resolve(options, FileConfig::default()).context("the bench's relay settings")
}

/// The baseline: the relay's HTTP server with a router that answers like
/// the relay's routes and does nothing else (no token check, no store).
async fn start_baseline(
    options: ServeOptions,
) -> anyhow::Result<(
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
)> {
    let router = Router::new()
        .route("/o/{token}", get(|| async { tracking::pixel() }))
        .route(
            "/c/{token}",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [
                        (header::LOCATION, "https://shop.example.com/spring"),
                        (header::CACHE_CONTROL, "no-store"),
                        (header::REFERRER_POLICY, "no-referrer"),
                    ],
                )
            }),
        )
        .route(
            "/u/{token}",
            post(|_body: Bytes| async {
                crate::pages::unsubscribed(
                    "Herald bench",
                    herald_core::Channel::Email,
                    "/u/token/resubscribe",
                )
            }),
        )
        .route(
            "/webhooks/generic",
            post(|_body: Bytes| async { StatusCode::OK }),
        );
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the baseline")?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, options, async move {
        let _ = stopped.await;
    }));
    Ok((addr, stop, task))
}

/// Events in the store, by [`HitKind::index`] (webhooks are `delivered`).
async fn stored_by_kind(database_url: &str) -> anyhow::Result<[u64; 4]> {
    const SQL: &str = "SELECT kind, COUNT(*) FROM events GROUP BY kind";
    let rows: Vec<(String, i64)> =
        if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            let mut conn = sqlx::PgConnection::connect(database_url)
                .await
                .context("counting events (PostgreSQL)")?;
            sqlx::query_as(SQL).fetch_all(&mut conn).await?
        } else {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(Path::new(database_url))
                .read_only(true);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .context("counting events (SQLite)")?;
            sqlx::query_as(SQL).fetch_all(&mut conn).await?
        };
    let mut counts = [0u64; 4];
    for (kind, n) in rows {
        if let Some(hit) = HitKind::ALL.iter().find(|k| k.stored_kind() == kind) {
            counts[hit.index()] = u64::try_from(n)?;
        }
    }
    Ok(counts)
}

/// The 1-minute load average, where the system says (Linux).
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
