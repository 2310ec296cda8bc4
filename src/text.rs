//! Reading user-supplied text files (decks, facts, articles) safely: a size limit checked
//! before reading, and UTF-8 checked with the line and column of the first bad byte.

use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// Reads a whole file as UTF-8 text, refusing files over `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<String, Error> {
    let read_err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_owned(),
        });
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit so a file that grows while we read is still caught.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    decode(bytes).map_err(|(line, col)| Error::NotUtf8 {
        path: path.to_owned(),
        line,
        col,
    })
}

/// Decodes UTF-8 (dropping a leading byte-order mark), or gives the 1-based line and column
/// of the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (u32, u32)> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            // Everything before the bad byte is valid UTF-8 by construction.
            let before = std::str::from_utf8(valid).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err((line as u32, col as u32))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_first_bad_byte() {
        assert_eq!(decode(b"ab\ncd\xffe".to_vec()), Err((2, 3)));
        assert_eq!(decode(b"\xff".to_vec()), Err((1, 1)));
    }

    #[test]
    fn decode_drops_bom() {
        assert_eq!(decode(b"\xef\xbb\xbfid: x".to_vec()).unwrap(), "id: x");
    }
}
