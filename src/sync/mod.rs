//! `factdrill sync DIR` (docs/sync.md): merge progress between databases through a folder
//! that some other tool keeps in sync. Each device appends its events to its own file,
//! `DIR/<device id>.jsonl`, and reads everyone's files from where it stopped last time. No
//! file is ever written by two devices, so the folder never has a conflict to resolve.
//!
//! This module does the folder's file I/O; the store keeps what was read and written.

pub mod format;

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::error::Error;
use crate::store::{Device, FileRecord, Store, SyncEvent};

/// How many bytes a `FileRecord` keeps from just before its read position.
const TAIL_BYTES: usize = 64;

/// What one sync did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub device: Device,
    /// This device's file.
    pub own_file: PathBuf,
    /// Events appended to it.
    pub written: usize,
    /// Each device file read, by name.
    pub files: Vec<FileOutcome>,
    /// Keys of the decks whose review logs changed.
    pub decks: BTreeSet<String>,
    /// `path:line: message` for each file that could not be read; nothing of it was applied.
    pub problems: Vec<String>,
    /// Things the learner should know (a second file claiming this device's id, ...).
    pub warnings: Vec<String>,
}

/// What reading one device file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileOutcome {
    pub name: String,
    pub device: String,
    pub device_name: String,
    /// Reviews added to this database.
    pub reviews: usize,
    /// Reviews deleted by its tombstones.
    pub deletes: usize,
    /// Changes of card marks added.
    pub marks: usize,
    /// New events read (including ones this database already had).
    pub events: usize,
    /// It ends in an incomplete line (being copied?), left for next time.
    pub waiting: bool,
    /// It was read again from the start (it shrank, or was replaced).
    pub reread: bool,
}

/// One device file as `sync --status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    pub name: String,
    /// This device's own file.
    pub own: bool,
    /// Its size now; `None` if it is gone from the folder.
    pub size: Option<u64>,
    /// What this database knows of it; `None` if it was never read.
    pub record: Option<FileRecord>,
}

/// `sync --status`.
#[derive(Debug, Clone)]
pub struct Status {
    pub device: Device,
    pub dir: PathBuf,
    /// The folder is not the one this database last synced with (its records are about
    /// another folder, so none are shown).
    pub other_dir: Option<String>,
    pub files: Vec<FileStatus>,
    pub pending_reviews: u64,
    pub pending_deletes: u64,
    /// Changes of card marks (suspend, bury, flag, leech).
    pub pending_marks: u64,
}

fn read_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Read {
        path: path.to_owned(),
        source,
    }
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_owned(),
        source,
    }
}

