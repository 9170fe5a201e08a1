//! `herald bench send`: how fast a real email campaign goes out end to end
//! — the audience resolved into the ledger, every message personalised and
//! rendered (~50 KB of HTML, 20 signed tracked links, the open pixel), sent
//! over SMTP with the real pool and engine, every outcome marked durably —
//! against a local SMTP sink ([`super::smtp_sink`]). In the same run, the
//! sink's own limit: the same message sent back to back by the minimal
//! client (`raw_limit`) on as many connections, with TCP_NODELAY on and off.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_send::email::campaign;
use herald_send::email::smtp::{self, Endpoint, PasswordChange, Security, SmtpSettingsInput};
use herald_send::engine::{CampaignRun, Composer as _, Outcome, SendLock};
use herald_send::keys;
use herald_send::secrets::{MemorySecrets, Secrets};
use herald_store::campaigns::{self, CampaignInput, Editor};
use herald_store::ledger::BatchRow;
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, relay_sync, Store};
use serde_json::{json, Value};
use uuid::Uuid;

use super::super::print_json;
use super::measure::{load_average, remove_workspace};
use super::send_data;
use super::smtp_sink::SmtpSink;
use crate::cli::BenchSendArgs;

const DB_FILE: &str = "bench-send.sqlite3";
/// Ledger rows per engine step: large enough that reading a batch and the
/// wait for its slowest message are rare next to the sends, small enough
/// that a pause is noticed within a fraction of a second.
pub const BATCH_SIZE: u32 = 1_000;
/// Messages per connection for the raw limit with TCP_NODELAY off: at a
/// delayed ACK (~40 ms) per message, enough for a steady rate in seconds.
const NAGLE_MESSAGES_PER_CONNECTION: usize = 100;
/// At most this many messages for the raw limit with TCP_NODELAY on.
const RAW_MESSAGES_MAX: usize = 20_000;

