//! Running the router on a socket: HTTP/1.1 with keep-alive, a header read
//! timeout, the peer address for the handlers, and a graceful shutdown that
//! stops accepting, lets in-flight requests finish (up to a grace period),
//! then drains the store's writer.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::config::Settings;
use crate::routes::app;
use crate::state::AppState;
use crate::store::Store;
use crate::webhooks::{ReqwestFetcher, Webhooks};

/// How the accept loop treats connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A client must send a request's headers within this time.
    pub header_timeout: Duration,
    /// On shutdown, how long in-flight requests get to finish.
    pub shutdown_grace: Duration,
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .keep_alive(true);
    let http = Arc::new(http);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: back off, go on.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(options.shutdown_grace) => {
            tracing::warn!("shutdown grace period over: closing the remaining connections");
        }
    }
}

/// A relay running in this process (the binary, and black-box tests).
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    store: Store,
}

impl Running {
    /// The address it listens on (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, drains in-flight requests, commits what is queued.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        self.store.shutdown().await;
    }

    /// Waits until the server stopped by itself (it does not, unless stopped).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Opens the store, binds `settings.bind` and serves until [`Running::stop`].
pub async fn start(settings: Settings) -> anyhow::Result<Running> {
    let store = Store::open(settings.database_url.expose(), settings.store.clone())
        .await
        .context("opening the store (database_url)")?;
    let fetcher =
        ReqwestFetcher::new().context("setting up the HTTPS client for SNS certificates")?;
    let webhooks =
        Webhooks::new(settings.webhooks.clone(), Arc::new(fetcher)).context("webhook settings")?;
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("bind: cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    let options = ServeOptions {
        header_timeout: settings.limits.header_timeout,
        shutdown_grace: settings.limits.shutdown_grace,
    };
    let retention = settings.retention;
    let state = AppState::new(settings, store.clone(), webhooks);
    let (stop, mut stopped) = watch::channel(false);
    let pruner = tokio::spawn(prune_hourly(store.clone(), retention));
    let task = tokio::spawn(async move {
        serve(listener, app(state), options, async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
        .await;
        pruner.abort();
    });
    Ok(Running {
        addr,
        stop,
        task,
        store,
    })
}

/// Prunes acknowledged events past the retention period, once an hour (the
/// API also prunes after each ack).
async fn prune_hourly(store: Store, retention: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let cutoff = chrono::Utc::now().timestamp_millis()
            - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        match store.prune(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, "pruned acknowledged events"),
            Err(error) => tracing::warn!(%error, "pruning failed"),
        }
    }
}
