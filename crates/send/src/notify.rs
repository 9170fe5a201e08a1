//! When Herald tells the person something: the notification rules. Each
//! rule is a pure function from what the workspace holds to the
//! notification it deserves (or none); [`scan`] reads the workspace, applies
//! them and stores what is new through `herald_store::notifications::emit`.
//! Delivering (a native notification, the bell) is the app's part.
//!
//! A scan looks at the whole workspace, not at what this process did, so a
//! campaign the CLI sent while the app was closed is told at the next start.
//! Scanning twice tells nothing twice: every notification has a dedupe key
//! naming its event.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> herald_store::Result<()> {
//! use herald_send::notify::{scan, Scope};
//! let new = scan(&store, herald_store::now_millis(), Scope::Everything).await?;
//! for n in new {
//!     println!("{}: {}", n.title, n.body);
//! }
//! # Ok(()) }
//! ```

use herald_store::notifications::signals::{self, CampaignRates, EndedCampaign, InDoubtCampaign};
use herald_store::notifications::{self, Kind, NewNotification, Notification, Thresholds};
use herald_store::start_failures::{self, ScheduledFailure};
use herald_store::{relay_sync, Result, Store};
use uuid::Uuid;

/// The first scan of a workspace tells about campaigns that ended in the
/// last week, not about its whole history.
const FIRST_LOOK_BACK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Campaigns that ended this long before the last scan are looked at
/// again: a campaign finished (in another process) just before a scan but
/// committed just after it is not missed. Dedupe keys make it harmless.
const OVERLAP_MS: i64 = 10 * 60 * 1000;
/// Complaints and bounces keep arriving for weeks after a send.
const RATES_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// What a scan looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Campaign ends, messages in doubt and the relay: cheap reads.
    Quick,
    /// Also complaint and bounce rates (the recent campaigns' analytics:
    /// after a sync brought events, and at start).
    Everything,
}

/// Looks at the workspace and stores the notifications it deserves;
/// returns the ones that are new (to deliver).
pub async fn scan(store: &Store, now: i64, scope: Scope) -> Result<Vec<Notification>> {
    let settings = notifications::load_settings(store).await?;
    let mut found = Vec::new();

    let since = match signals::checked_at(store).await? {
        Some(at) => at - OVERLAP_MS,
        None => now - FIRST_LOOK_BACK_MS,
    };
    found.extend(signals::ended_since(store, since).await?.iter().map(ended));
    found.extend(signals::in_doubt(store).await?.iter().filter_map(in_doubt));
    found.extend(
        start_failures::scheduled(store)
            .await?
            .iter()
            .map(not_started),
    );
    if scope == Scope::Everything {
        for campaign in signals::rates_since(store, now - RATES_WINDOW_MS).await? {
            found.extend(rate_warnings(&campaign, &settings.thresholds));
        }
    }
    if let Some(n) = relay_check(store, now, &settings.thresholds).await? {
        found.push(n);
    }

    let mut stored = Vec::new();
    for n in &found {
        stored.extend(notifications::emit(store, n, now).await?);
    }
    signals::set_checked_at(store, now).await?;
    Ok(stored)
}

fn key(campaign: Uuid) -> String {
    campaign.simple().to_string()
}

/// A campaign that ended: sent, or failed as a whole.
pub fn ended(c: &EndedCampaign) -> NewNotification {
    if c.status == "failed" {
        return NewNotification {
            kind: Kind::CampaignFailed,
            campaign_id: Some(c.id),
            title: format!("Campaign stopped by an error: {}", c.name),
            // A failed campaign resumes from its ledger (nothing is sent
            // twice): say so, it is what the person does next.
            body: match &c.last_error {
                Some(reason) => format!(
                    "{reason}. {} sent before it stopped. Fix the problem, then resume it \
                     from the campaign's page.",
                    plural(c.sent, "message")
                ),
                None => format!(
                    "It stopped after {}. Resume it from the campaign's page.",
                    plural(c.sent, "message")
                ),
            },
            dedupe_key: format!("failed:{}:{}", key(c.id), c.finished_at),
        };
    }
    let mut body = format!("{} sent", plural(c.sent, "message"));
    if c.failed > 0 {
        body.push_str(&format!(", {} failed", c.failed));
    }
    if c.in_doubt > 0 {
        body.push_str(&format!(", {} in doubt", c.in_doubt));
    }
    body.push('.');
    NewNotification {
        kind: Kind::CampaignCompleted,
        campaign_id: Some(c.id),
        title: format!("Campaign sent: {}", c.name),
        body,
        // With the end time: a campaign sent again after "retry failed"
        // ends again, and that is news too.
        dedupe_key: format!("completed:{}:{}", key(c.id), c.finished_at),
    }
}

