//! Sniffing a CSV file's text encoding and delimiter, and turning it into a
//! UTF-8 byte stream for the CSV reader. Files are streamed, never loaded
//! whole: only the first 64 KiB are read ahead to sniff.

use std::collections::VecDeque;
use std::io::{self, Cursor, Read};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::Serialize;

use crate::Result;

const SNIFF_BYTES: u64 = 64 * 1024;

/// The text encoding a file was read as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[default]
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// What Excel on Windows writes for "CSV (Comma delimited)": chosen when
    /// the file has no BOM and is not valid UTF-8.
    Windows1252,
}

pub(super) struct Decoded<'a> {
    pub reader: Box<dyn Read + Send + 'a>,
    pub delimiter: u8,
    pub encoding: Encoding,
    /// Where the lines of `reader`'s text start, for error line numbers.
    pub lines: LineIndex,
}

/// Reads ahead, decides the encoding and delimiter, and returns a reader of
/// UTF-8 bytes without any BOM.
pub(super) fn open<'a, R: Read + Send + 'a>(input: R) -> Result<Decoded<'a>> {
    let mut input = input;
    let mut prefix = Vec::with_capacity(SNIFF_BYTES as usize);
    (&mut input)
        .take(SNIFF_BYTES)
        .read_to_end(&mut prefix)
        .context("reading the start of the file")?;
    let encoding = sniff_encoding(&prefix);
    let sample = match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(&prefix).into_owned(),
        Encoding::Utf8Bom => String::from_utf8_lossy(&prefix[3..]).into_owned(),
        Encoding::Utf16Le => UTF_16LE.decode(&prefix).0.into_owned(),
        Encoding::Utf16Be => UTF_16BE.decode(&prefix).0.into_owned(),
        Encoding::Windows1252 => WINDOWS_1252.decode(&prefix).0.into_owned(),
    };
    let delimiter = sniff_delimiter(&sample);
    let whole = Cursor::new(prefix).chain(input);
    let reader: Box<dyn Read + Send + 'a> = match encoding {
        Encoding::Utf8 => Box::new(whole),
        // The builder sniffs and strips BOMs (UTF-8 and UTF-16) itself, and
        // transcodes UTF-16 to UTF-8.
        Encoding::Utf8Bom | Encoding::Utf16Le | Encoding::Utf16Be => {
            Box::new(DecodeReaderBytesBuilder::new().build(whole))
        }
        Encoding::Windows1252 => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(WINDOWS_1252))
                .build(whole),
        ),
    };
    let lines = LineIndex::default();
    let reader = Box::new(Tracked {
        inner: reader,
        lines: lines.clone(),
    });
    Ok(Decoded {
        reader,
        delimiter,
        encoding,
        lines,
    })
}

/// Line numbers of CSV records, counted from the decoded text itself.
///
/// The csv crate's `Position::line` is the line where reading a record
/// *began*: after a CRLF that is still the previous line, because the LF is
/// consumed with the next record (BurntSushi/rust-csv#395), and it is taken
/// before any blank lines the reader skips. So every record of a CRLF file
/// (what Excel on Windows writes) was reported one line too early. This index
/// remembers where the line breaks are in the text handed to the CSV reader
/// and finds the line of a record's first byte from where its reading began.
#[derive(Debug, Clone, Default)]
pub(super) struct LineIndex(Arc<Mutex<Breaks>>);

#[derive(Debug, Default)]
struct Breaks {
    /// Offset and byte of every CR and LF not yet behind a record asked about.
    pending: VecDeque<(u64, u8)>,
    /// Line breaks before the first pending one.
    counted: u64,
    /// Bytes passed to the CSV reader so far.
    offset: u64,
}

impl Breaks {
    fn pop_counting(&mut self) {
        if let Some((at, byte)) = self.pending.pop_front() {
            // CRLF is one break, counted at its LF; LF and a lone CR are one each.
            let crlf = byte == b'\r' && self.pending.front() == Some(&(at + 1, b'\n'));
            if !crlf {
                self.counted += 1;
            }
        }
    }
}