/// The folder's canonical path, as the store remembers it.
fn canonical(dir: &Path) -> Result<PathBuf, Error> {
    let meta = std::fs::metadata(dir).map_err(|source| Error::SyncFolder {
        path: dir.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(Error::SyncFolder {
            path: dir.to_owned(),
            source: std::io::Error::other("it is not a directory"),
        });
    }
    std::fs::canonicalize(dir).map_err(read_err(dir))
}

/// The `*.jsonl` files in the folder, by name.
fn device_files(dir: &Path) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        let entry = entry.map_err(read_err(dir))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let jsonl = Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if is_file && jsonl && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The file name a device writes.
pub fn file_name(device: &str) -> String {
    format!("{device}.jsonl")
}

/// Reads what is new in every device file, applies it, then appends this device's pending
/// events to its own file.
pub fn run(store: &mut Store, dir: &Path, now: Timestamp) -> Result<Outcome, Error> {
    let dir = canonical(dir)?;
    store.use_sync_dir(&dir.to_string_lossy())?;
    let mut device = store.device()?;
    if !format::valid_device(&device.id) {
        // Only if someone removed or damaged it by hand: this database gets a new one.
        store.new_device_id()?;
        device = store.device()?;
    }
    let own_name = file_name(&device.id);
    let own_path = dir.join(&own_name);
    let mut outcome = Outcome {
        own_file: own_path.clone(),
        device: device.clone(),
        ..Outcome::default()
    };
    let mut records: HashMap<String, FileRecord> = store
        .sync_files()?
        .into_iter()
        .map(|r| (r.name.clone(), r))
        .collect();
    // This device's file is only ever appended to by this database. If it is shorter than
    // what was written, or different, it was replaced (a sync tool's older copy, a deleted
    // folder): forget what the folder was known to hold, read every file again, and write
    // again whatever none of them holds.
    if let Some(own) = records.get(&own_name)
        && !still_holds(&own_path, own)?
    {
        store.forget_sync_files()?;
        records.clear();
        outcome.warnings.push(format!(
            "{} is not as this database left it; every file is read again and whatever is missing is written again",
            own_path.display()
        ));
    }
    let mut own_ok = true;
    let mut own_unknown = 0;
    for name in device_files(&dir)? {
        let path = dir.join(&name);
        match read_file(store, &path, &name, records.get(&name), now) {
            Ok(Some(read)) => {
                if name != own_name && read.outcome.device == device.id {
                    outcome.warnings.push(format!(
                        "{} also claims this device's id {}: a conflict copy made by the sync tool (its reviews were merged; delete it once every device has synced) or a copy of this database on another machine (run `factdrill sync DIR --new-device` there)",
                        path.display(),
                        device.id
                    ));
                }
                outcome.decks.extend(read.decks);
                own_unknown += read.own_unknown;
                outcome.files.push(read.outcome);
            }
            Ok(None) => {}
            Err(Problem::Line(line)) => {
                own_ok &= name != own_name;
                outcome.problems.push(format!(
                    "{}:{}: {}; nothing new in this file was applied",
                    path.display(),
                    line.line,
                    line.message,
                ));
            }
            // A file that cannot be read (an online-only placeholder of a cloud drive, no
            // permission): the others are still synced.
            Err(Problem::Fatal(Error::Read { source, .. })) => {
                own_ok &= name != own_name;
                outcome.problems.push(format!(
                    "{}: cannot read it: {source}; nothing new in this file was applied",
                    path.display()
                ));
            }
            Err(Problem::Fatal(err)) => return Err(err),
        }
    }
    if own_unknown > 0 {
        outcome.warnings.push(format!(
            "{} recorded under this device's id {} came from the sync folder; expected after restoring this database from a backup, but if it was copied from another machine, run `factdrill sync DIR --new-device` on one of the two",
            crate::error::count(own_unknown, "review"),
            device.id
        ));
    }
    if own_ok {
        outcome.written = write_own(store, &own_path, &own_name, &device, now)?;
    }
    Ok(outcome)
}

/// What reading one file did, as `run` gathers it.
#[derive(Debug, Clone, Default)]
struct ReadFile {
    outcome: FileOutcome,
    decks: BTreeSet<String>,
    own_unknown: usize,
}

enum Problem {
    /// The file has a bad line: reported, nothing applied, other files go on.
    Line(format::LineProblem),
    /// The folder or database cannot be used: sync stops.
    Fatal(Error),
}

impl From<Error> for Problem {
    fn from(err: Error) -> Self {
        Problem::Fatal(err)
    }
}

impl From<crate::store::StoreError> for Problem {
    fn from(err: crate::store::StoreError) -> Self {
        Problem::Fatal(err.into())
    }
}

/// Whether a file still has, at `record.read_bytes`, the bytes that were read (or written)
/// there last time.
fn still_holds(path: &Path, record: &FileRecord) -> Result<bool, Error> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(read_err(path)(e)),
    };
    let len = file.metadata().map_err(read_err(path))?.len();
    if len < record.read_bytes {
        return Ok(false);
    }
    let tail_len = record.tail.len() as u64;
    let start = record.read_bytes.saturating_sub(tail_len);
    file.seek(SeekFrom::Start(start)).map_err(read_err(path))?;
    let mut tail = vec![0; record.tail.len()];
    file.read_exact(&mut tail).map_err(read_err(path))?;
    Ok(tail == record.tail)
}

