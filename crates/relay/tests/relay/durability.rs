//! Durability: the real `herald-relay` binary is SIGKILLed again and again
//! while clients send a few thousand mixed requests, retrying whatever got
//! no 2xx (a 302 for clicks). Afterwards every request that got a 2xx is in the event log:
//! exactly once when no attempt of it was left without an answer, and at
//! most once per unanswered attempt plus one otherwise (an attempt can
//! commit and lose its answer to the kill; token hits have no idempotency
//! key, webhooks do and are always exactly once).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::helpers::*;

const REQUESTS: usize = 3000;
const WORKERS: usize = 4;

#[derive(Clone)]
enum Hit {
    Open(Uuid),
    Click(Uuid),
    Unsubscribe(Uuid),
    Webhook(String),
}

impl Hit {
    fn identity(&self) -> String {
        match self {
            Hit::Open(r) | Hit::Click(r) | Hit::Unsubscribe(r) => r.to_string(),
            Hit::Webhook(id) => id.clone(),
        }
    }

    /// A 2xx, or the click's 302: the answers that promise a stored hit.
    fn succeeded(&self, status: u16) -> bool {
        (200..300).contains(&status) || (matches!(self, Hit::Click(_)) && status == 302)
    }

    fn raw(&self) -> String {
        let get = |path: String| {
            format!("GET {path} HTTP/1.1\r\nHost: relay\r\nUser-Agent: durability\r\n\r\n")
        };
        let post = |path: String, content_type: &str, extra: &str, body: &str| {
            format!(
                "POST {path} HTTP/1.1\r\nHost: relay\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        match self {
            Hit::Open(r) => get(format!("/o/{}", open_token(*r))),
            Hit::Click(r) => get(format!("/c/{}", click_token(*r, "https://example.com/"))),
            Hit::Unsubscribe(r) => post(
                format!("/u/{}", unsubscribe_token(*r)),
                "application/x-www-form-urlencoded",
                "",
                "List-Unsubscribe=One-Click",
            ),
            Hit::Webhook(id) => {
                let (body, signature) = generic_webhook(id, "ada@example.com");
                let extra = format!("X-Herald-Signature: {signature}\r\n");
                post(
                    "/webhooks/generic".into(),
                    "application/json",
                    &extra,
                    &body,
                )
            }
        }
    }
}

/// What happened to one attempt.
enum Attempt {
    /// Never reached the server (connection refused).
    NotSent,
    /// Sent, but no answer came back: it may or may not have committed.
    Unanswered,
    Status(u16, String),
}

/// One request on a keep-alive connection, reconnecting when needed.
async fn send(conn: &mut Option<TcpStream>, addr: SocketAddr, raw: &str) -> Attempt {
    if conn.is_none() {
        match TcpStream::connect(addr).await {
            Ok(stream) => *conn = Some(stream),
            Err(_) => return Attempt::NotSent,
        }
    }
    let stream = conn.as_mut().unwrap();
    if stream.write_all(raw.as_bytes()).await.is_err() {
        *conn = None;
        return Attempt::Unanswered;
    }
    match tokio::time::timeout(Duration::from_secs(10), read_response(stream)).await {
        Ok(Some((status, body))) => Attempt::Status(status, body),
        _ => {
            *conn = None;
            Attempt::Unanswered
        }
    }
}

async fn read_response(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let head = text[..end].to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("content-length: ")
                    .map(|v| v.trim().parse::<usize>())
            })
            .unwrap_or(Ok(0))
            .ok()?;
        if buf.len() >= end + 4 + length {
            let status = head.split(' ').nth(1)?.parse().ok()?;
            return Some((status, text[end + 4..end + 4 + length].to_owned()));
        }
    }
}

