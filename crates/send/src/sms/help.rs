//! Answering SMS replies that ask for HELP or INFO (docs/sms.md, "HELP
//! replies").
//!
//! Inbound texts reach the workspace as `sms_inbound` relay events when the
//! app syncs. [`answer_pending`] runs after each sync: it texts the help
//! text from the SMS settings back to each sender, through the workspace's
//! provider (Twilio or Vonage), once per inbound message. A request the
//! laptop only saw more than three days later is recorded as skipped, not
//! answered; so is every request while the help text is blank (Twilio's own
//! automatic HELP reply answers then).
//!
//! Never twice: the answer's row is committed as `sending` before the
//! provider is called ([`herald_store::sms_help::claim`]). A crash in
//! between leaves it `in_doubt` at the next run, and nothing re-sends it.
//! A provider failure is recorded as `failed` and not retried.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, secrets: std::sync::Arc<dyn herald_send::secrets::Secrets>)
//! # -> Result<(), herald_send::sms::help::HelpError> {
//! let report = herald_send::sms::help::answer_pending(&store, &secrets).await?;
//! println!("answered {} HELP replies", report.answered);
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use herald_store::sms_help::{self, HelpRequest, Outcome, MAX_AGE_MS};
use herald_store::{now_millis, Store, StoreError};
use serde::Serialize;

use super::campaign::{provider_for, sms_settings, SetupError};
use super::provider::{SmsError, SmsMessage, SmsProvider};
use super::settings::SmsSettings;
use crate::secrets::Secrets;

/// Why HELP requests could not be answered this time. They stay pending
/// (or recorded as they were) and the next sync tries again.
#[derive(Debug, thiserror::Error)]
pub enum HelpError {
    /// The SMS settings or the provider's credentials cannot be used:
    /// something to fix in Settings → SMS.
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HelpReport {
    /// Help texts the provider took.
    pub answered: u64,
    /// Help texts the provider refused (recorded, not retried).
    pub failed: u64,
    /// Help texts sent without an answer from the provider: they may have
    /// gone out (recorded, not retried).
    pub in_doubt: u64,
    /// Requests recorded as not to be answered: too old, a blank help
    /// text, no valid sender number.
    pub skipped: u64,
}

/// Answers every HELP / INFO reply that has no answer yet. With no SMS
/// settings there is nothing to answer with: nothing is done or recorded.
pub async fn answer_pending(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
) -> Result<HelpReport, HelpError> {
    let settings = match sms_settings(store).await {
        Ok(settings) => settings,
        Err(SetupError::NotReady { .. }) => return Ok(HelpReport::default()),
        Err(err) => return Err(err.into()),
    };
    // No process answers without this first: a `sending` row left by one
    // that died must read as "maybe answered", never stay half-done.
    let recovered = sms_help::recover_in_doubt(store).await?;
    if recovered > 0 {
        tracing::warn!(
            recovered,
            "SMS HELP answers interrupted earlier are now in doubt"
        );
    }
    let mut report = HelpReport::default();
    let requests = sms_help::pending(store, now_millis(), MAX_AGE_MS).await?;
    let help_text = settings.help_text().trim();
    // Built on the first request to answer, so a run that only skips never
    // reads the keychain.
    let mut provider: Option<Arc<dyn SmsProvider>> = None;
    for request in requests {
        let number = match skip_reason(&request, help_text) {
            Ok(number) => number,
            Err(reason) => {
                if sms_help::skip(store, request.event_id, request.number.as_ref(), &reason).await?
                {
                    report.skipped += 1;
                }
                continue;
            }
        };
        let sms = match &provider {
            Some(sms) => Arc::clone(sms),
            None => {
                let built = provider_for(store, secrets, &settings).await?;
                provider = Some(Arc::clone(&built));
                built
            }
        };
        if report.answered + report.failed + report.in_doubt > 0 {
            pause(&settings).await;
        }
        if !sms_help::claim(store, request.event_id, number).await? {
            // Another process (the CLI next to the app) took it.
            continue;
        }
        let message = SmsMessage {
            to: number.clone(),
            body: help_text.to_owned(),
            client_ref: format!("help.{}", request.event_id.simple()),
        };
        let result = sms.send(&message).await;
        let stop = matches!(result, Err(SmsError::Fatal { .. }));
        let outcome = match result {
            Ok(accepted) => {
                report.answered += 1;
                Outcome::Sent {
                    provider_message_id: accepted.provider_message_id,
                }
            }
            Err(SmsError::InDoubt { reason }) => {
                report.in_doubt += 1;
                Outcome::InDoubt { reason }
            }
            Err(err) => {
                report.failed += 1;
                Outcome::Failed {
                    reason: err.to_string(),
                }
            }
        };
        sms_help::finish(store, request.event_id, &outcome).await?;
        if stop {
            // Credentials refused, account suspended: every other answer
            // would fail the same way. They wait for the next sync.
            tracing::warn!("the SMS provider refuses to send; HELP answers wait for the next sync");
            break;
        }
    }
    Ok(report)
}

/// The number to answer, or why this request is not answered.
fn skip_reason<'a>(
    request: &'a HelpRequest,
    help_text: &str,
) -> Result<&'a herald_core::PhoneNumber, String> {
    if request.too_old {
        return Err(format!(
            "received {}, more than 3 days before Herald saw it: an answer this late would confuse",
            request.at.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if help_text.is_empty() {
        return Err(
            "the help text in Settings → SMS is empty: the provider's own HELP reply answers"
                .to_owned(),
        );
    }
    request
        .number
        .as_ref()
        .ok_or_else(|| "the reply came from no valid phone number".to_owned())
}

/// Keeps answers to the workspace's sending rate: a burst of HELP replies
/// (after a weekend offline) must not trip the provider's rate limit.
async fn pause(settings: &SmsSettings) {
    let rate = settings.messages_per_second();
    if rate > 0.0 {
        tokio::time::sleep(Duration::from_secs_f64(1.0 / rate)).await;
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use herald_core::PhoneNumber;
    use uuid::Uuid;

    use super::*;

    fn request(too_old: bool, number: Option<&str>) -> HelpRequest {
        HelpRequest {
            event_id: Uuid::now_v7(),
            number: number.map(|n| PhoneNumber::parse(n, None).unwrap()),
            at: Utc::now(),
            too_old,
        }
    }

    #[test]
    fn a_recent_request_with_a_number_and_a_help_text_is_answered() {
        let fresh = request(false, Some("+14155552671"));
        assert_eq!(
            skip_reason(&fresh, "Shop: help at shop.example").map(|n| n.as_str()),
            Ok("+14155552671")
        );
    }

    #[test]
    fn an_empty_help_text_skips_every_request_and_says_so() {
        let fresh = request(false, Some("+14155552671"));
        let reason = skip_reason(&fresh, "").unwrap_err();
        assert!(reason.contains("help text"), "{reason}");
    }

    #[test]
    fn a_request_too_old_or_without_a_number_is_skipped_with_its_reason() {
        let old = skip_reason(&request(true, Some("+14155552671")), "Help").unwrap_err();
        assert!(old.contains("3 days"), "{old}");
        let nobody = skip_reason(&request(false, None), "Help").unwrap_err();
        assert!(nobody.contains("no valid phone number"), "{nobody}");
    }
}
