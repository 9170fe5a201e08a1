//! Email addresses, normalised so that one mailbox has exactly one spelling.
//!
//! The whole address, local part included, is lowercased. RFC 5321 lets a
//! server treat `Bob@x.com` and `bob@x.com` as different mailboxes, but no
//! mainstream provider does, and Herald uses the address as a contact's
//! identity: treating case as significant would create duplicate contacts and
//! send the same person the same campaign twice.

use std::fmt;

use email_address::Options;
use thiserror::Error;

use crate::string_serde::impl_string_serde;

/// The longest address that fits in an SMTP forward path (RFC 5321 §4.5.3.1.3).
const MAX_LEN: usize = 254;

/// A syntactically valid, lowercased email address such as `bob@example.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

/// Why some text is not an acceptable email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum EmailError {
    #[error("the email address is empty")]
    Empty,
    #[error("\"{raw}\" is not a valid email address: the @ sign is missing")]
    MissingAt { raw: String },
    #[error("\"{raw}\" is not a valid email address: the domain is missing")]
    MissingDomain { raw: String },
    #[error("\"{raw}\" is not a valid email address: {reason}")]
    Invalid { raw: String, reason: String },
    #[error("the email address is {length} characters long, but at most {MAX_LEN} are allowed")]
    TooLong { length: usize },
}

impl EmailAddress {
    /// Parses a bare address, optionally wrapped in `<...>`, and lowercases it.
    pub fn parse(raw: &str) -> Result<EmailAddress, EmailError> {
        let trimmed = raw.trim();
        let invalid = |reason: &str| EmailError::Invalid {
            raw: trimmed.to_owned(),
            reason: reason.to_owned(),
        };

        let bare = trimmed
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix('>'))
            .map_or(trimmed, str::trim);
        if bare.is_empty() {
            return Err(EmailError::Empty);
        }
        if bare.contains(['<', '>']) {
            return Err(invalid(
                "it includes a name as well as an address; enter only the address, such as bob@example.com",
            ));
        }
        let length = bare.chars().count();
        if length > MAX_LEN {
            return Err(EmailError::TooLong { length });
        }
        if bare.chars().any(char::is_whitespace) {
            return Err(invalid("it contains a space"));
        }

        let address = bare.to_lowercase();
        let Some((local, domain)) = address.rsplit_once('@') else {
            return Err(EmailError::MissingAt {
                raw: trimmed.to_owned(),
            });
        };
        if domain.is_empty() {
            return Err(EmailError::MissingDomain {
                raw: trimmed.to_owned(),
            });
        }
        if local.is_empty() {
            return Err(invalid("the part before the @ is missing"));
        }
        if local.contains('@') {
            return Err(invalid("it contains more than one @ sign"));
        }
        if address.contains("..") {
            return Err(invalid("it contains two dots in a row"));
        }
        if !domain.contains('.') {
            return Err(invalid(
                "the domain has no dot; use a full domain such as example.com",
            ));
        }

        let options = Options::default()
            .without_display_text()
            .without_domain_literal()
            .with_required_tld();
        email_address::EmailAddress::parse_with_options(&address, options)
            .map_err(|err| invalid(describe(&err)))?;
        Ok(EmailAddress(address))
    }

    /// The normalised address, e.g. `bob@example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Everything after the `@`, e.g. `example.com`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// Everything before the `@`, e.g. `bob`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }
}

