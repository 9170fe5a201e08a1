//! The store's error: the cases a caller acts on, and one opaque case.

/// What can go wrong in a store call. Boundaries (CLI, Tauri commands) map
/// these kinds to their own error shapes; `Internal` carries a cause chain
/// that is logged, never shown to a user verbatim.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Input the user can fix; `field` names what was wrong.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The write would break a uniqueness rule (e.g. an email already in use).
    #[error("{0}")]
    Conflict(String),
    /// A segment filter with problems, each at its JSON path.
    #[error("the filter has problems: {}", issues_text(.0))]
    InvalidFilter(Vec<herald_core::segment::FilterIssue>),
    /// Anything else: I/O, SQLite, a migration. Not actionable by the user.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn issues_text(issues: &[herald_core::segment::FilterIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl StoreError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// True when `err` is SQLite refusing a UNIQUE constraint.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
