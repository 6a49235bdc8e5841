//! How the table is styled for where it goes: colour and width.
//!
//! Width, as `ls` and `git` users expect: a positive `COLUMNS` wins; else the
//! terminal's width when stdout is a terminal; else (a pipe, a file, `--output`)
//! no limit, so that each resource stays on one line for `grep`.
//! Colour only on a terminal, and never with `NO_COLOR` set to a non-empty value
//! (<https://no-color.org>).

use std::ffi::OsStr;
use std::io::IsTerminal;

/// How a renderer may style its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours by status.
    pub color: bool,
    /// The columns the table's lines must fit in; `None`: unbounded.
    pub width: Option<usize>,
}

/// Narrower than this, the table would be unreadable anyway: it wraps at this width.
pub const MIN_WIDTH: usize = 40;

impl Style {
    /// No colour, no width limit: for files and the machine formats.
    pub fn plain() -> Self {
        Style { color: false, width: None }
    }

    /// The style for the report written to stdout (`to_stdout`: not `--output`
    /// and a human format), from the real terminal and environment.
    pub fn detect(to_stdout: bool) -> Self {
        if !to_stdout {
            return Style::plain();
        }
        let tty = std::io::stdout().is_terminal();
        let columns = std::env::var_os("COLUMNS");
        let no_color = std::env::var_os("NO_COLOR");
        let term = if tty { terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)) } else { None };
        Style::decide(tty, term, columns.as_deref(), no_color.as_deref())
    }

    /// The decision itself, from what `detect` read: whether stdout is a terminal,
    /// its width, `COLUMNS` and `NO_COLOR`.
    pub fn decide(tty: bool, term_width: Option<usize>, columns: Option<&OsStr>, no_color: Option<&OsStr>) -> Self {
        let from_env = columns.and_then(|c| c.to_str()).and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
        let width = from_env.or(if tty { term_width.filter(|&w| w > 0) } else { None }).map(|w| w.max(MIN_WIDTH));
        Style { color: tty && no_color.is_none_or(|v| v.is_empty()), width }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_columns_wins_over_the_terminal_and_pipes_are_unbounded() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(Style::decide(true, Some(120), None, None), Style { color: true, width: Some(120) });
        assert_eq!(Style::decide(true, Some(120), os("100"), None), Style { color: true, width: Some(100) });
        assert_eq!(Style::decide(false, None, None, None), Style { color: false, width: None });
        assert_eq!(Style::decide(false, None, os("80"), None), Style { color: false, width: Some(80) });
        // nonsense COLUMNS is ignored; a tiny one is raised to the minimum
        assert_eq!(Style::decide(true, Some(90), os("wide"), None), Style { color: true, width: Some(90) });
        assert_eq!(Style::decide(true, Some(90), os("0"), None), Style { color: true, width: Some(90) });
        assert_eq!(Style::decide(false, None, os("10"), None), Style { color: false, width: Some(MIN_WIDTH) });
        // a terminal whose size cannot be read is unbounded
        assert_eq!(Style::decide(true, None, None, None), Style { color: true, width: None });
    }

    #[test]
    fn style_no_color_turns_colour_off_unless_empty() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert!(!Style::decide(true, Some(80), None, os("1")).color);
        assert!(Style::decide(true, Some(80), None, os("")).color);
        assert!(!Style::decide(false, None, None, None).color);
    }
}
