//! The `extract` subcommand's work, for the CLI to call: read an article, extract its facts,
//! and return them as YAML or JSON, or, given a curated facts file, the score table. No
//! printing here; the front end prints the returned text.

use std::path::Path;

use super::{extract, score};
use crate::error::Error;
use crate::facts::{self, to_json, to_yaml};

/// Articles larger than this are refused before reading.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// How to write extracted facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

/// Extracts the facts of the article at `article`. With `gold`, returns the score table of
/// the extracted facts against that curated file instead of the facts.
pub fn run(article: &Path, format: Format, gold: Option<&Path>) -> Result<String, Error> {
    let text = crate::text::read(article, MAX_ARTICLE_BYTES)?;
    let found = extract(&text);
    if let Some(gold) = gold {
        let gold = facts::load(gold)?;
        return Ok(score(&found, &gold).to_string());
    }
    Ok(match format {
        Format::Yaml => to_yaml(&found),
        Format::Json => to_json(&found),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn extracts_and_scores_files() {
        let dir = tempfile::tempdir().unwrap();
        let article = write(
            dir.path(),
            "a.txt",
            b"The Guild was a union.\n\nThe first head of the Guild was Anna Berg.\n",
        );
        let yaml = run(&article, Format::Yaml, None).unwrap();
        assert!(yaml.contains("person: Anna Berg"), "{yaml}");
        let json = run(&article, Format::Json, None).unwrap();
        assert!(json.contains("\"person\": \"Anna Berg\""), "{json}");
        let gold = write(
            dir.path(),
            "g.yaml",
            b"topic: Guild\nfacts:\n  - {kind: head, person: Anna Berg, role: head, order: 1}\n",
        );
        let table = run(&article, Format::Yaml, Some(&gold)).unwrap();
        assert!(
            table.contains("overall         1          1     1      1.000   1.000  1.000"),
            "{table}"
        );
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let binary = write(dir.path(), "b.txt", b"ok\n\xff\xfe\x00");
        let err = run(&binary, Format::Yaml, None).unwrap_err().to_string();
        assert!(
            err.ends_with("b.txt:2:1: the file is not valid UTF-8 text"),
            "{err}"
        );
        let empty = write(dir.path(), "e.txt", b"");
        assert!(
            run(&empty, Format::Yaml, None)
                .unwrap()
                .contains("facts: []")
        );
        let big = dir.path().join("big.txt");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(200 * 1024 * 1024).unwrap();
        let err = run(&big, Format::Yaml, None).unwrap_err().to_string();
        assert!(err.contains("is larger than the limit of 64 MiB"), "{err}");
        let bad_gold = write(dir.path(), "g.yaml", b"facts:\n  - kind: head\n");
        let article = write(dir.path(), "a.txt", b"Text.\n");
        let err = run(&article, Format::Yaml, Some(&bad_gold)).unwrap_err();
        assert_eq!(err.problem_lines().len(), 1);
    }
}
