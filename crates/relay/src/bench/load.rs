//! The load generator: `connections` keep-alive HTTP/1.1 connections (hyper's
//! client, one request at a time on each) that share a counter of hits to
//! send, build each hit's request from its number, and record its latency
//! and whether the answer was the one the route promises.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use hmac::{Hmac, Mac};
use http::{header, Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use sha2::Sha256;
use tokio::net::TcpStream;
use uuid::Uuid;

/// A browser's user agent: the relay classifies and stores it as it would
/// a person's.
const USER_AGENT: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

/// What a hit is. The mix is fixed by the issue: 70% opens, 25% clicks, 4%
/// one-click unsubscribes, 1% webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Open,
    Click,
    Unsubscribe,
    Webhook,
}

impl HitKind {
    pub const ALL: [HitKind; 4] = [
        HitKind::Open,
        HitKind::Click,
        HitKind::Unsubscribe,
        HitKind::Webhook,
    ];

    /// Hit `i`'s kind. Multiplying by 37 (prime to 100) spreads each kind
    /// over every block of 100 hits instead of sending 70 opens in a row.
    pub fn of(i: u64) -> HitKind {
        match (i * 37) % 100 {
            0..=69 => HitKind::Open,
            70..=94 => HitKind::Click,
            95..=98 => HitKind::Unsubscribe,
            _ => HitKind::Webhook,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            HitKind::Open => "open",
            HitKind::Click => "click",
            HitKind::Unsubscribe => "unsubscribe",
            HitKind::Webhook => "webhook",
        }
    }

    /// The event kind the relay stores for this hit.
    pub fn stored_kind(self) -> &'static str {
        match self {
            HitKind::Open => "open",
            HitKind::Click => "click",
            HitKind::Unsubscribe => "unsubscribe",
            HitKind::Webhook => "delivered",
        }
    }

    /// The answer that means "accepted" (and, on the relay, "stored").
    pub fn expected(self) -> StatusCode {
        match self {
            HitKind::Click => StatusCode::FOUND,
            _ => StatusCode::OK,
        }
    }
}

/// How many hits of `kind` are among hits `0..hits`.
pub fn planned(hits: u64, kind: HitKind) -> u64 {
    let per_block = match kind {
        HitKind::Open => 70,
        HitKind::Click => 25,
        HitKind::Unsubscribe => 4,
        HitKind::Webhook => 1,
    };
    let whole = hits / 100 * per_block;
    whole
        + (hits / 100 * 100..hits)
            .filter(|&i| HitKind::of(i) == kind)
            .count() as u64
}

/// Everything a connection needs to build hit `i`'s request.
#[derive(Debug)]
pub struct Plan {
    pub hits: u64,
    key: SigningKey,
    campaign: Uuid,
    /// Recipients are `base` with the hit number in its low 40 bits (still
    /// a well-formed UUID v7): every token is distinct.
    base: u128,
    /// Unique per run, so webhook ids never repeat across runs on a shared
    /// PostgreSQL store.
    run: Uuid,
    host: String,
}

impl Plan {
    pub fn new(hits: u64, key: SigningKey, addr: SocketAddr) -> Plan {
        Plan {
            hits,
            key,
            campaign: Uuid::now_v7(),
            base: Uuid::now_v7().as_u128() & !((1u128 << 40) - 1),
            run: Uuid::now_v7(),
            host: addr.to_string(),
        }
    }

    fn claims(&self, i: u64, kind: TokenKind) -> Claims {
        Claims {
            kind,
            campaign: self.campaign,
            recipient: Uuid::from_u128(self.base | u128::from(i & ((1 << 40) - 1))),
            channel: Channel::Email,
            url: (kind == TokenKind::Click).then(|| {
                format!(
                    "https://shop.example.com/spring?utm_source=herald&l={}",
                    i % 8
                )
            }),
        }
    }

