//! A real `herald-relay` process on a loopback port, for the tests that
//! need signed links, webhooks and sync to go through the relay itself.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::PATIENCE;

/// A `herald-relay` process, stopped when dropped.
pub struct RelayProcess {
    child: Child,
    port: u16,
}

impl RelayProcess {
    /// Starts the relay on `port` with these keys, storing events in `db`.
    pub async fn start(port: u16, signing_key: &str, api_token: &str, db: &Path) -> RelayProcess {
        RelayProcess::start_with(port, signing_key, api_token, db, &[]).await
    }

    /// As [`RelayProcess::start`], with more of the relay's settings as
    /// environment variables (e.g. `HERALD_RELAY_TWILIO_AUTH_TOKEN`).
    pub async fn start_with(
        port: u16,
        signing_key: &str,
        api_token: &str,
        db: &Path,
        env: &[(&str, &str)],
    ) -> RelayProcess {
        let binary = PathBuf::from(std::env::var("HERALD_E2E_RELAY").unwrap_or_else(|_| {
            panic!("HERALD_E2E_RELAY is not set: run the end-to-end suite with scripts/e2e.sh")
        }));
        let log = std::fs::File::create(db.with_extension("log")).expect("the relay's log file");
        let child = Command::new(&binary)
            .env("HERALD_RELAY_BIND", format!("127.0.0.1:{port}"))
            .env(
                "HERALD_RELAY_PUBLIC_URL",
                format!("http://127.0.0.1:{port}"),
            )
            .env("HERALD_RELAY_DATABASE_URL", db)
            .env("HERALD_RELAY_WORKSPACE_NAME", "Herald e2e")
            .env("HERALD_RELAY_SIGNING_KEY", signing_key)
            .env("HERALD_RELAY_API_TOKEN", api_token)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let relay = RelayProcess { child, port };
        relay.wait_until_up().await;
        relay
    }

    /// Its public URL (what it was started with, and what Twilio signs).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_up(&self) {
        let http = http();
        let started = Instant::now();
        loop {
            if let Ok(r) = http.get(format!("{}/healthz", self.url())).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(
                started.elapsed() < PATIENCE,
                "herald-relay did not answer /healthz within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops it (SIGKILL: every accepted hit is already on disk).
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP client (reqwest is built without a default TLS provider; the
/// workspace compiles ring).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}
