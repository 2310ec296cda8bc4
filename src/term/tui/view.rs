//! The study screen drawn from a view model: `render` is a pure function of a `Screen` onto a
//! ratatui frame, so every screen is snapshot-tested with the test backend. No session, no
//! terminal, no clock here; `app.rs` builds the `Screen`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthChar;

use crate::grade::Verdict;
use crate::schedule::Rating;

/// Below this the screen says it is too small instead of drawing a squashed one.
pub const MIN_WIDTH: u16 = 32;
pub const MIN_HEIGHT: u16 = 10;

/// How the screen may draw: colour (off with `NO_COLOR`), Unicode box lines (off on a
/// non-UTF-8 terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub color: bool,
    pub unicode: bool,
}

/// Everything on the screen, as text already made safe to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub deck: String,
    pub answered: u32,
    /// Answered plus still to do (this question included).
    pub total: u32,
    pub elapsed_secs: u64,
    pub body: Body,
    pub status: Option<Status>,
    pub keys: Vec<KeyHint>,
    pub overlay: Option<Overlay>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A question waiting for an answer.
    Asking {
        question: Question,
        input: InputView,
        /// The answer line has the keys (otherwise single keys are commands).
        typing: bool,
    },
    /// The graded answer, waiting for a rating.
    Answered {
        question: Question,
        feedback: FeedbackView,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub prompt: String,
    pub is_new: bool,
    /// How to answer, for kinds that need saying ("True or false?").
    pub hint: Option<String>,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub letter: char,
    pub text: String,
    pub mark: Mark,
}

/// How a choice is marked after the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    Correct,
    /// Picked, and wrong.
    Picked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputView {
    pub text: String,
    /// In characters from the start.
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    pub typed: String,
    pub verdict: Verdict,
    /// The grader's sentence without its verdict word, and the right answer when it was missed.
    pub message: String,
    /// Further lines: the right order of an ordering, the card's explanation.
    pub details: Vec<String>,
    /// The sentence the card was made from.
    pub source: Option<String>,
    pub ratings: Vec<RatingOption>,
    pub suggested: Rating,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingOption {
    pub rating: Rating,
    /// When the card would come back ("10m", "3d").
    pub interval: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub warn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHint {
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Explain(Vec<(String, String)>),
}

/// The help overlay: every key, on every screen.
pub const HELP: &[(&str, &str)] = &[
    (
        "Enter",
        "submit the answer; then accept the suggested rating",
    ),
    ("a-d", "pick a choice on a multiple-choice question"),
    ("1-4", "rate: 1 Again, 2 Hard, 3 Good, 4 Easy"),
    ("Esc", "while typing: single-key commands (i: type again)"),
    ("u", "undo the last answer"),
    ("s", "suspend this card"),
    ("b", "bury this card until tomorrow"),
    ("f", "flag this card"),
    ("e", "explain: source, accepted answers, intervals"),
    ("?  F1", "this help"),
    ("q", "quit; an answer on screen is recorded first"),
    (
        "Alt+key",
        "a command while typing, or under a choice letter",
    ),
    ("Ctrl-C  Ctrl-D", "quit, from anywhere"),
    ("Left Right", "move in the answer; also Home, End"),
    ("Ctrl-U K W", "delete to the start, to the end, a word"),
];

struct Styles {
    bold: Style,
    dim: Style,
    good: Style,
    bad: Style,
    warn: Style,
    key: Style,
    chosen: Style,
    unicode: bool,
}

impl Styles {
    fn new(look: Look) -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let color = |c: Color| if look.color { bold.fg(c) } else { bold };
        Self {
            bold,
            dim: Style::new().add_modifier(Modifier::DIM),
            good: color(Color::Green),
            bad: color(Color::Red),
            warn: color(Color::Yellow),
            key: color(Color::Cyan),
            chosen: Style::new().add_modifier(Modifier::REVERSED),
            unicode: look.unicode,
        }
    }
}

pub fn render(screen: &Screen, look: Look, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(area, frame);
        return;
    }
    let st = Styles::new(look);
    let keys = pack(
        screen
            .keys
            .iter()
            .map(|k| {
                vec![
                    Span::styled(k.key, st.key),
                    Span::raw(format!(" {}", k.label)),
                ]
            })
            .collect(),
        area.width,
        3,
    );
    let ratings = match &screen.body {
        Body::Answered { feedback, .. } => rating_lines(feedback, area.width, &st),
        Body::Asking { .. } => Vec::new(),
    };
    let [header, rule, body, bottom, status, keybar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(ratings.len().max(1) as u16),
        Constraint::Length(1),
        Constraint::Length(keys.len() as u16),
    ])
    .areas(area);

    header_line(frame, header, screen, look, &st);
    frame.render_widget(rule_line(rule.width, look, &st), rule);

    match &screen.body {
        Body::Asking {
            question,
            input,
            typing,
        } => {
            frame.render_widget(paragraph(question_lines(question, &st)), body);
            answer_line(frame, bottom, input, *typing, &st);
        }
        Body::Answered { question, feedback } => {
            let mut lines = question_lines(question, &st);
            lines.push(Line::default());
            lines.extend(feedback_lines(feedback, &st));
            let text = paragraph(lines);
            // What does not fit scrolls off the top: the verdict and the source matter more
            // now than the question, which was read already.
            let over = text
                .line_count(body.width)
                .saturating_sub(usize::from(body.height));
            frame.render_widget(text.scroll((over as u16, 0)), body);
            frame.render_widget(Paragraph::new(ratings), bottom);
        }
    }
    if let Some(s) = &screen.status {
        let style = if s.warn { st.warn } else { Style::new() };
        frame.render_widget(Span::styled(s.text.as_str(), style), status);
    }
    frame.render_widget(Paragraph::new(keys), keybar);

    match &screen.overlay {
        Some(Overlay::Help) => help(frame, look, &st),
        Some(Overlay::Explain(rows)) => explain(frame, rows, look, &st),
        None => {}
    }
}

