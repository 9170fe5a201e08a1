//! The one error every command returns, and how store errors map onto it.
//!
//! The UI switches on `kind`; `field` names the form input at fault so the
//! message can be shown under it. An internal error never shows its cause:
//! the cause chain is logged and the user sees a generic message.

mod relay;

use herald_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What kind of failure a command met, i.e. what the UI can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is wrong; `field` says which one.
    Validation,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The change would break a uniqueness rule, or the state forbids it.
    Conflict,
    /// An outside service refused (email/SMS providers, later issues).
    #[allow(
        dead_code,
        reason = "part of the IPC contract; the sending commands produce it"
    )]
    Provider,
    /// No OS keychain is reachable, or it is locked. The message says what
    /// to do; Herald never keeps a secret anywhere else instead.
    KeychainUnavailable,
    /// The keychain answered but refused, or holds an entry Herald cannot
    /// read. The message names the entry, never its value.
    Keychain,
    /// The relay could not be reached, refused the API token, or answered
    /// outside the contract. The message says which, in plain words.
    Relay,
    /// Anything else. Details are in the log, never in the message.
    Internal,
}

/// A rejected command's payload: `{ kind, message, field }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    #[ts(inline)]
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

/// The only message an internal error shows.
pub const INTERNAL_MESSAGE: &str = "Something went wrong; details are in the log";

/// What every command returns.
pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    /// Messages from the store and herald-core are worded to follow
    /// "error: " (as the CLI prints them); the UI shows them on their own,
    /// so the constructors capitalise them.
    pub fn validation(field: impl Into<String>, message: impl AsRef<str>) -> Self {
        CommandError {
            kind: ErrorKind::Validation,
            message: capitalise(message.as_ref()),
            field: Some(field.into()),
        }
    }

    pub fn not_found(message: impl AsRef<str>) -> Self {
        CommandError::of_kind(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl AsRef<str>) -> Self {
        CommandError::of_kind(ErrorKind::Conflict, message)
    }

    pub fn of_kind(kind: ErrorKind, message: impl AsRef<str>) -> Self {
        CommandError {
            kind,
            message: capitalise(message.as_ref()),
            field: None,
        }
    }

    /// Logs `cause` with its whole chain and returns the generic error.
    pub fn internal(cause: &anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "command failed");
        CommandError {
            kind: ErrorKind::Internal,
            message: INTERNAL_MESSAGE.to_owned(),
            field: None,
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Validation { field, message } => CommandError::validation(field, message),
            StoreError::NotFound(what) => CommandError::not_found(format!("{what} not found")),
            StoreError::Conflict(message) => conflict_with_field(message),
            // The first problem, at its path ("filter.all[1].any[0]"); the
            // builder asks `segments_check` for all of them.
            StoreError::InvalidFilter(issues) => match issues.first() {
                Some(issue) if issue.path.is_empty() => {
                    CommandError::validation("filter", issue.message.clone())
                }
                Some(issue) => CommandError::validation(
                    format!("filter.{}", issue.path),
                    issue.message.clone(),
                ),
                None => CommandError::validation("filter", "the filter is not valid"),
            },
            StoreError::Internal(cause) => CommandError::internal(&cause),
        }
    }
}

impl From<anyhow::Error> for CommandError {
    /// Errors from herald-demo and the app's own I/O arrive as `anyhow`; a
    /// store error inside keeps its kind.
    fn from(err: anyhow::Error) -> Self {
        match err.downcast::<StoreError>() {
            Ok(store) => store.into(),
            Err(other) => CommandError::internal(&other),
        }
    }
}

/// The store words email and phone conflicts as "email: …" / "phone: …";
/// those name the input at fault, and the prefix is dropped from the message.
fn conflict_with_field(message: String) -> CommandError {
    for field in ["email", "phone"] {
        if let Some(rest) = message
            .strip_prefix(field)
            .and_then(|r| r.strip_prefix(':'))
        {
            return CommandError {
                field: Some(field.to_owned()),
                ..CommandError::conflict(rest.trim())
            };
        }
    }
    CommandError::conflict(message)
}

fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_keeps_its_field_and_message() {
        let err: CommandError =
            StoreError::validation("email", "a contact needs an email address").into();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.field.as_deref(), Some("email"));
        assert_eq!(err.message, "A contact needs an email address");
    }

    #[test]
    fn not_found_says_what_is_missing() {
        let err: CommandError = StoreError::NotFound("contact 0190".to_owned()).into();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert_eq!(err.message, "Contact 0190 not found");
        assert_eq!(err.field, None);
    }

    #[test]
    fn email_and_phone_conflicts_name_their_field() {
        let err: CommandError = StoreError::Conflict(
            "email: another contact already has the address a@b.co".to_owned(),
        )
        .into();
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert_eq!(err.field.as_deref(), Some("email"));
        assert_eq!(
            err.message,
            "Another contact already has the address a@b.co"
        );
        let err: CommandError =
            StoreError::Conflict("phone: another contact already has the number +1".to_owned())
                .into();
        assert_eq!(err.field.as_deref(), Some("phone"));
    }

    #[test]
    fn other_conflicts_have_no_field() {
        let err: CommandError =
            StoreError::Conflict("the workspace already has 3 contacts".to_owned()).into();
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert_eq!(err.field, None);
        assert_eq!(err.message, "The workspace already has 3 contacts");
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let cause = anyhow::anyhow!("disk I/O error at /home/ada/secret.sqlite3")
            .context("reading a contact");
        let err: CommandError = StoreError::Internal(cause).into();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert_eq!(err.message, INTERNAL_MESSAGE);
        assert!(!err.message.contains("secret"));
        assert_eq!(err.field, None);
    }

    #[test]
    fn anyhow_errors_wrapping_a_store_error_keep_its_kind() {
        let err: CommandError = anyhow::Error::new(StoreError::validation("file", "empty")).into();
        assert_eq!(err.kind, ErrorKind::Validation);
        let err: CommandError = anyhow::anyhow!("boom").into();
        assert_eq!(err.kind, ErrorKind::Internal);
    }

    #[test]
    fn the_error_serialises_as_the_ipc_contract_says() {
        let err = CommandError::validation("email", "bad");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"kind": "validation", "message": "Bad", "field": "email"})
        );
        let err = CommandError::not_found("x");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"kind": "not_found", "message": "X", "field": null})
        );
    }
}
