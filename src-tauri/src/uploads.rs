//! Files the UI uploads in chunks into the app's cache folder: CSV files
//! for import, and any file attached to a campaign.
//!
//! Invariants: only ids this process issued are accepted (a UUID it
//! generated and remembers), so a request can never name a path of its
//! choosing; every upload lives at `<dir>/<uuid>.<ext>`, where `ext` is the
//! file name's extension when it is 1 to 10 ASCII letters or digits, else
//! `bin` (so the name never adds a path component); no upload grows past
//! [`MAX_UPLOAD_BYTES`]. Uploads are only ever read as bytes, never opened
//! or run. Uploads do not outlive the process: ids are kept in
//! memory, and the folder is emptied when the app starts.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use anyhow::Context;
use uuid::Uuid;

use crate::error::{CommandError, CommandResult};

/// The largest file the import accepts: far beyond any contact export a
/// small team has, small enough not to fill a laptop's disk by accident.
pub const MAX_UPLOAD_BYTES: u64 = 1 << 30;

/// One upload in progress or complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: Uuid,
    pub path: PathBuf,
    /// The name of the user's file, for display only.
    pub file_name: String,
    pub bytes: u64,
}

/// The uploads of this run of the app.
#[derive(Debug)]
pub struct Uploads {
    dir: PathBuf,
    max_bytes: u64,
    issued: Mutex<HashMap<Uuid, Upload>>,
}

impl Uploads {
    /// Uses `dir` for uploads, deleting whatever an earlier run left there.
    pub fn new(dir: PathBuf) -> anyhow::Result<Uploads> {
        Uploads::with_limit(dir, MAX_UPLOAD_BYTES)
    }

    fn with_limit(dir: PathBuf, max_bytes: u64) -> anyhow::Result<Uploads> {
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("clearing old uploads in {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Uploads {
            dir,
            max_bytes,
            issued: Mutex::new(HashMap::new()),
        })
    }

    #[cfg(test)]
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn issued(&self) -> MutexGuard<'_, HashMap<Uuid, Upload>> {
        self.issued.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends `chunk` to the upload `id`, or starts a new upload when `id`
    /// is `None`. Returns the upload's id.
    pub fn append(&self, id: Option<&str>, file_name: &str, chunk: &[u8]) -> CommandResult<Uuid> {
        let mut issued = self.issued();
        let upload = match id {
            None => {
                let id = Uuid::now_v7();
                let upload = Upload {
                    id,
                    path: self.dir.join(format!("{id}.{}", extension(file_name))),
                    file_name: display_name(file_name),
                    bytes: 0,
                };
                issued.entry(id).or_insert(upload)
            }
            Some(raw) => {
                let id = known_id(&issued, raw)?;
                issued.get_mut(&id).expect("known_id checked it")
            }
        };
        let grown = upload.bytes + chunk.len() as u64;
        if grown > self.max_bytes {
            let id = upload.id;
            let path = upload.path.clone();
            issued.remove(&id);
            let _ = fs::remove_file(path);
            return Err(CommandError::validation(
                "file",
                format!(
                    "the file is larger than {}, the most Herald imports at once; split it into smaller files",
                    size_label(self.max_bytes)
                ),
            ));
        }
        let written = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&upload.path)
            .and_then(|mut f| f.write_all(chunk));
        if let Err(e) = written {
            return Err(CommandError::internal(
                &anyhow::Error::new(e).context(format!("writing {}", upload.path.display())),
            ));
        }
        upload.bytes = grown;
        Ok(upload.id)
    }

    /// The upload `id`, if this run issued it.
    pub fn get(&self, id: &str) -> CommandResult<Upload> {
        let issued = self.issued();
        let id = known_id(&issued, id)?;
        Ok(issued[&id].clone())
    }

    /// Forgets the upload and deletes its file. Unknown ids are not an error:
    /// discarding twice is harmless.
    pub fn discard(&self, id: &str) {
        let Ok(id) = Uuid::parse_str(id.trim()) else {
            return;
        };
        if let Some(upload) = self.issued().remove(&id) {
            if let Err(e) = fs::remove_file(&upload.path) {
                tracing::warn!(path = %upload.path.display(), "could not delete an upload: {e}");
            }
        }
    }
}

fn size_label(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b => format!("{b} bytes"),
    }
}

fn known_id(issued: &HashMap<Uuid, Upload>, raw: &str) -> CommandResult<Uuid> {
    Uuid::parse_str(raw.trim())
        .ok()
        .filter(|id| issued.contains_key(id))
        .ok_or_else(|| {
            CommandError::validation(
                "uploadId",
                "this upload is not known (it may be from before the app restarted); choose the file again",
            )
        })
}

