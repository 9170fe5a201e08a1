//! DKIM signing (RFC 6376) of the bytes the message writer produced:
//! relaxed/relaxed canonicalisation, rsa-sha256 or ed25519-sha256
//! (RFC 8463), the `DKIM-Signature` header put first.
//!
//! The key never leaves this module: no `Debug`, no message that holds it.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::DecodePrivateKey as _;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::ComposeError;

/// The headers signed: those a receiver shows or acts on, including the
/// one-click unsubscribe pair that Gmail and Yahoo require to be signed.
/// One that a message lacks is still listed, so nobody can add it later.
const SIGNED_HEADERS: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "reply-to",
    "mime-version",
    "list-unsubscribe",
    "list-unsubscribe-post",
];

enum Key {
    Rsa(rsa::RsaPrivateKey),
    Ed25519(ed25519_dalek::SigningKey),
}

/// A domain's selector and private key.
pub(super) struct Signer {
    domain: String,
    selector: String,
    key: Key,
}

impl std::fmt::Debug for Signer {
    /// The key stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish_non_exhaustive()
    }
}

/// The DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte
/// seed follows it.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

impl Signer {
    /// Reads a private key in PEM: RSA (PKCS#1 `RSA PRIVATE KEY` or PKCS#8
    /// `PRIVATE KEY`) or Ed25519 (PKCS#8 `PRIVATE KEY`). `domain` and
    /// `selector` are checked by the caller.
    pub(super) fn new(domain: &str, selector: &str, pem: &str) -> Result<Signer, ComposeError> {
        let dkim = |problem: &str| ComposeError::Dkim(problem.to_owned());
        let pem = pem.trim();
        let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
            Key::Rsa(
                rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                    .map_err(|_| dkim("the RSA private key could not be read (PKCS#1 PEM)"))?,
            )
        } else if pem.contains("BEGIN PRIVATE KEY") {
            pkcs8_key(pem)?
        } else {
            return Err(dkim(
                "the private key must be PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)",
            ));
        };
        Ok(Signer {
            domain: domain.to_owned(),
            selector: selector.to_owned(),
            key,
        })
    }

    /// Signs `message` (headers, a blank line, the body; CRLF line ends)
    /// and puts the `DKIM-Signature` header in front of it.
    pub(super) fn sign(&self, message: &mut Vec<u8>) {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header_end =
            memchr::memmem::find(message, b"\r\n\r\n").map_or(message.len(), |i| i + 2);
        let (headers, body) = message.split_at(header_end);
        let body = body.strip_prefix(b"\r\n").unwrap_or(body);
        let body_hash = STANDARD.encode(body_hash(body));

        let algorithm = match self.key {
            Key::Rsa(_) => "rsa",
            Key::Ed25519(_) => "ed25519",
        };
        let mut field = format!(
            "DKIM-Signature: v=1; a={algorithm}-sha256; c=relaxed/relaxed; d={};\r\n s={}; q=dns/txt; t={timestamp};\r\n h=",
            self.domain, self.selector
        );
        for (i, name) in SIGNED_HEADERS.iter().enumerate() {
            if i > 0 {
                field.push(':');
            }
            if i == SIGNED_HEADERS.len() / 2 {
                field.push_str("\r\n ");
            }
            field.push_str(name);
        }
        field.push_str(";\r\n bh=");
        field.push_str(&body_hash);
        field.push_str(";\r\n b=");

        let mut hasher = Sha256::new();
        let mut canonical = Vec::with_capacity(1024);
        let fields = header_fields(headers);
        for name in SIGNED_HEADERS {
            if let Some(f) = fields.iter().find(|f| field_name_is(f, name)) {
                relaxed_header(f, &mut canonical);
                canonical.extend_from_slice(b"\r\n");
            }
        }
        // The signature's own header, with an empty b= and no final CRLF.
        relaxed_header(field.as_bytes(), &mut canonical);
        hasher.update(&canonical);
        let digest = hasher.finalize();
        let signature = match &self.key {
            // Signing with a valid key over a SHA-256 digest cannot fail.
            Key::Rsa(key) => key
                .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
                .unwrap_or_default(),
            Key::Ed25519(key) => key.sign(&digest).to_bytes().to_vec(),
        };
        let signature = STANDARD.encode(signature);
        for (i, chunk) in signature.as_bytes().chunks(72).enumerate() {
            if i > 0 {
                field.push_str("\r\n ");
            }
            field.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        }
        field.push_str("\r\n");
        message.splice(0..0, field.into_bytes());
    }
}

/// A PKCS#8 key, Ed25519 or RSA.
fn pkcs8_key(pem: &str) -> Result<Key, ComposeError> {
    let dkim = |problem: &str| ComposeError::Dkim(problem.to_owned());
    let body: Zeroizing<String> = Zeroizing::new(
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::trim)
            .collect(),
    );
    let der = Zeroizing::new(
        STANDARD
            .decode(body.as_bytes())
            .map_err(|_| dkim("the private key's PEM body is not base64"))?,
    );
    if der.len() == 48 && der[..16] == ED25519_PKCS8_PREFIX {
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&der[16..]);
        return Ok(Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed)));
    }
    rsa::RsaPrivateKey::from_pkcs8_pem(pem)
        .map(Key::Rsa)
        .map_err(|_| dkim("the private key is neither an RSA nor an Ed25519 PKCS#8 key"))
}

