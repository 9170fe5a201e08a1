//! Integration tests for herald-store: every test opens a real SQLite file
//! in a temporary folder. CSV fixtures live in `tests/fixtures/` (see
//! `generate.py` there for the generated ones).

mod helpers;

mod analytics;
mod analytics_props;
mod campaign_templates;
mod campaigns;
mod consent;
mod contact_page;
mod contact_update;
mod contacts;
mod generation;
mod import_bulk;
mod import_corpus;
mod import_semantics;
mod ledger;
mod ledger_journal;
mod migrations;
mod notifications;
mod relay_events;
mod relay_sync;
mod round_trip;
mod segments;
mod segments_oracle;
mod sms_help;
mod start_failures;
