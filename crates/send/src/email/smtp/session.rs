//! The bytes of one SMTP connection: commands out, replies in, and the
//! message body. Ours rather than lettre's `AsyncSmtpConnection`, which
//! owns the socket, dot-stuffs a byte at a time and does STARTTLS inside
//! itself; lettre still gives the protocol pieces (the commands' text, the
//! reply parser, the EHLO capabilities, AUTH).
//!
//! Nothing written is ever logged or put in an error: an AUTH line carries
//! the password.

use std::fmt::{self, Display, Write as _};
use std::io;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use lettre::transport::smtp::response::Response;
use memchr::memchr;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::dotstuff;

/// A reply line longer than this is not SMTP (Postfix's `line_length_limit`).
const MAX_REPLY_LINE: usize = 1000;
/// Nor is a reply longer than this (Postfix's `smtp_response_limit`).
const MAX_REPLY: usize = 100_000;

/// A step that did not succeed.
#[derive(Debug)]
pub(crate) enum StepError {
    /// The server replied 4xx or 5xx.
    Refused(Response),
    /// The connection failed: closed, reset, or a reply that is not SMTP.
    Broken(String),
}

impl StepError {
    fn broken(what: &str, problem: impl Display) -> StepError {
        StepError::Broken(format!("{what}: {problem}"))
    }
}

/// How much of the encoded body and terminator was handed to the socket.
#[derive(Debug, Default)]
pub(crate) struct BodyProgress {
    written: usize,
    total: usize,
}

impl BodyProgress {
    /// Every byte, the terminator's last included, was handed to the
    /// socket: from here on the server may have taken the message.
    pub(crate) fn terminator_sent(&self) -> bool {
        self.total > 0 && self.written == self.total
    }
}

/// The socket, before or after TLS.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// One connection's stream with its read buffer and a write buffer reused
/// for every command and body.
pub(crate) struct Session {
    stream: Stream,
    /// Bytes read and not yet consumed: `input[consumed..]`.
    input: Vec<u8>,
    consumed: usize,
    output: Vec<u8>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("tls", &self.is_tls())
            .finish_non_exhaustive()
    }
}

impl Session {
    pub(crate) fn new(stream: Stream) -> Session {
        Session {
            stream,
            input: Vec::with_capacity(4096),
            consumed: 0,
            output: Vec::with_capacity(4096),
        }
    }

    pub(crate) fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// The plain socket, for STARTTLS. Refused when the server sent more
    /// than its reply to STARTTLS: bytes that arrived before the handshake
    /// would otherwise be read as if they came over TLS (RFC 3207 §4.2).
    pub(crate) fn into_plain(self) -> Result<TcpStream, String> {
        if self.consumed < self.input.len() {
            return Err("the server sent more than its reply to STARTTLS; \
                        not encrypting a connection that may have been tampered with"
                .to_owned());
        }
        match self.stream {
            Stream::Plain(tcp) => Ok(tcp),
            Stream::Tls(_) => Err("the connection is already encrypted".to_owned()),
        }
    }

    /// Sends `commands` in one write (one command, or a pipelined group).
    /// Never logs them: AUTH carries the password.
    pub(crate) async fn send(&mut self, commands: &[&(dyn Display + Sync)]) -> io::Result<()> {
        self.output.clear();
        let mut text = String::new();
        for command in commands {
            text.clear();
            // Writing to a String cannot fail.
            let _ = write!(text, "{command}");
            self.output.extend_from_slice(text.as_bytes());
        }
        let mut written = 0;
        self.write_output(&mut written).await
    }

    /// One command and its reply; a 4xx/5xx is [`StepError::Refused`].
    pub(crate) async fn command(
        &mut self,
        command: &(dyn Display + Sync),
        what: &str,
    ) -> Result<Response, StepError> {
        self.send(&[command])
            .await
            .map_err(|e| StepError::broken(what, e))?;
        self.reply(what).await
    }

