//! `herald bench sms`: whether an SMS campaign keeps to its configured
//! rate. A real SMS campaign (the audience resolved into the ledger, every
//! message personalised and counted, every outcome marked durably) goes
//! through the real Twilio client and send engine to a Twilio stand-in
//! ([`super::twilio_standin`]) that answers after a simulated latency and
//! records when each request arrived. Reported: the achieved rate against
//! the configured one, the busiest one-second window (the bucket allows at
//! most `rate` plus the one message already due), and the CPU the sender
//! used.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_send::engine::{CampaignRun, Outcome, SendLock};
use herald_send::secrets::{MemorySecrets, Secrets};
use herald_send::sms::campaign as sms;
use herald_send::sms::settings::{self, ProviderKind, SecretChanges, SenderKind, SmsSettingsInput};
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, Store};
use serde_json::{json, Value};
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

use super::super::print_json;
use super::twilio_standin::{self, TwilioStandIn};
use crate::cli::BenchSmsArgs;

const DB_FILE: &str = "bench-sms.sqlite3";
/// Contacts per INSERT (5 values each).
const PER_STATEMENT: usize = 5_000;

pub async fn run(args: BenchSmsArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=999_999).contains(&args.messages),
        "--messages: between 1 and 999,999"
    );
    anyhow::ensure!(
        args.rate > 0.0 && args.rate <= 100.0,
        "--rate: messages per second, more than 0 and at most 100 (Twilio's most)"
    );
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir: PathBuf = args.keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join(DB_FILE);
    for suffix in ["", "-wal", "-shm", ".send-lock"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
    let latency = Duration::from_millis(args.latency_ms);
    let standin = TwilioStandIn::start(latency)?;

    if !args.json {
        eprintln!("Generating {} contacts and the campaign…", args.messages);
    }
    let store = Store::open(&db).await?;
    contacts(&store, args.messages).await?;
    let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
    let input = SmsSettingsInput {
        provider: ProviderKind::Twilio,
        twilio_account_sid: format!("AC{}", "0".repeat(32)),
        twilio_from: "+14155550100".into(),
        sender_kind: SenderKind::ShortCode,
        messages_per_second: Some(args.rate),
        sending_hours: None,
        twilio_base_url: standin.base_url(),
        ..SmsSettingsInput::default()
    };
    let changes = SecretChanges {
        twilio_auth_token: Some("bench-auth-token".into()),
        ..SecretChanges::default()
    };
    settings::save(&store, Arc::clone(&secrets), &input, changes)
        .await
        .context("saving the SMS settings")?;
    let campaign_id = draft(&store).await?;

    let lock = SendLock::acquire(&store).await?;
    campaign_runs::start(&store, campaign_id, None).await?;
    let setup = sms::setup(&store, &secrets, campaign_id)
        .await
        .context("assembling the campaign")?;
    let options = setup.options.clone();
    let run = CampaignRun::new(
        &lock,
        campaign_id,
        setup.composer,
        setup.messenger,
        setup.options,
    );
    if !args.json {
        eprintln!(
            "Sending at {} messages/s with {} ms of provider latency ({} in flight at most)…",
            args.rate, args.latency_ms, options.concurrency
        );
    }
    let cpu_before = twilio_standin::process_cpu_seconds();
    let standin_cpu_before = standin.cpu_seconds();
    let started = Instant::now();
    let end = run.run().await?;
    let wall = started.elapsed();
    let cpu = twilio_standin::process_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let standin_cpu = standin
        .cpu_seconds()
        .zip(standin_cpu_before)
        .map(|(after, before)| after - before);
    anyhow::ensure!(end == Outcome::Finished, "the send ended with {end:?}");
    drop(lock);

    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND status = 'sent'",
    )
    .bind(campaign_id)
    .fetch_one(store.pool())
    .await?;
    store.close().await;
    let arrivals = standin.arrivals();
    anyhow::ensure!(
        arrivals.len() as i64 == sent && sent == i64::from(args.messages),
        "the stand-in received {} requests, the ledger says {sent} sent, of {}",
        arrivals.len(),
        args.messages
    );
    let span = arrivals
        .last()
        .zip(arrivals.first())
        .map(|(last, first)| last.duration_since(*first).as_secs_f64())
        .unwrap_or(0.0);
    // n requests span n - 1 intervals.
    let achieved = if span > 0.0 {
        (arrivals.len() - 1) as f64 / span
    } else {
        0.0
    };
    let deviation = (achieved - args.rate) / args.rate;
    let busiest = twilio_standin::max_in_window(&arrivals, Duration::from_secs(1));
    let allowed = args.rate.floor() as usize + 1;
    let sender_cpu = cpu.zip(standin_cpu).map(|(all, standin)| all - standin);
    let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let result = json!({
        "benchmark": "sms",
        "messages": args.messages,
        "configured_rate": args.rate,
        "latency_ms": args.latency_ms,
        "in_flight": options.concurrency,
        "seconds": round3(wall.as_secs_f64()),
        "achieved_rate": round3(achieved),
        "deviation_percent": round3(deviation * 100.0),
        "busiest_second": busiest,
        "bucket_allows": allowed,
        "burst_above_bucket": busiest > allowed,
        "sender_cpu_seconds": sender_cpu.map(round3),
        "sender_cpu_percent_of_one_core": sender_cpu.map(|c| round3(c / wall.as_secs_f64() * 100.0)),
        "standin_cpu_seconds": standin_cpu.map(round3),
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    });
    if args.json {
        print_json(&result)?;
    } else {
        print_report(&result);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &Value) {
    println!(
        "sms: {} messages at {} messages/s configured, {} ms provider latency, {} in flight",
        r["messages"], r["configured_rate"], r["latency_ms"], r["in_flight"]
    );
    println!(
        "     achieved {} messages/s ({}% off) in {} s",
        r["achieved_rate"], r["deviation_percent"], r["seconds"]
    );
    println!(
        "     busiest second: {} requests (the bucket allows {}); burst above the bucket: {}",
        r["busiest_second"], r["bucket_allows"], r["burst_above_bucket"]
    );
    println!(
        "     sender CPU: {} s ({}% of one core); the stand-in's own: {} s",
        r["sender_cpu_seconds"], r["sender_cpu_percent_of_one_core"], r["standin_cpu_seconds"]
    );
}

