//! The `herald` binary, driven as a user would: real processes, real
//! workspace files in temp dirs.

mod helpers;

mod analytics;
mod analytics_chart;
mod bench;
mod contacts;
mod crash;
mod demo;
mod errors;
mod relay;
mod scheduled;
mod segments;
mod sms_crash;
