//! A part's body written into the message as it is spliced: CRLF line
//! ends, checked on the way that it can go as 7bit (ASCII, no NUL or stray
//! CR, lines within SMTP's 998 characters, no line that starts like the
//! message's boundaries). One pass and one copy; when the check fails the
//! caller takes the written bytes back and encodes the part as
//! quoted-printable instead.

use std::fmt::Write as _;

use super::links::Out;

/// The longest line SMTP allows, without its CRLF (RFC 5321 4.5.3.1.6).
const MAX_LINE: usize = 998;

/// Writes spliced text into `out` (see the module's documentation).
pub(super) struct SevenBit<'a> {
    out: &'a mut Vec<u8>,
    /// HTML: non-ASCII characters become numeric character references
    /// (sound in text and attribute values, where references are decoded;
    /// the prepared HTML has no `<style>` or `<script>` content). Text: a
    /// non-ASCII character makes the part unfit for 7bit.
    html: bool,
    /// `--` and the start every boundary of the message shares.
    delimiter: &'a [u8],
    /// Characters on the current line so far.
    line: usize,
    /// How much of the delimiter the current line starts with, while it
    /// may still start with all of it.
    head: Option<usize>,
    /// The last text ended with a CR; the next must start with LF.
    pending_cr: bool,
    fit: bool,
}

impl<'a> SevenBit<'a> {
    pub(super) fn new(out: &'a mut Vec<u8>, html: bool, delimiter: &'a [u8]) -> SevenBit<'a> {
        SevenBit {
            out,
            html,
            delimiter,
            line: 0,
            head: Some(0),
            pending_cr: false,
            fit: true,
        }
    }

    /// Whether everything written can go as 7bit.
    pub(super) fn finish(self) -> bool {
        self.fit && !self.pending_cr
    }

    #[inline]
    fn end_line(&mut self) {
        self.out.extend_from_slice(b"\r\n");
        self.line = 0;
        self.head = Some(0);
    }

    /// Follows how much of the delimiter the current line starts with as
    /// `seg` (a non-empty piece of it) is added; `false`, and the part
    /// unfit, once the line starts with all of it.
    #[inline]
    fn clear_of_delimiter(&mut self, seg: &[u8]) -> bool {
        if let Some(matched) = self.head {
            let wanted = &self.delimiter[matched..];
            let n = wanted.len().min(seg.len());
            // Most lines differ at their first byte: no call to memcmp.
            if seg[0] != wanted[0] || seg[..n] != wanted[..n] {
                self.head = None;
            } else if n == wanted.len() {
                self.fit = false;
                return false;
            } else {
                self.head = Some(matched + n);
            }
        }
        true
    }

    /// A piece of a line (no CR or LF in it).
    fn segment(&mut self, seg: &str) {
        if seg.is_empty() || !self.clear_of_delimiter(seg.as_bytes()) {
            return;
        }
        let bytes = seg.as_bytes();
        if memchr::memchr(0, bytes).is_some() {
            self.fit = false;
            return;
        }
        if bytes.is_ascii() {
            self.out.extend_from_slice(bytes);
            self.line += bytes.len();
        } else if self.html {
            let start = self.out.len();
            let mut rest = seg;
            while let Some(i) = rest.bytes().position(|b| !b.is_ascii()) {
                self.out.extend_from_slice(&rest.as_bytes()[..i]);
                let c = rest[i..].chars().next().expect("a character starts here");
                let mut reference = String::with_capacity(10);
                let _ = write!(reference, "&#{};", u32::from(c));
                self.out.extend_from_slice(reference.as_bytes());
                rest = &rest[i + c.len_utf8()..];
            }
            self.out.extend_from_slice(rest.as_bytes());
            self.line += self.out.len() - start;
        } else {
            self.fit = false;
            return;
        }
        if self.line > MAX_LINE {
            self.fit = false;
        }
    }
}