/// Reads the new complete lines of one device file and applies them. `None` when there is
/// nothing to read yet (no complete header line).
fn read_file(
    store: &mut Store,
    path: &Path,
    name: &str,
    record: Option<&FileRecord>,
    now: Timestamp,
) -> Result<Option<ReadFile>, Problem> {
    let mut file = std::fs::File::open(path).map_err(read_err(path))?;
    let len = file.metadata().map_err(read_err(path))?.len();
    // The header: the first line, small.
    let mut head = Vec::new();
    (&mut file)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(read_err(path))?;
    let Some(newline) = head.iter().position(|&b| b == b'\n') else {
        return Ok(None);
    };
    let first = &head[..newline];
    if first.contains(&0) {
        return Ok(None);
    }
    let header =
        format::parse_header(first.strip_suffix(b"\r").unwrap_or(first)).map_err(Problem::Line)?;
    let header_end = newline + 1;
    let resume = record.filter(|r| {
        r.device == header.device && r.read_bytes >= header_end as u64 && r.read_bytes <= len
    });
    let resume = match resume {
        Some(r) if still_holds(path, r)? => Some(r),
        _ => None,
    };
    let (start, events_before, last_before) = match resume {
        Some(r) => (r.read_bytes, r.events, r.last_event),
        None => (header_end as u64, 0, None),
    };
    let mut read = ReadFile {
        outcome: FileOutcome {
            name: name.to_owned(),
            device: header.device.clone(),
            device_name: resume.map_or_else(|| header.name.clone(), |r| r.device_name.clone()),
            reread: record.is_some() && resume.is_none(),
            ..FileOutcome::default()
        },
        ..ReadFile::default()
    };
    // First pass: every new complete line must be good, or nothing of the file is applied.
    let mut lines_before = 0;
    let mut any = false;
    let checked = read_chunks(path, start, |_, _, lines| {
        match format::parse_events(lines, lines_before + 1) {
            Ok(_) => {
                lines_before += lines.len();
                any = true;
                Ok(())
            }
            Err(mut problem) => {
                // Line numbers in the file: counted only for the message.
                let first_line = if resume.is_some() {
                    line_number(path, start)?
                } else {
                    2
                };
                problem.line += first_line - 1;
                Err(Problem::Line(problem))
            }
        }
    })?;
    read.outcome.waiting = checked.waiting;
    if resume.is_some() && !any {
        return Ok(Some(read));
    }
    // Second pass: apply chunk by chunk, each in one transaction with the read position, so
    // a huge file never has to fit in memory and an interrupted sync resumes where it was.
    let mut record = FileRecord {
        name: name.to_owned(),
        device: header.device.clone(),
        device_name: resume.map_or(header.name, |r| r.device_name.clone()),
        read_bytes: start,
        tail: resume.map_or_else(|| head[..header_end].to_vec(), |r| r.tail.clone()),
        events: events_before,
        last_event: last_before,
    };
    let mut line = 1;
    read_chunks(path, start, |chunk_start, bytes, lines| {
        let parsed = format::parse_events(lines, line).map_err(Problem::Line)?;
        line += lines.len();
        if let Some(name) = parsed.name {
            record.device_name = name;
        }
        record.read_bytes = chunk_start + bytes.len() as u64;
        record.tail = tail_of(&record.tail, bytes);
        record.events += parsed.events.len() as u64;
        record.last_event = parsed
            .events
            .iter()
            .map(SyncEvent::time)
            .chain(record.last_event)
            .max();
        let applied = store.apply_events(&parsed.events, &record, now)?;
        read.outcome.events += parsed.events.len();
        read.outcome.reviews += applied.reviews;
        read.outcome.deletes += applied.deletes;
        read.outcome.marks += applied.marks;
        read.decks.extend(applied.decks);
        read.own_unknown += applied.own_unknown;
        Ok(())
    })?;
    read.outcome.device_name.clone_from(&record.device_name);
    Ok(Some(read))
}