/// The last path component of what the UI says the file was called,
/// percent-decoded (header values are ASCII, so the UI encodes the name
/// with `encodeURIComponent`).
fn display_name(raw: &str) -> String {
    let decoded = percent_decode(raw.trim());
    let name = decoded
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    if name.is_empty() {
        "upload.csv".to_owned()
    } else {
        name
    }
}

/// The lowercased extension of the file's name, or `bin` when it has none
/// or an odd one.
fn extension(file_name: &str) -> String {
    display_name(file_name)
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|ext| {
            (1..=10).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .unwrap_or_else(|| "bin".to_owned())
}

fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or_default() * 16 + hex(l).unwrap_or_default();
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uploads() -> (tempfile::TempDir, Uploads) {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path().join("imports")).unwrap();
        (dir, uploads)
    }

    #[test]
    fn chunks_are_appended_to_one_file_under_an_issued_id() {
        let (_dir, uploads) = uploads();
        let id = uploads.append(None, "people.csv", b"email\n").unwrap();
        let again = uploads
            .append(Some(&id.to_string()), "people.csv", b"a@b.co\n")
            .unwrap();
        assert_eq!(id, again);
        let upload = uploads.get(&id.to_string()).unwrap();
        assert_eq!(upload.bytes, 13);
        assert_eq!(upload.file_name, "people.csv");
        assert_eq!(fs::read(&upload.path).unwrap(), b"email\na@b.co\n");
        assert_eq!(upload.path.parent().unwrap(), uploads.dir());
    }

    #[test]
    fn ids_that_were_not_issued_are_refused() {
        let (_dir, uploads) = uploads();
        for bad in [
            "../../etc/passwd",
            "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47",
            "",
        ] {
            let err = uploads.append(Some(bad), "x.csv", b"x").unwrap_err();
            assert_eq!(err.field.as_deref(), Some("uploadId"), "{bad}");
            assert!(uploads.get(bad).is_err());
        }
        assert_eq!(fs::read_dir(uploads.dir()).unwrap().count(), 0);
    }

    #[test]
    fn an_upload_past_the_limit_is_refused_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::with_limit(dir.path().join("imports"), 10).unwrap();
        let id = uploads
            .append(None, "x.csv", b"email\n")
            .unwrap()
            .to_string();
        let err = uploads.append(Some(&id), "x.csv", b"a@b.co\n").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("file"));
        assert!(err.message.contains("10 bytes"), "{}", err.message);
        assert!(uploads.get(&id).is_err());
        assert_eq!(fs::read_dir(uploads.dir()).unwrap().count(), 0);
    }

    #[test]
    fn discarding_deletes_the_file_and_forgets_the_id() {
        let (_dir, uploads) = uploads();
        let id = uploads
            .append(None, "x.csv", b"email\n")
            .unwrap()
            .to_string();
        let path = uploads.get(&id).unwrap().path;
        uploads.discard(&id);
        assert!(!path.exists());
        assert!(uploads.get(&id).is_err());
        uploads.discard(&id);
    }

    #[test]
    fn starting_again_clears_what_an_earlier_run_left() {
        let dir = tempfile::tempdir().unwrap();
        let first = Uploads::new(dir.path().join("imports")).unwrap();
        first.append(None, "x.csv", b"email\n").unwrap();
        let second = Uploads::new(dir.path().join("imports")).unwrap();
        assert_eq!(fs::read_dir(second.dir()).unwrap().count(), 0);
    }

    #[test]
    fn any_file_can_be_uploaded_under_a_safe_extension() {
        let (_dir, uploads) = uploads();
        for (name, ext) in [
            ("Menu.PDF", "pdf"),
            ("photo.jpeg", "jpeg"),
            ("notes", "bin"),
            ("x.tar%2F..%2F..", "bin"),
            ("odd.ex~e", "bin"),
        ] {
            let id = uploads.append(None, name, b"%PDF").unwrap().to_string();
            let upload = uploads.get(&id).unwrap();
            assert_eq!(
                upload.path,
                uploads.dir().join(format!("{id}.{ext}")),
                "{name}"
            );
            assert_eq!(fs::read(&upload.path).unwrap(), b"%PDF");
        }
    }

    #[test]
    fn file_names_are_decoded_and_stripped_of_folders() {
        assert_eq!(display_name("M%C3%BCller%20list.csv"), "Müller list.csv");
        assert_eq!(display_name("C:\\Users\\ada\\x.csv"), "x.csv");
        assert_eq!(display_name("../../x.csv"), "x.csv");
        assert_eq!(display_name(""), "upload.csv");
        assert_eq!(display_name("100%.csv"), "100%.csv");
    }
}
