//! Known-answer vectors (computed independently with Python's `hmac`
//! module) and the ways a token must be refused.

use super::*;

const KEY: &str = "3:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const OPEN: &str = "AQMBAQGTobLD1H5fimscLT5PWmsBk6Gyw9RwAIAAAAAAAAABdl7PSSw1GwdTVU9XYliK_w";
const CLICK: &str = "AQMCAQGTobLD1H5fimscLT5PWmsBk6Gyw9RwAIAAAAAAAAABACxodHRwczovL2V4YW1wbGUuY29tL3NwcmluZz91dG1fc291cmNlPWhlcmFsZF35sBXIxQF7qrT2XxSE8VU";
const UNSUB: &str = "AQMDAgGTobLD1H5fimscLT5PWmsBk6Gyw9RwAIAAAAAAAAABFVZ7unmcdmN1mgvEjH6jUg";
const VIEW: &str = "AQMEAQGTobLD1H5fimscLT5PWmsBk6Gyw9RwAIAAAAAAAAAB3yUkX1kmjhsdhV7mdvcllQ";
const CLICK_URL: &str = "https://example.com/spring?utm_source=herald";

fn key() -> SigningKey {
    SigningKey::parse(KEY).unwrap()
}

fn ring() -> KeyRing {
    KeyRing {
        current: key(),
        previous: None,
    }
}

fn campaign() -> Uuid {
    Uuid::parse_str("0193a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b").unwrap()
}

fn recipient() -> Uuid {
    Uuid::parse_str("0193a1b2-c3d4-7000-8000-000000000001").unwrap()
}

fn claims(kind: TokenKind, channel: Channel, url: Option<&str>) -> Claims {
    Claims {
        kind,
        campaign: campaign(),
        recipient: recipient(),
        channel,
        url: url.map(str::to_owned),
    }
}

fn all_vectors() -> [(&'static str, TokenKind, Claims); 4] {
    [
        (
            OPEN,
            TokenKind::Open,
            claims(TokenKind::Open, Channel::Email, None),
        ),
        (
            CLICK,
            TokenKind::Click,
            claims(TokenKind::Click, Channel::Email, Some(CLICK_URL)),
        ),
        (
            UNSUB,
            TokenKind::Unsubscribe,
            claims(TokenKind::Unsubscribe, Channel::Sms, None),
        ),
        (
            VIEW,
            TokenKind::View,
            claims(TokenKind::View, Channel::Email, None),
        ),
    ]
}

fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(token).unwrap()
}

#[test]
fn signing_gives_the_known_answer_tokens() {
    for (token, _, claims) in all_vectors() {
        assert_eq!(sign(&key(), &claims).unwrap(), token);
    }
}

#[test]
fn known_answer_tokens_verify_to_their_claims() {
    for (token, kind, claims) in all_vectors() {
        assert_eq!(ring().verify(token, kind), Ok(claims));
    }
}

#[test]
fn the_key_text_form_round_trips_and_debug_hides_the_secret() {
    let key = key();
    assert_eq!(key.id(), 3);
    assert_eq!(key.to_config_string(), KEY);
    let debug = format!("{key:?}");
    assert!(debug.contains("redacted"), "{debug}");
    assert!(!debug.contains("AAECAw"), "{debug}");
    assert!(!debug.contains("[0, 1, 2"), "{debug}");
}