/// Bytes read from a device file at a time.
const CHUNK_BYTES: usize = 16 << 20;

/// Where reading the complete lines of a file stopped.
struct Chunks {
    /// The file ends in an incomplete line (or stops at a line with NUL bytes).
    waiting: bool,
}

/// Calls `each(offset, bytes, lines)` for the complete lines of the file from `start`, some
/// megabytes at a time: `bytes` starts at `offset` in the file and spans `lines`. Stops at
/// the first incomplete line.
fn read_chunks(
    path: &Path,
    start: u64,
    each: impl FnMut(u64, &[u8], &[&[u8]]) -> Result<(), Problem>,
) -> Result<Chunks, Problem> {
    read_chunks_of(CHUNK_BYTES, path, start, each)
}

fn read_chunks_of(
    chunk_bytes: usize,
    path: &Path,
    start: u64,
    mut each: impl FnMut(u64, &[u8], &[&[u8]]) -> Result<(), Problem>,
) -> Result<Chunks, Problem> {
    let mut file = std::fs::File::open(path).map_err(read_err(path))?;
    file.seek(SeekFrom::Start(start)).map_err(read_err(path))?;
    let mut offset = start;
    // An incomplete line carried over to the next chunk.
    let mut buf = Vec::new();
    loop {
        let before = buf.len();
        (&mut file)
            .take(chunk_bytes as u64)
            .read_to_end(&mut buf)
            .map_err(read_err(path))?;
        let at_end = buf.len() - before < chunk_bytes;
        let (end, lines) = format::complete_lines(&buf);
        if !lines.is_empty() {
            each(offset, &buf[..end], &lines)?;
        }
        offset += end as u64;
        // A newline after where the lines stopped: they stopped at a line with NUL bytes.
        let stuck = buf[end..].contains(&b'\n');
        buf.drain(..end);
        if at_end || stuck {
            return Ok(Chunks {
                waiting: !buf.is_empty(),
            });
        }
    }
}

/// The 1-based line number at byte `offset` (only counted for a problem's message).
fn line_number(path: &Path, offset: u64) -> Result<usize, Error> {
    let mut prefix = Vec::new();
    std::fs::File::open(path)
        .map_err(read_err(path))?
        .take(offset)
        .read_to_end(&mut prefix)
        .map_err(read_err(path))?;
    // n newlines split the prefix into n + 1 pieces: the line at `offset` is number n + 1.
    Ok(prefix.split(|&b| b == b'\n').count())
}

/// The last `TAIL_BYTES` of `before` followed by `new`.
fn tail_of(before: &[u8], new: &[u8]) -> Vec<u8> {
    let mut joined = before.to_vec();
    joined.extend_from_slice(new);
    let from = joined.len().saturating_sub(TAIL_BYTES);
    joined.split_off(from)
}

/// Appends the events no file holds to this device's file (creating it with its header),
/// flushes it to disk, then records them as written. Returns how many were written.
fn write_own(
    store: &mut Store,
    path: &Path,
    name: &str,
    device: &Device,
    now: Timestamp,
) -> Result<usize, Error> {
    let renamed =
        |record: Option<&FileRecord>| record.is_some_and(|r| r.device_name != device.name);
    let record = store.sync_files()?.into_iter().find(|r| r.name == name);
    if store.pending_counts()?.total() == 0 && !renamed(record.as_ref()) {
        return Ok(0);
    }
    let fail = write_err(path);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .map_err(&fail)?;
    // Two syncs of this database at once take turns here (best effort: some network and
    // cloud file systems cannot lock). The lock lasts until `file` is dropped, after the
    // database records what was written; what the other wrote is not pending any more.
    let _ = file.lock();
    let mut written = 0;
    // In batches, each flushed and recorded before the next: a long history never has to
    // fit in memory, and an interruption loses no more than one batch's work.
    loop {
        let record = store.sync_files()?.into_iter().find(|r| r.name == name);
        let pending = store.pending_batch(WRITE_BATCH)?.events;
        let rename = renamed(record.as_ref());
        if pending.is_empty() && !rename {
            return Ok(written);
        }
        append(
            store,
            &mut file,
            path,
            record.as_ref(),
            &pending,
            rename,
            device,
            now,
        )?;
        written += pending.len();
    }
}

