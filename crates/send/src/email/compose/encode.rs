//! The encodings a message's headers and bodies need: quoted-printable
//! (RFC 2045 6.7) for a part that cannot go as 7bit, RFC 2047 encoded
//! words for non-ASCII header text, display names quoted as lettre quoted
//! them, and base64 in 76-character lines for attachments.
//!
//! Every function appends to the message being written, so nothing is
//! copied twice. Lines end with CRLF and stay within 78 characters where
//! the value allows (RFC 5322 2.1.1), always within 998.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The longest quoted-printable line, soft break included (RFC 2045).
const QP_LINE: usize = 76;
/// The longest line that holds encoded words (RFC 2047 2).
const WORDS_LINE: usize = 76;
/// Where header text is folded (RFC 5322 2.1.1).
const HEADER_LINE: usize = 78;
const WORD_START: &str = "=?utf-8?b?";
const WORD_END: &str = "?=";
/// Display names longer than this go as encoded words, which fold; a
/// quoted string would make one long line.
const LONG_NAME: usize = 60;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` quoted-printable: `\n` and `\r\n` become hard line
/// breaks (CRLF), other bytes outside printable ASCII and `=` become `=XX`,
/// spaces and tabs before a line end are encoded, and lines are soft-broken
/// (`=` CRLF) at 76 characters. Its output never holds `=_`, which the
/// message's boundaries start with.
pub(super) fn quoted_printable(text: &[u8], out: &mut Vec<u8>) {
    out.reserve(text.len() + text.len() / 8);
    let mut rest = text;
    loop {
        match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let line = &rest[..i];
                qp_line(line.strip_suffix(b"\r").unwrap_or(line), out);
                out.extend_from_slice(b"\r\n");
                rest = &rest[i + 1..];
            }
            None => {
                qp_line(rest, out);
                return;
            }
        }
    }
}

/// Bytes that quoted-printable writes as they are (space and tab only
/// inside a line).
const LITERAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 33;
    while b <= 126 {
        table[b] = b != b'=' as usize;
        b += 1;
    }
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table
};

/// One hard line (without its line break), soft-broken: runs of literal
/// bytes are copied whole.
fn qp_line(line: &[u8], out: &mut Vec<u8>) {
    let n = line.len();
    let mut col = 0;
    let mut i = 0;
    while i < n {
        let mut run = 0;
        while i + run < n && run <= QP_LINE && LITERAL[usize::from(line[i + run])] {
            run += 1;
        }
        if i + run == n && run > 0 && matches!(line[n - 1], b' ' | b'\t') {
            run -= 1;
        }
        // The line's last characters may take the column the soft break's
        // `=` would need.
        let take = if i + run == n && col + run <= QP_LINE {
            run
        } else {
            run.min((QP_LINE - 1).saturating_sub(col))
        };
        out.extend_from_slice(&line[i..i + take]);
        col += take;
        i += take;
        if i == n {
            break;
        }
        if take < run || col >= QP_LINE - 1 {
            out.extend_from_slice(b"=\r\n");
            col = 0;
            continue;
        }
        let limit = if i + 1 == n { QP_LINE } else { QP_LINE - 1 };
        if col + 3 > limit {
            out.extend_from_slice(b"=\r\n");
            col = 0;
        }
        let b = line[i];
        out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        col += 3;
        i += 1;
    }
}

/// Appends `text` as RFC 2047 encoded words (UTF-8, base64), each holding
/// whole characters, folded (CRLF space) so that no line passes 76
/// characters; `used` is how much of the current line is already taken.
pub(super) fn encoded_words(text: &str, mut used: usize, out: &mut Vec<u8>) {
    let overhead = WORD_START.len() + WORD_END.len();
    let mut rest = text;
    while !rest.is_empty() {
        let room = WORDS_LINE.saturating_sub(used + overhead) / 4 * 3;
        let mut take = floor_char_boundary(rest, room);
        if take == 0 {
            if used > 1 {
                out.extend_from_slice(b"\r\n ");
                used = 1;
                continue;
            }
            take = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (word, after) = rest.split_at(take);
        out.extend_from_slice(WORD_START.as_bytes());
        let start = out.len();
        out.resize(start + base64_len(word.len()), 0);
        let written = STANDARD
            .encode_slice(word, &mut out[start..])
            .expect("the buffer was sized for the encoding");
        out.truncate(start + written);
        out.extend_from_slice(WORD_END.as_bytes());
        used += overhead + written;
        rest = after;
    }
}

/// The largest index `<= at` that is a character boundary of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// Appends a header whose value is free text (`Subject`): as it is, folded
/// at spaces, when it is printable ASCII that a reader would not take for
/// an encoded word; as encoded words otherwise.
pub(super) fn unstructured(name: &str, value: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    let used = name.len() + 2;
    let plain = value.bytes().all(|b| (b' '..=b'~').contains(&b))
        && !value.contains("=?")
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && value
            .split(' ')
            .all(|word| word.len() + 1 < HEADER_LINE - used);
    if plain {
        fold_words(value, used, out);
    } else {
        encoded_words(value, used, out);
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends `value`, folding before a space where a line would pass 78
/// characters; unfolding (removing the CRLFs) gives `value` back.
fn fold_words(value: &str, used: usize, out: &mut Vec<u8>) {
    let mut line = used;
    for (i, word) in value.split(' ').enumerate() {
        if i > 0 {
            // Never before an empty word: that could leave a line of only
            // white space, which RFC 5322 forbids.
            if !word.is_empty() && line + 1 + word.len() > HEADER_LINE {
                out.extend_from_slice(b"\r\n");
                line = 0;
            }
            out.push(b' ');
            line += 1;
        }
        out.extend_from_slice(word.as_bytes());
        line += word.len();
    }
}

/// Appends a mailbox, `name <address>` or the bare address, with the name
/// as lettre wrote it: bare when it is letters, digits and `-_.`; quoted
/// when it also has spaces, with `\` and `"` escaped; encoded words when it
/// has anything else (a comma, non-ASCII) or is long. `used` is how much of
/// the line the header's name takes.
pub(super) fn mailbox(name: Option<&str>, address: &str, used: usize, out: &mut Vec<u8>) {
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        out.extend_from_slice(address.as_bytes());
        return;
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    let quoted = |b: u8| word(b) || b == b' ';
    let escaped = |b: u8| quoted(b) || matches!(b, b'\\' | b'"');
    let start = out.len();
    let bytes = name.as_bytes();
    if bytes.iter().all(|&b| word(b)) && name.len() <= LONG_NAME {
        out.extend_from_slice(bytes);
    } else if bytes.iter().all(|&b| escaped(b)) && name.len() <= LONG_NAME {
        out.push(b'"');
        for &b in bytes {
            if matches!(b, b'\\' | b'"') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        encoded_words(name, used, out);
    }
    // The address on its own line when the name filled this one.
    let line = match out[start..].iter().rposition(|&b| b == b'\n') {
        Some(i) => out.len() - start - i - 1,
        None => used + out.len() - start,
    };
    if line + address.len() + 3 > HEADER_LINE {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b" <");
    out.extend_from_slice(address.as_bytes());
    out.push(b'>');
}

/// Appends `bytes` in base64, 76 characters a line, lines separated (not
/// ended) by CRLF.
pub(super) fn base64_lines(bytes: &[u8], out: &mut Vec<u8>) {
    // 57 bytes make 76 characters.
    for (i, chunk) in bytes.chunks(57).enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let start = out.len();
        out.resize(start + base64_len(chunk.len()), 0);
        let written = STANDARD
            .encode_slice(chunk, &mut out[start..])
            .expect("the buffer was sized for the encoding");
        out.truncate(start + written);
    }
}

