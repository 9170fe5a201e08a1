//! The send benchmark's SMTP sink: a real SMTP speaker on a loopback port
//! that accepts every message and throws it away, as fast as it can, and
//! counts what it took. It is only for measuring: no TLS, no AUTH, no
//! limits — the tests speak to aiosmtpd, a server we did not write.
//!
//! It reads what the client sent in large chunks and answers every
//! complete command in the buffer (so a pipelining client works too); in
//! DATA it only looks for the `<CRLF>.<CRLF>` that ends the message, which
//! is all dot-stuffing needs when the content is discarded.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running sink; it stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    received: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    /// Listens on 127.0.0.1 on a port the OS picks.
    pub async fn start() -> anyhow::Result<SmtpSink> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("starting the SMTP sink on 127.0.0.1")?;
        let addr = listener.local_addr().context("reading the sink's port")?;
        let received = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    // A client that goes away mid-session is not an error
                    // for a sink: whatever it completed is counted.
                    let _ = session(stream, &counter).await;
                });
            }
        });
        Ok(SmtpSink {
            addr,
            received,
            task,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Messages accepted so far (each ended with 250 after DATA).
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where a session is.
#[derive(PartialEq, Eq)]
enum State {
    Commands,
    /// Between `354` and the terminating dot line.
    Data,
}

/// The end of a message: the dot line after the last line's CRLF.
const END_OF_DATA: &[u8] = b"\r\n.\r\n";

async fn session(mut stream: TcpStream, received: &AtomicU64) -> std::io::Result<()> {
    // Our replies are one write each, answered before the client sends
    // more: Nagle has nothing to merge, so it only costs delayed ACKs.
    stream.set_nodelay(true)?;
    stream
        .write_all(b"220 sink.herald.test ESMTP ready\r\n")
        .await?;
    let mut buf: Vec<u8> = Vec::with_capacity(256 * 1024);
    let mut out: Vec<u8> = Vec::with_capacity(1024);
    let mut state = State::Commands;
    // In DATA, how much of the window has been searched for the terminator.
    let mut searched = 0usize;
    let mut message_number = 0u64;
    loop {
        // Straight into the buffer's spare room: no copy.
        if buf.capacity() - buf.len() < 64 * 1024 {
            buf.reserve(128 * 1024);
        }
        let n = stream.read_buf(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let mut consumed = 0usize;
        let mut quit = false;
        loop {
            match state {
                State::Data => {
                    let window = &buf[consumed..];
                    let from = searched.saturating_sub(END_OF_DATA.len() - 1);
                    let end = find(&window[from..]).map(|at| from + at + END_OF_DATA.len());
                    match end {
                        Some(len) => {
                            consumed += len;
                            searched = 0;
                            state = State::Commands;
                            message_number += 1;
                            received.fetch_add(1, Ordering::Relaxed);
                            out.extend_from_slice(
                                format!("250 2.0.0 Ok: queued as S{message_number}\r\n").as_bytes(),
                            );
                        }
                        None => {
                            // Keep only the tail a terminator could start
                            // in: the body itself is thrown away.
                            let keep = window.len().min(END_OF_DATA.len() - 1);
                            consumed = buf.len() - keep;
                            searched = keep;
                            break;
                        }
                    }
                }
                State::Commands => {
                    let window = &buf[consumed..];
                    let Some(eol) = window.iter().position(|&b| b == b'\n') else {
                        break;
                    };
                    let line = &window[..eol];
                    consumed += eol + 1;
                    let verb: Vec<u8> = line
                        .iter()
                        .take_while(|b| !b.is_ascii_whitespace())
                        .map(u8::to_ascii_uppercase)
                        .collect();
                    match verb.as_slice() {
                        b"EHLO" => out.extend_from_slice(
                            b"250-sink.herald.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n\
                              250-SMTPUTF8\r\n250 SIZE 104857600\r\n",
                        ),
                        b"HELO" => out.extend_from_slice(b"250 sink.herald.test\r\n"),
                        b"MAIL" => out.extend_from_slice(b"250 2.1.0 Ok\r\n"),
                        b"RCPT" => out.extend_from_slice(b"250 2.1.5 Ok\r\n"),
                        b"DATA" => {
                            out.extend_from_slice(b"354 End data with <CR><LF>.<CR><LF>\r\n");
                            state = State::Data;
                            searched = 0;
                            // The DATA line's own CRLF stays in the window,
                            // so an empty body's lone dot line is found too.
                            if line.ends_with(b"\r") {
                                consumed -= 2;
                            }
                        }
                        b"RSET" => out.extend_from_slice(b"250 2.0.0 Ok\r\n"),
                        b"NOOP" => out.extend_from_slice(b"250 2.0.0 Ok\r\n"),
                        b"QUIT" => {
                            out.extend_from_slice(b"221 2.0.0 Bye\r\n");
                            quit = true;
                            break;
                        }
                        _ => out.extend_from_slice(b"502 5.5.2 Command not recognized\r\n"),
                    }
                }
            }
        }
        buf.drain(..consumed);
        if !out.is_empty() {
            stream.write_all(&out).await?;
            out.clear();
        }
        if quit {
            let _ = stream.shutdown().await;
            return Ok(());
        }
    }
}

/// Where `<CRLF>.<CRLF>` starts in `haystack`. A line starting with a dot
/// is rare in a body (the client doubles it), so 64-byte blocks are first
/// checked for "\n." with a branch-free fold the compiler vectorises, and
/// only a block that has one is looked at byte by byte.
fn find(haystack: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    if haystack.len() < END_OF_DATA.len() {
        return None;
    }
    let last = haystack.len() - 1;
    let mut start = 0;
    while start < last {
        let end = (start + BLOCK).min(last);
        let hit = haystack[start..end]
            .iter()
            .zip(&haystack[start + 1..=end])
            .fold(false, |acc, (&a, &b)| acc | ((a == b'\n') & (b == b'.')));
        if hit {
            for newline in start..end {
                if newline >= 1 && haystack[newline - 1..].starts_with(END_OF_DATA) {
                    return Some(newline - 1);
                }
            }
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn the_terminator_is_found_only_at_the_start_of_a_line() {
        assert_eq!(find(b"a.b\r\n..x\r\n.\r\n"), Some(8));
        assert_eq!(find(b"a.b\r\n..x\r\n.\r"), None);
        assert_eq!(find(b"\r\n.\r\n"), Some(0));
    }
}
