//! Each task as the worker runs it: through its JSON transport, against the core called
//! directly on the same input.

use super::*;
use crate::agree::PairMeans;
use crate::format::test_support::{quote_and_source, relate};
use crate::model::{Annotation, Span, Tag};

/// `task` and its outcome through JSON both ways, as they cross between the two modules.
fn run_as_worker(task: Task, files: Vec<Vec<u8>>) -> (Outcome, Option<Vec<u8>>) {
    let task: Task = serde_json::from_str(&serde_json::to_string(&task).unwrap()).unwrap();
    let (outcome, bytes) = run(task, files);
    let outcome = serde_json::from_str(&serde_json::to_string(&outcome).unwrap()).unwrap();
    (outcome, bytes)
}

/// `store` on `document` as a marginalia file.
fn marginalia_file(document: &Document, store: &AnnotationStore) -> Vec<u8> {
    let labels = LabelSet::default();
    format::export(ExportFormat::Marginalia, document, "a.txt", store, &labels).bytes
}

/// The quote-and-source store, related, with an orphan beside it.
fn related_store() -> (Document, AnnotationStore) {
    let (document, mut store) = quote_and_source();
    relate(&mut store, ("r", "attributed-to", "q", "s", "who said it"));
    let orphan = crate::model::Orphan {
        annotation: Annotation::new(
            "o".into(),
            Span::new(0, 3).unwrap(),
            Tag::Claim,
            "2024-01-01T00:00:00Z",
        ),
        quote: Some("Gone".into()),
    };
    store
        .apply(crate::model::Command::AddOrphan { orphan })
        .unwrap();
    (document, store)
}

#[test]
fn document_parts_rebuild_the_same_store() {
    let (document, store) = related_store();
    let parts = DocumentParts::of("a.txt", &document, &store);
    let parts: DocumentParts =
        serde_json::from_str(&serde_json::to_string(&parts).unwrap()).unwrap();
    let (text, rebuilt) = parts.rebuilt(document.text().to_owned()).unwrap();
    assert_eq!(text, document);
    let ids = |s: &AnnotationStore| {
        s.in_document_order()
            .map(|a| (**a).clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&rebuilt), ids(&store));
    assert_eq!(rebuilt.orphans(), store.orphans());
    assert_eq!(
        rebuilt.relations().collect::<Vec<_>>(),
        store.relations().collect::<Vec<_>>()
    );
}

#[test]
fn every_export_task_makes_the_bytes_the_core_makes() {
    let (document, store) = related_store();
    let labels = LabelSet::default();
    for format in ExportFormat::ALL {
        let direct = format::export_by(format, &document, "a.txt", &store, &labels, "ann");
        let task = Task::Export {
            format,
            document: DocumentParts::of("a.txt", &document, &store),
            labels: labels.clone(),
            annotator: "ann".into(),
        };
        let (outcome, bytes) = run_as_worker(task, vec![document.text().into()]);
        let Outcome::Exported(file) = outcome else {
            panic!("{format:?}: not an export")
        };
        assert_eq!(file.error, None);
        assert_eq!(file.file_name, direct.file_name, "{format:?}");
        assert_eq!(file.mime_type, direct.mime_type);
        assert_eq!(file.note, direct.note);
        assert_eq!(file.annotations, 2);
        assert_eq!(
            bytes.as_deref(),
            Some(direct.bytes.as_slice()),
            "{format:?}"
        );
    }
}

