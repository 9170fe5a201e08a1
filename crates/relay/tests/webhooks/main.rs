//! Provider webhooks through `Webhooks::handle`: each provider's documented
//! signature checked against known answers computed outside this code (see
//! `tests/fixtures/webhooks/sign_fixtures.py`), its documented payloads
//! turned into events, and forged, stale and replayed variants refused.

mod generic;
mod helpers;
mod mailgun;
mod postmark;
mod sendgrid;
mod ses;
mod setup;
mod twilio;
mod vonage;
mod vonage_sms;
