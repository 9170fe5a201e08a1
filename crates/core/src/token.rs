//! Signed tokens for the relay's public links: open pixels, click
//! redirects, unsubscribe pages and web versions of an email.
//!
//! The desktop signs a token per recipient and link with the workspace's
//! [`SigningKey`]; the relay verifies it with its [`KeyRing`] (the current
//! key and, during a rotation, the previous one). The byte layout is the wire
//! contract in `docs/relay.md`:
//!
//! ```text
//! version(1)=1 | key id(1) | kind(1) | channel(1) | campaign(16) | recipient(16)
//!   | [click only: url length u16 BE | url bytes] | tag(16)
//! ```
//!
//! `tag` is HMAC-SHA256 over every byte before it, truncated to 16 bytes,
//! and the whole is base64url without padding. A click token carries its
//! destination, so the relay can only ever redirect where the desktop
//! signed. Tokens hold ids, never an address.
//!
//! ```
//! use herald_core::token::{sign, Claims, KeyRing, SigningKey, TokenKind};
//! use herald_core::Channel;
//! use uuid::Uuid;
//!
//! let key = SigningKey::new(1, [7; 32])?;
//! let claims = Claims {
//!     kind: TokenKind::Click,
//!     campaign: Uuid::now_v7(),
//!     recipient: Uuid::now_v7(),
//!     channel: Channel::Email,
//!     url: Some("https://example.com/spring".into()),
//! };
//! let token = sign(&key, &claims)?;
//! let ring = KeyRing { current: key, previous: None };
//! assert_eq!(ring.verify(&token, TokenKind::Click)?, claims);
//! assert!(ring.verify(&token, TokenKind::Open).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;
use uuid::Uuid;

use crate::Channel;

type HmacSha256 = Hmac<Sha256>;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
/// version, key id, kind, channel, two UUIDs.
const HEADER_LEN: usize = 4 + 16 + 16;
/// The longest click URL a token carries (the length field is a u16, and
/// the token has to fit in a URL that mail clients do not truncate).
pub const MAX_URL_LEN: usize = 4096;

/// What a token is for; a token is only accepted on its own route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Open,
    Click,
    Unsubscribe,
    /// The web version of a campaign's email, for the recipient it was sent to.
    View,
}

impl TokenKind {
    fn to_byte(self) -> u8 {
        match self {
            TokenKind::Open => 1,
            TokenKind::Click => 2,
            TokenKind::Unsubscribe => 3,
            TokenKind::View => 4,
        }
    }

    fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(TokenKind::Open),
            2 => Some(TokenKind::Click),
            3 => Some(TokenKind::Unsubscribe),
            4 => Some(TokenKind::View),
            _ => None,
        }
    }
}

fn channel_to_byte(channel: Channel) -> u8 {
    match channel {
        Channel::Email => 1,
        Channel::Sms => 2,
    }
}

fn channel_from_byte(b: u8) -> Option<Channel> {
    match b {
        1 => Some(Channel::Email),
        2 => Some(Channel::Sms),
        _ => None,
    }
}

/// What a token says: who it was sent to, in which campaign, on which
/// channel, and for clicks where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Claims {
    pub kind: TokenKind,
    pub campaign: Uuid,
    /// The contact id.
    pub recipient: Uuid,
    pub channel: Channel,
    /// The destination of a click token; `None` for the other kinds.
    pub url: Option<String>,
}

/// Why a key, a token or a click URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    #[error("signing key: expected `<id>:<base64url of 32 bytes>`")]
    KeyFormat,
    #[error("signing key: the id must be a number from 1 to 255")]
    KeyId,
    #[error("signing key: the secret must be 32 bytes of base64url without padding")]
    KeySecret,
    #[error("token: not base64url")]
    Encoding,
    #[error("token: wrong length")]
    Length,
    #[error("token: unknown version")]
    Version,
    #[error("token: signed with an unknown key")]
    UnknownKey,
    #[error("token: not valid for this link")]
    WrongKind,
    #[error("token: signature does not match")]
    Tag,
    #[error("token: unknown kind or channel")]
    Malformed,
    #[error("url: {0}")]
    Url(&'static str),
}

/// A workspace signing key: a one-byte id and 32 secret bytes.
///
/// Its `Debug` shows the id only; the secret leaves this type only through
/// [`SigningKey::to_config_string`], for the one place a person copies it.
#[derive(Clone)]
pub struct SigningKey {
    id: u8,
    secret: [u8; 32],
    /// HMAC keyed with `secret`, ready to take a message: every token
    /// starts from a copy instead of hashing the key's two pads again.
    keyed: HmacSha256,
}

impl PartialEq for SigningKey {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.secret == other.secret
    }
}

impl Eq for SigningKey {}

impl SigningKey {
    /// A key with id 1-255 (0 is refused so that a zeroed buffer is never a key).
    pub fn new(id: u8, secret: [u8; 32]) -> Result<Self, TokenError> {
        if id == 0 {
            return Err(TokenError::KeyId);
        }
        let keyed = HmacSha256::new_from_slice(&secret).expect("HMAC takes keys of any length");
        Ok(SigningKey { id, secret, keyed })
    }

    pub fn id(&self) -> u8 {
        self.id
    }

    /// Parses the text form `<id>:<base64url, no padding, of 32 bytes>`,
    /// ignoring surrounding whitespace.
    pub fn parse(raw: &str) -> Result<Self, TokenError> {
        let (id, secret) = raw.trim().split_once(':').ok_or(TokenError::KeyFormat)?;
        let id: u8 = id.parse().map_err(|_| TokenError::KeyId)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(secret)
            .map_err(|_| TokenError::KeySecret)?;
        let secret: [u8; 32] = bytes.try_into().map_err(|_| TokenError::KeySecret)?;
        SigningKey::new(id, secret)
    }