    /// Sends the body, dot-stuffed, and its terminator in one write (one
    /// flush: no wait for an ACK between them). `progress` says, also when
    /// the write fails or its future is dropped on a timeout, whether the
    /// terminator went out; until it has, the server cannot have taken the
    /// message.
    pub(crate) async fn send_body(
        &mut self,
        raw: &[u8],
        plain: bool,
        progress: &mut BodyProgress,
    ) -> io::Result<()> {
        dotstuff::payload(raw, plain, &mut self.output);
        progress.total = self.output.len();
        self.write_output(&mut progress.written).await
    }

    async fn write_output(&mut self, written: &mut usize) -> io::Result<()> {
        while *written < self.output.len() {
            let n = self.stream.write(&self.output[*written..]).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            *written += n;
        }
        self.stream.flush().await
    }

    /// The next reply, parsed by lettre; a 4xx/5xx is [`StepError::Refused`].
    pub(crate) async fn reply(&mut self, what: &str) -> Result<Response, StepError> {
        let response = self.read_reply(what).await?;
        if response.is_positive() {
            Ok(response)
        } else {
            Err(StepError::Refused(response))
        }
    }

    async fn read_reply(&mut self, what: &str) -> Result<Response, StepError> {
        loop {
            if let Some(end) = self.complete_reply(what)? {
                let bytes = &self.input[self.consumed..end];
                self.consumed = end;
                let response = parse(bytes).map_err(|e| StepError::broken(what, e))?;
                if self.consumed == self.input.len() {
                    self.input.clear();
                    self.consumed = 0;
                }
                return Ok(response);
            }
            if self.consumed > 0 {
                self.input.drain(..self.consumed);
                self.consumed = 0;
            }
            self.input.reserve(4096);
            let n = self
                .stream
                .read_buf(&mut self.input)
                .await
                .map_err(|e| StepError::broken(what, e))?;
            if n == 0 {
                return Err(StepError::broken(
                    what,
                    "the server closed the connection without a reply",
                ));
            }
        }
    }

    /// Where the first whole reply in the input ends, if it has arrived:
    /// after a line whose code is followed by a space or nothing, not "-".
    fn complete_reply(&self, what: &str) -> Result<Option<usize>, StepError> {
        let mut at = self.consumed;
        loop {
            let rest = &self.input[at..];
            let Some(newline) = memchr(b'\n', rest) else {
                if rest.len() > MAX_REPLY_LINE {
                    return Err(StepError::broken(what, "the reply has a line too long"));
                }
                return Ok(None);
            };
            if newline > MAX_REPLY_LINE {
                return Err(StepError::broken(what, "the reply has a line too long"));
            }
            let end = at + newline + 1;
            if end - self.consumed > MAX_REPLY {
                return Err(StepError::broken(what, "the reply is too long"));
            }
            if rest.get(3) != Some(&b'-') {
                return Ok(Some(end));
            }
            at = end;
        }
    }
}

/// Parses one whole reply with lettre's parser, which wants a space after
/// the code of the last line even when no text follows ("250<CRLF>").
fn parse(bytes: &[u8]) -> Result<Response, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the reply is not UTF-8".to_owned())?;
    let last_start = text
        .trim_end_matches(['\r', '\n'])
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let parsed = if text[last_start..].len() == 5 && text.ends_with("\r\n") {
        Response::from_str(&format!("{} \r\n", &text[..text.len() - 2]))
    } else {
        Response::from_str(text)
    };
    parsed.map_err(|_| {
        format!(
            "the server's reply is not SMTP: {:?}",
            text.chars().take(200).collect::<String>()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn multi_line_and_bare_code_replies_parse() {
        let ehlo = parse(b"250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n").unwrap();
        assert_eq!(
            ehlo.message().collect::<Vec<_>>(),
            ["mx.example", "PIPELINING", "8BITMIME"]
        );
        assert!(parse(b"250\r\n").unwrap().has_code(250));
        assert!(parse(b"hello\r\n").is_err());
    }
}