pub async fn run(args: BenchSendArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.recipients > 0, "--recipients: at least 1");
    anyhow::ensure!(
        (1..=smtp::settings::MAX_CONNECTIONS).contains(&args.connections),
        "--connections: between 1 and {}, not {}",
        smtp::settings::MAX_CONNECTIONS,
        args.connections
    );
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let dir: PathBuf = args.keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join(DB_FILE);
    remove_workspace(&db);
    let load_before = load_average();
    let sink = SmtpSink::start().await?;
    let connections = usize::from(args.connections);

    if !args.json {
        eprintln!(
            "Generating {} contacts and the campaign (seed {})…",
            args.recipients, args.seed
        );
    }
    let started = Instant::now();
    let store = Store::open(&db).await?;
    send_data::contacts(&store, args.recipients, args.seed).await?;
    let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
    keys::create(secrets.as_ref()).context("creating the relay signing key")?;
    relay_sync::set_url(&store, "https://relay.herald.test").await?;
    smtp::settings::save(
        &store,
        Arc::clone(&secrets),
        &sink_settings(sink.port(), args.connections),
        PasswordChange::Keep,
    )
    .await
    .context("saving the SMTP settings")?;
    let campaign_id = draft(&store).await?;
    let generate = started.elapsed();

    if !args.json {
        eprintln!("Resolving and sending…");
    }
    let lock = SendLock::acquire(&store).await?;
    let started = Instant::now();
    let audience = campaign_runs::start(&store, campaign_id, None).await?;
    let resolve = started.elapsed();

    let started = Instant::now();
    let setup = campaign::setup(&store, &secrets, campaign_id)
        .await
        .context("assembling the campaign")?;
    anyhow::ensure!(setup.tracking, "the bench campaign must be tracked");
    let composer = Arc::clone(&setup.composer);
    let mut options = setup.options;
    options.rate = None;
    options.concurrency = connections;
    options.batch_size = BATCH_SIZE;
    let received_before = sink.received();
    let run = CampaignRun::new(
        &lock,
        campaign_id,
        setup.composer,
        setup.messenger.clone(),
        options,
    );
    let end = run.run().await?;
    let send = started.elapsed();
    setup.messenger.pool().close().await;
    anyhow::ensure!(end == Outcome::Finished, "the send ended with {end:?}");
    let received = sink.received() - received_before;
    let counts = ledger_counts(&store, campaign_id).await?;
    anyhow::ensure!(
        received == counts.sent,
        "the sink received {received} messages but the ledger says {} were sent",
        counts.sent
    );
    anyhow::ensure!(
        counts.sent == u64::from(args.recipients),
        "{} of {} recipients were sent ({} failed, {} in doubt)",
        counts.sent,
        args.recipients,
        counts.failed,
        counts.in_doubt
    );

    // The same message, rendered once, for the minimal client.
    let message = composer
        .compose(&sample_row())
        .map_err(|e| anyhow::anyhow!("rendering the sample message: {e}"))?;
    let settings = smtp::settings::load(&store)
        .await?
        .context("the SMTP settings were just saved")?;
    let endpoint = Endpoint::new(&settings, None);
    let raw_count = (args.recipients as usize).min(RAW_MESSAGES_MAX);
    if !args.json {
        eprintln!("Measuring the sink's raw limit…");
    }
    let raw = raw_limit(
        &endpoint,
        &message.from,
        &message.body,
        raw_count,
        connections,
    )
    .await?;
    let nagle_count = (NAGLE_MESSAGES_PER_CONNECTION * connections).min(args.recipients as usize);
    let nagle = raw_limit(
        &endpoint.clone().with_nodelay(false),
        &message.from,
        &message.body,
        nagle_count,
        connections,
    )
    .await?;
    drop(lock);
    store.close().await;

    let sent = counts.sent as f64;
    let end_to_end = sent / (resolve + send).as_secs_f64();
    let send_only = sent / send.as_secs_f64();
    let result = json!({
        "benchmark": "send",
        "recipients": args.recipients,
        "connections": connections,
        "batch_size": BATCH_SIZE,
        "message_bytes": message.body.len(),
        "tracked_links": send_data::LINKS,
        "resolved": audience.will_receive,
        "sent": counts.sent,
        "failed": counts.failed,
        "in_doubt": counts.in_doubt,
        "sink_received": received,
        "phases_seconds": {
            "generate": secs(generate),
            "resolve": secs(resolve),
            "send": secs(send),
        },
        "messages_per_second": end_to_end.round(),
        "send_messages_per_second": send_only.round(),
        "raw_limit": raw.to_json(),
        "ratio_to_raw_limit": ((end_to_end / raw.rate) * 1000.0).round() / 1000.0,
        "raw_limit_nodelay_off": nagle.to_json(),
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    });
    if args.json {
        print_json(&result)?;
    } else {
        print_report(&result);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &Value) {
    let p = &r["phases_seconds"];
    println!(
        "send: {} recipients, {} KB message, {} tracked links, {} connections, batches of {}",
        r["recipients"],
        r["message_bytes"].as_u64().unwrap_or(0) / 1024,
        r["tracked_links"],
        r["connections"],
        r["batch_size"]
    );
    println!(
        "      generate {} s, resolve {} s, send {} s",
        p["generate"], p["resolve"], p["send"]
    );
    println!(
        "      {} messages/s end to end (resolve + render + send + ledger); {} messages/s while sending",
        r["messages_per_second"], r["send_messages_per_second"]
    );
    println!(
        "      sink's raw limit: {} messages/s ({} messages on {} connections); ratio {}",
        r["raw_limit"]["messages_per_second"],
        r["raw_limit"]["messages"],
        r["connections"],
        r["ratio_to_raw_limit"]
    );
    println!(
        "      raw limit with TCP_NODELAY off: {} messages/s ({} messages)",
        r["raw_limit_nodelay_off"]["messages_per_second"], r["raw_limit_nodelay_off"]["messages"]
    );
    println!(
        "      load average before {}, after {}",
        r["load_average_before"], r["load_average_after"]
    );
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// The sink as the workspace's SMTP server: no TLS or login on loopback.
fn sink_settings(port: u16, connections: u8) -> SmtpSettingsInput {
    SmtpSettingsInput {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: String::new(),
        from_name: "Herald Bench".into(),
        from_address: "news@herald.test".into(),
        reply_to: String::new(),
        // The engine's rate is set to unlimited for the bench; this is only
        // the stored setting, which must be valid.
        messages_per_second: smtp::settings::MAX_MESSAGES_PER_SECOND,
        connections,
        timeout_seconds: 30,
    }
}

/// A segment of everyone and an email draft to it with the generated body.
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
    let mut input = CampaignInput::draft("Bench: the spring newsletter");
    input.segment_id = Some(segment.id);
    input.subject = "{{ contact.first_name | default('Hello') }}, your spring update".into();
    input.preheader = Some("Twenty stories picked for your plan".into());
    input.html = send_data::html();
    input.editor = Editor::Html;
    input.tracking = true;
    Ok(campaigns::create(store, &input).await?.id.as_uuid())
}

