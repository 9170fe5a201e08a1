//! Ready-made server settings for the common sending services, so a person
//! picks "Amazon SES" and a region instead of looking up hosts and ports.
//! Hosts and ports are the ones each service documents for SMTP submission.

use super::settings::{Security, SmtpSettingsInput};

/// A sending service the settings form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Amazon SES in one region (e.g. "eu-west-1"): STARTTLS on 587 (also 25
    /// and 2587; TLS on 465 and 2465). Username and password are the SES
    /// SMTP credentials, which differ per region and from IAM access keys.
    AmazonSes,
    /// Postmark: STARTTLS on 587 (also 25 and 2525); the server API token is
    /// both username and password. Campaigns belong in a broadcast message
    /// stream, chosen per message with the X-PM-Message-Stream header.
    Postmark,
    /// SendGrid: STARTTLS on 587; the username is the literal "apikey", the
    /// password an API key with the Mail Send permission.
    SendGrid,
    /// Mailgun, US region (smtp.eu.mailgun.org for EU domains): STARTTLS on
    /// 587, TLS on 465; the per-domain SMTP credentials, not the API key.
    Mailgun,
    /// Gmail and Google Workspace: STARTTLS on 587 (TLS on 465); an app
    /// password, with Google's own daily sending limits.
    Gmail,
}

impl Preset {
    pub const ALL: &'static [Preset] = &[
        Preset::AmazonSes,
        Preset::Postmark,
        Preset::SendGrid,
        Preset::Mailgun,
        Preset::Gmail,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Preset::AmazonSes => "Amazon SES",
            Preset::Postmark => "Postmark",
            Preset::SendGrid => "SendGrid",
            Preset::Mailgun => "Mailgun",
            Preset::Gmail => "Gmail / Google Workspace",
        }
    }

    /// The form with this service's host, port, security and (where the
    /// service fixes it) username filled in; `region` is used by Amazon SES
    /// only ("us-east-1" when empty) and "eu" picks Mailgun's EU host.
    pub fn apply(self, mut input: SmtpSettingsInput, region: &str) -> SmtpSettingsInput {
        let region = region.trim();
        let (host, port, username) = match self {
            Preset::AmazonSes => {
                let region = if region.is_empty() {
                    "us-east-1"
                } else {
                    region
                };
                (format!("email-smtp.{region}.amazonaws.com"), 587, None)
            }
            Preset::Postmark => ("smtp.postmarkapp.com".to_owned(), 587, None),
            Preset::SendGrid => ("smtp.sendgrid.net".to_owned(), 587, Some("apikey")),
            Preset::Mailgun if region.eq_ignore_ascii_case("eu") => {
                ("smtp.eu.mailgun.org".to_owned(), 587, None)
            }
            Preset::Mailgun => ("smtp.mailgun.org".to_owned(), 587, None),
            Preset::Gmail => ("smtp.gmail.com".to_owned(), 587, None),
        };
        input.host = host;
        input.port = port;
        input.security = Security::StartTls;
        if let Some(username) = username {
            input.username = username.to_owned();
        }
        input
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazon_ses_builds_the_regional_host() {
        let input = Preset::AmazonSes.apply(SmtpSettingsInput::default(), "eu-west-1");
        assert_eq!(input.host, "email-smtp.eu-west-1.amazonaws.com");
        assert_eq!((input.port, input.security), (587, Security::StartTls));
    }

    #[test]
    fn sendgrid_fixes_the_username_and_keeps_the_rest_of_the_form() {
        let before = SmtpSettingsInput {
            from_address: "news@example.com".into(),
            ..SmtpSettingsInput::default()
        };
        let input = Preset::SendGrid.apply(before, "");
        assert_eq!(input.username, "apikey");
        assert_eq!(input.host, "smtp.sendgrid.net");
        assert_eq!(input.from_address, "news@example.com");
    }

    #[test]
    fn mailgun_eu_uses_the_eu_host() {
        assert_eq!(
            Preset::Mailgun
                .apply(SmtpSettingsInput::default(), "eu")
                .host,
            "smtp.eu.mailgun.org"
        );
    }
}
