//! Email: composing a campaign's messages (personalisation, HTML
//! preparation, MIME) and delivering them over SMTP.

pub mod campaign;
pub mod compose;
pub mod hints;
pub mod smtp;