/// The deck on the left (shortened to leave room); answered out of all, and the time spent,
/// on the right.
fn header_line(frame: &mut Frame, area: Rect, screen: &Screen, look: Look, st: &Styles) {
    let progress = format!(
        "{}/{} answered, {}",
        screen.answered,
        screen.total,
        clock(screen.elapsed_secs)
    );
    let progress_width = progress.chars().count();
    let shown = progress_width + 2 < usize::from(area.width);
    let lead = "factdrill · ".chars().count();
    let room = usize::from(area.width)
        .saturating_sub(lead)
        .saturating_sub(if shown { progress_width + 2 } else { 0 });
    frame.render_widget(
        Line::from(vec![
            Span::styled("factdrill", st.bold),
            Span::styled(if look.unicode { " · " } else { " - " }, st.dim),
            Span::raw(shorten(&screen.deck, room, look)),
        ]),
        area,
    );
    if shown {
        let width = progress_width as u16;
        let right = Rect {
            x: area.right() - width,
            width,
            ..area
        };
        frame.render_widget(Span::styled(progress, st.dim), right);
    }
}

/// `text` in at most `room` columns, ending in an ellipsis when cut.
fn shorten(text: &str, room: usize, look: Look) -> String {
    let width = |c: &char| c.width().unwrap_or(0);
    if text.chars().map(|c| width(&c)).sum::<usize>() <= room {
        return text.to_owned();
    }
    let ellipsis = if look.unicode { "…" } else { "..." };
    let mut out = String::new();
    let mut used = ellipsis.chars().count();
    for c in text.chars() {
        if used + width(&c) > room {
            break;
        }
        used += width(&c);
        out.push(c);
    }
    if used > room {
        return String::new();
    }
    out.push_str(ellipsis);
    out
}

fn help(frame: &mut Frame, look: Look, st: &Styles) {
    let lines = HELP
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<16}"), st.key),
                Span::raw(*what),
            ])
        })
        .collect();
    overlay(frame, " Help ", lines, look, st);
}

fn explain(frame: &mut Frame, rows: &[(String, String)], look: Look, st: &Styles) {
    let mut lines = Vec::new();
    for (label, text) in rows {
        lines.push(Line::styled(label.as_str(), st.bold));
        for part in text.lines() {
            lines.push(Line::raw(format!("  {part}")));
        }
    }
    overlay(frame, " Explain ", lines, look, st);
}

fn too_small(area: Rect, frame: &mut Frame) {
    let text = format!(
        "Terminal too small ({}x{}): make it at least {MIN_WIDTH}x{MIN_HEIGHT}, or press Ctrl-C to quit.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn paragraph(lines: Vec<Line<'_>>) -> Paragraph<'_> {
    Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false })
}

fn rule_line(width: u16, look: Look, st: &Styles) -> Span<'static> {
    let c = if look.unicode { "─" } else { "-" };
    Span::styled(c.repeat(usize::from(width)), st.dim)
}

fn question_lines<'a>(q: &'a Question, st: &Styles) -> Vec<Line<'a>> {
    let mut first = vec![Span::styled(q.prompt.as_str(), st.bold)];
    if q.is_new {
        first.push(Span::styled("  (new)", st.dim));
    }
    let mut lines = vec![Line::from(first)];
    if let Some(hint) = &q.hint {
        lines.push(Line::styled(hint.as_str(), st.dim));
    }
    if !q.choices.is_empty() {
        lines.push(Line::default());
    }
    for c in &q.choices {
        let (mark, style) = match c.mark {
            Mark::Plain => ("  ", Style::new()),
            Mark::Correct => (if st.unicode { "✓ " } else { "* " }, st.good),
            Mark::Picked => (if st.unicode { "✗ " } else { "x " }, st.bad),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {mark}"), style),
            Span::styled(format!("{})", c.letter), st.key),
            Span::styled(format!(" {}", c.text), style),
        ]));
    }
    lines
}

