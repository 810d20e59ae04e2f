//! Progress bars for long runs (`trp pcap` on a big capture, `trp gen` with a large count),
//! drawn on standard error with `indicatif`, and only where a person watches: never when
//! standard error is not a terminal, never with `--no-progress` or `TRP_NO_PROGRESS` set (to
//! anything but an empty string or `0`).
//!
//! A hidden [`Progress`] holds no bar at all, so ticking it costs one branch.

use std::io::{self, IsTerminal, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Set by `--no-progress`.
static OFF: AtomicBool = AtomicBool::new(false);

/// Turns every progress bar of the process off (`--no-progress`).
pub fn disable() {
    OFF.store(true, Ordering::Relaxed);
}

/// Whether a bar may be drawn at all: standard error is a terminal and neither
/// `--no-progress` nor `TRP_NO_PROGRESS` turned bars off.
pub fn allowed() -> bool {
    let env_off = std::env::var_os("TRP_NO_PROGRESS").is_some_and(|v| !v.is_empty() && v != "0");
    !OFF.load(Ordering::Relaxed) && !env_off && io::stderr().is_terminal()
}

/// Whether standard output is a terminal or a pipe: then the output itself is what a person
/// watches (or what a pager or `jq` draws on the same terminal), and a bar on standard error
/// would be drawn into it. A regular file or `/dev/null` is neither.
pub fn stdout_is_watched() -> bool {
    let stdout = io::stdout();
    if stdout.is_terminal() {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        // A duplicate of the descriptor, to ask what it is without owning standard output.
        if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
            if let Ok(meta) = std::fs::File::from(fd).metadata() {
                return meta.file_type().is_fifo() || meta.file_type().is_socket();
            }
        }
    }
    false
}

/// A progress bar on standard error, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` bytes (a spinner with the count when the total is unknown, e.g.
    /// standard input).
    pub fn bytes(total: Option<u64>) -> Self {
        let template = match total {
            Some(_) => {
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
            }
            None => "{spinner} [{elapsed_precise}] {bytes} ({bytes_per_sec})",
        };
        Self::new(total, template)
    }

    /// A bar over `n` items (packets, records).
    pub fn count(n: u64) -> Self {
        Self::new(
            Some(n),
            "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, {eta})",
        )
    }

    /// A progress that never draws.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }

    /// Hides the bar when `hide` is true (e.g. [`stdout_is_watched`]).
    pub fn hidden_if(self, hide: bool) -> Self {
        if hide {
            if let Some(bar) = &self.bar {
                bar.finish_and_clear();
            }
            Self::hidden()
        } else {
            self
        }
    }

    fn new(len: Option<u64>, template: &str) -> Self {
        if !allowed() {
            return Self::hidden();
        }
        let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress { bar: Some(bar) }
    }

    /// Advances by `n` bytes or items.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// `read`, advancing the bar by every byte read through it.
    pub fn reader<R: Read>(&self, read: R) -> ProgressReader<R> {
        ProgressReader {
            inner: read,
            bar: self.bar.clone(),
        }
    }

    /// Removes the bar from the terminal (also done when the progress is dropped).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A reader that advances a bar by the bytes read (see [`Progress::reader`]).
pub struct ProgressReader<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}