/// Events written to the device file per flush.
const WRITE_BATCH: usize = 20_000;

/// Appends one batch to this device's file (after its last complete line; the header first
/// if it has none), flushes it to disk, then records it as written.
#[allow(clippy::too_many_arguments)]
fn append(
    store: &mut Store,
    file: &mut std::fs::File,
    path: &Path,
    record: Option<&FileRecord>,
    pending: &[SyncEvent],
    rename: bool,
    device: &Device,
    now: Timestamp,
) -> Result<(), Error> {
    let fail = write_err(path);
    let len = file.metadata().map_err(&fail)?.len();
    let mut text = String::new();
    // Bytes after what was read are the incomplete last line of a write that was cut short
    // (this database never recorded it): cut them off and write those events again.
    let (start, mut events, last, mut tail) = if let Some(r) = record {
        if len > r.read_bytes {
            file.set_len(r.read_bytes).map_err(&fail)?;
        }
        (r.read_bytes, r.events, r.last_event, r.tail.clone())
    } else {
        file.set_len(0).map_err(&fail)?;
        text.push_str(&format::header_line(&format::Header {
            device: device.id.clone(),
            name: device.name.clone(),
        }));
        (0, 0, None, Vec::new())
    };
    if rename {
        text.push_str(&format::name_line(&device.id, &device.name, now));
    }
    for event in pending {
        text.push_str(&format::event_line(event));
    }
    file.seek(SeekFrom::Start(start)).map_err(&fail)?;
    file.write_all(text.as_bytes()).map_err(&fail)?;
    file.sync_all().map_err(&fail)?;
    if record.is_none()
        && let Some(dir) = path.parent()
        && let Ok(dir) = std::fs::File::open(dir)
    {
        // The new file's name is durable too (best effort: not every system can).
        let _ = dir.sync_all();
    }
    events += pending.len() as u64;
    tail = tail_of(&tail, text.as_bytes());
    let written = FileRecord {
        name: file_name(&device.id),
        device: device.id.clone(),
        device_name: device.name.clone(),
        read_bytes: start + text.len() as u64,
        tail,
        events,
        last_event: pending.iter().map(SyncEvent::time).chain(last).max(),
    };
    store.mark_written(pending, &written)?;
    Ok(())
}

/// What `sync --status` shows; reads the folder's listing, changes nothing.
pub fn status(store: &Store, dir: &Path) -> Result<Status, Error> {
    let dir = canonical(dir)?;
    let device = store.device()?;
    let own_name = file_name(&device.id);
    let last_dir = store.sync_dir()?;
    let same_dir = last_dir.as_deref() == Some(&*dir.to_string_lossy());
    let mut records: HashMap<String, FileRecord> = if same_dir {
        store
            .sync_files()?
            .into_iter()
            .map(|r| (r.name.clone(), r))
            .collect()
    } else {
        HashMap::new()
    };
    let mut files = Vec::new();
    for name in device_files(&dir)? {
        let size = std::fs::metadata(dir.join(&name))
            .map_err(read_err(&dir.join(&name)))?
            .len();
        files.push(FileStatus {
            own: name == own_name,
            record: records.remove(&name),
            size: Some(size),
            name,
        });
    }
    for (name, record) in records {
        files.push(FileStatus {
            own: name == own_name,
            name,
            size: None,
            record: Some(record),
        });
    }
    files.sort_by(|a, b| (!a.own, &a.name).cmp(&(!b.own, &b.name)));
    let pending = if same_dir {
        store.pending_counts()?
    } else {
        store.event_counts()?
    };
    Ok(Status {
        device,
        dir,
        other_dir: last_dir.filter(|_| !same_dir),
        files,
        pending_reviews: pending.reviews,
        pending_deletes: pending.deletes,
        pending_marks: pending.marks,
    })
}

