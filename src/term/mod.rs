//! The terminal front end: the only code that reads stdin or writes stdout.

/// Makes untrusted text (from a deck or facts file) safe to print: control characters and
/// escape sequences are shown as visible `\u{..}` escapes instead of being sent to the
/// terminal, so a deck cannot clear the screen, move the cursor or set the window title.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' || is_bidi_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Unicode bidirectional overrides can make text display in a different order than it reads.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(safe("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(safe("Piatnitsky\nline"), "Piatnitsky\nline");
    }
}