impl LineIndex {
    /// The 1-based line of the first byte of the record whose reading began
    /// at byte `start` (`csv::Position::byte`). Records must be asked about
    /// in file order.
    pub fn line_of_record(&self, start: u64) -> u64 {
        let mut breaks = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Every break before `start` ended an earlier line.
        while breaks.pending.front().is_some_and(|&(at, _)| at < start) {
            breaks.pop_counting();
        }
        // The reader skips the line breaks a record starts with (the LF of a
        // CRLF, blank lines); the record starts after them.
        let mut at = start;
        while breaks.pending.front().is_some_and(|&(o, _)| o == at) {
            breaks.pop_counting();
            at += 1;
        }
        breaks.counted + 1
    }
}

/// Passes the decoded text through, noting where its line breaks are.
struct Tracked<R> {
    inner: R,
    lines: LineIndex,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.lines.0.lock().unwrap_or_else(PoisonError::into_inner);
        let base = breaks.offset;
        for (i, &byte) in buf[..n].iter().enumerate() {
            if byte == b'\r' || byte == b'\n' {
                breaks.pending.push_back((base + i as u64, byte));
            }
        }
        breaks.offset += n as u64;
        Ok(n)
    }
}

fn sniff_encoding(prefix: &[u8]) -> Encoding {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Encoding::Utf8Bom
    } else if prefix.starts_with(&[0xFF, 0xFE]) {
        Encoding::Utf16Le
    } else if prefix.starts_with(&[0xFE, 0xFF]) {
        Encoding::Utf16Be
    } else {
        match std::str::from_utf8(prefix) {
            Ok(_) => Encoding::Utf8,
            // The sample may end in the middle of a character: that is not
            // a sign of another encoding.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        }
    }
}

/// Picks the delimiter that splits the header line into the most fields:
/// comma, semicolon (European Excel) or tab. Quoted text is not counted.
fn sniff_delimiter(sample: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for c in sample.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => break,
            _ if in_quotes => {}
            _ => {
                for (d, n) in counts.iter_mut() {
                    if c == char::from(*d) {
                        *n += 1;
                    }
                }
            }
        }
    }
    // Ties go to the comma, the first entry.
    let mut best = counts[0];
    for candidate in &counts[1..] {
        if candidate.1 > best.1 {
            best = *candidate;
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, u8, Encoding) {
        let mut d = open(bytes).unwrap();
        let mut out = String::new();
        d.reader.read_to_string(&mut out).unwrap();
        (out, d.delimiter, d.encoding)
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, delim, enc) = decode_all(b"\xEF\xBB\xBFemail,name\r\na@b.co,A\r\n");
        assert_eq!(text, "email,name\r\na@b.co,A\r\n");
        assert_eq!((delim, enc), (b',', Encoding::Utf8Bom));
    }

    #[test]
    fn utf16_le_with_bom_is_transcoded_and_semicolons_detected() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "email;name\nzoë@b.co;Zoë\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, delim, enc) = decode_all(&bytes);
        assert_eq!(text, "email;name\nzoë@b.co;Zoë\n");
        assert_eq!((delim, enc), (b';', Encoding::Utf16Le));
    }

    #[test]
    fn utf16_be_with_bom_is_transcoded() {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "email\tname\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        let (text, delim, enc) = decode_all(&bytes);
        assert_eq!(text, "email\tname\n");
        assert_eq!((delim, enc), (b'\t', Encoding::Utf16Be));
    }

    #[test]
    fn invalid_utf8_without_bom_is_read_as_windows_1252() {
        let (text, _, enc) = decode_all(b"name,city\nJos\xE9,M\xFCnchen\n");
        assert_eq!(text, "name,city\nJosé,München\n");
        assert_eq!(enc, Encoding::Windows1252);
    }

    #[test]
    fn delimiters_inside_quotes_do_not_count() {
        assert_eq!(sniff_delimiter("\"a;b;c;d\",e,f\n"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d,e,f,g\"\n"), b';');
        assert_eq!(sniff_delimiter("email\n"), b',');
    }
}