fn device_json(device: &Device) -> serde_json::Value {
    serde_json::json!({ "id": device.id, "name": device.name })
}

impl Outcome {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "device": device_json(&self.device),
            "own_file": self.own_file.display().to_string(),
            "written": self.written,
            "files": self.files.iter().map(|f| serde_json::json!({
                "name": f.name,
                "device": f.device,
                "device_name": f.device_name,
                "events": f.events,
                "reviews_added": f.reviews,
                "reviews_deleted": f.deletes,
                "marks_added": f.marks,
                "waiting": f.waiting,
                "reread": f.reread,
            })).collect::<Vec<_>>(),
            "decks_changed": self.decks,
            "warnings": self.warnings,
            "problems": self.problems,
        })
    }
}

impl Status {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "device": device_json(&self.device),
            "dir": self.dir.display().to_string(),
            "other_dir": self.other_dir,
            "pending": {
                "reviews": self.pending_reviews,
                "deletes": self.pending_deletes,
                "marks": self.pending_marks,
            },
            "files": self.files.iter().map(|f| serde_json::json!({
                "name": f.name,
                "own": f.own,
                "size": f.size,
                "device": f.record.as_ref().map(|r| &r.device),
                "device_name": f.record.as_ref().map(|r| &r.device_name),
                "events": f.record.as_ref().map(|r| r.events),
                "last_event": f.record.as_ref().and_then(|r| r.last_event).map(|t| t.to_string()),
                "read_bytes": f.record.as_ref().map(|r| r.read_bytes),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every complete line from `start`, read `chunk` bytes at a time, with the offset each
    /// call began at; and whether the file ended in an incomplete line.
    fn chunked(text: &[u8], start: u64, chunk: usize) -> (Vec<(u64, String)>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.jsonl");
        std::fs::write(&path, text).unwrap();
        let mut seen = Vec::new();
        let done = read_chunks_of(chunk, &path, start, |offset, bytes, lines| {
            assert_eq!(bytes.split(|&b| b == b'\n').count(), lines.len() + 1);
            for line in lines {
                seen.push((offset, String::from_utf8(line.to_vec()).unwrap()));
            }
            Ok(())
        });
        let Ok(done) = done else {
            panic!("no error expected")
        };
        (seen, done.waiting)
    }

    #[test]
    fn chunks_carry_a_line_over_and_stop_at_an_incomplete_one() {
        let text = b"one\ntwo\nthree-is-long\nfour\nfiv";
        for chunk in [1, 2, 3, 7, 64] {
            let (lines, waiting) = chunked(text, 0, chunk);
            let names: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
            assert_eq!(
                names,
                ["one", "two", "three-is-long", "four"],
                "chunk {chunk}"
            );
            assert!(waiting, "chunk {chunk}");
        }
        let (lines, waiting) = chunked(b"one\ntwo\n", 4, 3);
        assert_eq!(lines, [(4, "two".to_owned())]);
        assert!(!waiting);
        // A line with NUL bytes (a preallocated file being filled) stops the reading.
        let (lines, waiting) = chunked(b"one\n\0\0\0\ntwo\n", 0, 2);
        assert_eq!(lines.len(), 1);
        assert!(waiting);
    }

    #[test]
    fn tails_keep_the_last_bytes() {
        assert_eq!(tail_of(b"ab", b"cd"), b"abcd");
        let long = vec![b'x'; 100];
        assert_eq!(tail_of(b"ab", &long).len(), TAIL_BYTES);
        assert_eq!(tail_of(&long, b"yz")[TAIL_BYTES - 2..], *b"yz");
    }
}
