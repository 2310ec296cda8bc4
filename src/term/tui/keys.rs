//! Keys to intents: what a key press means on the screen showing now. A pure table, so every
//! binding is unit-tested and a new command is one variant and one line here.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::schedule::Rating;

/// What the learner wants, whatever key said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Editing the answer line.
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-U.
    KillToStart,
    /// Ctrl-K.
    KillToEnd,
    /// Ctrl-W.
    KillWord,
    /// Enter on a question: grade what was typed.
    Submit,
    /// A choice letter on a multiple-choice question (0 = `a`).
    Choose(usize),
    /// 1-4 after an answer.
    Rate(Rating),
    /// Enter after an answer: the suggested rating.
    Accept,
    /// Esc while typing: single keys become commands.
    Commands,
    /// Back to typing the answer.
    Typing,
    Undo,
    Suspend,
    Bury,
    Flag,
    Explain,
    Help,
    /// Close the help or explain view.
    Close,
    /// `q`, Ctrl-C, Ctrl-D: end the session (an answer on screen is recorded first).
    Quit,
}

/// Who has the keys now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The answer line: printable keys are typed. `empty` when nothing is typed yet (then `?`
    /// opens the help: no answer starts with it).
    Typing { empty: bool },
    /// A question with single-key commands: `choices` letters pick a choice (0 on a text
    /// question after Esc), the other keys are commands.
    Question { choices: usize },
    /// After an answer, waiting for a rating.
    Rating,
    /// Help or explain shown over the screen.
    Overlay,
}

/// The intent of `key` in `mode`, if it has one. Releases (sent by some terminals) mean
/// nothing; Alt with a command key is that command anywhere, even while typing.
pub fn intent(key: KeyEvent, mode: Mode) -> Option<Intent> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('c' | 'd') if ctrl => return Some(Intent::Quit),
        KeyCode::F(1) => return Some(Intent::Help),
        KeyCode::Char(c) if alt && !ctrl => {
            return command(c).filter(|_| mode != Mode::Overlay);
        }
        _ => {}
    }
    match mode {
        Mode::Typing { empty } => typing(key.code, ctrl, empty),
        Mode::Question { choices } => match key.code {
            KeyCode::Char(c) if !ctrl => choice(c, choices).map(Intent::Choose).or_else(|| {
                if c == 'i' {
                    Some(Intent::Typing)
                } else {
                    command(c)
                }
            }),
            KeyCode::Esc | KeyCode::Enter => Some(Intent::Typing),
            _ => None,
        },
        Mode::Rating => match key.code {
            KeyCode::Char(c @ '1'..='4') if !ctrl => {
                Rating::from_number(i64::from(u32::from(c) - u32::from('0'))).map(Intent::Rate)
            }
            KeyCode::Char(' ') | KeyCode::Enter => Some(Intent::Accept),
            KeyCode::Char(c) if !ctrl => command(c),
            _ => None,
        },
        Mode::Overlay => match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?' | 'e' | ' ' | 'h') => {
                Some(Intent::Close)
            }
            _ => None,
        },
    }
}

fn typing(code: KeyCode, ctrl: bool, empty: bool) -> Option<Intent> {
    Some(match code {
        KeyCode::Char('u') if ctrl => Intent::KillToStart,
        KeyCode::Char('k') if ctrl => Intent::KillToEnd,
        KeyCode::Char('w') if ctrl => Intent::KillWord,
        KeyCode::Char('a') if ctrl => Intent::Home,
        KeyCode::Char('e') if ctrl => Intent::End,
        KeyCode::Char('b') if ctrl => Intent::Left,
        KeyCode::Char('f') if ctrl => Intent::Right,
        KeyCode::Char('h') if ctrl => Intent::Backspace,
        KeyCode::Char('?') if empty => Intent::Help,
        KeyCode::Char(c) if !ctrl => Intent::Insert(c),
        KeyCode::Backspace => Intent::Backspace,
        KeyCode::Delete => Intent::Delete,
        KeyCode::Left => Intent::Left,
        KeyCode::Right => Intent::Right,
        KeyCode::Home => Intent::Home,
        KeyCode::End => Intent::End,
        KeyCode::Enter => Intent::Submit,
        KeyCode::Esc => Intent::Commands,
        _ => return None,
    })
}

/// The single-key commands, the same on every screen that has them.
fn command(c: char) -> Option<Intent> {
    Some(match c.to_ascii_lowercase() {
        'u' => Intent::Undo,
        's' => Intent::Suspend,
        'b' => Intent::Bury,
        'f' => Intent::Flag,
        'e' => Intent::Explain,
        '?' | 'h' => Intent::Help,
        'q' => Intent::Quit,
        _ => return None,
    })
}

/// The choice a letter picks, when the question has that many.
fn choice(c: char, choices: usize) -> Option<usize> {
    let c = c.to_ascii_lowercase();
    if !c.is_ascii_lowercase() {
        return None;
    }
    let index = usize::from(c as u8 - b'a');
    (index < choices).then_some(index)
}