    /// Hit `i`'s request.
    pub fn request(&self, i: u64) -> anyhow::Result<(HitKind, Request<Full<Bytes>>)> {
        let kind = HitKind::of(i);
        let builder = Request::builder()
            .header(header::HOST, &self.host)
            .header(header::USER_AGENT, USER_AGENT);
        let request = match kind {
            HitKind::Open => {
                let token = sign(&self.key, &self.claims(i, TokenKind::Open))?;
                builder
                    .method(Method::GET)
                    .uri(format!("/o/{token}"))
                    .body(Full::default())?
            }
            HitKind::Click => {
                let token = sign(&self.key, &self.claims(i, TokenKind::Click))?;
                builder
                    .method(Method::GET)
                    .uri(format!("/c/{token}"))
                    .body(Full::default())?
            }
            HitKind::Unsubscribe => {
                let token = sign(&self.key, &self.claims(i, TokenKind::Unsubscribe))?;
                builder
                    .method(Method::POST)
                    .uri(format!("/u/{token}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Full::new(Bytes::from_static(b"List-Unsubscribe=One-Click")))?
            }
            HitKind::Webhook => {
                // The generic format (src/webhooks/generic.rs), signed with
                // the workspace key, each with its own id.
                let body = format!(
                    r#"{{"id":"bench-{}-{i}","kind":"delivered","address":"r{i}@example.com","message_id":"<{i}@bench.example.com>"}}"#,
                    self.run.simple()
                );
                let t = chrono::Utc::now().timestamp().to_string();
                let mut mac = Hmac::<Sha256>::new_from_slice(self.key.secret_bytes())
                    .expect("HMAC takes keys of any length");
                mac.update(t.as_bytes());
                mac.update(b".");
                mac.update(body.as_bytes());
                let signature = hex::encode(mac.finalize().into_bytes());
                builder
                    .method(Method::POST)
                    .uri("/webhooks/generic")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("x-herald-signature", format!("t={t},v1={signature}"))
                    .body(Full::new(Bytes::from(body)))?
            }
        };
        Ok((kind, request))
    }
}

/// What the load against one server did.
#[derive(Debug, Default)]
pub struct LoadResult {
    pub elapsed: Duration,
    /// Every answered request's latency in microseconds, sorted.
    pub latencies_us: Vec<u32>,
    /// Answers with the expected status, by [`HitKind::index`].
    pub accepted: [u64; 4],
    /// Answers with another status, or no answer, by [`HitKind::index`].
    pub failed: [u64; 4],
    /// The first few failures, in words.
    pub failures: Vec<String>,
}

#[derive(Default)]
struct ConnectionResult {
    latencies_us: Vec<u32>,
    accepted: [u64; 4],
    failed: [u64; 4],
    failures: Vec<String>,
}

const FAILURES_KEPT: usize = 10;

/// Sends `plan.hits` hits to `addr` over `connections` connections.
pub async fn run(
    addr: SocketAddr,
    plan: Arc<Plan>,
    connections: usize,
) -> anyhow::Result<LoadResult> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections.max(1))
        .map(|_| tokio::spawn(connection(addr, plan.clone(), next.clone())))
        .collect();
    let mut result = LoadResult::default();
    for task in tasks {
        let one = task.await.context("a load connection panicked")?;
        result.latencies_us.extend_from_slice(&one.latencies_us);
        for k in 0..4 {
            result.accepted[k] += one.accepted[k];
            result.failed[k] += one.failed[k];
        }
        let room = FAILURES_KEPT.saturating_sub(result.failures.len());
        result.failures.extend(one.failures.into_iter().take(room));
    }
    result.elapsed = started.elapsed();
    // Hits no connection got to send (all connections failed).
    let sent: u64 = result.accepted.iter().chain(&result.failed).sum();
    if sent < plan.hits {
        result
            .failures
            .push(format!("{} hits never sent", plan.hits - sent));
        for i in sent..plan.hits {
            result.failed[HitKind::of(i).index()] += 1;
        }
    }
    result.latencies_us.sort_unstable();
    Ok(result)
}

async fn connection(addr: SocketAddr, plan: Arc<Plan>, next: Arc<AtomicU64>) -> ConnectionResult {
    let mut result = ConnectionResult {
        latencies_us: Vec::with_capacity(4096),
        ..ConnectionResult::default()
    };
    if let Err(error) = drive(addr, &plan, &next, &mut result).await {
        result.failures.push(format!("connection: {error:#}"));
    }
    result
}

async fn drive(
    addr: SocketAddr,
    plan: &Plan,
    next: &AtomicU64,
    result: &mut ConnectionResult,
) -> anyhow::Result<()> {
    let stream = TcpStream::connect(addr).await.context("connecting")?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
            .await
            .context("HTTP/1.1 handshake")?;
    let driver = tokio::spawn(conn);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= plan.hits {
            break;
        }
        let (kind, request) = plan.request(i)?;
        let started = Instant::now();
        let answer = async {
            sender.ready().await?;
            let response = sender.send_request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, body))
        }
        .await;
        let took = started.elapsed();
        match answer {
            Ok((status, _)) if status == kind.expected() => {
                result.accepted[kind.index()] += 1;
                result
                    .latencies_us
                    .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
            }
            Ok((status, body)) => {
                result.failed[kind.index()] += 1;
                result
                    .latencies_us
                    .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
                if result.failures.len() < FAILURES_KEPT {
                    let body = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                    result.failures.push(format!(
                        "{} hit {i}: {status}: {}",
                        kind.name(),
                        body.trim()
                    ));
                }
            }
            Err(error) => {
                // The connection is gone: count this hit and stop; the other
                // connections send the rest.
                result.failed[kind.index()] += 1;
                drop(sender);
                let _ = driver.await;
                anyhow::bail!("{} hit {i}: {error:#}", kind.name());
            }
        }
    }
    drop(sender);
    let _ = driver.await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_70_25_4_1_in_every_hundred() {
        let counts = HitKind::ALL.map(|k| planned(100, k));
        assert_eq!(counts, [70, 25, 4, 1]);
        assert_eq!(
            HitKind::ALL.map(|k| planned(1_234, k)).iter().sum::<u64>(),
            1_234
        );
        for hits in [0, 1, 99, 101, 250] {
            for kind in HitKind::ALL {
                let direct = (0..hits).filter(|&i| HitKind::of(i) == kind).count() as u64;
                assert_eq!(planned(hits, kind), direct);
            }
        }
    }
}
