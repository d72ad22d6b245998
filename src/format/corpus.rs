//! Every document of the library in one download. The training formats become one file: a
//! JSON line per document (spaCy, doccano) or a `-DOCSTART-` block per document (CoNLL, as in
//! CoNLL-2003). The others become one zip holding each document's own export (marginalia,
//! W3C) or each document's `.txt` and `.ann` (brat), named after the documents.

use std::collections::HashSet;

use super::{export, stem, stored_zip, ExportFormat, Exported};
use crate::model::{AnnotationStore, Document, LabelSet};

/// The stem of a corpus download (`marginalia-documents.spacy.jsonl`).
pub const CORPUS_STEM: &str = "marginalia-documents";

/// The line that opens each document of a CoNLL corpus.
pub const DOCSTART: &str = "-DOCSTART-\tO\n\n";

/// One document of the set.
pub struct CorpusDocument<'a> {
    /// Its file name or title.
    pub name: &'a str,
    /// Its text.
    pub document: &'a Document,
    /// Its annotations.
    pub store: &'a AnnotationStore,
}

/// The corpus file's name for `format`.
pub fn corpus_file_name(format: ExportFormat) -> String {
    match format {
        ExportFormat::Marginalia => format!("{CORPUS_STEM}.marginalia.zip"),
        ExportFormat::W3c => format!("{CORPUS_STEM}.w3c.zip"),
        other => other.file_name(CORPUS_STEM),
    }
}