/// Turns the syntax checker's terse errors into sentence fragments a user can act on.
fn describe(err: &email_address::Error) -> &'static str {
    use email_address::Error as E;
    match err {
        E::InvalidCharacter => "it contains a character that is not allowed in an email address",
        E::MissingSeparator => "the @ sign is missing",
        E::LocalPartEmpty => "the part before the @ is missing",
        E::LocalPartTooLong => "the part before the @ is longer than 64 characters",
        E::DomainEmpty => "the domain is missing",
        E::DomainTooLong => "the domain is longer than 254 characters",
        E::SubDomainEmpty => "the domain has an empty part between dots",
        E::SubDomainTooLong => "a part of the domain is longer than 63 characters",
        E::DomainTooFew => "the domain has no dot; use a full domain such as example.com",
        E::DomainInvalidSeparator => "the domain starts or ends with a dot",
        E::UnbalancedQuotes => "it has an unmatched quotation mark",
        E::InvalidComment => "it contains a malformed comment in parentheses",
        E::InvalidIPAddress | E::UnsupportedDomainLiteral => {
            "the domain must be a name such as example.com, not an IP address"
        }
        E::UnsupportedDisplayName | E::MissingDisplayName | E::MissingEndBracket => {
            "it includes a name as well as an address; enter only the address, such as bob@example.com"
        }
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl_string_serde!(EmailAddress, EmailError);

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> String {
        EmailAddress::parse(raw)
            .unwrap_or_else(|e| panic!("{raw:?} should parse: {e}"))
            .to_string()
    }

    fn reason(raw: &str) -> String {
        match EmailAddress::parse(raw) {
            Err(EmailError::Invalid { reason, .. }) => reason,
            other => panic!("{raw:?} should be Invalid, got {other:?}"),
        }
    }

    #[test]
    fn plain_address_is_accepted_unchanged() {
        assert_eq!(ok("bob@example.com"), "bob@example.com");
    }

    #[test]
    fn uppercase_email_is_normalised_to_lowercase() {
        assert_eq!(ok("Bob.Smith@Example.COM"), "bob.smith@example.com");
        assert_eq!(
            EmailAddress::parse("BOB@X.COM").unwrap(),
            EmailAddress::parse("bob@x.com").unwrap()
        );
    }

    #[test]
    fn surrounding_whitespace_and_angle_brackets_are_stripped() {
        assert_eq!(ok("  bob@example.com\t"), "bob@example.com");
        assert_eq!(ok("<bob@example.com>"), "bob@example.com");
        assert_eq!(ok(" < bob@example.com > "), "bob@example.com");
    }

    #[test]
    fn plus_tags_and_subdomains_are_accepted() {
        assert_eq!(
            ok("bob+news@mail.example.co.uk"),
            "bob+news@mail.example.co.uk"
        );
    }

    #[test]
    fn parts_are_split_at_the_at_sign() {
        let email = EmailAddress::parse("Bob+x@Example.org").unwrap();
        assert_eq!(email.local_part(), "bob+x");
        assert_eq!(email.domain(), "example.org");
        assert_eq!(email.as_str(), "bob+x@example.org");
    }

    #[test]
    fn empty_and_blank_input_is_empty() {
        assert_eq!(EmailAddress::parse(""), Err(EmailError::Empty));
        assert_eq!(EmailAddress::parse("   "), Err(EmailError::Empty));
        assert_eq!(EmailAddress::parse("<>"), Err(EmailError::Empty));
    }

    #[test]
    fn address_without_at_sign_is_missing_at() {
        let err = EmailAddress::parse("bob.example.com").unwrap_err();
        assert!(matches!(err, EmailError::MissingAt { .. }));
        assert_eq!(
            err.to_string(),
            "\"bob.example.com\" is not a valid email address: the @ sign is missing"
        );
    }

    #[test]
    fn address_ending_in_at_is_missing_domain() {
        let err = EmailAddress::parse("bob@").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"bob@\" is not a valid email address: the domain is missing"
        );
    }

    #[test]
    fn domain_without_dot_is_refused() {
        assert!(reason("user@localhost").contains("no dot"));
    }

    #[test]
    fn missing_local_part_is_refused() {
        assert!(reason("@example.com").contains("before the @"));
    }

    #[test]
    fn spaces_inside_are_refused() {
        assert_eq!(reason("bob smith@example.com"), "it contains a space");
    }

    #[test]
    fn consecutive_dots_are_refused() {
        assert!(reason("bob..smith@example.com").contains("two dots"));
        assert!(reason("bob@example..com").contains("two dots"));
    }

    #[test]
    fn two_at_signs_are_refused() {
        assert!(reason("bob@smith@example.com").contains("more than one @"));
    }

    #[test]
    fn display_name_form_is_refused_with_a_hint() {
        let err = EmailAddress::parse("Bob <b@x.com>").unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("\"Bob <b@x.com>\" is not a valid email address"));
        assert!(message.contains("enter only the address"));
    }

    #[test]
    fn rfc_syntax_errors_are_refused() {
        assert!(reason("bob,smith@example.com").contains("not allowed"));
        assert!(reason(".bob@example.com").contains("not allowed"));
        assert!(reason("bob@-example.com").contains("not allowed"));
        assert!(reason("bob@[127.0.0.1]").contains("IP address"));
    }

    #[test]
    fn overlong_address_is_too_long() {
        let long = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        assert_eq!(
            EmailAddress::parse(&long),
            Err(EmailError::TooLong { length: 265 })
        );
    }

    #[test]
    fn serde_round_trips_as_a_plain_string() {
        let email = EmailAddress::parse("Bob@Example.com").unwrap();
        let json = serde_json::to_string(&email).unwrap();
        assert_eq!(json, "\"bob@example.com\"");
        let back: EmailAddress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, email);
    }

    #[test]
    fn deserialising_normalises_and_refuses_invalid_addresses() {
        let email: EmailAddress = serde_json::from_str("\"BOB@EXAMPLE.COM\"").unwrap();
        assert_eq!(email.as_str(), "bob@example.com");
        let err = serde_json::from_str::<EmailAddress>("\"bob@\"").unwrap_err();
        assert!(err.to_string().contains("the domain is missing"));
    }

    #[test]
    fn from_str_matches_parse() {
        let email: EmailAddress = "a@b.io".parse().unwrap();
        assert_eq!(email, EmailAddress::parse("a@b.io").unwrap());
    }
}
