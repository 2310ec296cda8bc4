//! The answer line being typed: text and a cursor, edited the way a shell line is (arrows,
//! Home/End, Backspace/Delete, Ctrl-U/K/W). Pure; knows nothing of keys or the screen.

/// A line of text with a cursor between characters (0 = before the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    chars: Vec<char>,
    cursor: usize,
}

impl LineInput {
    /// The longest answer kept: far beyond any real answer, small enough to draw at once.
    pub const MAX_CHARS: usize = 1_000;

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, c: char) {
        // Control characters would be drawn as nothing (or worse); a pasted newline is Enter.
        if c.is_control() || self.chars.len() >= Self::MAX_CHARS {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Ctrl-U: deletes everything before the cursor.
    pub fn kill_to_start(&mut self) {
        self.chars.drain(..self.cursor);
        self.cursor = 0;
    }

    /// Ctrl-K: deletes everything from the cursor on.
    pub fn kill_to_end(&mut self) {
        self.chars.truncate(self.cursor);
    }

    /// Ctrl-W: deletes the word before the cursor (and the spaces after it).
    pub fn kill_word(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineInput {
        let mut input = LineInput::default();
        text.chars().for_each(|c| input.insert(c));
        input
    }

    #[track_caller]
    fn case(input: &LineInput, text: &str, cursor: usize) {
        assert_eq!((input.text().as_str(), input.cursor()), (text, cursor));
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut input = typed("Brlin");
        case(&input, "Brlin", 5);
        input.home();
        input.right();
        input.insert('e');
        case(&input, "Berlin", 2);
        input.end();
        input.right();
        case(&input, "Berlin", 6);
        input.home();
        input.left();
        case(&input, "Berlin", 0);
    }

    #[test]
    fn backspace_and_delete_remove_around_the_cursor() {
        let mut input = typed("Berlinn");
        input.backspace();
        case(&input, "Berlin", 6);
        input.home();
        input.backspace();
        case(&input, "Berlin", 0);
        input.delete();
        case(&input, "erlin", 0);
        input.end();
        input.delete();
        case(&input, "erlin", 5);
    }

    #[test]
    fn kills_cut_to_either_end_or_a_word() {
        let mut input = typed("Osip  Piatnitsky");
        input.kill_word();
        case(&input, "Osip  ", 6);
        input.kill_word();
        case(&input, "", 0);
        let mut input = typed("Henk Sneevliet");
        for _ in 0..9 {
            input.left();
        }
        input.kill_to_start();
        case(&input, "Sneevliet", 0);
        input.right();
        input.kill_to_end();
        case(&input, "S", 1);
    }

    #[test]
    fn multibyte_text_moves_by_character() {
        let mut input = typed("Zürich");
        input.left();
        input.left();
        input.left();
        input.left();
        input.backspace();
        case(&input, "Zrich", 1);
    }

    #[test]
    fn control_characters_and_overlong_text_are_not_kept() {
        let mut input = typed("a\u{1b}[2J\nb");
        case(&input, "a[2Jb", 5);
        for _ in 0..LineInput::MAX_CHARS {
            input.insert('x');
        }
        assert_eq!(input.text().chars().count(), LineInput::MAX_CHARS);
    }
}