/// Names whose stems differ: a repeated stem gets `-2`, `-3`… (`notes.txt`, `notes-2.txt`), so
/// no file in a zip replaces another.
fn distinct_names(documents: &[CorpusDocument<'_>]) -> Vec<String> {
    let mut taken = HashSet::new();
    documents
        .iter()
        .map(|d| {
            let base = stem(d.name);
            let extension = &d.name[base.len()..];
            let name = (1..)
                .map(|n| match n {
                    1 => base.to_owned(),
                    n => format!("{base}-{n}"),
                })
                .find(|candidate| taken.insert(candidate.clone()))
                .expect("some suffix is free");
            format!("{name}{extension}")
        })
        .collect()
}

/// Exports every document in `format` as one file. O(total text + annotations).
pub fn export_corpus(
    format: ExportFormat,
    documents: &[CorpusDocument<'_>],
    labels: &LabelSet,
) -> Exported {
    let names = distinct_names(documents);
    let mut notes = Vec::new();
    let mut text = Vec::new();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (document, name) in documents.iter().zip(&names) {
        let exported = export(format, document.document, name, document.store, labels);
        if let Some(note) = exported.note {
            notes.push(format!("{name}: {note}"));
        }
        match format {
            ExportFormat::Spacy | ExportFormat::Doccano => text.extend(exported.bytes),
            ExportFormat::Conll => {
                text.extend_from_slice(DOCSTART.as_bytes());
                text.extend(exported.bytes);
                if !text.ends_with(b"\n\n") {
                    text.push(b'\n');
                }
            }
            ExportFormat::Brat => {
                let archive = exported.bytes;
                for entry in stored_zip::entries(&archive).expect("our own archive") {
                    let content = stored_zip::read(&archive, &entry).expect("our own archive");
                    entries.push((entry.name.clone(), content.to_vec()));
                }
            }
            ExportFormat::Marginalia | ExportFormat::W3c => {
                entries.push((exported.file_name, exported.bytes));
            }
        }
    }
    let bytes = match format {
        ExportFormat::Spacy | ExportFormat::Doccano | ExportFormat::Conll => text,
        ExportFormat::Marginalia | ExportFormat::W3c | ExportFormat::Brat => {
            let files: Vec<(&str, &[u8])> = entries
                .iter()
                .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
                .collect();
            stored_zip::write(&files)
        }
    };
    Exported {
        file_name: corpus_file_name(format),
        mime_type: match format {
            ExportFormat::Marginalia | ExportFormat::W3c => "application/zip",
            other => other.mime_type(),
        },
        bytes,
        note: (!notes.is_empty()).then(|| notes.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, store};

    fn corpus() -> Vec<(String, Document, AnnotationStore)> {
        [
            (
                "notes.txt",
                "Alpha beta.\n\nGamma delta.",
                vec![("a", 0, 5, "claim", "")],
            ),
            (
                "notes.md",
                "Épée ring 😀 said.",
                vec![("b", 11, 15, "quote", "why")],
            ),
            ("third", "Nothing tagged here.", vec![]),
        ]
        .into_iter()
        .map(|(name, text, spans)| {
            let document = Document::from_raw(text);
            let store = store(&document, &spans);
            (name.to_owned(), document, store)
        })
        .collect()
    }

    fn export_all(
        format: ExportFormat,
        documents: &[(String, Document, AnnotationStore)],
    ) -> Exported {
        let documents: Vec<CorpusDocument<'_>> = documents
            .iter()
            .map(|(name, document, store)| CorpusDocument {
                name,
                document,
                store,
            })
            .collect();
        export_corpus(format, &documents, &LabelSet::default())
    }

    #[test]
    fn training_formats_give_one_line_per_document_with_code_point_offsets() {
        let documents = corpus();
        for format in [ExportFormat::Spacy, ExportFormat::Doccano] {
            let exported = export_all(format, &documents);
            assert_eq!(exported.file_name, corpus_file_name(format));
            let text = String::from_utf8(exported.bytes).unwrap();
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(lines.len(), 3, "{text}");
            for (line, (_, document, _)) in lines.iter().zip(&documents) {
                assert_eq!(line["text"], document.text());
            }
            // Each line imports back onto its own document.
            let second = text.lines().nth(1).unwrap();
            let report = import_bytes(&documents[1].1, second.as_bytes()).unwrap();
            assert_eq!(report.placed.len(), 1);
        }
    }

    #[test]
    fn conll_opens_each_document_with_docstart() {
        let text = String::from_utf8(export_all(ExportFormat::Conll, &corpus()).bytes).unwrap();
        assert_eq!(text.matches("-DOCSTART-").count(), 3);
        assert!(text.starts_with(DOCSTART));
        assert!(text.contains("Alpha\tB-CLAIM"), "{text}");
    }

    #[test]
    fn zips_hold_each_documents_file_under_a_name_of_its_own() {
        let documents = corpus();
        let exported = export_all(ExportFormat::Marginalia, &documents);
        assert_eq!(exported.file_name, "marginalia-documents.marginalia.zip");
        let entries = stored_zip::entries(&exported.bytes).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "notes.marginalia.json",
                "notes-2.marginalia.json",
                "third.marginalia.json"
            ]
        );
        // Each file is the document's own export, and imports back exactly.
        let second = stored_zip::read(&exported.bytes, &entries[1]).unwrap();
        let report = import_bytes(&documents[1].1, second).unwrap();
        assert_eq!(report.placed.len(), 1);
        assert_eq!(report.placed[0].note, "why");

        let brat = export_all(ExportFormat::Brat, &documents);
        let names: Vec<String> = stored_zip::entries(&brat.bytes)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(
            names,
            [
                "notes.txt",
                "notes.ann",
                "notes-2.txt",
                "notes-2.ann",
                "third.txt",
                "third.ann"
            ]
        );
        let w3c = export_all(ExportFormat::W3c, &documents);
        assert_eq!(stored_zip::entries(&w3c.bytes).unwrap().len(), 3);
    }

    #[test]
    fn notes_name_the_document_they_are_about() {
        let exported = export_all(ExportFormat::Doccano, &corpus());
        assert_eq!(
            exported.note.as_deref(),
            Some("notes-2.md: 1 note left out of the doccano file.")
        );
    }
}