impl SevenBit<'_> {
    /// The common case, in whole-text passes: ASCII without CR or NUL, so
    /// only the LFs need finding (one search over the text, not one per
    /// line).
    fn plain(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.out.reserve(bytes.len() + bytes.len() / 32 + 2);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', bytes) {
            self.line_of(&bytes[start..end]);
            if !self.fit {
                return;
            }
            self.end_line();
            start = end + 1;
        }
        self.line_of(&bytes[start..]);
    }

    /// A piece of a line known to be ASCII without CR, LF or NUL.
    #[inline]
    fn line_of(&mut self, seg: &[u8]) {
        if seg.is_empty() || !self.clear_of_delimiter(seg) {
            return;
        }
        self.line += seg.len();
        if self.line > MAX_LINE {
            self.fit = false;
            return;
        }
        self.out.extend_from_slice(seg);
    }
}

impl Out for SevenBit<'_> {
    fn put(&mut self, text: &str) {
        if !self.fit {
            return;
        }
        if !self.pending_cr
            && text.is_ascii()
            && memchr::memchr2(b'\r', 0, text.as_bytes()).is_none()
        {
            self.plain(text);
            return;
        }
        let mut rest = text;
        if self.pending_cr {
            self.pending_cr = false;
            match rest.strip_prefix('\n') {
                Some(after) => {
                    self.end_line();
                    rest = after;
                }
                None if rest.is_empty() => {
                    self.pending_cr = true;
                    return;
                }
                None => {
                    self.fit = false;
                    return;
                }
            }
        }
        while let Some(i) = memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            self.segment(&rest[..i]);
            if !self.fit {
                return;
            }
            if rest.as_bytes()[i] == b'\n' {
                self.end_line();
                rest = &rest[i + 1..];
                continue;
            }
            match rest.as_bytes().get(i + 1) {
                Some(b'\n') => {
                    self.end_line();
                    rest = &rest[i + 2..];
                }
                None => {
                    self.pending_cr = true;
                    return;
                }
                Some(_) => {
                    self.fit = false;
                    return;
                }
            }
        }
        self.segment(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DELIMITER: &[u8] = b"--=_Hx";

    fn write(html: bool, pieces: &[&str]) -> Option<String> {
        let mut out = Vec::new();
        let mut w = SevenBit::new(&mut out, html, DELIMITER);
        for p in pieces {
            w.put(p);
        }
        w.finish().then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn line_ends_become_crlf_across_pieces() {
        assert_eq!(
            write(false, &["a\nb\r", "\nc", "\r\n"]).unwrap(),
            "a\r\nb\r\nc\r\n"
        );
        assert_eq!(write(false, &["no end"]).unwrap(), "no end");
    }

    #[test]
    fn html_non_ascii_becomes_character_references() {
        assert_eq!(
            write(true, &["<p>Gr", "üße 🌸</p>"]).unwrap(),
            "<p>Gr&#252;&#223;e &#127800;</p>"
        );
        assert_eq!(write(false, &["Grüße"]), None);
    }

    #[test]
    fn what_7bit_cannot_carry_makes_the_part_unfit() {
        assert_eq!(write(false, &["a\rb"]), None, "a stray CR");
        assert_eq!(write(false, &["a\r"]), None, "a CR at the end");
        assert_eq!(write(false, &["a\0b"]), None, "NUL");
        assert!(write(false, &[&"x".repeat(998)]).is_some());
        assert_eq!(write(false, &[&"x".repeat(999)]), None, "a long line");
        assert_eq!(
            write(false, &["x\n", &"x".repeat(600), &"y".repeat(400)]),
            None
        );
    }

    #[test]
    fn a_line_that_starts_like_a_boundary_makes_the_part_unfit() {
        assert_eq!(write(false, &["a\n--=_Hx1 b"]), None);
        assert_eq!(
            write(false, &["a\n--", "=_", "Hx"]),
            None,
            "split over pieces"
        );
        assert_eq!(write(false, &["--=_Hx"]), None, "on the first line");
        assert!(write(false, &["a --=_Hx\n-- sig\n--=_H\n"]).is_some());
    }
}