#[test]
fn an_import_task_places_what_the_core_places_with_fresh_ids_where_taken() {
    let (document, store) = related_store();
    let file = marginalia_file(&document, &store);
    let task = Task::Import {
        text_sha256: document.sha256().to_owned(),
        ids_in_use: vec!["q".into()],
        now: "2024-01-02T00:00:00Z".into(),
        seed: [7; 16],
    };
    let (outcome, _) = run_as_worker(task, vec![document.text().into(), file]);
    let Outcome::Imported(Ok(report)) = outcome else {
        panic!("refused: {outcome:?}")
    };
    let landed = |tag: &str| report.landed().find(|a| a.tag == Tag::from(tag)).unwrap();
    let (quote, source) = (landed("quote"), landed("source"));
    assert_eq!(report.landed().count(), 2);
    assert_eq!(quote.span, Span::new(7, 14).unwrap());
    assert_eq!(source.span, Span::new(0, 6).unwrap());
    assert_ne!(quote.id, AnnotationId::from("q"), "a taken id is replaced");
    assert_eq!(source.id, AnnotationId::from("s"));
    assert_eq!(
        report.relations[0].from, quote.id,
        "the relation follows the new id"
    );
    assert_eq!(report.orphaned.len(), 1);
}

#[test]
fn a_refused_import_says_why() {
    let task = Task::Import {
        text_sha256: Document::from_raw("Some text.").sha256().to_owned(),
        ids_in_use: Vec::new(),
        now: String::new(),
        seed: [0; 16],
    };
    let files = vec![b"Some text.".to_vec(), b"{\"format\": 3".to_vec()];
    let (outcome, _) = run_as_worker(task, files);
    assert!(
        matches!(outcome, Outcome::Imported(Err(ref e)) if !e.is_empty()),
        "{outcome:?}"
    );
}

#[test]
fn a_shared_file_opens_as_its_documents() {
    let (document, store) = related_store();
    let file = marginalia_file(&document, &store);
    let task = Task::OpenShared {
        name: "a.marginalia.json".into(),
        now: String::new(),
        seed: [1; 16],
    };
    let (outcome, _) = run_as_worker(task, vec![file]);
    let Outcome::Shared(Ok(opened)) = outcome else {
        panic!("refused: {outcome:?}")
    };
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].text, document.text());
    assert_eq!(opened[0].report.landed().count(), 2);
    assert_eq!(opened[0].report.relations.len(), 1);
}

#[test]
fn markdown_reads_as_its_text() {
    let task = Task::MarkdownText {
        markdown: "# Title\n\nSome *words*.".into(),
    };
    let (outcome, _) = run_as_worker(task, Vec::new());
    assert_eq!(outcome, Outcome::Text("Title\n\nSome words.".into()));
}

#[test]
fn annotators_files_are_compared_and_a_stored_comparison_restored() {
    let (document, store) = quote_and_source();
    let file = marginalia_file(&document, &store);
    let task = Task::Compare {
        text_sha256: document.sha256().to_owned(),
        source_name: "a.txt".into(),
        names: vec!["ann.marginalia.json".into(), "bob.marginalia.json".into()],
        now: String::new(),
        seed: [2; 16],
    };
    let (outcome, _) = run_as_worker(task, vec![document.text().into(), file.clone(), file]);
    let Outcome::Compared(Ok((comparison, not_placed))) = outcome else {
        panic!("refused: {outcome:?}")
    };
    assert_eq!(not_placed, 0);
    let names: Vec<_> = comparison
        .layers
        .iter()
        .map(|l| l.annotator.as_str())
        .collect();
    assert_eq!(names, ["ann", "bob"]);
    let direct = Comparison::new(&document, "a.txt", comparison.layers.as_ref().clone());
    assert_eq!(comparison, direct, "the figures the core measures");
    assert_eq!(comparison.report.as_ref().unwrap().mean_kappa(), 1.0);

    let task = Task::RestoreComparison {
        text_sha256: document.sha256().to_owned(),
        stored: comparison.stored(),
    };
    let (outcome, _) = run_as_worker(task, vec![document.text().into()]);
    assert_eq!(outcome, Outcome::Compared(Ok((direct, 0))));
}

#[test]
fn ids_from_one_seed_are_distinct_uuids() {
    let mut ids = IdSource::new([9; 16]);
    let made: std::collections::HashSet<String> =
        (0..1000).map(|_| ids.next_id().to_string()).collect();
    assert_eq!(made.len(), 1000);
    for id in &made {
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "version 4: {id}");
    }
}