/// Which command keys a choice question's letters hide (`b` bury with two choices or more):
/// the key bar leaves them out, and Alt+key still reaches them.
pub fn shadowed(c: char, choices: usize) -> bool {
    choice(c, choices).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ch(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn alt(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
    }

    #[track_caller]
    fn case(mode: Mode, key: KeyEvent, want: Option<Intent>) {
        assert_eq!(intent(key, mode), want, "{key:?} in {mode:?}");
    }

    const TYPING: Mode = Mode::Typing { empty: false };
    const EMPTY: Mode = Mode::Typing { empty: true };
    const CHOICE: Mode = Mode::Question { choices: 4 };
    const COMMANDS: Mode = Mode::Question { choices: 0 };

    #[test]
    fn typing_keys_edit_the_answer() {
        case(TYPING, ch('q'), Some(Intent::Insert('q')));
        case(TYPING, ch('B'), Some(Intent::Insert('B')));
        case(TYPING, ch('1'), Some(Intent::Insert('1')));
        case(TYPING, ch('?'), Some(Intent::Insert('?')));
        case(TYPING, ch('é'), Some(Intent::Insert('é')));
        case(TYPING, key(KeyCode::Backspace), Some(Intent::Backspace));
        case(TYPING, ctrl('h'), Some(Intent::Backspace));
        case(TYPING, key(KeyCode::Delete), Some(Intent::Delete));
        case(TYPING, key(KeyCode::Left), Some(Intent::Left));
        case(TYPING, key(KeyCode::Right), Some(Intent::Right));
        case(TYPING, key(KeyCode::Home), Some(Intent::Home));
        case(TYPING, ctrl('a'), Some(Intent::Home));
        case(TYPING, key(KeyCode::End), Some(Intent::End));
        case(TYPING, ctrl('e'), Some(Intent::End));
        case(TYPING, ctrl('u'), Some(Intent::KillToStart));
        case(TYPING, ctrl('k'), Some(Intent::KillToEnd));
        case(TYPING, ctrl('w'), Some(Intent::KillWord));
        case(TYPING, key(KeyCode::Enter), Some(Intent::Submit));
        case(TYPING, key(KeyCode::Esc), Some(Intent::Commands));
        case(TYPING, key(KeyCode::Tab), None);
        case(TYPING, ctrl('x'), None);
    }

    #[test]
    fn question_mark_on_an_empty_line_is_help() {
        case(EMPTY, ch('?'), Some(Intent::Help));
        case(EMPTY, ch('q'), Some(Intent::Insert('q')));
    }

    #[test]
    fn quitting_works_everywhere() {
        for mode in [TYPING, EMPTY, CHOICE, COMMANDS, Mode::Rating, Mode::Overlay] {
            case(mode, ctrl('c'), Some(Intent::Quit));
            case(mode, ctrl('d'), Some(Intent::Quit));
            case(mode, key(KeyCode::F(1)), Some(Intent::Help));
        }
        for mode in [CHOICE, COMMANDS, Mode::Rating] {
            case(mode, ch('q'), Some(Intent::Quit));
        }
    }

    #[test]
    fn alt_reaches_commands_from_anywhere_but_an_overlay() {
        for mode in [TYPING, EMPTY, CHOICE, COMMANDS, Mode::Rating] {
            case(mode, alt('u'), Some(Intent::Undo));
            case(mode, alt('b'), Some(Intent::Bury));
            case(mode, alt('q'), Some(Intent::Quit));
        }
        case(TYPING, alt('x'), None);
        case(Mode::Overlay, alt('u'), None);
    }

    #[test]
    fn choice_letters_pick_and_other_letters_are_commands() {
        case(CHOICE, ch('a'), Some(Intent::Choose(0)));
        case(CHOICE, ch('b'), Some(Intent::Choose(1)));
        case(CHOICE, ch('D'), Some(Intent::Choose(3)));
        case(CHOICE, ch('e'), Some(Intent::Explain));
        case(CHOICE, ch('u'), Some(Intent::Undo));
        case(CHOICE, ch('s'), Some(Intent::Suspend));
        case(CHOICE, ch('f'), Some(Intent::Flag));
        case(CHOICE, ch('?'), Some(Intent::Help));
        case(CHOICE, ch('i'), Some(Intent::Typing));
        case(CHOICE, key(KeyCode::Enter), Some(Intent::Typing));
        case(CHOICE, ch('x'), None);
        case(Mode::Question { choices: 2 }, ch('c'), None);
        case(COMMANDS, ch('a'), None);
        case(COMMANDS, ch('b'), Some(Intent::Bury));
        case(COMMANDS, key(KeyCode::Esc), Some(Intent::Typing));
        assert!(shadowed('b', 2));
        assert!(!shadowed('b', 1));
        assert!(!shadowed('s', 4));
    }

    #[test]
    fn rating_keys_rate_and_enter_accepts() {
        case(Mode::Rating, ch('1'), Some(Intent::Rate(Rating::Again)));
        case(Mode::Rating, ch('2'), Some(Intent::Rate(Rating::Hard)));
        case(Mode::Rating, ch('3'), Some(Intent::Rate(Rating::Good)));
        case(Mode::Rating, ch('4'), Some(Intent::Rate(Rating::Easy)));
        case(Mode::Rating, ch('5'), None);
        case(Mode::Rating, key(KeyCode::Enter), Some(Intent::Accept));
        case(Mode::Rating, ch(' '), Some(Intent::Accept));
        case(Mode::Rating, ch('e'), Some(Intent::Explain));
        case(Mode::Rating, ch('b'), Some(Intent::Bury));
        case(Mode::Rating, ch('a'), None);
    }

    #[test]
    fn overlays_close_on_the_usual_keys() {
        for k in [
            key(KeyCode::Esc),
            key(KeyCode::Enter),
            ch('q'),
            ch('?'),
            ch('e'),
        ] {
            case(Mode::Overlay, k, Some(Intent::Close));
        }
        case(Mode::Overlay, ch('1'), None);
    }

    #[test]
    fn key_releases_mean_nothing() {
        let mut release = ch('q');
        release.kind = KeyEventKind::Release;
        case(Mode::Rating, release, None);
    }
}
