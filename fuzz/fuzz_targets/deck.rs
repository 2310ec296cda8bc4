//! Fuzz target: the deck loader (YAML reader + validation) on arbitrary bytes. It must never
//! panic, and a deck it accepts must satisfy the loader's own promises.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Files reach the loader through `text::decode` (UTF-8 check, BOM dropped), as here.
    let Ok(text) = factdrill::text::decode(data.to_vec()) else {
        return;
    };
    match factdrill::deck::load_str(&text) {
        Ok(deck) => {
            assert!(!deck.cards.is_empty());
            for card in &deck.cards {
                assert!(!card.prompt.trim().is_empty());
                assert!(card.prompt.chars().count() <= factdrill::deck::MAX_TEXT_CHARS);
            }
        }
        Err(problems) => assert!(!problems.is_empty()),
    }
});
