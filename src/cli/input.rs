//! Reading the files a command names: the annotation file (a path, or `-` for standard input),
//! and the document text given with `--text` or `--onto`, read as the app opens a document.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use marginalia::model::markdown::markdown_to_text;
use marginalia::model::text_file::decode_text_file;
use marginalia::model::Document;

use crate::error::CliError;

/// An input opened with its first line with content read ahead.
pub struct Peeked {
    /// The first line with content (without its line end or a BOM), if the input has one and
    /// it is UTF-8.
    pub first_line: Option<String>,
    /// The whole input, that line included.
    pub reader: Box<dyn BufRead>,
}

/// The path that stands for standard input.
pub const STDIN: &str = "-";

/// An input file as named on the command line.
#[derive(Debug, Clone)]
pub struct InputPath {
    path: PathBuf,
}

impl InputPath {
    /// The input at `path` (`-`: standard input).
    pub fn new(path: &Path) -> Self {
        InputPath {
            path: path.to_owned(),
        }
    }

    /// True for standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == STDIN
    }

    /// The path as given, for messages (`-` is `standard input`).
    pub fn display(&self) -> String {
        if self.is_stdin() {
            "standard input".to_owned()
        } else {
            self.path.display().to_string()
        }
    }

    /// The file's name without its folder, which names the documents it carries (`stdin` for
    /// standard input).
    pub fn file_name(&self) -> String {
        if self.is_stdin() {
            return "stdin".to_owned();
        }
        self.path
            .file_name()
            .map_or_else(|| self.display(), |n| n.to_string_lossy().into_owned())
    }

    /// The whole content.
    pub fn read_all(&self) -> Result<Vec<u8>, CliError> {
        self.read_rest(self.reader()?)
    }

    /// A buffered reader over the content, for reading it a line at a time.
    pub fn reader(&self) -> Result<Box<dyn BufRead>, CliError> {
        if self.is_stdin() {
            return Ok(Box::new(BufReader::new(std::io::stdin())));
        }
        let file = File::open(&self.path).map_err(|source| self.read_error(source))?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
    }

    /// The size in bytes, when known (not for standard input).
    pub fn len(&self) -> Option<u64> {
        if self.is_stdin() {
            return None;
        }
        std::fs::metadata(&self.path).ok().map(|m| m.len())
    }

    /// The input opened, its first line with content read ahead (standard input too, which
    /// cannot be opened twice): the reader still gives every byte from the start.
    pub fn open_peeking(&self) -> Result<Peeked, CliError> {
        let mut reader = self.reader()?;
        let mut head = Vec::new();
        let first_line = loop {
            let start = head.len();
            let read = reader
                .read_until(b'\n', &mut head)
                .map_err(|source| self.read_error(source))?;
            if read == 0 {
                break None;
            }
            match std::str::from_utf8(&head[start..]) {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => {
                    let line = line.trim_end_matches(['\n', '\r']);
                    break Some(line.trim_start_matches('\u{feff}').to_owned());
                }
                // Not UTF-8: not a line corpus; the whole read says why.
                Err(_) => break None,
            }
        };
        Ok(Peeked {
            first_line,
            reader: Box::new(Cursor::new(head).chain(reader)),
        })
    }

    /// Everything `reader` (from [`InputPath::open_peeking`]) still holds.
    pub fn read_rest(&self, mut reader: Box<dyn BufRead>) -> Result<Vec<u8>, CliError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| self.read_error(source))?;
        Ok(bytes)
    }

    /// A read error naming this file.
    pub fn read_error(&self, source: std::io::Error) -> CliError {
        CliError::Read {
            path: self.display(),
            source,
        }
    }
}

/// The document a `--text` / `--onto` file holds, and its file name: the text a reader sees,
/// as the app opens it (a `.md` file's readable text; any other file as plain text, BOM
/// removed, line ends made `\n`). Refused like the app refuses it: binary, not UTF-8, blank.
pub fn read_document(path: &Path) -> Result<(String, Document), CliError> {
    let input = InputPath::new(path);
    let bytes = input.read_all()?;
    let text = decode_text_file(&bytes).map_err(|source| CliError::NotText {
        file: input.display(),
        source,
    })?;
    let name = input.file_name();
    let lower = name.to_ascii_lowercase();
    let document = if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Document::from_raw(&markdown_to_text(text))
    } else {
        Document::from_raw(text)
    };
    Ok((name, document))
}
