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
    use super::encode;

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
}