/// The header block's fields, each with its folded lines and final CRLF.
fn header_fields(headers: &[u8]) -> Vec<&[u8]> {
    let mut fields = Vec::with_capacity(16);
    let mut start = 0;
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'\n', &headers[at..]) {
        at += i + 1;
        if !matches!(headers.get(at), Some(b' ' | b'\t')) {
            fields.push(&headers[start..at]);
            start = at;
        }
    }
    fields
}

fn field_name_is(field: &[u8], name: &str) -> bool {
    field.len() > name.len()
        && field[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(field[name.len()], b':' | b' ' | b'\t')
}

/// Appends one header field in relaxed canonical form (RFC 6376 3.4.2),
/// without its CRLF: the name lower-cased, the value unfolded, runs of
/// white space as one space, none around the colon or at the end.
fn relaxed_header(field: &[u8], out: &mut Vec<u8>) {
    let colon = memchr::memchr(b':', field).unwrap_or(field.len());
    out.extend(
        field[..colon]
            .trim_ascii_end()
            .iter()
            .map(u8::to_ascii_lowercase),
    );
    out.push(b':');
    let mut space = false;
    let mut started = false;
    for &b in field.get(colon + 1..).unwrap_or_default() {
        match b {
            b'\r' | b'\n' => {}
            b' ' | b'\t' => space = true,
            _ => {
                if space && started {
                    out.push(b' ');
                }
                space = false;
                started = true;
                out.push(b);
            }
        }
    }
}

/// SHA-256 of the body in relaxed canonical form (RFC 6376 3.4.4): white
/// space at line ends removed, runs of it as one space, empty lines at the
/// end removed. A body with nothing to change but its final empty lines
/// (the usual case: the writer's parts have no tabs or runs of spaces) is
/// hashed in one call; otherwise each line is canonicalised and hashed.
fn body_hash(body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    // The writer ends every line with CRLF, so these are the only changes
    // relaxed canonicalisation can make before the final empty lines.
    let needs_lines = memchr::memchr(b'\t', body).is_some()
        || memchr::memmem::find(body, b"  ").is_some()
        || memchr::memmem::find(body, b" \r\n").is_some()
        || body.ends_with(b" ");
    if !needs_lines {
        let mut end = body.len();
        while body[..end].ends_with(b"\r\n") {
            end -= 2;
        }
        if end > 0 {
            hasher.update(&body[..end]);
            hasher.update(b"\r\n");
        }
        return hasher.finalize().into();
    }
    let mut blank = 0usize;
    let mut scratch = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        scratch.clear();
        let mut space = false;
        for &b in line {
            if b == b' ' || b == b'\t' {
                space = true;
            } else {
                if space {
                    scratch.push(b' ');
                }
                space = false;
                scratch.push(b);
            }
        }
        if scratch.is_empty() {
            blank += 1;
        } else {
            for _ in 0..blank {
                hasher.update(b"\r\n");
            }
            blank = 0;
            scratch.extend_from_slice(b"\r\n");
            hasher.update(&scratch);
        }
        rest = next;
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relaxed(field: &str) -> String {
        let mut out = Vec::new();
        relaxed_header(field.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn relaxed_headers_are_unfolded_lower_cased_and_squeezed() {
        // RFC 6376 3.4.6's example.
        assert_eq!(relaxed("A: X\r\n"), "a:X");
        assert_eq!(relaxed("B : Y\t\r\n\tZ  \r\n"), "b:Y Z");
    }

    #[test]
    fn relaxed_bodies_drop_trailing_space_and_blank_lines() {
        // RFC 6376 3.4.6's example body.
        let body = b" C \r\nD \t E\r\n\r\n\r\n";
        let expected: [u8; 32] = Sha256::digest(b" C\r\nD E\r\n").into();
        assert_eq!(body_hash(body), expected);
        let inner = b"a\r\n\r\nb\r\n";
        assert_eq!(body_hash(inner), <[u8; 32]>::from(Sha256::digest(inner)));
        // Both ways of hashing agree.
        let plain = b"<p>a b</p>\r\n\r\n-- x\r\n\r\n\r\n";
        let spaced = b"<p>a  b</p> \r\n\r\n-- x\r\n\r\n\r\n";
        assert_eq!(body_hash(plain), body_hash(spaced));
        assert_eq!(
            body_hash(plain),
            <[u8; 32]>::from(Sha256::digest(b"<p>a b</p>\r\n\r\n-- x\r\n"))
        );
        assert_eq!(body_hash(b"x"), body_hash(b"x\r\n"));
        assert_eq!(
            body_hash(b"\r\n\r\n"),
            <[u8; 32]>::from(Sha256::digest(b""))
        );
    }

    #[test]
    fn header_fields_keep_their_folded_lines() {
        let fields = header_fields(b"A: 1\r\nB: 2\r\n 3\r\nC: 4\r\n");
        assert_eq!(fields, [&b"A: 1\r\n"[..], b"B: 2\r\n 3\r\n", b"C: 4\r\n"]);
        assert!(field_name_is(fields[1], "b"));
        assert!(!field_name_is(b"BB: 1\r\n", "b"));
    }
}
