//! The SMS benchmark's Twilio stand-in: a minimal HTTP/1.1 server on a
//! loopback port that answers `POST /2010-04-01/Accounts/{sid}/Messages.json`
//! the way Twilio's Messages API does (201 with a message resource JSON),
//! after a fixed delay that plays the provider's latency, and records the
//! instant each request arrived. It is only for measuring the send loop's
//! pacing: the tests speak to wiremock stand-ins, which assert on the
//! request in full.
//!
//! It runs on its own OS thread with its own runtime, so the CPU time of
//! the sender (the rest of the process) can be told apart from its own.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A running stand-in; it stops when the process ends.
pub struct TwilioStandIn {
    addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    /// The stand-in thread's id in `/proc/self/task` (Linux).
    tid: Option<String>,
}

impl TwilioStandIn {
    /// Starts the stand-in on 127.0.0.1 with `latency` before each answer.
    pub fn start(latency: Duration) -> anyhow::Result<TwilioStandIn> {
        let arrivals = Arc::new(Mutex::new(Vec::with_capacity(16_384)));
        let recorded = Arc::clone(&arrivals);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("twilio-stand-in".into())
            .spawn(move || {
                let tid = std::fs::read_link("/proc/thread-self")
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(anyhow::anyhow!("a runtime: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match TcpListener::bind("127.0.0.1:0").await {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(anyhow::anyhow!("binding: {e}")));
                            return;
                        }
                    };
                    let addr = listener.local_addr().map_err(anyhow::Error::from);
                    let _ = ready_tx.send(addr.map(|a| (a, tid)));
                    while let Ok((stream, _)) = listener.accept().await {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(serve(stream, latency, Arc::clone(&recorded)));
                    }
                });
            })
            .context("starting the Twilio stand-in")?;
        let (addr, tid) = ready_rx
            .recv()
            .context("the Twilio stand-in did not start")??;
        Ok(TwilioStandIn {
            addr,
            arrivals,
            tid,
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The instants the requests arrived, in order.
    pub fn arrivals(&self) -> Vec<Instant> {
        let mut all = self
            .arrivals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        all.sort();
        all
    }

    /// CPU seconds the stand-in's thread used (Linux), so the sender's can
    /// be told apart.
    pub fn cpu_seconds(&self) -> Option<f64> {
        let tid = self.tid.as_deref()?;
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
        ticks_to_seconds(&stat)
    }
}

/// utime + stime of a `/proc/.../stat` line, in seconds (100 ticks a second,
/// the kernel's USER_HZ on every Linux this runs on).
pub fn ticks_to_seconds(stat: &str) -> Option<f64> {
    // The command name may hold spaces: fields count from after its ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU seconds the whole process used so far (Linux).
pub fn process_cpu_seconds() -> Option<f64> {
    ticks_to_seconds(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// Serves one keep-alive connection until the client closes it.
async fn serve(stream: TcpStream, latency: Duration, arrivals: Arc<Mutex<Vec<Instant>>>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    let mut n: u64 = 0;
    loop {
        // Request line and headers.
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if line.trim().is_empty() {
            continue;
        }
        let arrived = Instant::now();
        let mut length = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        arrivals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(arrived);
        tokio::time::sleep(latency).await;
        n += 1;
        let json = format!(
            "{{\"sid\":\"SM{:032x}\",\"status\":\"queued\",\"num_segments\":\"1\"}}",
            (u128::from(n) << 64) | u128::from(arrived.elapsed().subsec_nanos())
        );
        let response = format!(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        );
        if write.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The most requests that arrived within any `window`.
pub fn max_in_window(arrivals: &[Instant], window: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for end in 0..arrivals.len() {
        while arrivals[end].duration_since(arrivals[start]) >= window {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_window_counts_arrivals_less_than_a_window_apart() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        // 10, 999, 1000 and 1005 lie within one second; 0 and 1005 do not
        // (nor 999 and 1999: exactly a second apart).
        let arrivals = [at(0), at(10), at(999), at(1000), at(1005), at(1999)];
        assert_eq!(max_in_window(&arrivals, Duration::from_secs(1)), 4);
        let spaced = [at(0), at(500), at(1000), at(1500), at(2000)];
        assert_eq!(max_in_window(&spaced, Duration::from_secs(1)), 2);
        assert_eq!(max_in_window(&[], Duration::from_secs(1)), 0);
    }

    #[test]
    fn cpu_ticks_are_read_after_the_command_name() {
        let stat = "42 (my (odd) name) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0";
        assert_eq!(ticks_to_seconds(stat), Some(3.0));
    }
}
