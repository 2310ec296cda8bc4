//! Formats other tools use, mapped to and from factdrill's own: an Anki package
//! (`apkg`, export) and spreadsheet decks (`table`, CSV/TSV import). Pure mappings: the
//! SQLite and zip writing of a package lives in `store::anki`, files are read by the caller.
//! Each format is described in `docs/formats.md`.

pub mod apkg;
pub mod table;