#[test]
fn suggestions_in_two_tasks_are_the_suggesters_on_the_whole_text() {
    let text = "The mayor said: \u{201c}We will build it.\u{201d}\n\nIf the state pays, the bridge opens in May.\n\nCastellanos agreed.";
    let document = Document::from_raw(text);
    let patterns = "{\"label\": \"source\", \"pattern\": \"Castellanos\"}\n";
    let remembered = vec![RememberedText {
        text: "the bridge".into(),
        tag: Tag::from("claim"),
        span_here: None,
    }];
    let memory = Memory::remember(remembered.iter().map(|r| Remembered {
        text: &r.text,
        tag: r.tag.clone(),
        span_here: r.span_here,
    }));
    let direct = Suggester::new(PatternSet::parse(patterns).unwrap(), memory).suggest(&document);
    let prepare = Task::PrepareSuggestions {
        patterns: patterns.into(),
        remembered: remembered.clone(),
    };
    let (outcome, _) = run_as_worker(prepare, vec![document.text().into()]);
    let Outcome::Prepared(Ok(prepared)) = outcome else {
        panic!("{outcome:?}")
    };
    let task = |paragraphs| Task::Suggest {
        prepared,
        paragraphs,
    };
    let mut both = Vec::new();
    let (middle, ends) = (std::iter::once(1..2).collect(), vec![0..1, 2..3]);
    for paragraphs in [middle, ends] {
        let (outcome, _) = run_as_worker(task(paragraphs), Vec::new());
        let Outcome::Suggested(Ok(found)) = outcome else {
            panic!("{outcome:?}")
        };
        both.extend(found);
    }
    both.sort_by_key(|s| s.span.start);
    assert_eq!(both, direct);
    let sources: std::collections::HashSet<_> = direct.iter().map(|s| s.source).collect();
    assert_eq!(
        sources.len(),
        3,
        "patterns, memory and cues all suggest: {direct:?}"
    );
}

#[test]
fn a_pattern_file_is_counted_or_refused_by_its_line() {
    let good = "{\"label\": \"source\", \"pattern\": \"Castellanos\"}\n\n{\"label\": \"claim\", \"pattern\": [{\"LOWER\": \"bridge\"}]}\n";
    let (outcome, _) = run_as_worker(
        Task::ParsePatterns {
            source: good.into(),
        },
        Vec::new(),
    );
    assert_eq!(outcome, Outcome::Patterns(Ok(2)));
    assert_eq!(PatternSet::count(good), 2);
    let bad = format!("{good}{{\"label\": \"claim\", \"pattern\": [{{\"POS\": \"NOUN\"}}]}}\n");
    let (outcome, _) = run_as_worker(Task::ParsePatterns { source: bad }, Vec::new());
    let Outcome::Patterns(Err(error)) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(error.contains('4'), "names line 4: {error}");
}

#[test]
fn a_corpus_export_task_makes_the_bytes_the_core_makes_with_each_text() {
    let (first, first_store) = related_store();
    let (second, second_store) = quote_and_source();
    let second = Document::from_raw(&format!("{} Later.", second.text()));
    let labels = LabelSet::default();
    let corpus = [
        CorpusDocument {
            name: "a.txt",
            document: &first,
            store: &first_store,
        },
        CorpusDocument {
            name: "b.txt",
            document: &second,
            store: &second_store,
        },
    ];
    for format in [ExportFormat::Spacy, ExportFormat::Marginalia] {
        let direct = corpus::export_corpus_by(format, &corpus, &labels, "");
        let task = Task::ExportCorpus {
            format,
            documents: vec![
                DocumentParts::of("a.txt", &first, &first_store),
                DocumentParts::of("b.txt", &second, &second_store),
            ],
            labels: labels.clone(),
            annotator: String::new(),
        };
        let texts = vec![first.text().into(), second.text().into()];
        let (outcome, bytes) = run_as_worker(task, texts);
        let Outcome::Exported(file) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(file.file_name, direct.file_name);
        assert_eq!(file.annotations, 4);
        assert_eq!(bytes, Some(direct.bytes), "{format:?}");
    }
}
