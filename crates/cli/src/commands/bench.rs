//! `herald bench`: speed measured on generated data, in a fresh workspace.

mod analytics;
mod analytics_sync;
mod generate;
mod measure;
mod segments;
mod send;
mod send_data;
mod sms;
mod smtp_sink;
mod twilio_standin;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use herald_store::import::{self, ImportOptions};
use herald_store::Store;
use serde_json::json;

use super::print_json;
use crate::cli::{BenchCommand, BenchImportArgs};
use herald_demo as demo;

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Import(args) => bench_import(args).await,
        BenchCommand::Segments(args) => segments::run(args).await,
        BenchCommand::Send(args) => send::run(args).await,
        BenchCommand::Sms(args) => sms::run(args).await,
        BenchCommand::Analytics(args) => analytics::run(args).await,
    }
}

async fn bench_import(args: BenchImportArgs) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir: PathBuf = args.keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let csv_path = dir.join("bench-import.csv");
    let db_path = dir.join("bench-import.sqlite3");
    for stale in [
        &db_path,
        &db_path.with_extension("sqlite3-wal"),
        &db_path.with_extension("sqlite3-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }

    eprintln!("Generating {} rows (seed {})…", args.rows, args.seed);
    {
        let file =
            File::create(&csv_path).with_context(|| format!("creating {}", csv_path.display()))?;
        let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
        // A third-party export has no Herald ids: leave the demo's id column
        // out, so new contacts get fresh (time-ordered) ids as in real use.
        w.write_record(&demo::CSV_HEADER[1..])
            .context("writing the CSV")?;
        for person in demo::generate(args.seed, args.rows, false) {
            w.write_record(&person.csv_record()[1..])
                .context("writing the CSV")?;
        }
        w.flush().context("writing the CSV")?;
    }
    let csv_bytes = std::fs::metadata(&csv_path).map(|m| m.len()).unwrap_or(0);
    let rss_before = peak_rss_bytes();

    let store = Store::open(&db_path).await?;
    eprintln!("Importing {}…", csv_path.display());
    let file = File::open(&csv_path).context("opening the generated CSV")?;
    let started = Instant::now();
    let report = import::import_csv(
        &store,
        std::io::BufReader::with_capacity(1 << 16, file),
        &ImportOptions::default(),
        &mut |_, _| {},
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    let rows = u64::from(args.rows);
    let rows_per_second = rows as f64 / seconds;
    let peak = peak_rss_bytes();
    let db_bytes = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
    let result = json!({
        "benchmark": "import",
        "rows": rows,
        "csv_bytes": csv_bytes,
        "imported": report.imported,
        "skipped": report.skipped,
        "duplicates": report.duplicates.len(),
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "rows_per_second": rows_per_second.round(),
        "peak_rss_bytes": peak,
        "peak_rss_before_import_bytes": rss_before,
        "workspace_bytes": db_bytes,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    });
    if args.json {
        print_json(&result)?;
    } else {
        println!(
            "import: {rows} rows ({:.1} MB CSV) in {seconds:.2} s = {rows_per_second:.0} rows/s",
            csv_bytes as f64 / 1e6
        );
        println!(
            "        imported {}, skipped {} bad rows",
            report.imported, report.skipped
        );
        match peak {
            Some(bytes) => println!("        peak RSS {:.0} MB", bytes as f64 / 1_048_576.0),
            None => println!("        peak RSS not measurable on this OS"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident set size (Linux: VmHWM).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
