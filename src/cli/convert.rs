//! `marginalia convert`: any file we read to any format we write, one document or many.
//!
//! A JSON-lines corpus converted to a format whose corpus file is its documents' files one
//! after another (the JSON-lines formats, CoNLL) is written a document at a time as it is read,
//! so memory stays that of one document whatever the corpus's size. Other targets gather every
//! document first (a zip, a JSON array).

use marginalia::format::corpus::{export_corpus, CorpusDocument};
use marginalia::format::{self, plural, stored_zip, ExportFormat, Exported};
use marginalia::model::LabelSet;

use crate::args::ConvertArgs;
use crate::documents::{Documents, LoadedDocument};
use crate::error::CliError;
use crate::input::InputPath;
use crate::output::Output;
use crate::progress::Progress;

/// Notes about what a format left out are printed for this many documents, then counted.
const NOTES_SHOWN: usize = 5;

/// Runs `convert`.
pub fn run(args: &ConvertArgs) -> Result<(), CliError> {
    let format = args.to.0;
    if args.output.is_none() && format.mime_type() == "application/zip" {
        return Err(zip_needs_a_file(format, None));
    }
    let input = InputPath::new(&args.input);
    let mut documents = Documents::open(&input, args.text.as_deref())?;
    let progress = Progress::for_input(input.len());
    let mut output = Output::open(args.output.as_deref())?;
    let mut summary = Summary::default();
    if documents.is_streamed() && is_concatenation(format) {
        write_streamed(format, &mut documents, &mut output, &mut summary, &progress)?;
    } else {
        let loaded = documents.collect::<Result<Vec<_>, _>>()?;
        let exported = export_all(format, &loaded);
        for document in &loaded {
            summary.count(document);
        }
        summary.note(exported.note.as_deref());
        if output.is_stdout() && exported.bytes.starts_with(stored_zip::MAGIC) {
            return Err(zip_needs_a_file(format, Some(loaded.len())));
        }
        output.write(&exported.bytes)?;
    }
    progress.finish();
    let destination = output.display();
    output.finish()?;
    summary.print(format, &destination);
    Ok(())
}

/// True for formats whose file of several documents is each document's file in turn (after
/// [`export_corpus`] of that document alone): JSON lines, a document per line, and CoNLL, a
/// `-DOCSTART-` block per document. Those can be written as they are read.
fn is_concatenation(format: ExportFormat) -> bool {
    format.mime_type() == "application/x-ndjson" || format == ExportFormat::Conll
}

/// One document in `format` (as the app's Export), several as one file (the app's All).
fn export_all(format: ExportFormat, loaded: &[LoadedDocument]) -> Exported {
    let mut labels = LabelSet::default();
    for carried in loaded.iter().filter_map(|d| d.labels.as_ref()) {
        labels.merge(carried);
    }
    match loaded {
        [one] => format::export(format, &one.document, &one.name, &one.store, &labels),
        several => {
            let documents: Vec<CorpusDocument<'_>> = several.iter().map(corpus_document).collect();
            export_corpus(format, &documents, &labels)
        }
    }
}

fn corpus_document(loaded: &LoadedDocument) -> CorpusDocument<'_> {
    CorpusDocument {
        name: &loaded.name,
        document: &loaded.document,
        store: &loaded.store,
    }
}

/// Converts a corpus a document at a time. A corpus of one document is written as that
/// document's own file (as [`export_all`] would), so the first is held until a second comes.
/// Stops early when standard output's reader has gone (`marginalia … | head`).
fn write_streamed(
    format: ExportFormat,
    documents: &mut Documents,
    output: &mut Output,
    summary: &mut Summary,
    progress: &Progress,
) -> Result<(), CliError> {
    let Some(first) = documents.next().transpose()? else {
        return Ok(());
    };
    summary.count(&first);
    let Some(second) = documents.next().transpose()? else {
        let exported = export_all(format, std::slice::from_ref(&first));
        summary.note(exported.note.as_deref());
        return output.write(&exported.bytes);
    };
    let labels = LabelSet::default();
    write_corpus_part(format, &first, &labels, output, summary)?;
    drop(first);
    summary.count(&second);
    write_corpus_part(format, &second, &labels, output, summary)?;
    drop(second);
    while let Some(document) = documents.next() {
        if output.is_closed() {
            break;
        }
        let document = document?;
        summary.count(&document);
        write_corpus_part(format, &document, &labels, output, summary)?;
        progress.update(documents.bytes_read().unwrap_or(0), summary.documents);
    }
    Ok(())
}

/// One document's part of a corpus file in a format whose corpus is its parts in turn.
fn write_corpus_part(
    format: ExportFormat,
    document: &LoadedDocument,
    labels: &LabelSet,
    output: &mut Output,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let exported = export_corpus(format, &[corpus_document(document)], labels);
    summary.note(exported.note.as_deref());
    output.write(&exported.bytes)
}

/// The usage error for a zip asked for on standard output.
fn zip_needs_a_file(format: ExportFormat, documents: Option<usize>) -> CliError {
    let what = match documents {
        Some(n) => format!("{} in {} is a zip", plural(n, "document"), format.value()),
        None => format!("{} output is a zip", format.value()),
    };
    CliError::Usage(format!(
        "{what}, which is not written to standard output: give the file with -o FILE"
    ))
}

/// What a conversion did, for its closing line on standard error.
#[derive(Default)]
struct Summary {
    documents: usize,
    annotations: usize,
    orphaned: usize,
    notes: Vec<String>,
    notes_not_shown: usize,
}

impl Summary {
    fn count(&mut self, document: &LoadedDocument) {
        self.documents += 1;
        self.annotations += document.store.len();
        self.orphaned += document.orphaned;
    }

    fn note(&mut self, note: Option<&str>) {
        if let Some(note) = note {
            if self.notes.len() < NOTES_SHOWN {
                self.notes.push(note.to_owned());
            } else {
                self.notes_not_shown += 1;
            }
        }
    }

    fn print(&self, format: ExportFormat, destination: &str) {
        for note in &self.notes {
            eprintln!("marginalia: {note}");
        }
        if self.notes_not_shown > 0 {
            eprintln!(
                "marginalia: and notes on {} more",
                plural(self.notes_not_shown, "document")
            );
        }
        let mut line = format!(
            "converted {} with {} to {} ({destination})",
            plural(self.documents, "document"),
            plural(self.annotations, "annotation"),
            format.value()
        );
        if self.orphaned > 0 {
            line.push_str(&format!(
                "; {} could not be placed on {} text",
                self.orphaned,
                if self.documents == 1 { "its" } else { "their" }
            ));
        }
        eprintln!("marginalia: {line}");
    }
}
