//! Why a command stopped, and the exit status each reason gives (see `main.rs`).

use marginalia::format::FormatError;
use marginalia::model::text_file::TextFileError;

/// Why a command did not finish with status 0.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input was read and is not valid (status 1); `file` is the path as given.
    #[error("{file}: {source}")]
    Invalid {
        /// The input's path.
        file: String,
        /// The first problem, as the importer names it (line or JSON path).
        source: FormatError,
    },
    /// The `--text` or `--onto` file is not a text document (status 1).
    #[error("{file}: {source}")]
    NotText {
        /// The text file's path.
        file: String,
        /// Why it is not text.
        source: TextFileError,
    },
    /// An annotator's file is for another text than the one compared (status 1).
    #[error("{file}: annotations of another text than {text_of}")]
    OtherText {
        /// The file's path.
        file: String,
        /// Where the text compared comes from: the `--text` file, or the first file with one.
        text_of: String,
    },
    /// `validate` found problems, already printed one per line (status 1).
    #[error("{0} problems")]
    Problems(usize),
    /// A file could not be read (status 2).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The output could not be written (status 2).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path as given, or `standard output`.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The arguments do not fit this input (status 2), e.g. a format without text and no
    /// `--text`, or a zip asked for on standard output.
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid { .. }
            | CliError::NotText { .. }
            | CliError::OtherText { .. }
            | CliError::Problems(_) => 1,
            CliError::Read { .. } | CliError::Write { .. } | CliError::Usage(_) => 2,
        }
    }

    /// The line to print on standard error, if it was not printed already.
    pub fn message(&self) -> Option<String> {
        match self {
            CliError::Problems(_) => None,
            other => Some(other.to_string()),
        }
    }

    /// A failed write to `path` (a path, or `standard output`).
    pub fn write(path: &str, source: std::io::Error) -> Self {
        CliError::Write {
            path: path.to_owned(),
            source,
        }
    }
}
