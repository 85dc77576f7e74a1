//! The writer's lock: one `dossier index` writes an index at a time. The lock is an advisory
//! lock on `dossier.lock` in the index folder, released by the system when the process ends
//! however it ends; the holder writes its pid and start time into the file so that a second run
//! can say whom it waits for. Searching never takes it.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use time::format_description::well_known::Rfc3339;

use crate::error::{Error, Result};

/// The run holding an index's lock, as it wrote itself into the lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    /// Its process id.
    pub pid: Option<u32>,
    /// When it took the lock (RFC 3339, UTC).
    pub since: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.pid, &self.since) {
            (Some(pid), Some(since)) => write!(f, "pid {pid}, since {since}"),
            (Some(pid), None) => write!(f, "pid {pid}"),
            _ => f.write_str("pid unknown"),
        }
    }
}

/// The lock, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// Takes the lock of the index folder `root`, waiting for the run that holds it at most `wait`
/// (`None`: as long as it takes). `on_wait` is told once whom it waits for.
pub fn acquire(
    root: &Path,
    wait: Option<Duration>,
    on_wait: &mut dyn FnMut(&Holder),
) -> Result<WriteLock> {
    let path = root.join(super::LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let started = Instant::now();
    let mut told = false;
    let mut pause = Duration::from_millis(20);
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let holder = read_holder(&mut file);
        let waited = started.elapsed();
        if wait.is_some_and(|w| waited >= w) {
            return Err(Error::Locked {
                path: root.to_path_buf(),
                holder: holder.to_string(),
                waited: (!waited.is_zero()).then_some(waited),
            });
        }
        if !told {
            on_wait(&holder);
            told = true;
        }
        let left = wait.map_or(pause, |w| w.saturating_sub(waited));
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(Duration::from_millis(250));
    }
    let since = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let note = format!("pid {}\nsince {since}\n", std::process::id());
    let write = |file: &mut File| -> std::io::Result<()> {
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(note.as_bytes())
    };
    // Who holds the lock is only said to a waiting run: a full disk must not stop this one.
    let _ = write(&mut file);
    Ok(WriteLock { _file: file })
}

/// The run holding the lock of `root` now, if one does (read only: works on a read-only index).
pub fn holder(root: &Path) -> Option<Holder> {
    let mut file = File::open(root.join(super::LOCK_FILE)).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(std::fs::TryLockError::WouldBlock) => Some(read_holder(&mut file)),
        Err(std::fs::TryLockError::Error(_)) => None,
    }
}

fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.rewind().and_then(|_| file.read_to_string(&mut text));
    let mut holder = Holder::default();
    for line in text.lines() {
        if let Some(pid) = line.strip_prefix("pid ") {
            holder.pid = pid.trim().parse().ok();
        } else if let Some(since) = line.strip_prefix("since ") {
            holder.since = Some(since.trim().to_string()).filter(|s| !s.is_empty());
        }
    }
    holder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_waits_names_the_holder_and_gives_up_when_told() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Some(Duration::ZERO), &mut |_| panic!("free")).unwrap();
        let held = holder(dir.path()).expect("held");
        assert_eq!(held.pid, Some(std::process::id()));
        assert!(held.since.is_some());
        let err = acquire(dir.path(), Some(Duration::ZERO), &mut |_| {}).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        let mut told = Vec::new();
        let err = acquire(dir.path(), Some(Duration::from_millis(60)), &mut |h| {
            told.push(h.clone())
        })
        .unwrap_err();
        assert_eq!(told, [held]);
        assert!(err.to_string().contains("still"), "{err}");
        drop(first);
        assert_eq!(holder(dir.path()), None);
        acquire(dir.path(), Some(Duration::ZERO), &mut |_| panic!("free")).unwrap();
    }
}
