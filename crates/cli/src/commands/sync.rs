//! `herald sync`: one full sync with the relay, as the app runs in the
//! background: every new event pulled, applied once, acknowledged; then
//! the SMS HELP / INFO replies it brought answered.

use std::process::ExitCode;
use std::sync::Arc;

use herald_send::secrets::{Keychain, Secrets};
use herald_send::sms::help;
use herald_send::sync::{self, SyncOutcome};
use herald_store::Store;

use crate::cli::SyncArgs;

pub async fn run(store: &Store, args: SyncArgs) -> anyhow::Result<ExitCode> {
    let keychain: Arc<dyn Secrets> = Arc::new(Keychain::for_workspace(store).await?);
    let client = sync::connect(store, Arc::clone(&keychain)).await?;
    let outcome = sync::sync_once(store, &client).await?;
    if args.json {
        super::print_json(&outcome)?;
    } else {
        for line in summary(&outcome) {
            println!("{line}");
        }
    }
    // As the app does after each sync. The events are applied already: a
    // failure here is reported, and the next sync tries again.
    match help::answer_pending(store, &keychain).await {
        Ok(report) if report.answered > 0 && !args.json => {
            println!("answered {} HELP replies", report.answered);
        }
        Ok(_) => {}
        Err(err) => eprintln!("SMS HELP replies were not answered: {err}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A few plain lines: what arrived, what changed, what was skipped.
fn summary(outcome: &SyncOutcome) -> Vec<String> {
    let r = &outcome.report;
    if r.recorded == 0 {
        let mut lines = vec!["No new events.".to_owned()];
        if r.duplicates > 0 {
            lines.push(format!("{} events were already applied.", r.duplicates));
        }
        return lines;
    }
    let kinds: Vec<String> = r
        .by_kind
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let mut lines = vec![format!("{} new events ({}).", r.recorded, kinds.join(", "))];
    let changes: Vec<String> = [
        (r.unsubscribed, "unsubscribed"),
        (r.resubscribed, "resubscribed"),
        (r.bounced, "marked bounced"),
        (r.complained, "marked complained"),
        (r.sms_opted_out, "opted out of SMS"),
        (r.sms_opted_in, "opted back in to SMS"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !changes.is_empty() {
        lines.push(format!("Contacts: {}.", changes.join(", ")));
    }
    if r.help_requests > 0 {
        lines.push(format!("{} SMS replies asked for HELP.", r.help_requests));
    }
    if r.unmatched > 0 {
        lines.push(format!(
            "{} events named no contact of this workspace.",
            r.unmatched
        ));
    }
    if r.duplicates > 0 {
        lines.push(format!("{} events were already applied.", r.duplicates));
    }
    lines
}
