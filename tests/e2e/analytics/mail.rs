//! The mail side of the analytics test: a real SMTP server (aiosmtpd,
//! through scripts/smtpd/server.py) keeping what the app sent, and the
//! tracked URLs a recipient's mail client would load, read out of the raw
//! messages it kept.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running aiosmtpd keeping every message in its maildir; stopped when
/// dropped.
pub struct Smtpd {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
}

impl Smtpd {
    /// Starts the server, or `None` (having said why, loudly) when the
    /// environment has no aiosmtpd.
    pub fn start(dir: &Path) -> Option<Smtpd> {
        let Ok(python) = std::env::var("HERALD_TEST_SMTPD") else {
            eprintln!(
                "\n*** SKIPPING the analytics test: HERALD_TEST_SMTPD is not set (scripts/e2e.sh \
                 sets it when $HOME/.cache/herald/venv has aiosmtpd; scripts/install-deps.sh \
                 makes it). ***\n"
            );
            return None;
        };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/smtpd/server.py");
        let maildir = dir.join("mail");
        let mut child = Command::new(python)
            .arg(script)
            .args(["--port", "0", "--maildir"])
            .arg(&maildir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting scripts/smtpd/server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("the server's stdout"))
            .read_line(&mut line)
            .expect("reading the server's first line");
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the test SMTP server said {line:?}, not READY <port>"));
        Some(Smtpd {
            child,
            port,
            maildir,
        })
    }

    /// The raw messages kept so far (the server renames each into place
    /// once it is whole).
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.maildir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("reading a message")).into())
            .collect()
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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

/// The value of a header in a raw message (unfolded).
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next()?.replace("\r\n ", " ");
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
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