/// A MIME parameter (`filename`), quoted when it is printable ASCII, in
/// RFC 2231's `name*=utf-8''…` form otherwise.
pub(super) fn parameter(name: &str, value: &str, out: &mut Vec<u8>) {
    let plain = value
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    out.extend_from_slice(name.as_bytes());
    if plain {
        out.extend_from_slice(b"=\"");
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
        return;
    }
    out.extend_from_slice(b"*=utf-8''");
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qp(text: &str) -> String {
        let mut out = Vec::new();
        quoted_printable(text.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    /// A quoted-printable decoder as RFC 2045 describes it.
    fn unqp(encoded: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let bytes = encoded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
                b'=' => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                }
                b'\r' => {
                    out.push(b'\n');
                    i += 2;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out
    }

    #[test]
    fn quoted_printable_keeps_plain_text_and_encodes_the_rest() {
        assert_eq!(qp("Hello, world"), "Hello, world");
        assert_eq!(qp("a=b\nc"), "a=3Db\r\nc");
        assert_eq!(qp("Grüße"), "Gr=C3=BC=C3=9Fe");
        assert_eq!(qp("end \r\nnext\t"), "end=20\r\nnext=09");
        assert_eq!(qp("a\rb"), "a=0Db");
    }

    #[test]
    fn quoted_printable_lines_are_soft_broken_at_76_and_decode_back() {
        let text = format!(
            "{}\n{}\nshort\n{} \n",
            "x".repeat(200),
            "é".repeat(80),
            "word ".repeat(40)
        );
        let encoded = qp(&text);
        for line in encoded.split("\r\n") {
            assert!(line.len() <= 76, "{line:?} is {} long", line.len());
        }
        assert!(!encoded.contains("=_"));
        assert_eq!(unqp(&encoded), text.as_bytes());
        // Exactly 76 fits when it ends the line; 77 does not.
        assert_eq!(qp(&"y".repeat(76)), "y".repeat(76));
        assert_eq!(qp(&"y".repeat(77)), format!("{}=\r\nyy", "y".repeat(75)));
    }

    #[test]
    fn quoted_printable_round_trips_any_mix_of_bytes_within_76_columns() {
        // A fixed pseudo-random mix of the cases: runs of letters, spaces
        // and tabs (also before line ends), `=`, line breaks, 8-bit bytes.
        let pieces: [&[u8]; 8] = [b"abc", b" ", b"\t", b"=", b"\n", b"\r\n", b"\xc3\xa9", b"x"];
        let mut state = 7u32;
        for len in [10, 75, 76, 77, 150, 1000] {
            for _ in 0..50 {
                let mut text = Vec::new();
                while text.len() < len {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    text.extend_from_slice(pieces[(state >> 16) as usize % pieces.len()]);
                }
                let mut out = Vec::new();
                quoted_printable(&text, &mut out);
                let encoded = String::from_utf8(out).unwrap();
                for line in encoded.split("\r\n") {
                    assert!(line.len() <= 76, "{line:?}");
                    assert!(!line.ends_with([' ', '\t']), "{line:?}");
                }
                let expected = String::from_utf8_lossy(&text).replace("\r\n", "\n");
                assert_eq!(String::from_utf8_lossy(&unqp(&encoded)), expected);
            }
        }
    }

    fn words(text: &str, used: usize) -> String {
        let mut out = Vec::new();
        encoded_words(text, used, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn decode_words(encoded: &str) -> String {
        let mut bytes = Vec::new();
        for word in encoded.split("\r\n ") {
            let b64 = word
                .strip_prefix(WORD_START)
                .unwrap()
                .strip_suffix(WORD_END)
                .unwrap();
            let chunk = STANDARD.decode(b64).unwrap();
            // Each word holds whole characters.
            assert!(std::str::from_utf8(&chunk).is_ok(), "{word}");
            bytes.extend(chunk);
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn encoded_words_hold_whole_characters_within_76_columns() {
        assert_eq!(words("Zoë", 9), "=?utf-8?b?Wm/Dqw==?=");
        let long = "Grüße aus dem schönen Frühling, 春のセール 🌸 ".repeat(4);
        let encoded = words(&long, "Subject: ".len());
        for (i, line) in encoded.split("\r\n").enumerate() {
            let width = line.len() + if i == 0 { 9 } else { 0 };
            assert!(width <= 76, "{line:?}");
            assert!(i == 0 || line.starts_with(' '));
        }
        assert_eq!(decode_words(&encoded), long);
    }

    fn header(value: &str) -> String {
        let mut out = Vec::new();
        unstructured("Subject", value, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_ascii_subject_is_folded_at_spaces_and_unfolds_to_itself() {
        assert_eq!(header("Hello Ada"), "Subject: Hello Ada\r\n");
        let long = "The spring sale starts today and runs until the end of the month, so hurry";
        let folded = header(long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 78), "{folded}");
        assert!(folded.matches("\r\n").count() > 1);
        assert_eq!(
            folded.trim_end().replace("\r\n", "")["Subject: ".len()..],
            *long
        );
    }

    #[test]
    fn a_subject_that_could_read_as_an_encoded_word_is_encoded() {
        assert!(header("Grüße").starts_with("Subject: =?utf-8?b?"));
        assert!(header("=?utf-8?q?x?=").starts_with("Subject: =?utf-8?b?"));
        assert!(header(&"x".repeat(100)).starts_with("Subject: =?utf-8?b?"));
    }

    fn mbox(name: Option<&str>) -> String {
        let mut out = Vec::new();
        mailbox(name, "news@herald.test", "From: ".len(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn display_names_are_bare_quoted_escaped_or_encoded_as_lettre_wrote_them() {
        assert_eq!(mbox(None), "news@herald.test");
        assert_eq!(mbox(Some("")), "news@herald.test");
        assert_eq!(mbox(Some("Herald")), "Herald <news@herald.test>");
        assert_eq!(
            mbox(Some("Herald Team")),
            "\"Herald Team\" <news@herald.test>"
        );
        assert_eq!(
            mbox(Some("The \"Best\" \\ Team")),
            "\"The \\\"Best\\\" \\\\ Team\" <news@herald.test>"
        );
        assert_eq!(
            mbox(Some("Herald, Inc.")),
            "=?utf-8?b?SGVyYWxkLCBJbmMu?= <news@herald.test>"
        );
    }

    #[test]
    fn a_long_display_name_folds_before_the_address() {
        for n in 8..20 {
            let name = "Équipe ".repeat(n);
            let out = mbox(Some(&name));
            let first = out.split("\r\n").next().unwrap();
            assert!(first.len() + "From: ".len() <= 78, "{out}");
            assert!(out.split("\r\n").all(|l| l.len() <= 78), "{out}");
            assert!(out.ends_with(" <news@herald.test>"), "{out}");
        }
    }

    #[test]
    fn base64_lines_are_76_characters_and_decode_back() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut out = Vec::new();
        base64_lines(&bytes, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.split("\r\n").all(|l| l.len() <= 76));
        assert!(!text.ends_with("\r\n"));
        assert_eq!(STANDARD.decode(text.replace("\r\n", "")).unwrap(), bytes);
    }

    #[test]
    fn a_non_ascii_parameter_uses_rfc_2231() {
        let param = |v: &str| {
            let mut out = Vec::new();
            parameter("filename", v, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(param("terms.pdf"), "filename=\"terms.pdf\"");
        assert_eq!(param("Grüße.pdf"), "filename*=utf-8''Gr%C3%BC%C3%9Fe.pdf");
        assert_eq!(param("a\"b.pdf"), "filename*=utf-8''a%22b.pdf");
    }
}
