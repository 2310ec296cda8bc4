//! Fuzz target: the facts-file loader (YAML reader + validation) on arbitrary bytes. It must
//! never panic, a rejected file always comes with a positioned problem, and an accepted one
//! survives a write/load round trip.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = factdrill::text::decode(data.to_vec()) else {
        return;
    };
    match factdrill::facts::load_str(&text) {
        Ok(facts) => {
            let written = factdrill::facts::to_yaml(&facts);
            let again = factdrill::facts::load_str(&written).expect("written facts load back");
            assert_eq!(again.facts.len(), facts.facts.len());
        }
        Err(problems) => assert!(problems.iter().all(|p| p.pos.line >= 1)),
    }
});