/// A scheduled campaign that could not start, once per distinct failure:
/// the key holds when this reason was first met, which a retry failing the
/// same way keeps (`herald_store::start_failures::record`). It shares the
/// "campaign failed" kind and its preference: both say a campaign is not
/// going out, and why.
pub fn not_started(f: &ScheduledFailure) -> NewNotification {
    NewNotification {
        kind: Kind::CampaignFailed,
        campaign_id: Some(f.failure.campaign_id),
        title: format!("Scheduled campaign “{}” could not start", f.name),
        body: format!(
            "{} Nothing was sent. Herald tries again every {} minutes; fix the problem, or open \
             the campaign to send it now, edit or unschedule it.",
            sentence(&f.failure.message),
            start_failures::RETRY_AFTER_MS / 60_000
        ),
        dedupe_key: format!(
            "not_started:{}:{}",
            key(f.failure.campaign_id),
            f.failure.failed_at
        ),
    }
}

/// `message` ending with a full stop.
fn sentence(message: &str) -> String {
    let message = message.trim_end();
    if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    }
}

/// Messages in doubt, when there are more than last told.
pub fn in_doubt(c: &InDoubtCampaign) -> Option<NewNotification> {
    (c.in_doubt > c.told).then(|| NewNotification {
        kind: Kind::InDoubt,
        campaign_id: Some(c.id),
        title: format!("{} in doubt: {}", plural(c.in_doubt, "message"), c.name),
        body: "Herald stopped while they were being sent: they may or may not have arrived. \
               Open the campaign to decide whether to send them again."
            .to_owned(),
        dedupe_key: format!("in_doubt:{}:{}", key(c.id), c.in_doubt),
    })
}

/// Whether `count` out of `basis` is above `line` (a fraction). Exactly on
/// the line is not above it.
pub fn above(count: i64, basis: i64, line: f64) -> bool {
    // count / basis > line, without dividing: exact for the integers here.
    basis > 0 && (count as f64) > line * basis as f64
}

/// Complaint and bounce warnings for one campaign. Rates are over the
/// messages delivered when a provider reports deliveries, else over sent.
pub fn rate_warnings(c: &CampaignRates, lines: &Thresholds) -> Vec<NewNotification> {
    let (basis, basis_name) = if c.delivered > 0 {
        (c.delivered, "delivered")
    } else {
        (c.sent, "sent")
    };
    let mut out = Vec::new();
    for (count, line, what, key_name, why) in [
        (
            c.complained,
            lines.complaint_rate,
            "Complaint",
            "complaint_rate",
            "Gmail and Yahoo start filtering senders above 0.3 %",
        ),
        (
            c.bounced,
            lines.bounce_rate,
            "Bounce",
            "bounce_rate",
            "a high bounce rate usually means an outdated list",
        ),
    ] {
        if above(count, basis, line) {
            out.push(NewNotification {
                kind: Kind::ComplaintRate,
                campaign_id: Some(c.id),
                title: format!("{what} rate {}: {}", percent(count, basis), c.name),
                body: format!(
                    "{count} of {basis} {basis_name}: above your {} line ({why}).",
                    percent_of(line)
                ),
                dedupe_key: format!("{key_name}:{}", key(c.id)),
            });
        }
    }
    out
}

/// The relay rule: tells once per outage that lasted longer than the line.
/// Keeps when the current outage began (the store's last error says only
/// when the latest sync failed).
async fn relay_check(
    store: &Store,
    now: i64,
    lines: &Thresholds,
) -> Result<Option<NewNotification>> {
    let relay = relay_sync::load(store).await?;
    let down_since = signals::relay_down_since(store).await?;
    let failing = relay.url.is_some() && relay.last_error.is_some();
    let since = match (failing, down_since) {
        (false, None) => return Ok(None),
        (false, Some(_)) => {
            signals::set_relay_down_since(store, None).await?;
            return Ok(None);
        }
        (true, Some(since)) => since,
        (true, None) => {
            let at = relay
                .last_error
                .as_ref()
                .map_or(now, |e| e.at.timestamp_millis());
            signals::set_relay_down_since(store, Some(at)).await?;
            at
        }
    };
    let message = relay.last_error.map(|e| e.message).unwrap_or_default();
    Ok(relay_down(since, now, lines.relay_down_minutes, &message))
}

/// The relay has been unreachable since `since`: worth telling once it
/// has been longer than `minutes`.
pub fn relay_down(since: i64, now: i64, minutes: u32, message: &str) -> Option<NewNotification> {
    let down_ms = now - since;
    (down_ms > i64::from(minutes) * 60_000).then(|| NewNotification {
        kind: Kind::RelayUnreachable,
        campaign_id: None,
        title: "The relay is unreachable".to_owned(),
        body: format!(
            "Herald has not synced for {} minutes, so opens, clicks, bounces and \
             unsubscribes are not coming in. Last error: {message}",
            down_ms / 60_000
        ),
        dedupe_key: format!("relay_down:{since}"),
    })
}