fn spawn_relay(db: &Path, addr: SocketAddr, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_herald-relay"))
        .env_clear()
        .env("HERALD_RELAY_BIND", addr.to_string())
        .env("HERALD_RELAY_PUBLIC_URL", format!("http://{addr}"))
        .env("HERALD_RELAY_DATABASE_URL", db)
        .env("HERALD_RELAY_API_TOKEN", API_TOKEN)
        .env("HERALD_RELAY_SIGNING_KEY", KEY)
        .env("HERALD_RELAY_WORKSPACE_NAME", "Durability")
        .env("HERALD_RELAY_RATE_LIMIT_PER_SECOND", "0")
        .env("HERALD_RELAY_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

async fn wait_until_up(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let mut conn = None;
        if let Attempt::Status(200, _) = send(
            &mut conn,
            addr,
            "GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n",
        )
        .await
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the relay did not come up");
}

async fn pull_all(addr: SocketAddr) -> Vec<serde_json::Value> {
    let (mut conn, mut cursor, mut events) = (None, "0".to_owned(), Vec::new());
    loop {
        let raw = format!(
            "GET /api/v1/events?after={cursor}&limit=5000 HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer {API_TOKEN}\r\n\r\n"
        );
        let Attempt::Status(200, body) = send(&mut conn, addr, &raw).await else {
            panic!("pull failed")
        };
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        events.extend(page["events"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if page["has_more"] == false {
            return events;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_hit_survives_repeated_sigkills() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.sqlite3");
    let log = dir.path().join("relay.log");
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut child = spawn_relay(&db, addr, &log);
    wait_until_up(addr).await;

    let hits: Arc<Vec<Hit>> = Arc::new(
        (0..REQUESTS)
            .map(|i| match i % 10 {
                0..=5 => Hit::Open(Uuid::now_v7()),
                6 | 7 => Hit::Click(Uuid::now_v7()),
                8 => Hit::Unsubscribe(Uuid::now_v7()),
                _ => Hit::Webhook(format!("durability-{i}")),
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (hits, next) = (hits.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut conn = None;
            // (index, unanswered attempts) for every request that got a 2xx.
            let mut outcomes = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(hit) = hits.get(i) else {
                    return outcomes;
                };
                let (mut unanswered, deadline) = (0, Instant::now() + Duration::from_secs(120));
                loop {
                    assert!(Instant::now() < deadline, "request {i} never got a 2xx");
                    match send(&mut conn, addr, &hit.raw()).await {
                        Attempt::Status(status, _) if hit.succeeded(status) => break,
                        Attempt::Unanswered => unanswered += 1,
                        Attempt::NotSent | Attempt::Status(..) => {}
                    }
                    conn = None;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                outcomes.push((i, unanswered));
            }
        }));
    }

    // The killer: SIGKILL and restart on the same file at fixed points of
    // the run (each seventh of the requests handed out), so the number of
    // kills does not depend on how fast the machine is.
    const KILLS: usize = 6;
    let (killer_done, progress) = (done.clone(), next.clone());
    let killer = tokio::spawn(async move {
        let mut kills = 0;
        while kills < KILLS && !killer_done.load(Ordering::Relaxed) {
            let milestone = (kills + 1) * REQUESTS / (KILLS + 1);
            if progress.load(Ordering::Relaxed) < milestone {
                tokio::time::sleep(Duration::from_millis(1)).await;
                continue;
            }
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            kills += 1;
            child = spawn_relay(&db, addr, &log);
            wait_until_up(addr).await;
        }
        (child, kills)
    });
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.unwrap());
    }
    done.store(true, Ordering::Relaxed);
    let (mut child, kills) = killer.await.unwrap();
    assert_eq!(
        kills, KILLS,
        "every kill happened while requests were in flight"
    );
    assert_eq!(outcomes.len(), REQUESTS);

    let events = pull_all(addr).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for event in &events {
        let identity = event["recipient_id"]
            .as_str()
            .or(event["provider_event_id"].as_str())
            .expect("an event with neither recipient nor provider event id")
            .to_owned();
        *counts.entry(identity).or_default() += 1;
    }
    let mut retried_after_loss = 0;
    for (i, unanswered) in &outcomes {
        let hit = &hits[*i];
        let stored = counts.remove(&hit.identity()).unwrap_or(0);
        let most = match hit {
            Hit::Webhook(_) => 1,
            _ => 1 + unanswered,
        };
        assert!(
            (1..=most).contains(&stored),
            "request {i} got a 2xx after {unanswered} unanswered attempts and is stored {stored} times"
        );
        retried_after_loss += usize::from(*unanswered > 0);
    }
    assert!(counts.is_empty(), "events no request explains: {counts:?}");
    eprintln!("{REQUESTS} requests, {kills} kills, {retried_after_loss} retried after a lost answer, {} events", events.len());
}
