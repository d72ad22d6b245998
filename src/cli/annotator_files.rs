//! The annotators' files of one document, read for `agree` and `merge`: one layer per file, all
//! placed on the same text.
//!
//! The text is `--text`'s, else the one the first file that carries a text carries (a marginalia
//! or Label Studio file, JSON lines). A file that carries its text must carry this one (one of
//! its documents, for a corpus); a W3C file that names the SHA-256 of its text must name this
//! one's; otherwise the file is for another text (exit 1). Each file is then imported onto the
//! text as the app's Import… does, and its layer is named by the file's annotator
//! ([`annotator_of`]), else by its file name without extensions.

use std::path::{Path, PathBuf};

use marginalia::agree::{name_layers_apart, Layer};
use marginalia::format::annotator::{annotator_of, text_sha256_of};
use marginalia::format::corpus::{shared_documents, SharedDocument};
use marginalia::format::{plural, FormatError};
use marginalia::model::{normalize_text, Document, LabelSet};

use crate::clock::now_rfc3339;
use crate::documents::{import, why_not_documents};
use crate::error::CliError;
use crate::ids::IdMaker;
use crate::input::{read_document, InputPath};

/// The layers of one document.
pub struct AnnotatedText {
    /// The document's name: the `--text` file's, else the one its first file gives it.
    pub name: String,
    /// The text every layer is on.
    pub document: Document,
    /// The labels the files carried (marginalia files), merged.
    pub labels: LabelSet,
    /// One layer per file, in the order given, with distinct annotator names.
    pub layers: Vec<Layer>,
}

/// One file as read: where it is, its bytes, and the documents it carries.
struct AnnotatorFile {
    input: InputPath,
    bytes: Vec<u8>,
    /// Its documents, or why it carries none (W3C, a bare `.ann`, CoNLL, or not readable).
    carried: Result<Vec<SharedDocument>, FormatError>,
}

/// Reads `files` onto one text (see the module doc).
pub fn load(files: &[PathBuf], text: Option<&Path>) -> Result<AnnotatedText, CliError> {
    let files = files
        .iter()
        .map(|path| {
            let input = InputPath::new(path);
            let bytes = input.read_all()?;
            let carried = shared_documents(&input.file_name(), &bytes);
            Ok(AnnotatorFile {
                input,
                bytes,
                carried,
            })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let (name, document, text_of) = match text {
        Some(path) => {
            let (name, document) = read_document(path)?;
            (name, document, InputPath::new(path).display())
        }
        None => first_carried_text(&files)?,
    };
    let now = now_rfc3339();
    let mut ids = IdMaker::new(&document);
    let mut labels = LabelSet::default();
    let mut layers = Vec::with_capacity(files.len());
    for file in &files {
        let path = file.input.display();
        let same_text = match &file.carried {
            Ok(documents) => documents
                .iter()
                .any(|d| normalize_text(&d.text) == document.text()),
            Err(_) => text_sha256_of(&file.bytes).is_none_or(|hash| hash == document.sha256()),
        };
        if !same_text {
            return Err(CliError::OtherText {
                file: path,
                text_of: text_of.clone(),
            });
        }
        let report =
            import(&document, &file.bytes, &mut ids, &now).map_err(|source| CliError::Invalid {
                file: path.clone(),
                source,
            })?;
        if !report.orphaned.is_empty() {
            eprintln!(
                "marginalia: {path}: {} could not be placed on the text and {} left out",
                plural(report.orphaned.len(), "annotation"),
                if report.orphaned.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            );
        }
        if let Some(carried) = &report.labels {
            labels.merge(carried);
        }
        let annotator =
            annotator_of(&file.bytes).unwrap_or_else(|| name_without_extensions(&file.input));
        layers.push(Layer::from_import(annotator, &report));
    }
    name_layers_apart(&mut layers);
    Ok(AnnotatedText {
        name,
        document,
        labels,
        layers,
    })
}

/// The name, text and path of the first file that carries a text. A corpus of several documents
/// does not say which one is meant (a usage error); no file with a text is the first file's
/// problem, as `convert` names it.
fn first_carried_text(files: &[AnnotatorFile]) -> Result<(String, Document, String), CliError> {
    let carrying = files.iter().find_map(|file| match &file.carried {
        Ok(documents) if !documents.is_empty() => Some((file, documents)),
        _ => None,
    });
    let Some((file, documents)) = carrying else {
        let first = &files[0];
        let error = match &first.carried {
            Err(error) => error.clone(),
            Ok(_) => FormatError::Empty,
        };
        return Err(why_not_documents(
            &first.input.display(),
            &first.bytes,
            error,
        ));
    };
    match documents.as_slice() {
        [one] => Ok((
            one.name.clone(),
            Document::from_raw(&one.text),
            file.input.display(),
        )),
        several => Err(CliError::Usage(format!(
            "{} holds {} documents: give the text of the one to compare with --text FILE",
            file.input.display(),
            several.len()
        ))),
    }
}

/// `ann` for `ann.marginalia.json` (the whole name when it starts with a dot).
fn name_without_extensions(input: &InputPath) -> String {
    let name = input.file_name();
    match name.split('.').next() {
        Some(stem) if !stem.is_empty() => stem.to_owned(),
        _ => name,
    }
}
