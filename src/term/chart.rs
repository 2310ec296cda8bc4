//! Charts drawn with characters: sparklines and column charts in eighth blocks
//! (▁▂▃▄▅▆▇█), horizontal bars, and a heatmap of weeks × weekdays. Each has an ASCII form
//! for terminals that cannot show Unicode (`cli` decides which). Pure: values in, lines out.

use jiff::civil::Weekday;

use crate::stats::calendar::Heatmap;

/// Which characters a chart may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Unicode,
    Ascii,
}

const RISING: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const GROWING: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const RISING_ASCII: [char; 8] = ['_', '.', '-', '~', '=', '+', '*', '#'];
/// Heat levels 0 (nothing) to 4 (busiest).
const HEAT: [char; 5] = ['·', '░', '▒', '▓', '█'];
const HEAT_ASCII: [char; 5] = ['.', '-', '+', '*', '#'];

/// Most columns a chart draws; longer series are summed into groups of days.
pub const MAX_COLUMNS: usize = 60;

/// One character per value, its height in eighths of the largest; blank for zero.
pub fn sparkline(values: &[u64], charset: Charset) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let level = ((v * 8).div_ceil(max)).clamp(1, 8) as usize;
                match charset {
                    Charset::Unicode => RISING[level - 1],
                    Charset::Ascii => RISING_ASCII[level - 1],
                }
            }
        })
        .collect()
}

/// A bar `width` cells long at `max`, in eighths of a cell (Unicode) or whole `#` cells.
/// A value above zero always shows at least a sliver.
pub fn bar(value: f64, max: f64, width: usize, charset: Charset) -> String {
    if !(value > 0.0 && max > 0.0) {
        return String::new();
    }
    let share = (value / max).min(1.0);
    match charset {
        Charset::Unicode => {
            let eighths = ((share * (width * 8) as f64).round() as usize).max(1);
            let mut out = "█".repeat(eighths / 8);
            if !eighths.is_multiple_of(8) {
                out.push(GROWING[eighths % 8 - 1]);
            }
            out
        }
        Charset::Ascii => {
            let cells = (share * width as f64).round() as usize;
            if cells == 0 {
                ".".to_owned()
            } else {
                "#".repeat(cells)
            }
        }
    }
}

/// Sums consecutive values into at most `MAX_COLUMNS` groups; returns the groups and how
/// many values each holds.
pub fn group(values: &[u64]) -> (Vec<u64>, usize) {
    let size = values.len().div_ceil(MAX_COLUMNS).max(1);
    (values.chunks(size).map(|c| c.iter().sum()).collect(), size)
}

/// A column chart `height` rows tall with a labelled axis on the left: one column per
/// value, the tallest reaching the top. Rows are returned top first.
pub fn columns(values: &[u64], height: usize, charset: Charset) -> Vec<String> {
    let max = values.iter().copied().max().unwrap_or(0);
    let axis = match charset {
        Charset::Unicode => '┤',
        Charset::Ascii => '|',
    };
    let label_width = max.to_string().len();
    (0..height)
        .map(|row| {
            let floor = (height - 1 - row) * 8;
            let label = if row == 0 {
                max.to_string()
            } else if row + 1 == height {
                "0".to_owned()
            } else {
                String::new()
            };
            let cells: String = values
                .iter()
                .map(|&v| {
                    let eighths = if v == 0 || max == 0 {
                        0
                    } else {
                        ((v as f64 / max as f64 * (height * 8) as f64).round() as usize).max(1)
                    };
                    let here = eighths.saturating_sub(floor).min(8);
                    match charset {
                        Charset::Unicode => match here {
                            0 => ' ',
                            n => RISING[n - 1],
                        },
                        // Whole cells: a cell is filled when at least half of it is.
                        Charset::Ascii => {
                            if here >= 4 {
                                '#'
                            } else if row + 1 == height && eighths > 0 {
                                '.'
                            } else {
                                ' '
                            }
                        }
                    }
                })
                .collect();
            format!("{label:>label_width$} {axis}{}", cells.trim_end())
        })
        .collect()
}

/// Heat level 0-4 of `n` reviews when the busiest day had `max`.
pub fn heat_level(n: u32, max: u32) -> usize {
    if n == 0 || max == 0 {
        0
    } else {
        ((n * 4).div_ceil(max)).clamp(1, 4) as usize
    }
}

