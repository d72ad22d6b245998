//! A progress bar for long conversions: on standard error, only when it is a terminal (never in
//! a pipe, a log or a test) and only for inputs large enough to take a while.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this finish in about a second: no bar.
const LARGE_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// A bar over the bytes of the input, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for an input of `total` bytes (unknown for standard input: no bar).
    pub fn for_input(total: Option<u64>) -> Self {
        let bar = total
            .filter(|&total| total >= LARGE_INPUT_BYTES && std::io::stderr().is_terminal())
            .map(|total| {
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template(
                        "{bar:40} {binary_bytes}/{binary_total_bytes} {msg} ({eta} left)",
                    )
                    .expect("a valid template"),
                );
                bar
            });
        Progress { bar }
    }

    /// `read` bytes of the input are done; `documents` documents so far.
    pub fn update(&self, read: u64, documents: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(read);
            if documents % 1024 == 0 {
                bar.set_message(format!("{documents} documents"));
            }
        }
    }

    /// Removes the bar (the summary line follows it).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
