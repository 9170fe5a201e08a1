//! Running store work that cannot cross threads.
//!
//! Tauri runs async commands on a multi-threaded runtime, so their futures
//! must be `Send`. The CSV importer's future is not (its progress callback is
//! a plain `&mut dyn FnMut`), and importing is CPU work anyway: it runs on a
//! blocking thread that drives it to completion, leaving the runtime's
//! workers free for the UI's other calls.

use std::future::Future;

use anyhow::Context;

/// Builds the future with `work` on a blocking thread and waits for it there.
pub async fn on_blocking_thread<W, F, T>(work: W) -> anyhow::Result<T>
where
    W: FnOnce() -> F + Send + 'static,
    F: Future<Output = T>,
    T: Send + 'static,
{
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(work()))
        .await
        .context("running work on a blocking thread")
}
