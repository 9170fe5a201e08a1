//! herald-send's integration tests: real workspace files in temp folders,
//! the real relay on a loopback port, and (under scripts/with-services.sh)
//! the real Secret Service.

mod helpers;
mod smtpd;

mod client;
mod compose;
mod compose_mime;
mod engine;
mod engine_window;
mod keychain;
mod notify;
mod secret_scan;
mod sms_campaign;
mod sms_help;
mod sms_optout;
mod sms_settings;
mod sms_stand_in;
mod sms_twilio;
mod sms_vonage;
mod smtp;
mod smtp_wire;
mod sync;
mod sync_loop;
mod webview;
