//! Loading generated contacts into a workspace.

use anyhow::Context;
use herald_core::{ContactId, Currency, InteractionKind, Money};
use herald_store::import::{self, ImportOptions};
use herald_store::interactions::{self, NewInteraction};
use herald_store::projects::{self, NewProject};
use herald_store::{from_millis, Store};

use crate::generate::{generate, DemoContact, CSV_HEADER};

/// What [`load`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub contacts: u64,
    pub interactions: u64,
    pub projects: u64,
    /// Campaigns added (sent ones and a draft) and the events they drew.
    pub campaigns: u64,
    pub events: u64,
}

/// Generates `n` demo contacts from `seed` and loads them through the real
/// importer, then adds their timelines and projects, and the campaign
/// history (`campaigns.rs`). The caller decides
/// whether the workspace may receive them (both front ends refuse one that
/// already has contacts).
pub async fn load(store: &Store, seed: u64, n: u32) -> anyhow::Result<DemoSummary> {
    let people: Vec<DemoContact> = generate(seed, n, true).collect();
    let mut csv_bytes = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut csv_bytes);
        w.write_record(CSV_HEADER).context("writing demo CSV")?;
        for p in &people {
            w.write_record(p.csv_record()).context("writing demo CSV")?;
        }
        w.flush().context("writing demo CSV")?;
    }
    let options = ImportOptions {
        consent_source: Some("demo data".to_owned()),
        ..ImportOptions::default()
    };
    let report = import::import_csv(store, csv_bytes.as_slice(), &options, &mut |_, _| {}).await?;
    if let Some(first) = report.errors.first() {
        anyhow::bail!(
            "the demo generator wrote a row the importer refused (line {}, {}: {})",
            first.line,
            first.column,
            first.reason
        );
    }
    let mut timeline = Vec::new();
    let mut deals = Vec::new();
    for p in &people {
        let contact = ContactId::from_uuid(p.id);
        for (kind, at, summary) in &p.interactions {
            timeline.push(NewInteraction {
                contact,
                kind: InteractionKind::parse(kind).map_err(|e| anyhow::anyhow!("{e}"))?,
                occurred_at: from_millis(*at),
                summary: (*summary).to_owned(),
            });
        }
        let currency = Currency::parse(&p.currency).map_err(|e| anyhow::anyhow!("{e}"))?;
        for (name, status, value) in &p.projects {
            deals.push(NewProject {
                contact,
                name: (*name).to_owned(),
                status: (*status).to_owned(),
                value: Money::from_minor(*value, currency),
            });
        }
    }
    let interactions = interactions::add_many(store, &timeline).await?;
    let projects = projects::add_many(store, &deals).await?;
    let history = crate::campaigns::load(store, seed, chrono::Utc::now()).await?;
    Ok(DemoSummary {
        contacts: report.imported,
        interactions,
        projects,
        campaigns: history.campaigns,
        events: history.events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loading_demo_data_imports_every_generated_contact() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("demo.sqlite3")).await.unwrap();
        let summary = load(&store, 7, 60).await.unwrap();
        assert_eq!(summary.contacts, 60);
        assert_eq!(herald_store::contacts::count(&store).await.unwrap(), 60);
        assert!(summary.interactions > 0 && summary.projects > 0);
    }

    #[tokio::test]
    async fn the_demo_history_gives_every_sent_campaign_its_own_deliveries_and_opens() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("demo.sqlite3")).await.unwrap();
        let summary = load(&store, 7, 400).await.unwrap();
        assert_eq!(summary.campaigns, 6);
        let list = herald_store::campaigns::list(&store, &Default::default())
            .await
            .unwrap();
        let mut sent = 0;
        for c in list.iter().filter(|c| c.status.as_str() == "sent") {
            sent += 1;
            let m = herald_store::analytics::campaign(&store, c.id)
                .await
                .unwrap();
            let delivered = if m.channel == "sms" {
                m.sms.delivered
            } else {
                m.delivered
            };
            // Each message's delivery report finds its own campaign's row.
            assert!(
                m.sent > 0 && delivered * 10 >= m.sent * 8,
                "{}: {delivered} of {} delivered",
                m.name,
                m.sent
            );
            if m.channel == "email" {
                assert!(m.opened > 0 && m.clicks_human.unique > 0, "{}", m.name);
            }
            let started = m.started_at.unwrap();
            assert!(started < chrono::Utc::now());
            // Nobody received a campaign sent before they joined.
            let (rows, _) = herald_store::ledger::recipients(
                &store,
                c.id.as_uuid(),
                &herald_store::ledger::RecipientQuery {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            for r in rows {
                let who = herald_store::contacts::get(&store, ContactId::from_uuid(r.contact_id))
                    .await
                    .unwrap();
                assert!(who.created_at <= started, "{} got {}", r.address, m.name);
            }
        }
        assert_eq!(sent, 5);
    }
}