/// An import finished (not a dry run).
pub fn import_finished(
    job: &str,
    file_name: &str,
    imported: u64,
    updated: u64,
    skipped: u64,
) -> NewNotification {
    NewNotification {
        kind: Kind::ImportFinished,
        campaign_id: None,
        title: format!("Import finished: {file_name}"),
        body: format!(
            "{} added, {updated} updated, {skipped} skipped.",
            plural_u(imported, "contact")
        ),
        dedupe_key: format!("import:{job}"),
    }
}

fn plural(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn plural_u(n: u64, noun: &str) -> String {
    plural(i64::try_from(n).unwrap_or(i64::MAX), noun)
}

/// `count / basis` as a percentage with two decimals at most ("0.45 %").
fn percent(count: i64, basis: i64) -> String {
    percent_of(count as f64 / basis as f64)
}

fn percent_of(fraction: f64) -> String {
    let text = format!("{:.2}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(sent: i64, delivered: i64, bounced: i64, complained: i64) -> CampaignRates {
        CampaignRates {
            id: Uuid::nil(),
            name: "Spring sale".into(),
            sent,
            delivered,
            bounced,
            complained,
        }
    }

    #[test]
    fn a_complaint_rate_exactly_on_the_line_is_not_above_it() {
        let lines = Thresholds::default();
        assert!(rate_warnings(&rates(1000, 0, 0, 3), &lines).is_empty());
        let warned = rate_warnings(&rates(1000, 0, 0, 4), &lines);
        assert_eq!(warned.len(), 1);
        assert_eq!(warned[0].title, "Complaint rate 0.4 %: Spring sale");
        assert_eq!(warned[0].body.split(':').next(), Some("4 of 1000 sent"));
    }

    #[test]
    fn rates_are_over_delivered_when_deliveries_are_reported() {
        let lines = Thresholds::default();
        // 3 of 1000 sent is on the line; 3 of 900 delivered is above it.
        let warned = rate_warnings(&rates(1000, 900, 0, 3), &lines);
        assert_eq!(warned.len(), 1);
        assert!(
            warned[0].body.starts_with("3 of 900 delivered"),
            "{}",
            warned[0].body
        );
    }

    #[test]
    fn bounces_above_their_own_line_warn_under_their_own_key() {
        let lines = Thresholds::default();
        assert!(rate_warnings(&rates(100, 0, 2, 0), &lines).is_empty());
        let warned = rate_warnings(&rates(100, 0, 3, 0), &lines);
        assert_eq!(
            warned[0].dedupe_key,
            format!("bounce_rate:{}", Uuid::nil().simple())
        );
        assert_eq!(warned[0].title, "Bounce rate 3 %: Spring sale");
    }

    #[test]
    fn the_relay_is_told_only_after_the_set_minutes() {
        assert!(relay_down(0, 30 * 60_000, 30, "refused").is_none());
        let told = relay_down(0, 30 * 60_000 + 1, 30, "refused").unwrap();
        assert_eq!(told.dedupe_key, "relay_down:0");
        assert!(told.body.ends_with("Last error: refused"));
    }

    #[test]
    fn a_campaign_that_could_not_start_is_named_with_its_reason() {
        let told = not_started(&ScheduledFailure {
            name: "Spring sale".into(),
            failure: start_failures::StartFailure {
                campaign_id: Uuid::nil(),
                kind: "validation".into(),
                message: "Set up SMTP in Settings → Email first".into(),
                failed_at: 42,
                tried_at: 42,
            },
        });
        assert_eq!(
            told.title,
            "Scheduled campaign “Spring sale” could not start"
        );
        assert!(
            told.body
                .starts_with("Set up SMTP in Settings → Email first. Nothing was sent."),
            "{}",
            told.body
        );
        assert_eq!(
            told.dedupe_key,
            format!("not_started:{}:42", Uuid::nil().simple())
        );
    }

    #[test]
    fn in_doubt_is_told_again_only_when_more_are_in_doubt() {
        let mut c = InDoubtCampaign {
            id: Uuid::nil(),
            name: "News".into(),
            in_doubt: 3,
            told: 0,
        };
        assert_eq!(in_doubt(&c).unwrap().title, "3 messages in doubt: News");
        c.told = 3;
        assert!(in_doubt(&c).is_none());
        c.in_doubt = 2;
        assert!(in_doubt(&c).is_none());
    }
}