#[test]
fn malformed_keys_are_refused_with_the_reason() {
    assert_eq!(SigningKey::parse("AAEC"), Err(TokenError::KeyFormat));
    assert_eq!(
        SigningKey::parse("0:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
        Err(TokenError::KeyId)
    );
    assert_eq!(
        SigningKey::parse("256:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
        Err(TokenError::KeyId)
    );
    assert_eq!(SigningKey::parse("1:AAEC"), Err(TokenError::KeySecret));
    assert_eq!(
        SigningKey::parse("1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
        Err(TokenError::KeySecret)
    );
    assert_eq!(SigningKey::new(0, [1; 32]), Err(TokenError::KeyId));
}

#[test]
fn every_single_flipped_bit_is_refused() {
    for (token, kind, _) in all_vectors() {
        let bytes = decode(token);
        for i in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[i / 8] ^= 1 << (i % 8);
            let result = ring().verify(&encode(&flipped), kind);
            assert!(
                result.is_err(),
                "bit {i} of {token} flipped was accepted: {result:?}"
            );
        }
    }
}

#[test]
fn swapped_campaign_and_recipient_are_refused() {
    for (token, kind, _) in all_vectors() {
        let mut bytes = decode(token);
        let (campaign, recipient) = bytes[4..36].split_at_mut(16);
        campaign.swap_with_slice(recipient);
        assert_eq!(ring().verify(&encode(&bytes), kind), Err(TokenError::Tag));
    }
}

#[test]
fn truncated_and_extended_tokens_are_refused() {
    for (token, kind, _) in all_vectors() {
        let bytes = decode(token);
        for len in 0..bytes.len() {
            assert!(
                ring().verify(&encode(&bytes[..len]), kind).is_err(),
                "length {len}"
            );
        }
        for extra in [&[0u8][..], &[0, 0], &bytes[bytes.len() - 16..]] {
            let mut longer = bytes.clone();
            longer.extend_from_slice(extra);
            assert!(ring().verify(&encode(&longer), kind).is_err());
        }
        // Characters chopped off the text form, too.
        for len in 0..token.len() {
            assert!(ring().verify(&token[..len], kind).is_err());
        }
    }
}

#[test]
fn a_token_of_one_kind_is_refused_on_another_kinds_route() {
    for (token, kind, _) in all_vectors() {
        for other in [
            TokenKind::Open,
            TokenKind::Click,
            TokenKind::Unsubscribe,
            TokenKind::View,
        ] {
            if other != kind {
                assert_eq!(ring().verify(token, other), Err(TokenError::WrongKind));
            }
        }
    }
}

#[test]
fn an_unknown_key_id_is_refused() {
    let other = SigningKey::new(9, [3; 32]).unwrap();
    let token = sign(&other, &claims(TokenKind::Open, Channel::Email, None)).unwrap();
    assert_eq!(
        ring().verify(&token, TokenKind::Open),
        Err(TokenError::UnknownKey)
    );
    // Same id, different secret: the tag does not match.
    let impostor = SigningKey::new(3, [3; 32]).unwrap();
    let token = sign(&impostor, &claims(TokenKind::Open, Channel::Email, None)).unwrap();
    assert_eq!(ring().verify(&token, TokenKind::Open), Err(TokenError::Tag));
}

#[test]
fn the_previous_key_is_accepted_during_a_rotation() {
    let new_key = SigningKey::new(4, [9; 32]).unwrap();
    let rotated = KeyRing {
        current: new_key.clone(),
        previous: Some(key()),
    };
    let fresh = sign(&new_key, &claims(TokenKind::Open, Channel::Email, None)).unwrap();
    assert!(rotated.verify(OPEN, TokenKind::Open).is_ok());
    assert!(rotated.verify(&fresh, TokenKind::Open).is_ok());
    // Once the old key is dropped its tokens stop working.
    let after = KeyRing {
        current: new_key,
        previous: None,
    };
    assert_eq!(
        after.verify(OPEN, TokenKind::Open),
        Err(TokenError::UnknownKey)
    );
}

#[test]
fn bad_base64_and_an_unknown_version_are_refused() {
    for bad in [
        "",
        "!!!!",
        "AQMBAQ==",
        &format!("{OPEN}="),
        &OPEN.replace('A', "+"),
        &format!(" {OPEN}"),
    ] {
        assert!(ring().verify(bad, TokenKind::Open).is_err(), "{bad}");
    }
    // A non-canonical final character (trailing bits set) is refused too.
    let last = OPEN.chars().last().unwrap();
    let mut noncanonical = OPEN[..OPEN.len() - 1].to_owned();
    noncanonical.push(if last == 'w' { 'x' } else { 'w' });
    assert_eq!(
        ring().verify(&noncanonical, TokenKind::Open),
        Err(TokenError::Encoding)
    );
    let mut bytes = decode(OPEN);
    bytes[0] = 2;
    assert_eq!(
        ring().verify(&encode(&bytes), TokenKind::Open),
        Err(TokenError::Version)
    );
}

#[test]
fn only_absolute_http_urls_can_be_signed() {
    let sign_url = |url: &str| sign(&key(), &claims(TokenKind::Click, Channel::Email, Some(url)));
    for good in [
        "https://example.com",
        "http://example.com:8080/a?b=c#d",
        "HTTPS://Example.com/",
        "https://[2001:db8::1]/x",
        "https://user@example.com/",
    ] {
        assert!(sign_url(good).is_ok(), "{good}");
    }
    for bad in [
        "//evil.example",
        "/relative",
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.com",
        "https:/\\evil.example",
        "https://\\evil.example",
        "https:///evil.example",
        "https://",
        "https://:443/",
        "https://example.com/\r\nSet-Cookie: a=b",
        "https://example.com/ space",
        "https://exämple.com/",
        "",
    ] {
        assert!(matches!(sign_url(bad), Err(TokenError::Url(_))), "{bad}");
    }
    assert!(sign_url(&format!("https://example.com/{}", "a".repeat(MAX_URL_LEN))).is_err());
    assert!(sign(&key(), &claims(TokenKind::Click, Channel::Email, None)).is_err());
    assert!(sign(
        &key(),
        &claims(TokenKind::Open, Channel::Email, Some("https://example.com"))
    )
    .is_err());
}
