//! `driftwatch completions SHELL` and `driftwatch man`: a shell completion script
//! (clap_complete) and the man page (clap_mangen, roff), generated from the same
//! clap definition as `--help`, written to stdout.

use crate::cli::{Cli, Exit};
use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "driftwatch", &mut buf);
    written(stdout.write_all(&buf), stderr)
}

/// Writes the man page (section 1) in roff.
pub fn man(stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let mut buf = Vec::new();
    let rendered = clap_mangen::Man::new(Cli::command()).render(&mut buf);
    written(rendered.and_then(|_| stdout.write_all(&buf)), stderr)
}

fn written(result: std::io::Result<()>, stderr: &mut dyn Write) -> Exit {
    match result {
        Ok(()) => Exit::Clean,
        // `| head` closing the pipe is not an error of ours
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Clean,
        Err(e) => {
            let _ = writeln!(stderr, "driftwatch: cannot write: {e}");
            Exit::Invalid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    fn completion(shell: Shell) -> String {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(completions(shell, &mut out, &mut err), Exit::Clean);
        assert_eq!(String::from_utf8(err).unwrap(), "");
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_for_every_shell_know_the_commands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
            let script = completion(shell);
            for word in ["audit", "permissions", "completions", "profile", "format", "fail-on"] {
                assert!(script.contains(word), "{shell}: `{word}` missing");
            }
        }
        assert!(completion(Shell::Bash).contains("complete -F _driftwatch"));
        assert!(completion(Shell::Zsh).starts_with("#compdef driftwatch"));
        assert!(completion(Shell::Fish).contains("complete -c driftwatch"));
    }

    #[test]
    fn man_page_is_roff_naming_every_subcommand() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(man(&mut out, &mut err), Exit::Clean);
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{}", &page[..80.min(page.len())]);
        assert!(page.contains("\n.TH driftwatch 1 "), "no .TH line");
        let sub = page.split(".SH SUBCOMMANDS").nth(1).expect("a SUBCOMMANDS section");
        for name in ["audit", "evaluate", "check\\-profile", "permissions", "kinds", "diff", "completions", "man"] {
            assert!(sub.contains(&format!("driftwatch\\-{name}(1)")), "{name} missing from SUBCOMMANDS");
        }
    }
}
