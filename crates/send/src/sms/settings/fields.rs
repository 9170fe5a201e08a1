//! The checks behind [`SmsSettings::parse`](super::SmsSettings::parse), one
//! function per field or group of fields, each error naming its field.

use std::net::IpAddr;

use herald_core::sms_keywords::{classify, SmsKeyword};
use herald_core::PhoneNumber;
use url::Url;
use uuid::Uuid;

use super::{
    invalid, max_rate, SenderKind, SettingsError, SmsSettingsInput, TwilioSettings, VonageSender,
    VonageSettings, TWILIO_API,
};

/// The longest opt-out instruction: it rides on every message.
const MAX_OPT_OUT_CHARS: usize = 60;
/// A HELP answer fits one GSM-7 message.
const MAX_HELP_CHARS: usize = 160;
/// Vonage's limit for an alphanumeric sender id.
const MAX_ALPHANUMERIC: usize = 11;

/// The form with every text field trimmed (what is stored).
pub(super) fn trimmed(input: &SmsSettingsInput) -> SmsSettingsInput {
    let t = |s: &String| s.trim().to_owned();
    SmsSettingsInput {
        twilio_account_sid: t(&input.twilio_account_sid),
        twilio_from: t(&input.twilio_from),
        twilio_messaging_service_sid: t(&input.twilio_messaging_service_sid),
        vonage_api_key: t(&input.vonage_api_key),
        vonage_application_id: t(&input.vonage_application_id),
        vonage_from: t(&input.vonage_from),
        opt_out_text: t(&input.opt_out_text),
        help_text: t(&input.help_text),
        twilio_base_url: t(&input.twilio_base_url),
        vonage_base_url: t(&input.vonage_base_url),
        ..input.clone()
    }
}

/// `prefix` followed by 32 hexadecimal digits, as Twilio's SIDs are.
fn is_sid(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|hex| hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

pub(super) fn twilio(input: &SmsSettingsInput) -> Result<TwilioSettings, SettingsError> {
    let account_sid = &input.twilio_account_sid;
    if !is_sid(account_sid, "AC") {
        return Err(invalid(
            "twilio_account_sid",
            if account_sid.is_empty() {
                "the Account SID is empty; copy it from the Twilio Console (Account info)"
                    .to_owned()
            } else {
                format!(
                    "\"{account_sid}\" is not an Account SID: it starts with AC and has 32 \
                     hexadecimal characters after that"
                )
            },
        ));
    }
    let from = if input.twilio_from.is_empty() {
        None
    } else {
        Some(
            PhoneNumber::parse(&input.twilio_from, None)
                .map_err(|e| invalid("twilio_from", e.to_string()))?,
        )
    };
    let service = &input.twilio_messaging_service_sid;
    let messaging_service_sid = if service.is_empty() {
        None
    } else if is_sid(service, "MG") {
        Some(service.clone())
    } else {
        return Err(invalid(
            "twilio_messaging_service_sid",
            format!(
                "\"{service}\" is not a Messaging Service SID: it starts with MG and has 32 \
                 hexadecimal characters after that"
            ),
        ));
    };
    if from.is_none() && messaging_service_sid.is_none() {
        return Err(invalid(
            "twilio_from",
            "give the Twilio number to send from, or a Messaging Service SID",
        ));
    }
    Ok(TwilioSettings {
        account_sid: account_sid.clone(),
        from,
        messaging_service_sid,
        base_url: base_url("twilio_base_url", &input.twilio_base_url)?
            .unwrap_or_else(|| Url::parse(TWILIO_API).expect("a valid constant")),
    })
}

pub(super) fn vonage(input: &SmsSettingsInput) -> Result<VonageSettings, SettingsError> {
    let api_key = &input.vonage_api_key;
    if api_key.is_empty() {
        return Err(invalid(
            "vonage_api_key",
            "the API key is empty; copy it from the Vonage dashboard",
        ));
    }
    if api_key.len() > 32 || !api_key.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid(
            "vonage_api_key",
            format!("\"{api_key}\" is not an API key: it has only letters and digits"),
        ));
    }
    let application_id = if input.vonage_application_id.is_empty() {
        None
    } else {
        Some(Uuid::parse_str(&input.vonage_application_id).map_err(|_| {
            invalid(
                "vonage_application_id",
                format!(
                    "\"{}\" is not an application ID (a UUID such as \
                         aaaaaaaa-bbbb-cccc-dddd-0123456789ab); leave it empty to use the \
                         API key and secret",
                    input.vonage_application_id
                ),
            )
        })?)
    };
    let from = vonage_sender(&input.vonage_from)?;
    match (&from, input.sender_kind) {
        (VonageSender::Number(_), SenderKind::Alphanumeric) => {
            return Err(invalid(
                "sender_kind",
                "the sender is a phone number, not an alphanumeric sender id",
            ));
        }
        (VonageSender::Alphanumeric(name), kind) if kind != SenderKind::Alphanumeric => {
            return Err(invalid(
                "sender_kind",
                format!("the sender \"{name}\" is a name: choose an alphanumeric sender"),
            ));
        }
        _ => {}
    }
    Ok(VonageSettings {
        api: input.vonage_api,
        api_key: api_key.clone(),
        application_id,
        from,
        base_url: base_url("vonage_base_url", &input.vonage_base_url)?,
    })
}

