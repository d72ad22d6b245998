//! Every document of the library in one download, and back. The training formats become one
//! file: a JSON line per document (spaCy, doccano) or a `-DOCSTART-` block per document (CoNLL,
//! as in CoNLL-2003). The others become one zip holding each document's own export
//! (marginalia, W3C) or each document's `.txt` and `.ann` (brat, with one `annotation.conf`
//! for all of them), named after the documents. Each document's relations travel in its own
//! part, in the formats that carry them.
//!
//! Marginalia files carry their document's text, so a marginalia file, or a zip of them, opens
//! as documents with their annotations ([`shared_documents`]); importing such a zip onto one
//! document takes the file made on that document's text ([`file_for`]).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{
    brat, export_by, hf, label_studio, left_out, marginalia, parse_json, sentence, stem,
    stored_zip, ExportFormat, Exported, FormatError,
};
use crate::model::{limits, AnnotationStore, Document, LabelSet};

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

/// Safe names ([`stored_zip::safe_name`]) whose stems differ: a repeated stem gets `-2`,
/// `-3`… (`notes.txt`, `notes-2.txt`), so no file in a zip replaces another. Each stem keeps
/// the next suffix to try, so n documents of one name cost O(n), not O(n²).
fn distinct_names(documents: &[CorpusDocument<'_>]) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    documents
        .iter()
        .map(|d| {
            let safe = stored_zip::safe_name(d.name);
            let base = stem(&safe);
            let extension = &safe[base.len()..];
            let first = next_suffix.get(base).copied().unwrap_or(1);
            // A suffix takes the place of the stem's last characters, so a stem already cut
            // to the longest stays that long and keeps its suffix.
            let (n, name) = (first..)
                .map(|n| match n {
                    1 => (n, stored_zip::safe_stem(base)),
                    n => {
                        let suffix = format!("-{n}");
                        let room = stored_zip::MAX_STEM_CHARS - suffix.len();
                        let kept: String = base.chars().take(room).collect();
                        (n, kept + &suffix)
                    }
                })
                .find(|(_, candidate)| taken.insert(candidate.clone()))
                .expect("some suffix is free");
            next_suffix.insert(base.to_owned(), n + 1);
            format!("{name}{extension}")
        })
        .collect()
}

/// Exports every document in `format` as one file, with no annotator named:
/// [`export_corpus_by`].
pub fn export_corpus(
    format: ExportFormat,
    documents: &[CorpusDocument<'_>],
    labels: &LabelSet,
) -> Exported {
    export_corpus_by(format, documents, labels, "")
}

/// Exports every document in `format` as one file, made by `annotator` (empty for nobody
/// named; see [`super::export_by`]). O(total text + annotations).
pub fn export_corpus_by(
    format: ExportFormat,
    documents: &[CorpusDocument<'_>],
    labels: &LabelSet,
    annotator: &str,
) -> Exported {
    let names = distinct_names(documents);
    if format == ExportFormat::LabelStudio {
        // One array of tasks, not arrays side by side.
        let tasks: Vec<(&Document, &str, &AnnotationStore)> = documents
            .iter()
            .zip(&names)
            .map(|(d, name)| (d.document, name.as_str(), d.store))
            .collect();
        return Exported {
            file_name: corpus_file_name(format),
            mime_type: format.mime_type(),
            bytes: label_studio::export_tasks(&tasks, labels, annotator).into_bytes(),
            note: left_out_notes(documents, &names, format),
        };
    }
    let mut notes = Vec::new();
    let mut text = Vec::new();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (document, name) in documents.iter().zip(&names) {
        let exported = export_by(
            format,
            document.document,
            name,
            document.store,
            labels,
            annotator,
        );
        if let Some(note) = exported.note {
            notes.push(format!("{name}: {note}"));
        }
        match format {
            ExportFormat::Spacy
            | ExportFormat::Doccano
            | ExportFormat::Prodigy
            | ExportFormat::Hf
            | ExportFormat::LabelStudio => text.extend(exported.bytes),
            ExportFormat::Conll => {
                text.extend_from_slice(DOCSTART.as_bytes());
                text.extend(exported.bytes);
                if !text.ends_with(b"\n\n") {
                    text.push(b'\n');
                }
            }
            ExportFormat::Brat => {
                // Each document's text and annotations; one configuration for all, below.
                let archive = exported.bytes;
                for entry in stored_zip::entries(&archive).expect("our own archive") {
                    if entry.name != brat::CONF_NAME {
                        let content = stored_zip::read(&archive, &entry).expect("our own archive");
                        entries.push((entry.name.clone(), content.to_vec()));
                    }
                }
            }
            ExportFormat::Marginalia | ExportFormat::W3c => {
                entries.push((exported.file_name, exported.bytes));
            }
        }
    }
    if format == ExportFormat::Brat {
        let stores: Vec<&AnnotationStore> = documents.iter().map(|d| d.store).collect();
        let conf = brat::annotation_conf(labels, &stores);
        entries.push((brat::CONF_NAME.to_owned(), conf.into_bytes()));
    }
    let bytes = match format {
        ExportFormat::Spacy
        | ExportFormat::Doccano
        | ExportFormat::Conll
        | ExportFormat::Prodigy
        | ExportFormat::Hf
        | ExportFormat::LabelStudio => text,
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

/// What each document's own export would say it left out, naming the document.
fn left_out_notes(
    documents: &[CorpusDocument<'_>],
    names: &[String],
    format: ExportFormat,
) -> Option<String> {
    let notes: Vec<String> = documents
        .iter()
        .zip(names)
        .filter_map(|(d, name)| {
            sentence(&left_out(format, d.store)).map(|note| format!("{name}: {note}"))
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// A document a shared file carries: its name and text, and its annotations as a file that
/// [`super::import`] reads onto it (a marginalia file, a brat `.ann`, a spaCy or doccano line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDocument {
    /// Its file name or title.
    pub name: String,
    /// Its text, as recorded.
    pub text: String,
    /// Its annotations, in the format they came in.
    pub annotations: Vec<u8>,
}

impl SharedDocument {
    /// Its annotations placed on `document` (its own text, as a [`Document`]): an empty
    /// report when it has none (a brat document with an empty `.ann`).
    pub fn import(
        &self,
        document: &Document,
        context: super::ImportContext<'_>,
    ) -> Result<super::ImportReport, FormatError> {
        if self.annotations.iter().all(u8::is_ascii_whitespace) {
            return Ok(super::ImportReport::default());
        }
        super::import(document, &self.annotations, context)
    }
}

/// What a marginalia file says about its document.
#[derive(Deserialize)]
struct Carried {
    format: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
}

/// The `.marginalia.json` files of a zip, by name.
fn marginalia_entries(archive: &[u8]) -> Result<Vec<(String, String)>, FormatError> {
    let entries = stored_zip::entries(archive).map_err(|e| FormatError::Zip(e.to_string()))?;
    entries
        .iter()
        .filter(|e| e.name.ends_with(".marginalia.json"))
        .map(|entry| {
            let bytes =
                stored_zip::read(archive, entry).map_err(|e| FormatError::Zip(e.to_string()))?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|e| FormatError::Invalid {
                at: entry.name.clone(),
                message: format!(
                    "not UTF-8 text (invalid byte at position {})",
                    e.utf8_error().valid_up_to()
                ),
            })?;
            Ok((entry.name.clone(), text))
        })
        .collect()
}

/// The documents in `input`, each with its text and annotations, in the file's order:
/// - a marginalia file (one document), or a zip of them (an export of every document);
/// - a brat zip: each `.ann` with its `.txt` (a brat corpus, or an export of every document);
/// - spaCy or doccano JSON lines: a document per line (`NAME-1.txt`, `NAME-2.txt`, …).
///
/// Refused whole when any part is not such a file, naming it, or when a document's name is
/// longer than [`limits::MAX_NAME_CHARS`]. O(file).
pub fn shared_documents(file_name: &str, input: &[u8]) -> Result<Vec<SharedDocument>, FormatError> {
    let documents = read_shared_documents(file_name, input)?;
    for document in &documents {
        super::check_length(
            &document.name,
            limits::MAX_NAME_CHARS,
            "document name",
            || super::quoted(&document.name),
        )?;
    }
    Ok(documents)
}

/// [`shared_documents`] before the names are checked.
fn read_shared_documents(
    file_name: &str,
    input: &[u8],
) -> Result<Vec<SharedDocument>, FormatError> {
    if input.starts_with(stored_zip::MAGIC) {
        let files = marginalia_entries(input)?;
        if files.is_empty() {
            return brat_documents(input);
        }
        return files
            .into_iter()
            .map(|(entry, file)| marginalia_document(&entry, file))
            .collect();
    }
    let text = std::str::from_utf8(input).map_err(|e| FormatError::NotUtf8 {
        byte: e.valid_up_to(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let one_value = serde_json::from_str::<serde_json::Value>(text).ok();
    match one_value {
        Some(value) if label_studio::looks_like_label_studio(&value) => {
            label_studio_documents(file_name, &value)
        }
        Some(serde_json::Value::Object(object)) if object.contains_key("format") => {
            marginalia_document(file_name, text.to_owned()).map(|d| vec![d])
        }
        _ => {
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            match serde_json::from_str::<serde_json::Value>(first) {
                Ok(serde_json::Value::Object(object)) if hf::is_hf_line(&object) => {
                    hf_documents(file_name, text)
                }
                _ => line_documents(file_name, text),
            }
        }
    }
}

/// The document of one marginalia file (`entry` names it in messages).
fn marginalia_document(entry: &str, file: String) -> Result<SharedDocument, FormatError> {
    let carried: Carried = parse_json(&file, 0).map_err(|error| in_entry(entry, error))?;
    let in_file = |message: &str| FormatError::Invalid {
        at: entry.to_owned(),
        message: message.into(),
    };
    if carried.format.as_deref() != Some(marginalia::FORMAT_NAME) {
        return Err(in_file(
            "not a Marginalia file (no \"format\": \"marginalia\")",
        ));
    }
    let text = carried
        .text
        .ok_or_else(|| in_file("it has no \"text\", so it cannot open as a document"))?;
    let name = carried
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| stem(entry.trim_end_matches(".marginalia.json")).to_owned() + ".txt");
    Ok(SharedDocument {
        name,
        text,
        annotations: file.into_bytes(),
    })
}

/// The documents of a brat zip: each `.ann` with its `.txt`, named after the `.txt`.
fn brat_documents(input: &[u8]) -> Result<Vec<SharedDocument>, FormatError> {
    super::brat::pairs(input)?
        .into_iter()
        .map(|pair| {
            let (txt_name, text) = pair.txt.ok_or_else(|| FormatError::Invalid {
                at: pair.ann_name.clone(),
                message: "it has no .txt of the same name, so there is no text to open".into(),
            })?;
            let name = txt_name.rsplit('/').next().unwrap_or(&txt_name).to_owned();
            Ok(SharedDocument {
                name,
                text,
                annotations: pair.ann.into_bytes(),
            })
        })
        .collect()
}

/// The name stem of a corpus file without its format's extensions
/// (`corpus.spacy.jsonl` -> `corpus`).
fn corpus_base(file_name: &str) -> &str {
    let mut base = stem(file_name);
    for kind in [
        ".spacy",
        ".doccano",
        ".prodigy",
        ".hf",
        ".label-studio",
        ".jsonl",
    ] {
        base = base.strip_suffix(kind).unwrap_or(base);
    }
    base
}

/// The documents of a Label Studio file: one per task, named by its `data.name`, else
/// `NAME-N.txt`; each carries its own task as a one-task file.
fn label_studio_documents(
    file_name: &str,
    value: &serde_json::Value,
) -> Result<Vec<SharedDocument>, FormatError> {
    let base = corpus_base(file_name);
    let tasks = label_studio::tasks(value)?;
    Ok(tasks
        .iter()
        .enumerate()
        .map(|(n, task)| SharedDocument {
            name: task
                .name
                .clone()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| format!("{base}-{}.txt", n + 1)),
            text: task.text.clone(),
            annotations: serde_json::to_vec(&[task.object]).expect("JSON values serialise"),
        })
        .collect())
}

/// The documents of a Hugging Face token file, which carries no text: one per document id
/// (`NAME` of the ids `NAME-N`), its text the tokens joined by spaces, a line per sentence.
fn hf_documents(file_name: &str, text: &str) -> Result<Vec<SharedDocument>, FormatError> {
    let base = corpus_base(file_name);
    let groups = hf::documents(hf::sentences(text)?);
    Ok(groups
        .into_iter()
        .enumerate()
        .map(|(n, sentences)| {
            let key = sentences[0].document_key();
            let name = if key.is_empty() {
                format!("{base}-{}.txt", n + 1)
            } else {
                format!("{key}.txt")
            };
            let mut annotations = Vec::new();
            for sentence in &sentences {
                let line = serde_json::json!({
                    "id": sentence.id, "tokens": sentence.tokens, "ner_tags": sentence.tags
                });
                annotations.extend(line.to_string().into_bytes());
                annotations.push(b'\n');
            }
            SharedDocument {
                name,
                text: hf::joined_text(&sentences),
                annotations,
            }
        })
        .collect())
}

/// The documents of spaCy or doccano JSON lines: one per line that has a `text`, named
/// `NAME-N.txt` after the file (`corpus.spacy.jsonl` line 2: `corpus-2.txt`).
fn line_documents(file_name: &str, text: &str) -> Result<Vec<SharedDocument>, FormatError> {
    let base = corpus_base(file_name);
    let mut documents = Vec::new();
    for (number, line) in super::numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            FormatError::NotRecognised(format!(
                "line {number} is not JSON ({e}); Open… reads Marginalia files, zips of them or of brat files, Label Studio JSON, and spaCy, Prodigy, doccano or Hugging Face JSON lines"
            ))
        })?;
        let Some(line_text) = value.get("text").and_then(|t| t.as_str()) else {
            return Err(FormatError::Invalid {
                at: format!("line {number}"),
                message: "it has no \"text\", so it cannot open as a document".into(),
            });
        };
        documents.push(SharedDocument {
            name: format!("{base}-{}.txt", documents.len() + 1),
            text: line_text.to_owned(),
            annotations: line.as_bytes().to_vec(),
        });
    }
    if documents.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(documents)
}

/// An error met inside the zip entry `entry`, saying so.
fn in_entry(entry: &str, error: FormatError) -> FormatError {
    FormatError::Invalid {
        at: entry.to_owned(),
        message: error.to_string(),
    }
}

/// For an import onto `document`: the marginalia file in a zip made on this very text (its
/// `sha256`, else its `text`, is this document's). `Ok(None)` when the zip holds no marginalia
/// file (a brat zip); an error naming what to do when it holds only other documents' files.
pub fn file_for(document: &Document, archive: &[u8]) -> Result<Option<String>, FormatError> {
    let files = marginalia_entries(archive)?;
    if files.is_empty() {
        return Ok(None);
    }
    let count = files.len();
    let same_text = |file: &str| {
        parse_json::<Carried>(file, 0).is_ok_and(|c| match (c.sha256, c.text) {
            (Some(sha256), _) => sha256 == document.sha256(),
            (None, Some(text)) => Document::from_raw(&text).text() == document.text(),
            (None, None) => false,
        })
    };
    match files.into_iter().find(|(_, file)| same_text(file)) {
        Some((_, file)) => Ok(Some(file)),
        None => Err(FormatError::NotRecognised(format!(
            "it is an export of {count} documents, none of them this text; open it with Open… \
             to add its documents to the library"
        ))),
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
        let report = import_bytes(&documents[1].1, &second).unwrap();
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
                "third.ann",
                "annotation.conf"
            ]
        );
        let w3c = export_all(ExportFormat::W3c, &documents);
        assert_eq!(stored_zip::entries(&w3c.bytes).unwrap().len(), 3);
    }

    #[test]
    fn an_export_of_every_document_opens_as_those_documents() {
        let documents = corpus();
        // Each shared document, imported onto its own text, gives back its annotations.
        let check = |shared: &[SharedDocument], names: &[&str]| {
            let got: Vec<&str> = shared.iter().map(|d| d.name.as_str()).collect();
            assert_eq!(got, names);
            for (shared, (_, document, store)) in shared.iter().zip(&documents) {
                assert_eq!(Document::from_raw(&shared.text).text(), document.text());
                let mut n = 0;
                let mut new_id = || {
                    n += 1;
                    crate::model::AnnotationId::from(format!("new-{n}"))
                };
                let context = super::super::ImportContext {
                    id_in_use: &|_| false,
                    new_id: &mut new_id,
                    now: "t",
                };
                let report = shared.import(document, context).unwrap();
                let spans: Vec<_> = report.landed().map(|a| (a.span, a.tag.clone())).collect();
                let expected: Vec<_> = store
                    .in_document_order()
                    .map(|a| (a.span, a.tag.clone()))
                    .collect();
                assert_eq!(spans, expected, "{}", shared.name);
            }
        };
        let marginalia = export_all(ExportFormat::Marginalia, &documents).bytes;
        let shared = shared_documents("x.zip", &marginalia).unwrap();
        check(&shared, &["notes.txt", "notes-2.md", "third"]);
        let brat = export_all(ExportFormat::Brat, &documents).bytes;
        check(
            &shared_documents("b.zip", &brat).unwrap(),
            &["notes.txt", "notes-2.txt", "third.txt"],
        );
        for format in [
            ExportFormat::Spacy,
            ExportFormat::Doccano,
            ExportFormat::Prodigy,
            ExportFormat::LabelStudio,
        ] {
            let lines = export_all(format, &documents).bytes;
            let shared = shared_documents(&corpus_file_name(format), &lines).unwrap();
            let names: &[&str] = if format == ExportFormat::LabelStudio {
                // Label Studio tasks carry the documents' own names.
                &["notes.txt", "notes-2.md", "third"]
            } else {
                &[
                    "marginalia-documents-1.txt",
                    "marginalia-documents-2.txt",
                    "marginalia-documents-3.txt",
                ]
            };
            check(&shared, names);
        }
        // Hugging Face lines carry no text: each document's is its tokens joined by spaces,
        // and its spans land on the same words.
        let hf = export_all(ExportFormat::Hf, &documents).bytes;
        let shared = shared_documents("all.hf.jsonl", &hf).unwrap();
        let names: Vec<&str> = shared.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["notes.txt", "notes-2.txt", "third.txt"]);
        assert_eq!(shared[0].text, "Alpha beta .\nGamma delta .");
        let opened = Document::from_raw(&shared[1].text);
        let report =
            crate::format::test_support::import_bytes(&opened, &shared[1].annotations).unwrap();
        let quotes: Vec<&str> = report
            .landed()
            .map(|a| opened.slice(a.span).unwrap())
            .collect();
        // The span " sai" of "😀 said", trimmed of its space as Hugging Face tags keep it.
        assert_eq!(quotes, ["sai"]);
        // One marginalia file opens as its one document.
        let one = shared_documents("notes.marginalia.json", &shared[0].annotations).unwrap();
        assert_eq!(one, vec![shared[0].clone()]);
        // Anything else is refused, naming where.
        let error = shared_documents("w.json", br#"{"format": "w3c"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("w.json: not a Marginalia file"),
            "{error}"
        );
        let bare = br#"{"format": "marginalia", "version": 1, "annotations": []}"#;
        let error = shared_documents("bare.json", bare).unwrap_err().to_string();
        assert!(error.contains("no \"text\""), "{error}");
        let error = shared_documents("l.jsonl", b"{\"text\": \"a\"}\n{\"spans\": []}\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("line 2: it has no \"text\""), "{error}");
        let conll = export_all(ExportFormat::Conll, &documents).bytes;
        assert!(shared_documents("c.conll", &conll).is_err());
    }

    #[test]
    fn importing_an_export_of_every_document_takes_this_documents_file() {
        let documents = corpus();
        let archive = export_all(ExportFormat::Marginalia, &documents).bytes;
        let report = import_bytes(&documents[1].1, &archive).unwrap();
        assert_eq!(report.placed.len(), 1);
        assert_eq!(report.placed[0].note, "why");
        let other = Document::from_raw("A text none of them has.");
        let error = import_bytes(&other, &archive).unwrap_err().to_string();
        assert!(
            error.contains("an export of 3 documents, none of them this text"),
            "{error}"
        );
        // A brat zip still reads as brat.
        let brat = export_all(ExportFormat::Brat, &documents[..1]).bytes;
        assert_eq!(
            import_bytes(&documents[0].1, &brat).unwrap().placed.len(),
            1
        );
    }

    #[test]
    fn long_names_repeated_stay_distinct_in_the_zip() {
        let long = format!("{}.txt", "n".repeat(70_000));
        let document = Document::from_raw("Some text.");
        let store = store(&document, &[("a", 0, 4, "claim", "")]);
        let documents: Vec<CorpusDocument<'_>> = (0..3)
            .map(|_| CorpusDocument {
                name: &long,
                document: &document,
                store: &store,
            })
            .collect();
        let exported = export_corpus(ExportFormat::Marginalia, &documents, &LabelSet::default());
        let names: Vec<String> = stored_zip::entries(&exported.bytes)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names.len(), 3);
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), 3, "{names:?}");
        for name in &names {
            assert!(name.chars().count() <= stored_zip::MAX_WRITTEN_NAME_CHARS);
            assert!(name.ends_with(".marginalia.json"));
        }
        assert!(names[1].ends_with("-2.marginalia.json"));
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
