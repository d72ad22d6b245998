//! Where a command's file goes: standard output, or the `-o` path. A file is written under a
//! temporary name beside it and renamed when complete, so a conversion stopped by a bad line
//! never leaves half a file under the name asked for.

use std::fs::File;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// An open output.
pub struct Output {
    target: Target,
    /// Standard output was closed by its reader (`marginalia … | head`): the rest is dropped.
    closed: bool,
}

enum Target {
    Stdout(std::io::StdoutLock<'static>),
    File {
        writer: BufWriter<File>,
        partial: PathBuf,
        path: PathBuf,
        done: bool,
    },
}

impl Output {
    /// Standard output when `path` is `None`, else a file at `path` once [`Output::finish`]ed.
    pub fn open(path: Option<&Path>) -> Result<Self, CliError> {
        let target = match path {
            None => Target::Stdout(std::io::stdout().lock()),
            Some(path) => {
                let mut partial_name = path.file_name().unwrap_or_default().to_os_string();
                partial_name.push(".partial");
                let partial = path.with_file_name(partial_name);
                let file = File::create(&partial)
                    .map_err(|source| CliError::write(&path.display().to_string(), source))?;
                Target::File {
                    writer: BufWriter::with_capacity(1 << 16, file),
                    partial,
                    path: path.to_owned(),
                    done: false,
                }
            }
        };
        Ok(Output {
            target,
            closed: false,
        })
    }

    /// True when writing to standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self.target, Target::Stdout(_))
    }

    /// True once standard output's reader has gone: nothing more needs to be made.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Where it goes, for messages.
    pub fn display(&self) -> String {
        match &self.target {
            Target::Stdout(_) => "standard output".to_owned(),
            Target::File { path, .. } => path.display().to_string(),
        }
    }

    /// Writes `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let written = match &mut self.target {
            Target::Stdout(stdout) => stdout.write_all(bytes),
            Target::File { writer, .. } => writer.write_all(bytes),
        };
        self.settle(written)
    }

    /// Flushes, and gives a file its name.
    pub fn finish(mut self) -> Result<(), CliError> {
        let flushed = match &mut self.target {
            Target::Stdout(stdout) => stdout.flush(),
            Target::File { writer, .. } => writer.flush(),
        };
        self.settle(flushed)?;
        if let Target::File {
            partial,
            path,
            done,
            ..
        } = &mut self.target
        {
            std::fs::rename(&*partial, &*path)
                .map_err(|source| CliError::write(&path.display().to_string(), source))?;
            *done = true;
        }
        Ok(())
    }

    /// A write's result: a closed standard output ends the output quietly.
    fn settle(&mut self, result: std::io::Result<()>) -> Result<(), CliError> {
        match result {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == ErrorKind::BrokenPipe && self.is_stdout() => {
                self.closed = true;
                Ok(())
            }
            Err(source) => Err(CliError::write(&self.display(), source)),
        }
    }
}

impl Drop for Output {
    /// An output not finished (a command that failed) leaves no partial file behind.
    fn drop(&mut self) {
        if let Target::File {
            partial,
            done: false,
            ..
        } = &self.target
        {
            let _ = std::fs::remove_file(partial);
        }
    }
}