/// A number (with or without its `+`, as Vonage's dashboard shows them) or
/// a name of up to 11 letters, digits and spaces.
fn vonage_sender(raw: &str) -> Result<VonageSender, SettingsError> {
    if raw.is_empty() {
        return Err(invalid(
            "vonage_from",
            "give the Vonage number or the alphanumeric sender id to send from",
        ));
    }
    let numeric = raw
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if numeric {
        let international = if raw.starts_with('+') {
            raw.to_owned()
        } else {
            format!("+{raw}")
        };
        return PhoneNumber::parse(&international, None)
            .map(VonageSender::Number)
            .map_err(|e| invalid("vonage_from", e.to_string()));
    }
    let fits = raw.chars().count() <= MAX_ALPHANUMERIC
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
    if !fits {
        return Err(invalid(
            "vonage_from",
            format!(
                "\"{raw}\" is neither a phone number nor an alphanumeric sender id (at most \
                 {MAX_ALPHANUMERIC} letters, digits and spaces)"
            ),
        ));
    }
    Ok(VonageSender::Alphanumeric(raw.to_owned()))
}

/// `None` for an empty field (the real API). Only HTTPS, except for a
/// stand-in on this machine.
fn base_url(field: &'static str, raw: &str) -> Result<Option<Url>, SettingsError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let url = Url::parse(raw).map_err(|e| {
        invalid(
            field,
            format!("\"{raw}\" is not a URL ({e}); leave it empty for the real API"),
        )
    })?;
    let host = url.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let local = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        "http" => {
            return Err(invalid(
                field,
                format!(
                    "plain http is allowed only for a stand-in on this machine (localhost, \
                     127.0.0.1), not for {host}; use https"
                ),
            ));
        }
        other => {
            return Err(invalid(
                field,
                format!("\"{other}\" is not a web address scheme; use https"),
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid(
            field,
            "give the address alone, without a query, fragment or credentials",
        ));
    }
    Ok(Some(url))
}

pub(super) fn rate(input: &SmsSettingsInput) -> Result<f64, SettingsError> {
    let max = max_rate(input.provider);
    let Some(rate) = input.messages_per_second else {
        return Ok(super::default_rate(input.provider, input.sender_kind));
    };
    if !(rate.is_finite() && rate > 0.0 && rate <= max) {
        let provider = input.provider.name();
        return Err(invalid(
            "messages_per_second",
            format!("the rate must be above 0 and at most {max} for {provider}, not {rate}"),
        ));
    }
    Ok(rate)
}