/// `n` subscribed contacts with a UK mobile number and a first name each.
async fn contacts(store: &Store, n: u32) -> anyhow::Result<()> {
    const NAMES: &[&str] = &["Olivia", "Liam", "Chloé", "Kwame", "Yuki", "Priya", "Björn"];
    let now = herald_store::now_millis();
    let mut tx = store.begin_write().await?;
    let mut i = 0u32;
    while i < n {
        let end = n.min(i + PER_STATEMENT as u32);
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO contacts (id, first_name, phone, created_at, updated_at) ",
        );
        q.push_values(i..end, |mut b, k| {
            b.push_bind(Uuid::now_v7())
                .push_bind(NAMES[k as usize % NAMES.len()])
                // +44 7400 000000 upwards: valid UK mobile numbers.
                .push_bind(format!("+447400{k:06}"))
                .push_bind(now)
                .push_bind(now);
        });
        q.build()
            .execute(&mut *tx)
            .await
            .context("generating contacts")?;
        i = end;
    }
    tx.commit().await.context("generating contacts")?;
    Ok(())
}

/// A segment of everyone and an SMS draft to it.
async fn draft(store: &Store) -> anyhow::Result<Uuid> {
    let segment = segments::create(
        store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await?;
    let input = CampaignInput {
        channel: herald_core::Channel::Sms,
        segment_id: Some(segment.id),
        text_body: Some(
            "Hi {{ contact.first_name | default('there') }}, the spring sale starts today: \
             20% off everything in store and online."
                .into(),
        ),
        ..CampaignInput::draft("Bench: spring sale SMS")
    };
    Ok(campaigns::create(store, &input).await?.id.as_uuid())
}
