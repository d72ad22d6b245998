//! Writes the exports that `tests/consumers/check_exports.py` reads with the libraries that
//! consume them (spaCy, Hugging Face `datasets` with `seqeval`, Label Studio's JSON rules):
//! `cargo run --example consumer_exports -- OUT_DIR` (scripts/consumers.sh runs both).
//!
//! For each document (the sample article with the golden file's annotations, and a small
//! document of edge cases: CRLF input, emoji and combining accents, spans at both ends, nested
//! and crossing spans, runs of spaces, tabs and blank lines) it writes `NAME.prodigy.jsonl`,
//! `NAME.hf.jsonl`, `NAME.label-studio.json` and `NAME.expected.json` (the text, every span,
//! and the spans the Hugging Face tags can hold, as Marginalia computes them); then the same
//! three formats for both documents at once (`marginalia-documents.*`, as **All** writes) and
//! the Label Studio labeling config of their labels (`labeling-config.xml`).

use std::path::PathBuf;

use marginalia::format::corpus::{export_corpus, CorpusDocument};
use marginalia::format::{self, conll, label_studio, ExportFormat, ImportContext};
use marginalia::model::{
    Annotation, AnnotationId, AnnotationStore, Command, Document, LabelEdit, LabelSet, Span, Tag,
};
use marginalia::sample::{SAMPLE_NAME, SAMPLE_TEXT};

/// The sample article's golden marginalia file: its annotations are the sample's.
const SAMPLE_GOLDEN: &[u8] = include_bytes!("../tests/golden/sample-article.marginalia.json");

/// Edge cases in a few lines (written with CRLF, as a Windows editor saves it).
const EDGE_TEXT: &str =
    "😀 Émile said  “e\u{301}t\u{e9}”\tin Zürich.\r\n\r\nNext  paragraph 🌊 ends here 😀";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: consumer_exports OUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;

    let sample = Document::from_raw(SAMPLE_TEXT);
    let sample_store = imported(&sample, SAMPLE_GOLDEN)?;
    let edge = Document::from_raw(EDGE_TEXT);
    let edge_store = edge_store(&edge);
    let documents = [
        (SAMPLE_NAME, &sample, &sample_store),
        ("edge-cases.txt", &edge, &edge_store),
    ];

    let mut labels = LabelSet::default();
    for (name, document, store) in documents {
        for annotation in store.in_document_order() {
            if labels.get(&annotation.tag).is_none() {
                labels.edit(LabelEdit::Restore(annotation.tag.clone()))?;
            }
        }
        for format in [
            ExportFormat::Prodigy,
            ExportFormat::Hf,
            ExportFormat::LabelStudio,
        ] {
            let exported = format::export(format, document, name, store, &labels);
            std::fs::write(out.join(&exported.file_name), &exported.bytes)?;
        }
        let (kept, _, _) = conll::kept_spans(document, store);
        let expected = serde_json::json!({
            "text": document.text(),
            "spans": store.in_document_order().map(|a| (a.span.start, a.span.end, a.tag.as_str())).collect::<Vec<_>>(),
            "hf_spans": kept.iter().map(|(span, tag)| (span.start, span.end, conll::label(tag))).collect::<Vec<_>>(),
        });
        let stem = format::stem(name);
        std::fs::write(
            out.join(format!("{stem}.expected.json")),
            serde_json::to_string_pretty(&expected)?,
        )?;
    }
    let corpus: Vec<CorpusDocument<'_>> = documents
        .iter()
        .map(|(name, document, store)| CorpusDocument {
            name,
            document,
            store,
        })
        .collect();
    for format in [
        ExportFormat::Prodigy,
        ExportFormat::Hf,
        ExportFormat::LabelStudio,
    ] {
        let exported = export_corpus(format, &corpus, &labels);
        std::fs::write(out.join(&exported.file_name), &exported.bytes)?;
    }
    std::fs::write(
        out.join("labeling-config.xml"),
        label_studio::labeling_config(&labels, &[&sample_store, &edge_store]),
    )?;
    println!("{}", out.display());
    Ok(())
}

/// The annotations of a marginalia file, placed on `document`.
fn imported(document: &Document, file: &[u8]) -> Result<AnnotationStore, format::FormatError> {
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        AnnotationId::from(format!("new-{n}"))
    };
    let report = format::import(
        document,
        file,
        ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: "2026-12-01T00:00:00Z",
        },
    )?;
    let mut store = AnnotationStore::new(document.char_len());
    for command in report.commands() {
        store
            .apply(command)
            .expect("an import's commands apply to a fresh store");
    }
    Ok(store)
}

/// Spans at both ends, on emoji and combining accents, nested, crossing, across the blank
/// line, and one that starts on a space.
fn edge_store(document: &Document) -> AnnotationStore {
    let end = document.char_len();
    let specs: [(usize, usize, &str, &str); 8] = [
        (0, 1, "quote", "the first emoji"),
        (0, 8, "claim", ""),
        (2, 7, "person", ""),
        (11, 15, "quote", ""),
        (13, 24, "condition", "crosses the quote"),
        (19, 33, "claim", "across the blank line"),
        (end - 1, end, "place name", ""),
        (10, 16, "quote", "starts on a space"),
    ];
    let mut store = AnnotationStore::new(end);
    for (i, (start, stop, tag, note)) in specs.into_iter().enumerate() {
        let mut annotation = Annotation::new(
            AnnotationId::from(format!("edge-{i}")),
            Span::new(start, stop).expect("a span of the edge text"),
            Tag::from(tag),
            "2026-12-01T00:00:00Z",
        );
        annotation.note = note.to_owned();
        store
            .apply(Command::Create { annotation })
            .expect("spans inside the edge text");
    }
    store
}