/// The instruction must name a word that actually opts out, or replying
/// as told would do nothing.
pub(super) fn opt_out_text(text: &str) -> Result<(), SettingsError> {
    if text.is_empty() {
        return Err(invalid(
            "opt_out_text",
            "the opt-out instruction is empty; e.g. \"Reply STOP to opt out\"",
        ));
    }
    if text.chars().count() > MAX_OPT_OUT_CHARS {
        return Err(invalid(
            "opt_out_text",
            format!("at most {MAX_OPT_OUT_CHARS} characters: it is added to every message"),
        ));
    }
    let names_keyword = text
        .split(|c: char| c.is_whitespace() || c == '"')
        .any(|word| classify(word) == Some(SmsKeyword::OptOut));
    if !names_keyword {
        return Err(invalid(
            "opt_out_text",
            "say which word opts out (STOP, UNSUBSCRIBE, CANCEL, END or QUIT), e.g. \
             \"Reply STOP to opt out\"",
        ));
    }
    Ok(())
}

/// The answer to HELP / INFO. Empty is allowed: Herald then answers
/// nothing (for a provider that answers HELP itself, such as Twilio's
/// Advanced Opt-Out; docs/sms.md, "HELP replies").
pub(super) fn help_text(text: &str) -> Result<(), SettingsError> {
    if text.chars().count() > MAX_HELP_CHARS {
        return Err(invalid(
            "help_text",
            format!("at most {MAX_HELP_CHARS} characters, one text message"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_help_text_is_allowed_and_a_long_one_is_not() {
        assert!(help_text("").is_ok());
        assert!(help_text(&"x".repeat(MAX_HELP_CHARS + 1)).is_err());
    }

    #[test]
    fn base_urls_are_https_unless_on_this_machine() {
        assert!(base_url("f", "https://api.example.com").unwrap().is_some());
        assert!(base_url("f", "http://127.0.0.1:8080").unwrap().is_some());
        assert!(base_url("f", "http://localhost:8080/").unwrap().is_some());
        assert!(base_url("f", "http://[::1]:8080").unwrap().is_some());
        assert!(base_url("f", "").unwrap().is_none());
        for bad in [
            "http://api.example.com",
            "ftp://127.0.0.1",
            "api.twilio.com",
            "https://u:p@api.example.com",
        ] {
            let err = base_url("twilio_base_url", bad).unwrap_err();
            assert!(err.to_string().starts_with("twilio_base_url: "), "{err}");
        }
    }

    #[test]
    fn vonage_senders_are_numbers_or_short_names() {
        assert_eq!(
            vonage_sender("447911123456").unwrap(),
            VonageSender::Number(PhoneNumber::parse("+447911123456", None).unwrap())
        );
        assert_eq!(
            vonage_sender("+44 7911 123456").unwrap().wire(),
            "447911123456"
        );
        assert_eq!(
            vonage_sender("Herald Shop").unwrap(),
            VonageSender::Alphanumeric("Herald Shop".into())
        );
        assert!(vonage_sender("HeraldShopLtd").is_err(), "12 characters");
        assert!(vonage_sender("Herald!").is_err());
        assert!(vonage_sender("").is_err());
    }

    #[test]
    fn an_opt_out_text_must_name_an_opt_out_word() {
        assert!(opt_out_text("Reply STOP to opt out").is_ok());
        assert!(opt_out_text("Text \"end\" to quit").is_ok());
        assert!(opt_out_text("Antworte STOP zum Abmelden").is_ok());
        assert!(opt_out_text("Reply to opt out").is_err());
        assert!(opt_out_text("").is_err());
    }

    #[test]
    fn sids_have_their_prefix_and_32_hex_digits() {
        assert!(is_sid("AC0123456789abcdef0123456789abcdef", "AC"));
        assert!(!is_sid("AC0123456789abcdef0123456789abcde", "AC"));
        assert!(!is_sid("MG0123456789abcdef0123456789abcdef", "AC"));
        assert!(!is_sid("AC0123456789abcdef0123456789abcdeg", "AC"));
    }
}