fn feedback_lines<'a>(f: &'a FeedbackView, st: &Styles) -> Vec<Line<'a>> {
    let (word, style) = match f.verdict {
        Verdict::Correct => ("Correct:", st.good),
        Verdict::Close => ("Accepted:", st.good),
        Verdict::Partial => ("Partly right:", st.warn),
        Verdict::Wrong => ("Wrong:", st.bad),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Your answer: ", st.dim),
            Span::raw(if f.typed.is_empty() {
                "(nothing)"
            } else {
                f.typed.as_str()
            }),
        ]),
        Line::from(vec![
            Span::styled(word, style),
            Span::raw(" "),
            Span::raw(f.message.as_str()),
        ]),
    ];
    // Not indented: a wrapped line would start at the margin anyway.
    for detail in &f.details {
        lines.push(Line::raw(detail.as_str()));
    }
    if let Some(source) = &f.source {
        lines.push(Line::from(vec![
            Span::styled("Source: ", st.dim),
            Span::styled(source.as_str(), st.dim),
        ]));
    }
    lines
}

fn rating_lines<'a>(f: &'a FeedbackView, width: u16, st: &Styles) -> Vec<Line<'a>> {
    let mut items = vec![vec![Span::styled("rate>", st.bold)]];
    for option in &f.ratings {
        let text = format!(
            "{} {} {}",
            option.rating.number(),
            option.rating.name(),
            option.interval
        );
        let style = if option.rating == f.suggested {
            st.chosen
        } else {
            Style::new()
        };
        items.push(vec![Span::styled(text, style)]);
    }
    pack(items, width, 2)
}

/// `answer> ` and the typed text, scrolled sideways to keep the cursor in view.
fn answer_line(frame: &mut Frame, area: Rect, input: &InputView, typing: bool, st: &Styles) {
    const LABEL: &str = "answer> ";
    let label_width = LABEL.len() as u16;
    let room = usize::from(area.width.saturating_sub(label_width + 1));
    let chars: Vec<char> = input.text.chars().collect();
    let cursor = input.cursor.min(chars.len());
    let width = |c: &char| c.width().unwrap_or(0);
    // The first character shown: as far left as possible with the cursor still in view.
    let mut start = 0;
    while chars[start..cursor].iter().map(width).sum::<usize>() > room {
        start += 1;
    }
    let mut shown = String::new();
    let mut used = 0;
    for c in &chars[start..] {
        if used + width(c) > room {
            break;
        }
        used += width(c);
        shown.push(*c);
    }
    let text_style = if typing { Style::new() } else { st.dim };
    frame.render_widget(
        Line::from(vec![
            Span::styled(LABEL, st.bold),
            Span::styled(shown, text_style),
        ]),
        area,
    );
    if typing {
        let x = chars[start..cursor].iter().map(width).sum::<usize>() as u16;
        frame.set_cursor_position((area.x + label_width + x, area.y));
    }
}

/// Items (each a few spans) packed into as few lines of `width` as they fit, two spaces
/// apart, at most `max` lines.
fn pack(items: Vec<Vec<Span<'_>>>, width: u16, max: usize) -> Vec<Line<'_>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0;
    for item in items {
        let w: usize = item.iter().map(Span::width).sum();
        if !line.is_empty() && used + 2 + w > usize::from(width) {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        if !line.is_empty() {
            line.push(Span::raw("  "));
            used += 2;
        }
        line.extend(item);
        used += w;
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines.truncate(max);
    lines
}

/// A box over the middle of the screen.
fn overlay(frame: &mut Frame, title: &str, lines: Vec<Line<'_>>, look: Look, st: &Styles) {
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(76);
    let text = paragraph(lines);
    // As tall as the wrapped text, within the screen.
    let needed = text.line_count(width.saturating_sub(2)) as u16;
    let height = needed.saturating_add(2).min(area.height.saturating_sub(2));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let set = if look.unicode {
        border::PLAIN
    } else {
        border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(set)
        .title(Span::styled(title.to_owned(), st.bold))
        .title_bottom(Span::styled(" Esc closes ", st.dim));
    frame.render_widget(Clear, rect);
    frame.render_widget(text.block(block), rect);
}

/// Elapsed time as `m:ss`, or `h:mm:ss` past an hour.
fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
