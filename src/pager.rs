//! Long output for a terminal goes through the user's pager, as git and man do.

use std::io::{self, BufWriter, Write};
use std::process::{Command, Stdio};

/// Runs `write` against the pager's input when `page` is true and a pager starts (`$PAGER`,
/// else `less`; `LESS=FRX` when unset, so short output prints and exits and colour passes),
/// else against stdout. A pager quit early is not an error.
pub fn output(
    page: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    if page {
        if let Some(mut child) = spawn() {
            let result = match child.stdin.take() {
                Some(stdin) => {
                    let mut input = BufWriter::new(stdin);
                    write(&mut input).and_then(|_| input.flush())
                }
                None => Ok(()),
            };
            child.wait()?;
            return match result {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            };
        }
    }
    let mut out = dossier::printer::stdout();
    write(&mut out)?;
    out.flush()?;
    Ok(())
}

fn spawn() -> Option<std::process::Child> {
    let pager = std::env::var("PAGER").unwrap_or_default();
    let pager = if pager.trim().is_empty() {
        "less".to_string()
    } else {
        pager
    };
    let mut words = pager.split_whitespace();
    let program = words.next()?;
    if program == "cat" {
        return None;
    }
    let mut cmd = Command::new(program);
    cmd.args(words).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    cmd.spawn().ok()
}
