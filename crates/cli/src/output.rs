//! Turning errors into the one line a user reads.

use herald_store::StoreError;

/// The user-facing message for an error: the store's own message for the
/// kinds a user can act on; the whole cause chain for the rest, so that a
/// failure to open a file says which file and why.
pub fn describe(err: &anyhow::Error) -> String {
    if let Some(store) = err.downcast_ref::<StoreError>() {
        if let StoreError::Internal(inner) = store {
            return chain(inner);
        }
        return store.to_string();
    }
    chain(err)
}

fn chain(err: &anyhow::Error) -> String {
    err.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
