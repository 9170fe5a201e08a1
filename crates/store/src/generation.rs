//! The data generation counter.
//!
//! Every write that can change which contacts a segment matches (contacts,
//! tags, interactions, projects) bumps it inside the same transaction. Cached
//! segment counts store the generation they were computed at; a different
//! current value means the cache is stale.

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::{Result, Store};

/// The current generation.
pub async fn current(store: &Store) -> Result<i64> {
    let generation = sqlx::query_scalar("SELECT data_generation FROM workspace_meta WHERE id = 1")
        .fetch_one(store.pool())
        .await
        .context("reading the data generation")?;
    Ok(generation)
}

/// Bumps the generation inside the caller's write transaction.
pub async fn bump(tx: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE workspace_meta SET data_generation = data_generation + 1 WHERE id = 1")
        .execute(tx)
        .await
        .context("bumping the data generation")?;
    Ok(())
}