    /// The text form [`SigningKey::parse`] reads. This is the secret: show
    /// it once, write it to the keychain or the relay's configuration, never
    /// to a log.
    pub fn to_config_string(&self) -> String {
        format!("{}:{}", self.id, URL_SAFE_NO_PAD.encode(self.secret))
    }

    /// The secret bytes, for a verifier that derives its own MAC from the
    /// workspace key (the relay's generic webhook). Never log them.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.secret
    }

    fn mac(&self) -> HmacSha256 {
        self.keyed.clone()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The keys a verifier accepts: the current one and, while a rotation is
/// under way, the previous one.
#[derive(Debug, Clone)]
pub struct KeyRing {
    pub current: SigningKey,
    pub previous: Option<SigningKey>,
}

impl KeyRing {
    /// Checks `token` and returns what it says, refusing a bad encoding or
    /// length, an unknown version or key, a kind other than `expected`, and
    /// a tag that does not match (compared in constant time).
    pub fn verify(&self, token: &str, expected: TokenKind) -> Result<Claims, TokenError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| TokenError::Encoding)?;
        if bytes.len() < HEADER_LEN + TAG_LEN {
            return Err(TokenError::Length);
        }
        if bytes[0] != VERSION {
            return Err(TokenError::Version);
        }
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| k.id == bytes[1])
            .ok_or(TokenError::UnknownKey)?;
        let (signed, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        let mut mac = key.mac();
        mac.update(signed);
        mac.verify_truncated_left(tag)
            .map_err(|_| TokenError::Tag)?;
        // Past this point the bytes are the desktop's own; the checks below
        // only guard against a signer bug.
        let claims = decode_claims(signed)?;
        if claims.kind != expected {
            return Err(TokenError::WrongKind);
        }
        Ok(claims)
    }
}

fn decode_claims(signed: &[u8]) -> Result<Claims, TokenError> {
    let kind = TokenKind::from_byte(signed[2]).ok_or(TokenError::Malformed)?;
    let channel = channel_from_byte(signed[3]).ok_or(TokenError::Malformed)?;
    let campaign = Uuid::from_slice(&signed[4..20]).map_err(|_| TokenError::Length)?;
    let recipient = Uuid::from_slice(&signed[20..36]).map_err(|_| TokenError::Length)?;
    let rest = &signed[HEADER_LEN..];
    let url = match kind {
        TokenKind::Click => {
            let (len, url) = rest.split_at_checked(2).ok_or(TokenError::Length)?;
            let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
            if url.len() != len {
                return Err(TokenError::Length);
            }
            let url = std::str::from_utf8(url).map_err(|_| TokenError::Url("not UTF-8"))?;
            check_click_url(url)?;
            Some(url.to_owned())
        }
        TokenKind::Open | TokenKind::Unsubscribe | TokenKind::View if rest.is_empty() => None,
        TokenKind::Open | TokenKind::Unsubscribe | TokenKind::View => {
            return Err(TokenError::Length)
        }
    };
    Ok(Claims {
        kind,
        campaign,
        recipient,
        channel,
        url,
    })
}

/// Signs `claims` with `key`. A click token needs an absolute `http://` or
/// `https://` URL (see [`check_click_url`]); the other kinds take none.
pub fn sign(key: &SigningKey, claims: &Claims) -> Result<String, TokenError> {
    let mut bytes =
        Vec::with_capacity(HEADER_LEN + TAG_LEN + 2 + claims.url.as_ref().map_or(0, String::len));
    bytes.extend_from_slice(&[
        VERSION,
        key.id,
        claims.kind.to_byte(),
        channel_to_byte(claims.channel),
    ]);
    bytes.extend_from_slice(claims.campaign.as_bytes());
    bytes.extend_from_slice(claims.recipient.as_bytes());
    match (claims.kind, &claims.url) {
        (TokenKind::Click, Some(url)) => {
            check_click_url(url)?;
            let len = u16::try_from(url.len()).map_err(|_| TokenError::Url("too long"))?;
            bytes.extend_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(url.as_bytes());
        }
        (TokenKind::Click, None) => return Err(TokenError::Url("a click token needs one")),
        (_, Some(_)) => return Err(TokenError::Url("only click tokens carry one")),
        (_, None) => {}
    }
    let mut mac = key.mac();
    mac.update(&bytes);
    bytes.extend_from_slice(&mac.finalize().into_bytes()[..TAG_LEN]);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The destinations a click token may lead to: an absolute `http` or
/// `https` URL with a host, in printable ASCII (the signer percent-encodes
/// anything else), with no backslash, so that no browser can read it as a
/// scheme-relative or other-host URL, and at most [`MAX_URL_LEN`] bytes.
pub fn check_click_url(url: &str) -> Result<(), TokenError> {
    if url.len() > MAX_URL_LEN {
        return Err(TokenError::Url("too long"));
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TokenError::Url(
            "only printable ASCII without spaces (percent-encode the rest)",
        ));
    }
    if url.contains('\\') {
        return Err(TokenError::Url("a backslash is not allowed"));
    }
    // The scheme in any case; what follows is only split on ASCII
    // punctuation, which has no case.
    let after = |scheme: &str| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    };
    let rest = after("https://")
        .or_else(|| after("http://"))
        .ok_or(TokenError::Url("must start with http:// or https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let has_host = if host.starts_with('[') {
        host.len() > 2 && host.contains(']')
    } else {
        host.split(':').next().is_some_and(|name| !name.is_empty())
    };
    if !has_host {
        return Err(TokenError::Url("needs a host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
