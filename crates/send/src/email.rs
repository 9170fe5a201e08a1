//! Email: composing a campaign's messages (personalisation, HTML
//! preparation, MIME) and delivering them over SMTP.

pub mod compose;
pub mod smtp;
