//! CLI tests: drive the real `factdrill` binary.
