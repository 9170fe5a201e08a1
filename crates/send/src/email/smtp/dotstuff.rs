//! The message body as SMTP carries it after DATA (RFC 5321 §4.5.2): every
//! line ends in CRLF, a line that starts with "." gets a second one, and
//! ".<CRLF>" on a line of its own ends the message.
//!
//! One pass with `memchr` over the line breaks, copying whole runs of bytes
//! into one output buffer the connection reuses: lettre's codec pushed every
//! byte on its own, which was 30% of a send's CPU.
//!
//! A bare CR or LF becomes CRLF. RFC 5321 §2.3.8 forbids them on the wire,
//! and servers disagree about whether they end a line; "<LF>.<CRLF>" inside
//! a body is how "SMTP smuggling" ends a message early at a lenient server.
//! After this pass every line break is one the server reads the same way.

use memchr::memchr2_iter;

/// What one pass over a body found (see [`scan`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// Every byte is 7-bit: no 8BITMIME needed.
    pub ascii: bool,
    /// Already as the wire wants it: every line ends in CRLF (the last one
    /// too), there is no other CR or LF, and no line starts with a dot.
    /// The payload is then the body and the terminator, copied whole.
    pub plain: bool,
}

/// Bytes checked at a time; a block with anything to fix ends the search.
const BLOCK: usize = 256;

/// Looks at `raw` once, in blocks the compiler vectorises: each byte with
/// the next, for a line starting with a dot, a CR not before LF and an LF
/// not after CR, and every byte's high bit. A composed message has none of
/// them (our writer ends lines in CRLF and is 7-bit), so the usual body is
/// copied whole instead of line by line, and its 8-bit check rides this
/// pass instead of one of its own.
pub(crate) fn scan(raw: &[u8]) -> Scan {
    let Some((&last, _)) = raw.split_last() else {
        return Scan {
            ascii: true,
            plain: false,
        };
    };
    // Edges the pairs below cannot see: a dot or LF first, a CR last, and
    // a body whose last line has no CRLF.
    let mut plain = !matches!(raw[0], b'.' | b'\n') && raw.ends_with(b"\r\n");
    let mut high = last & 0x80;
    let mut start = 0;
    while start + 1 < raw.len() {
        let end = (start + BLOCK).min(raw.len() - 1);
        let (bad, bits) = raw[start..end].iter().zip(&raw[start + 1..=end]).fold(
            (false, 0u8),
            |(bad, bits), (&a, &b)| {
                let dot_line = (a == b'\n') & (b == b'.');
                let bare_cr = (a == b'\r') & (b != b'\n');
                let bare_lf = (b == b'\n') & (a != b'\r');
                (bad | dot_line | bare_cr | bare_lf, bits | a)
            },
        );
        high |= bits & 0x80;
        if bad {
            plain = false;
            // The 8-bit check still needs the rest.
            high |= raw[end..].iter().fold(0u8, |acc, &b| acc | b) & 0x80;
            break;
        }
        start = end;
    }
    Scan {
        ascii: high == 0,
        plain,
    }
}

/// Writes the DATA payload for `raw` into `out` (cleared first): the body
/// copied whole when [`scan`] found it `plain`, else [`encode`]d.
pub(crate) fn payload(raw: &[u8], plain: bool, out: &mut Vec<u8>) {
    if plain {
        out.clear();
        out.reserve(raw.len() + 3);
        out.extend_from_slice(raw);
        out.extend_from_slice(b".\r\n");
    } else {
        encode(raw, out);
    }
}