/// A recipient like the generated ones, for rendering the raw message.
fn sample_row() -> BatchRow {
    let mut custom = serde_json::Map::new();
    custom.insert("plan".into(), json!("pro"));
    BatchRow {
        contact_id: Uuid::now_v7(),
        address: "00000000.sample@bench.herald.test".into(),
        attempts: 0,
        first_name: Some("Sample".into()),
        last_name: Some("Person".into()),
        email: Some("00000000.sample@bench.herald.test".into()),
        phone: None,
        company: None,
        city: None,
        region: None,
        country: None,
        custom,
    }
}

struct Counts {
    sent: u64,
    failed: u64,
    in_doubt: u64,
}

async fn ledger_counts(store: &Store, campaign: Uuid) -> anyhow::Result<Counts> {
    let (sent, failed, in_doubt): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status = 'failed'), 0),
                COALESCE(SUM(status = 'in_doubt'), 0)
         FROM campaign_recipients WHERE campaign_id = ?",
    )
    .bind(campaign)
    .fetch_one(store.pool())
    .await
    .context("counting the ledger")?;
    Ok(Counts {
        sent: sent as u64,
        failed: failed as u64,
        in_doubt: in_doubt as u64,
    })
}

/// The sink's limit on `connections` connections at once, each sending its
/// share of `count` copies of `raw` back to back.
struct Raw {
    messages: usize,
    seconds: f64,
    rate: f64,
}

impl Raw {
    fn to_json(&self) -> Value {
        json!({
            "messages": self.messages,
            "seconds": (self.seconds * 1000.0).round() / 1000.0,
            "messages_per_second": self.rate.round(),
        })
    }
}

async fn raw_limit(
    endpoint: &Endpoint,
    from: &str,
    raw: &[u8],
    count: usize,
    connections: usize,
) -> anyhow::Result<Raw> {
    let per = count.div_ceil(connections).max(1);
    let raw: Arc<[u8]> = Arc::from(raw);
    let mut tasks = Vec::with_capacity(connections);
    for i in 0..connections {
        let endpoint = endpoint.clone();
        let from = from.to_owned();
        let raw = Arc::clone(&raw);
        tasks.push(tokio::spawn(async move {
            let to = format!("raw{i}@bench.herald.test");
            smtp::raw_limit(&endpoint, &from, &to, &raw, per).await
        }));
    }
    // Connections run side by side: the rate is all messages over the
    // longest connection's time.
    let mut messages = 0;
    let mut longest = Duration::ZERO;
    for task in tasks {
        let limit = task
            .await
            .context("a raw-limit connection panicked")?
            .map_err(|e| anyhow::anyhow!("the raw-limit client failed: {e:?}"))?;
        messages += limit.messages;
        longest = longest.max(limit.elapsed);
    }
    let seconds = longest.as_secs_f64().max(f64::EPSILON);
    Ok(Raw {
        messages,
        seconds,
        rate: messages as f64 / seconds,
    })
}
