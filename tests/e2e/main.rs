//! Herald end to end: the real app, built with its real UI, driven over
//! WebDriver on a fresh workspace per test. Run by `scripts/e2e.sh`, which
//! provides Xvfb, a D-Bus session with an unlocked keyring, and tauri-driver.

mod harness;

mod analytics;
mod campaigns;
mod contacts;
mod demo_reports;
mod import;
mod onboarding;
mod relay;
mod segments;
mod sms;
