//! The funnel's steps as a campaign's report gives them.

use herald_charts::{Funnel, FunnelStep};
use herald_store::analytics::{CampaignMetrics, Count, RateBasis, Rates, SmsMetrics};
use herald_store::campaigns::CampaignId;

/// An email campaign sent to 100 people: 90 delivered (when reported), 40
/// opened, 12 clicked; as an SMS campaign, 80 delivered and 3 opt-outs.
fn metrics(channel: &str, basis: RateBasis) -> CampaignMetrics {
    CampaignMetrics {
        id: CampaignId::parse("0190f0e0-0000-7000-8000-000000000001").unwrap(),
        name: "Spring".into(),
        channel: channel.into(),
        status: "sent".into(),
        started_at: None,
        finished_at: None,
        recipients: 100,
        excluded: Default::default(),
        excluded_total: 0,
        queued: 0,
        sent: 100,
        failed: 0,
        in_doubt: 0,
        suppressed: 0,
        delivered: if basis == RateBasis::Delivered { 90 } else { 0 },
        bounced_hard: 0,
        bounced_soft: 0,
        complained: 0,
        unsubscribed: 0,
        opened: 40,
        opens_human: Count {
            unique: 38,
            total: 60,
        },
        opens_machine: Count::default(),
        clicks_human: Count {
            unique: 12,
            total: 20,
        },
        clicks_scanner: Count::default(),
        sms: SmsMetrics {
            delivered: 80,
            undelivered: 0,
            failed: 0,
            opt_outs: 3,
        },
        basis,
        basis_count: 100,
        rates: Rates::default(),
    }
}

fn steps(f: &Funnel) -> Vec<(&str, i64, bool)> {
    f.steps
        .iter()
        .map(
            |FunnelStep {
                 label,
                 count,
                 aside,
             }| (label.as_str(), *count, *aside),
        )
        .collect()
}

#[test]
fn an_email_funnel_goes_from_sent_to_clicked_through_the_headline_opens() {
    let f = Funnel::from_metrics(&metrics("email", RateBasis::Delivered));
    assert_eq!(
        steps(&f),
        vec![
            ("Sent", 100, false),
            ("Delivered", 90, false),
            ("Opened", 40, false),
            ("Clicked", 12, false)
        ]
    );
}

#[test]
fn without_delivery_reports_the_funnel_skips_delivered() {
    let f = Funnel::from_metrics(&metrics("email", RateBasis::Sent));
    assert_eq!(
        steps(&f),
        vec![
            ("Sent", 100, false),
            ("Opened", 40, false),
            ("Clicked", 12, false)
        ]
    );
}

#[test]
fn an_sms_funnel_shows_opt_outs_beside_it() {
    let f = Funnel::from_metrics(&metrics("sms", RateBasis::Delivered));
    assert_eq!(
        steps(&f),
        vec![
            ("Sent", 100, false),
            ("Delivered", 80, false),
            ("Opted out", 3, true)
        ]
    );
}
