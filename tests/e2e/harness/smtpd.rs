//! A real SMTP server for the tests that send mail: aiosmtpd, through
//! scripts/smtpd/server.py, keeping every message it accepts in a maildir.

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
                "\n*** SKIPPING this test: HERALD_TEST_SMTPD is not set (scripts/e2e.sh \
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

/// The value of a header in a raw message (unfolded).
pub fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next()?.replace("\r\n ", " ");
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}