/// Writes `raw` into `out` (cleared first) as the DATA payload, terminator
/// included. A body that does not end its last line gets the CRLF it lacks.
pub(crate) fn encode(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    // Room for a few stuffed dots and the terminator without growing again.
    out.reserve(raw.len() + raw.len() / 256 + 8);
    // raw[copied..] has not been written to `out` yet.
    let mut copied = 0;
    if raw.first() == Some(&b'.') {
        out.push(b'.');
    }
    for at in memchr2_iter(b'\r', b'\n', raw) {
        let next = at + 1;
        if raw[at] == b'\r' {
            if raw.get(next) == Some(&b'\n') {
                // The LF after it ends this line.
                continue;
            }
            // A bare CR: end the line properly.
            out.extend_from_slice(&raw[copied..at]);
            out.extend_from_slice(b"\r\n");
            copied = next;
        } else if at == 0 || raw[at - 1] != b'\r' {
            // A bare LF.
            out.extend_from_slice(&raw[copied..at]);
            out.extend_from_slice(b"\r\n");
            copied = next;
        }
        if raw.get(next) == Some(&b'.') {
            out.extend_from_slice(&raw[copied..next]);
            out.push(b'.');
            copied = next;
        }
    }
    out.extend_from_slice(&raw[copied..]);
    if !matches!(raw.last(), None | Some(b'\n' | b'\r')) {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
}

#[cfg(test)]
mod tests {
    use super::{encode, payload, scan, Scan, BLOCK};

    fn encoded(raw: &[u8]) -> Vec<u8> {
        let mut out = b"left over from the last message".to_vec();
        encode(raw, &mut out);
        out
    }

    #[test]
    fn a_plain_body_is_copied_and_terminated() {
        assert_eq!(encoded(b"Hi\r\nthere\r\n"), b"Hi\r\nthere\r\n.\r\n");
    }

    #[test]
    fn a_dot_at_the_start_of_any_line_is_doubled() {
        assert_eq!(
            encoded(b".first\r\nmid.dle\r\n.\r\n..two\r\n"),
            b"..first\r\nmid.dle\r\n..\r\n...two\r\n.\r\n"
        );
    }

    #[test]
    fn a_last_line_without_its_crlf_gets_one() {
        assert_eq!(encoded(b"no end"), b"no end\r\n.\r\n");
        assert_eq!(encoded(b"a\r\n."), b"a\r\n..\r\n.\r\n");
    }

    #[test]
    fn bare_cr_and_lf_become_crlf_and_still_start_lines() {
        assert_eq!(
            encoded(b"a\nb\rc\r\r\nd\n.\n.x\r.\r"),
            b"a\r\nb\r\nc\r\n\r\nd\r\n..\r\n..x\r\n..\r\n.\r\n"
        );
        assert_eq!(encoded(b"\n."), b"\r\n..\r\n.\r\n");
    }

    #[test]
    fn an_empty_body_is_only_the_terminator() {
        assert_eq!(encoded(b""), b".\r\n");
    }

    /// The payload through the scan, as the connection writes it.
    fn through_scan(raw: &[u8]) -> Vec<u8> {
        let mut out = b"left over".to_vec();
        payload(raw, scan(raw).plain, &mut out);
        out
    }

    #[test]
    fn a_composed_looking_body_is_plain_and_ascii() {
        let body = b"Subject: Hi\r\n\r\nline one\r\nline. two\r\n".repeat(40);
        assert_eq!(
            scan(&body),
            Scan {
                ascii: true,
                plain: true
            }
        );
        assert_eq!(through_scan(&body), encoded(&body));
    }

    #[test]
    fn anything_the_wire_form_changes_makes_a_body_not_plain_wherever_it_is() {
        let base = b"abcdefgh\r\n".repeat(3 * BLOCK / 10);
        // At every offset, across block edges, each thing to fix is seen.
        for at in 1..base.len() - 2 {
            for (insert, what) in [
                (&b"\r\n."[..], "a dot line"),
                (&b"x\ry"[..], "a bare CR"),
                (&b"x\ny"[..], "a bare LF"),
            ] {
                let mut body = base.clone();
                body.splice(at..at, insert.iter().copied());
                assert!(!scan(&body).plain, "{what} at {at}");
                assert_eq!(through_scan(&body), encoded(&body), "{what} at {at}");
            }
        }
        for edge in [
            &b".first\r\n"[..],
            b"\nfirst\r\n",
            b"no end",
            b"ends in CR\r",
            b"",
        ] {
            assert!(!scan(edge).plain, "{:?}", String::from_utf8_lossy(edge));
            assert_eq!(through_scan(edge), encoded(edge));
        }
    }

    #[test]
    fn an_eight_bit_byte_anywhere_is_seen_even_after_something_to_fix() {
        let base = b"abcdefgh\r\n".repeat(3 * BLOCK / 10);
        for at in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, base.len() - 1] {
            let mut body = base.clone();
            body[at] = 0xC3;
            assert!(!scan(&body).ascii, "at {at}");
            // A bare LF early on stops the line checks, not the 8-bit one.
            body[3] = b'\n';
            assert!(!scan(&body).ascii, "at {at} after a bare LF");
        }
        assert!(scan(&base).ascii);
    }

    #[test]
    fn the_scan_agrees_with_the_line_by_line_encoder_on_random_bodies() {
        // A small deterministic generator: bodies of the bytes that matter.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = [b'a', b'.', b'\r', b'\n', b' ', 0xE9];
        for _ in 0..5_000 {
            let len = (next() % 600) as usize;
            let body: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let found = scan(&body);
            assert_eq!(found.ascii, body.is_ascii());
            let wire = encoded(&body);
            // Plain means the encoder would only append the terminator.
            if found.plain {
                assert_eq!(wire, [&body[..], b".\r\n"].concat());
            }
            assert_eq!(through_scan(&body), wire);
        }
    }
}