/// The year as a grid: a row of month names, then one row per weekday (Monday first), one
/// column per week; days after today are blank. Ends with a legend.
pub fn heatmap(map: &Heatmap, charset: Charset) -> Vec<String> {
    let heat = match charset {
        Charset::Unicode => HEAT,
        Charset::Ascii => HEAT_ASCII,
    };
    let max = map.reviews.iter().copied().max().unwrap_or(0);
    let weeks = map.weeks();
    let mut months = vec![' '; weeks + 4];
    let mut last_month = 0;
    for week in 0..weeks {
        let monday = map.monday(week);
        // The column where a month's first day falls is labelled with the month.
        let sunday = monday
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(monday);
        if sunday.month() != last_month && (week > 0 || monday.day() == 1) {
            let name = sunday.strftime("%b").to_string();
            if months[week..].iter().take(4).all(|c| *c == ' ') {
                for (i, c) in name.chars().enumerate() {
                    months[week + i] = c;
                }
            }
        }
        last_month = sunday.month();
    }
    let mut lines = vec![format!(
        "    {}",
        months.iter().collect::<String>().trim_end()
    )];
    for (day, name) in [
        (Weekday::Monday, "Mon"),
        (Weekday::Tuesday, "Tue"),
        (Weekday::Wednesday, "Wed"),
        (Weekday::Thursday, "Thu"),
        (Weekday::Friday, "Fri"),
        (Weekday::Saturday, "Sat"),
        (Weekday::Sunday, "Sun"),
    ] {
        let cells: String = (0..weeks)
            .map(|week| map.get(week, day).map_or(' ', |n| heat[heat_level(n, max)]))
            .collect();
        lines.push(format!("{name} {}", cells.trim_end()));
    }
    lines.push(format!(
        "    less {} {} {} {} {} more (busiest day: {max})",
        heat[0], heat[1], heat[2], heat[3], heat[4]
    ));
    lines
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn sparkline_scales_to_the_largest_value() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8], Charset::Unicode), " ▁▂▄█");
        assert_eq!(sparkline(&[0, 1, 2, 4, 8], Charset::Ascii), " _.~#");
        assert_eq!(sparkline(&[0, 0], Charset::Unicode), "  ");
        assert_eq!(sparkline(&[], Charset::Unicode), "");
    }

    #[test]
    fn bars_use_eighths_and_always_show_a_sliver() {
        assert_eq!(bar(10.0, 10.0, 4, Charset::Unicode), "████");
        assert_eq!(bar(5.0, 10.0, 3, Charset::Unicode), "█▌");
        assert_eq!(bar(0.01, 10.0, 3, Charset::Unicode), "▏");
        assert_eq!(bar(0.0, 10.0, 3, Charset::Unicode), "");
        assert_eq!(bar(5.0, 10.0, 4, Charset::Ascii), "##");
        assert_eq!(bar(0.1, 10.0, 4, Charset::Ascii), ".");
    }

    #[test]
    fn columns_stack_eighths_from_the_bottom() {
        let rows = columns(&[0, 1, 2, 4], 2, Charset::Unicode);
        // Max 4 over 2 rows = 16 eighths: 1 -> 4 eighths, 2 -> 8, 4 -> 16.
        assert_eq!(rows, vec!["4 ┤   █", "0 ┤ ▄██"]);
        let rows = columns(&[0, 1, 2, 4], 2, Charset::Ascii);
        assert_eq!(rows, vec!["4 |   #", "0 | ###"]);
        let rows = columns(&[0, 1, 100], 2, Charset::Ascii);
        assert_eq!(rows[1], "  0 | .#");
    }

    #[test]
    fn long_series_are_grouped() {
        let values: Vec<u64> = (0..365).map(|_| 1).collect();
        let (groups, size) = group(&values);
        assert_eq!(size, 7);
        assert_eq!(groups.len(), 53);
        assert_eq!(groups.iter().sum::<u64>(), 365);
        assert_eq!(group(&[1, 2, 3]), (vec![1, 2, 3], 1));
    }

    #[test]
    fn heat_levels_are_quarters_of_the_busiest_day() {
        let case = |n, max, level| assert_eq!(heat_level(n, max), level, "{n}/{max}");
        case(0, 10, 0);
        case(1, 10, 1);
        case(3, 10, 2);
        case(7, 10, 3);
        case(10, 10, 4);
    }

    #[test]
    fn heatmap_has_a_row_per_weekday() {
        let map = Heatmap {
            start: date(2026, 1, 5),
            today: date(2026, 1, 14),
            reviews: vec![0, 1, 2, 3, 4, 0, 0, 8, 0, 2],
        };
        let lines = heatmap(&map, Charset::Ascii);
        assert_eq!(lines[1], "Mon .#");
        assert_eq!(lines[2], "Tue -.");
        assert_eq!(lines[3], "Wed --");
        assert_eq!(lines[4], "Thu +");
        assert_eq!(lines.len(), 9);
    }
}
