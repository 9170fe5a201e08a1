//! Turning errors into the lines a user reads.

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

/// The lines to print after `error: `: one per problem of an invalid
/// filter, each naming the rule's JSON path (`filter at all[1].any[0]: …`,
/// or `filter: …` for the filter as a whole); one line for anything else.
pub fn describe_lines(err: &anyhow::Error) -> Vec<String> {
    if let Some(StoreError::InvalidFilter(issues)) = err.downcast_ref::<StoreError>() {
        if !issues.is_empty() {
            return issues
                .iter()
                .map(|issue| {
                    if issue.path.is_empty() {
                        format!("filter: {}", issue.message)
                    } else {
                        format!("filter at {}: {}", issue.path, issue.message)
                    }
                })
                .collect();
        }
    }
    vec![describe(err)]
}

fn chain(err: &anyhow::Error) -> String {
    err.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// `s` cut to `width` characters for a table column, "…" marking the cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
