//! The mail side of the analytics test: the tracked URLs a recipient's
//! mail client would load, read out of the raw messages the test SMTP
//! server (`harness::Smtpd`) kept.

use crate::harness::header;

/// What a recipient's mail client can load from one message: the open
/// pixel and the tracked links, as full relay URLs.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub to: String,
    pub pixel: String,
    pub links: Vec<String>,
}

impl Tracked {
    /// Reads a raw message: its `To` and every distinct `<relay>/o/<token>`
    /// and `<relay>/c/<token>` in its parts (the text part repeats the
    /// links of the HTML one).
    pub fn read(raw: &str, relay: &str) -> Tracked {
        let to = header(raw, "To").expect("a To header");
        let body = unfold_quoted_printable(raw);
        let pixels = urls(&body, &format!("{relay}/o/"));
        assert_eq!(pixels.len(), 1, "one open pixel in the message to {to}");
        let links = urls(&body, &format!("{relay}/c/"));
        Tracked {
            to,
            pixel: pixels[0].clone(),
            links,
        }
    }
}

/// Undoes what quoted-printable does to a URL: soft line breaks and `=3D`.
/// Tokens are base64url without padding, so a 7bit part loses nothing.
fn unfold_quoted_printable(raw: &str) -> String {
    raw.replace("=\r\n", "").replace("=3D", "=")
}

/// Every distinct `prefix<token>` in `text`, in order of appearance.
fn urls(text: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in text.match_indices(prefix) {
        let token: String = text[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let url = format!("{prefix}{token}");
        if !token.is_empty() && !found.contains(&url) {
            found.push(url);
        }
    }
    found
}
