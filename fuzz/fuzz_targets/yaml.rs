//! Fuzz target: the spanned YAML reader on arbitrary text. It must never panic or exceed its
//! budgets (depth, aliases, values), whatever the input; and whatever the fast reader accepts
//! it must read exactly as the full reader (serde-saphyr) does, positions included.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = factdrill::yaml::parse(text);
        if let Some(fast) = factdrill::yaml::parse_fast(text) {
            assert_eq!(Ok(fast), factdrill::yaml::parse_full(text), "{text:?}");
        }
    }
});
