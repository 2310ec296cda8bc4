//! CLI tests: drive the real `factdrill` binary with a temporary database, a pinned clock
//! and seed, and answers piped on stdin. Rendered output is snapshot-tested (insta).

// Test helpers panic on setup failure by design.
#![allow(clippy::missing_panics_doc)]

mod adapt;
mod bench;
mod check;
mod extract;
mod generate;
mod interop;
mod marks;
mod optimize;
mod reliability;
mod schedule;
mod session;
mod stats;
mod study;
mod sync;
// Needs a Unix pseudo-terminal, `sh` and `stty`.
#[cfg(unix)]
mod tui;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary home for one test's database.
pub struct Env {
    pub dir: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("progress.db")
    }

    /// `factdrill` run from the repository root (so deck paths are `decks/...`), with this
    /// test's database, a pinned clock and seed, and no colour.
    pub fn cmd(&self, now: &str) -> Command {
        Command::from_std(self.process(now))
    }

    /// The same, as a plain process, for tests that drive a running child.
    pub fn process(&self, now: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("factdrill"));
        cmd.current_dir(root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("FACTDRILL_DB", self.db())
            .env("FACTDRILL_NOW", now)
            .env("FACTDRILL_SEED", "42")
            .env("NO_COLOR", "1")
            // No FSRS refit after a session unless a test asks for one.
            .env("FACTDRILL_AUTO_REFIT", "off");
        cmd
    }
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// stdout and stderr of a finished command, as text, with the temporary directory replaced
/// by `[TMP]` so snapshots are stable.
pub fn output(env: &Env, out: &std::process::Output) -> (String, String) {
    let tmp = env.dir.path().to_string_lossy().into_owned();
    let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&tmp, "[TMP]");
    (clean(&out.stdout), clean(&out.stderr))
}
