#![cfg(not(target_arch = "wasm32"))]
//! Tests of the interchange formats (marginalia, W3C, spaCy, doccano, brat, CoNLL, Label
//! Studio, Prodigy tokens, Hugging Face token classification):
//! - round trips over random documents and random span sets (overlapping, nested, adjacent,
//!   at the document's start and end, across paragraphs, with accents, CJK and non-BMP
//!   characters), with attributes and relations between them (and to orphans): export then
//!   import gives the same annotations and the same relations between the same spans with the
//!   same types, with whatever each format carries (ids, notes, attributes, timestamps), and
//!   the export's note counts what it left out;
//! - every exported span's text, sliced by code points, equals its quote;
//! - CoNLL keeps exactly the outermost spans and counts the rest;
//! - import never panics, whatever the bytes;
//! - golden files of the sample article, byte for byte (`UPDATE_GOLDEN=1` rewrites them);
//! - spaCy's rules on the spaCy export, and foreign files (Recogito, Hypothesis, doccano, and
//!   Label Studio, Prodigy and `datasets` files as those tools write them, zips of Python's
//!   `zipfile` with Deflate entries).

mod common;

use common::{place, shape, slice_oracle, span, Shape};

use std::cmp::Reverse;
use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;

use marginalia::format::{
    self, conll, hf, prodigy, ExportFormat, Exported, FormatError, ImportContext, ImportReport,
};
use marginalia::model::{
    Annotation, AnnotationId, AnnotationStore, AttributeValue, Attributes, Command, Document,
    LabelSet, Orphan, Relation, Span, Tag,
};
use marginalia::sample::{SAMPLE_NAME, SAMPLE_TEXT};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Pieces of random documents: ASCII words, spaces and a tab, every newline flavour (CRLF input
/// is normalised to LF), a precomposed and a combining accent, CJK, non-BMP characters and the
/// punctuation CoNLL splits off.
const ATOMS: &[&str] = &[
    "a", "b", "x", "Y", "the ", "cat", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\r\n",
    "\r\n\r\n", "é", "e\u{301}", "中", "文", "😀", "🌊", "𝔸", ".", ",", "“", "”", "-",
];

fn raw_text(max_atoms: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(ATOMS), 0..max_atoms).prop_map(|atoms| atoms.concat())
}

const TAGS: &[&str] = &[
    "claim",
    "quote",
    "condition",
    "person",
    "place name",
    "étiquette 😀",
    "Person",
    "Straße",
];
const NOTES: &[&str] = &[
    "",
    "",
    "h",
    "a \"quoted\"\nnote",
    "tab\there",
    "back\\slash, \\n is not a newline",
    "e\u{301} 𝔸 😀",
    " padded crlf\r\n",
];
const TIMES: &[&str] = &["2026-01-01T00:00:00Z", "2026-02-03T04:05:06.789+01:00", ""];
/// The time an import gives to what its file does not date.
const NOW: &str = "2030-01-01T00:00:00Z";

/// Attribute names: the default labels' (`kind`, `hedged`), one with a space, one that starts
/// with a capital (brat capitalises names), one beyond ASCII.
const ATTRIBUTE_NAMES: &[&str] = &["kind", "hedged", "said by", "Kind", "é 😀"];
/// Attribute values: a set flag (a cleared one is no value at all), choices, and free text
/// with spaces and the characters brat's fields and configuration separate with.
const ATTRIBUTE_VALUES: &[Option<&str>] = &[
    None,
    Some("direct"),
    Some("indirect"),
    Some("in part, 50%"),
    Some("a|b\tc"),
];
/// Relation types: the defaults, ones with `_`, a space, `-` beside `_`, and beyond ASCII.
const RELATION_TYPES: &[&str] = &[
    "attributed-to",
    "qualifies",
    "cites_source",
    "said by",
    "a-_b",
    "Über-réf 😀",
];

#[derive(Debug, Clone)]
struct Spec {
    shape: Shape,
    tag: usize,
    note: usize,
    created: usize,
    modified: usize,
    id_kind: usize,
    /// (name, value) indices into ATTRIBUTE_NAMES and ATTRIBUTE_VALUES.
    attributes: Vec<(usize, usize)>,
    /// A relation from this annotation to another one or to an orphan (which, of all of
    /// them), of a type and with a note (indices into RELATION_TYPES and NOTES).
    link: Option<(Index, usize, usize)>,
}

fn specs() -> impl Strategy<Value = Vec<Spec>> {
    prop::collection::vec(
        (
            (
                shape(),
                0..TAGS.len(),
                0..NOTES.len(),
                0..TIMES.len(),
                0..TIMES.len(),
                0..4usize,
            ),
            prop::collection::vec((0..ATTRIBUTE_NAMES.len(), 0..ATTRIBUTE_VALUES.len()), 0..3),
            prop::option::weighted(
                0.4,
                (any::<Index>(), 0..RELATION_TYPES.len(), 0..NOTES.len()),
            ),
        )
            .prop_map(
                |((shape, tag, note, created, modified, id_kind), attributes, link)| Spec {
                    shape,
                    tag,
                    note,
                    created,
                    modified,
                    id_kind,
                    attributes,
                    link,
                },
            ),
        0..12,
    )
}

fn attributes_of(spec: &Spec) -> Attributes {
    spec.attributes
        .iter()
        .map(|&(name, value)| {
            let value = match ATTRIBUTE_VALUES[value] {
                None => AttributeValue::Flag(true),
                Some(text) => AttributeValue::Text(text.to_owned()),
            };
            (ATTRIBUTE_NAMES[name].to_owned(), value)
        })
        .collect()
}

fn id_for(kind: usize, i: usize) -> String {
    match kind {
        0 => format!("550e8400-e29b-41d4-a716-{i:012x}"),
        1 => format!("id with space {i}"),
        2 => format!("😀\"q\"%{i}"),
        _ => format!("a{i}"),
    }
}

/// Orphans: recorded anywhere (even past the end), with a quote that is not in any generated
/// text, or none.
fn orphan_specs() -> impl Strategy<Value = Vec<(usize, usize, usize, Option<usize>)>> {
    prop::collection::vec(
        (
            0usize..400,
            1usize..20,
            0..TAGS.len(),
            prop::option::of(0usize..2),
        ),
        0..3,
    )
}

const GONE: &[&str] = &["§gone§", "§ also\ngone"];

fn build_store(
    document: &Document,
    specs: &[Spec],
    orphans: &[(usize, usize, usize, Option<usize>)],
) -> AnnotationStore {
    let mut store = AnnotationStore::new(document.char_len());
    if document.char_len() > 0 {
        let mut previous = None;
        for (i, spec) in specs.iter().enumerate() {
            let s = place(&spec.shape, document, previous);
            previous = Some(s);
            let annotation = Annotation {
                id: AnnotationId::from(id_for(spec.id_kind, i)),
                span: s,
                tag: Tag::from(TAGS[spec.tag]),
                note: NOTES[spec.note].to_owned(),
                attributes: attributes_of(spec),
                created: TIMES[spec.created].to_owned(),
                modified: TIMES[spec.modified].to_owned(),
            };
            store.apply(Command::Create { annotation }).unwrap();
        }
    }
    for (i, &(start, len, tag, quote)) in orphans.iter().enumerate() {
        let orphan = Orphan {
            annotation: Annotation {
                note: NOTES[tag % NOTES.len()].to_owned(),
                ..Annotation::new(
                    AnnotationId::from(format!("orphan {i}")),
                    span(start, start + len),
                    Tag::from(TAGS[tag]),
                    TIMES[i % TIMES.len()],
                )
            },
            quote: quote.map(|q| GONE[q].to_owned()),
        };
        store.apply(Command::AddOrphan { orphan }).unwrap();
    }
    // Each link, from its annotation to any annotation or orphan but itself.
    let ends: Vec<AnnotationId> = store
        .in_document_order()
        .map(|a| a.id.clone())
        .chain(store.orphans().iter().map(|o| o.annotation.id.clone()))
        .collect();
    if document.char_len() > 0 {
        for (i, spec) in specs.iter().enumerate() {
            let Some((to, kind, note)) = &spec.link else {
                continue;
            };
            let from = AnnotationId::from(id_for(spec.id_kind, i));
            let to = ends[to.index(ends.len())].clone();
            if to == from {
                continue;
            }
            let relation = Relation {
                note: NOTES[*note].to_owned(),
                ..Relation::new(
                    AnnotationId::from(id_for(spec.id_kind, 1_000 + i)),
                    RELATION_TYPES[*kind],
                    from,
                    to,
                )
            };
            store.apply(Command::CreateRelation { relation }).unwrap();
        }
    }
    store
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn export(format: ExportFormat, document: &Document, store: &AnnotationStore) -> Exported {
    format::export(format, document, "doc.txt", store, &LabelSet::default())
}

/// `format::import` with no id in use and fresh ids that no file id can equal.
fn import_fresh(document: &Document, input: &[u8]) -> Result<ImportReport, FormatError> {
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        AnnotationId::from(format!("\u{1}fresh-{n}"))
    };
    format::import(
        document,
        input,
        ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: NOW,
        },
    )
}

fn annotations(store: &AnnotationStore) -> Vec<Annotation> {
    store
        .in_document_order()
        .map(|a| Annotation::clone(a))
        .collect()
}

fn dated(time: &str) -> String {
    if time.is_empty() { NOW } else { time }.to_owned()
}

/// Invariants of any successful import: landed spans are valid spans of the document and no
/// id is used twice.
fn check_report(document: &Document, report: &ImportReport) -> Result<(), TestCaseError> {
    for annotation in report.landed() {
        prop_assert!(
            document.slice(annotation.span).is_some(),
            "landed out of bounds: {:?}",
            annotation
        );
    }
    let mut ids = HashSet::new();
    let all = report
        .landed()
        .map(|a| a.id.as_str())
        .chain(report.orphaned.iter().map(|o| o.annotation.id.as_str()));
    for id in all {
        prop_assert!(ids.insert(id.to_owned()), "id {:?} used twice", id);
    }
    Ok(())
}

/// Imports an export of `store` back on `document`: every annotation placed exactly.
fn import_back(document: &Document, exported: &Exported) -> Result<ImportReport, TestCaseError> {
    let report = import_fresh(document, &exported.bytes)
        .map_err(|e| TestCaseError::fail(format!("{} does not import: {e}", exported.file_name)))?;
    check_report(document, &report)?;
    prop_assert!(
        report.reanchored.is_empty(),
        "reanchored: {:?}",
        report.reanchored
    );
    Ok(report)
}

/// The entries of a zip, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (entry.name().to_owned(), text)
        })
        .collect()
}

/// `files` zipped again by the `zip` crate (Stored), after a directory entry and a README.
fn rezip(files: &[(String, String)]) -> Vec<u8> {
    use std::io::Write;
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.add_directory("corpus/", options).unwrap();
    writer.start_file("corpus/README", options).unwrap();
    writer.write_all(b"exported from Marginalia").unwrap();
    for (name, text) in files {
        writer
            .start_file(format!("corpus/{name}"), options)
            .unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// What a report placed, comparable across imports.
fn annotations_of(report: &ImportReport) -> Vec<(Span, Tag, String)> {
    report
        .landed()
        .map(|a| (a.span, a.tag.clone(), a.note.clone()))
        .collect()
}

/// The relations of `store` between placed annotations: what every format but Marginalia's
/// carries (when it carries relations).
fn placed_relations(store: &AnnotationStore) -> Vec<Relation> {
    store
        .relations()
        .filter(|r| store.get(&r.from).is_some() && store.get(&r.to).is_some())
        .map(|r| Relation::clone(r))
        .collect()
}

/// Relations by type, the positions of their ends among `ends` (annotation ids in document
/// order) and note, sorted: comparable across formats that give imports new ids.
fn relations_between(
    ends: &[&AnnotationId],
    relations: &[Relation],
) -> Vec<(String, usize, usize, String)> {
    let position = |id: &AnnotationId| ends.iter().position(|end| *end == id).unwrap();
    let mut found: Vec<_> = relations
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                position(&r.from),
                position(&r.to),
                r.note.clone(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The relations a format gives back by ends' positions, with their notes or without.
fn relations_round_trip(
    store: &AnnotationStore,
    report: &ImportReport,
    notes: bool,
) -> Result<(), TestCaseError> {
    let strip = |mut relations: Vec<(String, usize, usize, String)>| {
        if !notes {
            relations.iter_mut().for_each(|r| r.3.clear());
        }
        relations
    };
    let stored: Vec<&AnnotationId> = store.in_document_order().map(|a| &a.id).collect();
    let placed: Vec<&AnnotationId> = report.placed.iter().map(|a| &a.id).collect();
    prop_assert_eq!(
        relations_between(&placed, &report.relations),
        strip(relations_between(&stored, &placed_relations(store)))
    );
    Ok(())
}

/// True when `store` has something `format` leaves out and says so in the export's note.
fn leaves_out(format: ExportFormat, store: &AnnotationStore) -> bool {
    let carried = if format.carries_relations() {
        placed_relations(store).len()
    } else {
        0
    };
    let annotation_notes =
        format == ExportFormat::Doccano && store.in_document_order().any(|a| !a.note.is_empty());
    let relation_notes = matches!(format, ExportFormat::Doccano | ExportFormat::LabelStudio)
        && placed_relations(store).iter().any(|r| !r.note.is_empty());
    let notes = annotation_notes || relation_notes;
    let attributes =
        !format.carries_attributes() && store.in_document_order().any(|a| !a.attributes.is_empty());
    !store.orphans().is_empty() || store.relation_count() > carried || notes || attributes
}

/// CoNLL's oracle: each span trimmed of whitespace (blank ones dropped), then in document order
/// those overlapping an earlier kept one dropped. Returns the kept spans with the tag they read
/// back as, and the two counts.
fn conll_oracle(
    document: &Document,
    store: &AnnotationStore,
) -> (Vec<(Span, String)>, usize, usize) {
    let chars: Vec<char> = document.text().chars().collect();
    let mut trimmed = Vec::new();
    let mut blank = 0;
    for a in store.in_document_order() {
        let (mut start, mut end) = (a.span.start, a.span.end);
        while start < end && chars[start].is_whitespace() {
            start += 1;
        }
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if start == end {
            blank += 1;
            continue;
        }
        let label: String = a
            .tag
            .as_str()
            .to_uppercase()
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c })
            .collect();
        trimmed.push((span(start, end), label.to_lowercase()));
    }
    trimmed.sort_by_key(|(s, _)| (s.start, Reverse(s.end)));
    let mut kept: Vec<(Span, String)> = Vec::new();
    let mut overlapping = 0;
    for (s, tag) in trimmed {
        if kept.iter().any(|(k, _)| k.overlaps(s)) {
            overlapping += 1;
        } else {
            kept.push((s, tag));
        }
    }
    (kept, overlapping, blank)
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn marginalia_round_trip_keeps_everything_including_orphans_and_relations(
        raw in raw_text(120), specs in specs(), orphans in orphan_specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &orphans);
        let exported = export(ExportFormat::Marginalia, &document, &store);
        prop_assert_eq!(&exported.note, &None);
        let report = import_back(&document, &exported)?;
        prop_assert_eq!(&report.placed, &annotations(&store));
        let expected: Vec<Orphan> = store.orphans().iter().map(|o| Orphan::clone(o)).collect();
        prop_assert_eq!(&report.orphaned, &expected);
        let relations: Vec<Relation> = store.relations().map(|r| Relation::clone(r)).collect();
        prop_assert_eq!(&report.relations, &relations);
        // The report applies as one batch: the store is the one exported.
        prop_assert_eq!(report.store_on(&document).unwrap(), store);
    }

    #[test]
    fn w3c_round_trip_keeps_ids_tags_notes_attributes_timestamps_and_relations(
        raw in raw_text(120), specs in specs(), orphans in orphan_specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &orphans);
        let exported = export(ExportFormat::W3c, &document, &store);
        prop_assert_eq!(exported.note.is_some(), leaves_out(ExportFormat::W3c, &store));
        let report = import_back(&document, &exported)?;
        prop_assert!(report.orphaned.is_empty());
        // Empty timestamps are left out of the file, so they read back as the import's time.
        let expected: Vec<Annotation> = annotations(&store)
            .into_iter()
            .map(|a| Annotation { created: dated(&a.created), modified: dated(&a.modified), ..a })
            .collect();
        prop_assert_eq!(&report.placed, &expected);
        prop_assert_eq!(&report.relations, &placed_relations(&store));
        prop_assert!(report.notes.is_empty(), "{:?}", report.notes);
    }

    #[test]
    fn spacy_round_trip_keeps_spans_tags_ids_notes_and_attributes(
        raw in raw_text(120), specs in specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let exported = export(ExportFormat::Spacy, &document, &store);
        prop_assert_eq!(exported.note.is_some(), store.relation_count() > 0);
        let report = import_back(&document, &exported)?;
        let expected: Vec<Annotation> = annotations(&store)
            .into_iter()
            .map(|a| Annotation { created: NOW.into(), modified: NOW.into(), ..a })
            .collect();
        prop_assert_eq!(&report.placed, &expected);
        prop_assert!(report.relations.is_empty());
    }

    #[test]
    fn doccano_round_trip_keeps_spans_tags_and_relations(raw in raw_text(120), specs in specs()) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let exported = export(ExportFormat::Doccano, &document, &store);
        prop_assert_eq!(exported.note.is_some(), leaves_out(ExportFormat::Doccano, &store));
        let line: Value = serde_json::from_slice(&exported.bytes).unwrap();
        // doccano's relation format only when there are relations.
        prop_assert_eq!(line.get("relations").is_some(), store.relation_count() > 0);
        prop_assert_eq!(line.get("label").is_some(), store.relation_count() == 0);
        let report = import_back(&document, &exported)?;
        let got: Vec<(Span, Tag)> = report.placed.iter().map(|a| (a.span, a.tag.clone())).collect();
        let expected: Vec<(Span, Tag)> = store.in_document_order().map(|a| (a.span, a.tag.clone())).collect();
        prop_assert_eq!(got, expected);
        prop_assert!(report.placed.iter().all(|a| a.note.is_empty() && a.attributes.is_empty() && a.created == NOW));
        relations_round_trip(&store, &report, false)?;
    }

    #[test]
    fn brat_round_trip_keeps_spans_tags_notes_attributes_and_relations(
        raw in raw_text(120), specs in specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let exported = export(ExportFormat::Brat, &document, &store);
        prop_assert_eq!(&exported.note, &None);
        let report = import_back(&document, &exported)?;
        type Carried = (Span, Tag, String, Attributes);
        let carried = |a: &Annotation| -> Carried {
            (a.span, a.tag.clone(), a.note.clone(), a.attributes.clone())
        };
        let got: Vec<Carried> = report.placed.iter().map(carried).collect();
        let expected: Vec<Carried> = store.in_document_order().map(|a| carried(a)).collect();
        prop_assert_eq!(&got, &expected);
        relations_round_trip(&store, &report, true)?;
        // The bare .ann file reads the same on the open text; the archive reads in the `zip`
        // crate too, and the same files zipped by it (with a directory and another entry
        // first, as people re-pack them) import the same.
        let files = unzip(&exported.bytes);
        let repacked = rezip(&files);
        let again = import_fresh(&document, &repacked).expect("a zip written by another tool");
        prop_assert_eq!(annotations_of(&again), annotations_of(&report));
        relations_round_trip(&store, &again, true)?;
        let ann = &files.iter().find(|(name, _)| name == "doc.ann").expect("doc.ann").1;
        if !ann.is_empty() {
            let bare = import_fresh(&document, ann.as_bytes()).expect("the .ann imports alone");
            let got: Vec<Carried> = bare.placed.iter().map(carried).collect();
            prop_assert_eq!(&got, &expected);
            relations_round_trip(&store, &bare, true)?;
        }
        // annotation.conf declares every type, relation type and attribute the .ann uses.
        let conf = &files.iter().find(|(name, _)| name == "annotation.conf").expect("annotation.conf").1;
        let declared = |section: &str| -> HashSet<String> {
            let body = conf.split(&format!("[{section}]\n")).nth(1).unwrap_or_default();
            body.lines()
                .take_while(|l| !l.starts_with('['))
                .filter(|l| !l.is_empty())
                .map(|l| l.split('\t').next().unwrap().to_owned())
                .collect()
        };
        let (entities, relations, attributes) = (declared("entities"), declared("relations"), declared("attributes"));
        for line in ann.lines() {
            let (id, rest) = line.split_once('\t').unwrap();
            let name = rest.split([' ', '\t']).next().unwrap();
            let set = match &id[..1] {
                "T" => &entities,
                "R" => &relations,
                "A" => &attributes,
                _ => continue,
            };
            prop_assert!(set.contains(name), "{} is not declared in\n{}", name, conf);
        }
    }
    #[test]
    fn conll_round_trip_gives_the_outermost_spans_and_counts_the_rest(
        raw in raw_text(120), specs in specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let (kept, overlapping, blank) = conll_oracle(&document, &store);
        let out = conll::export(&document, &store);
        prop_assert_eq!((out.overlapping, out.blank), (overlapping, blank));
        let exported = export(ExportFormat::Conll, &document, &store);
        prop_assert_eq!(exported.bytes.as_slice(), out.text.as_bytes());
        prop_assert_eq!(exported.note.is_some(), overlapping + blank > 0 || leaves_out(ExportFormat::Conll, &store));
        if let Some(note) = &exported.note {
            if overlapping > 0 {
                prop_assert!(note.starts_with(&format!("{overlapping} nested or overlapping span")), "{}", note);
            }
            if store.relation_count() > 0 {
                let relations = format!("{} left out of the CoNLL file", format::plural(store.relation_count(), "relation"));
                prop_assert!(note.contains(&relations), "{}", note);
            }
        }
        // Tokens are the text without whitespace, in order.
        let tokens: String = out.text.lines().filter(|l| !l.is_empty()).map(|l| l.split('\t').next().unwrap()).collect();
        let no_space: String = document.text().chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(tokens, no_space);
        if out.text.is_empty() {
            prop_assert!(kept.is_empty());
            return Ok(());
        }
        let report = import_back(&document, &exported)?;
        let got: Vec<(Span, String)> =
            report.placed.iter().map(|a| (a.span, a.tag.as_str().to_owned())).collect();
        prop_assert_eq!(got, kept);
    }

    #[test]
    fn label_studio_round_trip_keeps_spans_tags_ids_notes_attributes_and_relations(
        raw in raw_text(120), specs in specs(), orphans in orphan_specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &orphans);
        let exported = export(ExportFormat::LabelStudio, &document, &store);
        prop_assert_eq!(exported.note.is_some(), leaves_out(ExportFormat::LabelStudio, &store));
        let report = import_back(&document, &exported)?;
        prop_assert!(report.orphaned.is_empty() && report.notes.is_empty(), "{:?}", report.notes);
        let expected: Vec<Annotation> = annotations(&store)
            .into_iter()
            .map(|a| Annotation { created: NOW.into(), modified: NOW.into(), ..a })
            .collect();
        prop_assert_eq!(&report.placed, &expected);
        // Region ids are the annotations' ids; relations' ids and notes are not carried.
        let ends = |relations: &[Relation]| -> Vec<(String, AnnotationId, AnnotationId)> {
            relations.iter().map(|r| (r.kind.clone(), r.from.clone(), r.to.clone())).collect()
        };
        prop_assert_eq!(ends(&report.relations), ends(&placed_relations(&store)));
    }

    #[test]
    fn label_studio_files_in_utf16_code_units_import_to_the_same_spans(
        raw in raw_text(120), specs in specs(),
    ) {
        // What an older Label Studio wrote: offsets in JavaScript string indices.
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let mut tasks: Value =
            serde_json::from_slice(&export(ExportFormat::LabelStudio, &document, &store).bytes).unwrap();
        let utf16 = |chars: usize| -> u64 {
            document.text().chars().take(chars).map(|c| c.len_utf16() as u64).sum()
        };
        for result in tasks[0]["annotations"][0]["result"].as_array_mut().unwrap() {
            let Some(value) = result.get_mut("value").and_then(Value::as_object_mut) else {
                continue; // a relation: no offsets
            };
            for key in ["start", "end"] {
                let chars = value[key].as_u64().unwrap() as usize;
                value.insert(key.into(), utf16(chars).into());
            }
        }
        let report = import_fresh(&document, tasks.to_string().as_bytes()).unwrap();
        check_report(&document, &report)?;
        // Where the text at the UTF-16 numbers read as code points is the quote too ("😀  "
        // with a space at 1..2, written 2..3), nothing tells the units apart: code points win.
        let ambiguous = |a: &Annotation| {
            let (start, end) = (utf16(a.span.start) as usize, utf16(a.span.end) as usize);
            (start, end) != (a.span.start, a.span.end)
                && slice_oracle(document.text(), start, end) == slice_oracle(document.text(), a.span.start, a.span.end)
        };
        let got: Vec<(Span, Tag, String)> = annotations_of(&report);
        prop_assert_eq!(got.len(), store.len());
        for ((span, tag, note), a) in got.into_iter().zip(store.in_document_order()) {
            prop_assert_eq!((&tag, &note), (&a.tag, &a.note));
            if !ambiguous(a) {
                prop_assert_eq!(span, a.span);
            }
        }
    }

    #[test]
    fn prodigy_tokens_rebuild_the_text_every_span_is_whole_tokens_and_relations_round_trip(
        raw in raw_text(120), specs in specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let exported = export(ExportFormat::Prodigy, &document, &store);
        prop_assert_eq!(&exported.note, &None);
        prop_assert_eq!(
            serde_json::from_slice::<Value>(&exported.bytes).unwrap().get("relations").is_some(),
            store.relation_count() > 0
        );
        let line: Value = serde_json::from_slice(&exported.bytes).unwrap();
        let text = document.text();
        prop_assert_eq!(line["text"].as_str(), Some(text));
        // spaCy's Doc(words, spaces).text, and each token's offsets slicing its text.
        let tokens = line["tokens"].as_array().unwrap();
        let mut rebuilt = String::new();
        for (i, token) in tokens.iter().enumerate() {
            let (start, end) = (token["start"].as_u64().unwrap() as usize, token["end"].as_u64().unwrap() as usize);
            prop_assert_eq!(token["id"].as_u64(), Some(i as u64));
            prop_assert_eq!(token["text"].as_str().unwrap(), slice_oracle(text, start, end));
            prop_assert_eq!(rebuilt.chars().count(), start, "tokens leave a gap before {}", i);
            rebuilt.push_str(token["text"].as_str().unwrap());
            if token["ws"].as_bool().unwrap() {
                rebuilt.push(' ');
            }
        }
        prop_assert_eq!(rebuilt.as_str(), text);
        for span in line["spans"].as_array().unwrap() {
            let first = &tokens[span["token_start"].as_u64().unwrap() as usize];
            let last = &tokens[span["token_end"].as_u64().unwrap() as usize];
            prop_assert_eq!(&first["start"], &span["start"]);
            prop_assert_eq!(&last["end"], &span["end"]);
        }
        let report = import_back(&document, &exported)?;
        prop_assert!(report.notes.is_empty(), "{:?}", report.notes);
        let expected: Vec<Annotation> = annotations(&store)
            .into_iter()
            .map(|a| Annotation { created: NOW.into(), modified: NOW.into(), ..a })
            .collect();
        prop_assert_eq!(&report.placed, &expected);
        prop_assert_eq!(&report.relations, &placed_relations(&store));
        // The tokenizer alone: a token per run, whitespace beyond one space its own token.
        let bare = prodigy::tokens(&document, &[]);
        for token in &bare {
            let piece = slice_oracle(text, token.span.start, token.span.end);
            let all_space = piece.chars().all(char::is_whitespace);
            prop_assert!(all_space || !piece.chars().any(char::is_whitespace), "{:?}", piece);
        }
    }

    #[test]
    fn hf_round_trip_gives_the_outermost_spans_as_conll_does(
        raw in raw_text(120), specs in specs(),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let (kept, overlapping, blank) = conll_oracle(&document, &store);
        let out = hf::export(&document, "doc", &store);
        prop_assert_eq!((out.overlapping, out.blank), (overlapping, blank));
        let exported = export(ExportFormat::Hf, &document, &store);
        prop_assert_eq!(exported.bytes.as_slice(), out.text.as_bytes());
        let mut tokens = String::new();
        for (n, line) in out.text.lines().enumerate() {
            let line: Value = serde_json::from_str(line).unwrap();
            let id = format!("doc-{n}");
            prop_assert_eq!(line["id"].as_str(), Some(id.as_str()));
            let words = line["tokens"].as_array().unwrap();
            let tags = line["ner_tags"].as_array().unwrap();
            prop_assert_eq!(words.len(), tags.len());
            for (word, tag) in words.iter().zip(tags) {
                tokens.push_str(word.as_str().unwrap());
                let tag = tag.as_str().unwrap();
                prop_assert!(tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"), "{}", tag);
            }
            // IOB2: a sentence never opens inside a span.
            prop_assert!(!tags[0].as_str().unwrap().starts_with("I-"));
        }
        let no_space: String = document.text().chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(tokens, no_space);
        if out.text.is_empty() {
            prop_assert!(kept.is_empty());
            return Ok(());
        }
        let report = import_back(&document, &exported)?;
        let got: Vec<(Span, String)> =
            report.placed.iter().map(|a| (a.span, a.tag.as_str().to_owned())).collect();
        prop_assert_eq!(got, kept);
    }

    #[test]
    fn every_export_quotes_exactly_the_code_point_slice(raw in raw_text(120), specs in specs()) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &[]);
        let text = document.text();
        let expected: Vec<(usize, usize, String)> = store
            .in_document_order()
            .map(|a| (a.span.start, a.span.end, slice_oracle(text, a.span.start, a.span.end)))
            .collect();
        let u = |v: &Value| v.as_u64().unwrap() as usize;

        // marginalia: text, and each item's quote at its offsets.
        let file: Value = serde_json::from_slice(&export(ExportFormat::Marginalia, &document, &store).bytes).unwrap();
        prop_assert_eq!(file["text"].as_str(), Some(text));
        let got: Vec<(usize, usize, String)> = file["annotations"].as_array().unwrap().iter()
            .map(|i| (u(&i["start"]), u(&i["end"]), i["quote"].as_str().unwrap().to_owned()))
            .collect();
        prop_assert_eq!(&got, &expected);

        // W3C: exact at the position, and 32 code points of context on each side.
        let file: Value = serde_json::from_slice(&export(ExportFormat::W3c, &document, &store).bytes).unwrap();
        let items = file["first"]["items"].as_array().unwrap();
        prop_assert_eq!(file["total"].as_u64(), Some(items.len() as u64));
        let mut got = Vec::new();
        for item in items.iter().filter(|i| i["motivation"] != "linking") {
            let selector = &item["target"]["selector"];
            let (start, end) = (u(&selector[1]["start"]), u(&selector[1]["end"]));
            let prefix = slice_oracle(text, start.saturating_sub(32), start);
            let suffix = slice_oracle(text, end, end + 32);
            prop_assert_eq!(selector[0]["prefix"].as_str(), Some(prefix.as_str()));
            prop_assert_eq!(selector[0]["suffix"].as_str(), Some(suffix.as_str()));
            got.push((start, end, selector[0]["exact"].as_str().unwrap().to_owned()));
        }
        prop_assert_eq!(&got, &expected);

        // spaCy: one line, the text itself, and text[start:end] == span text.
        let bytes = export(ExportFormat::Spacy, &document, &store).bytes;
        let line: Value = serde_json::from_slice(&bytes).unwrap();
        let line_text = line["text"].as_str().unwrap();
        prop_assert_eq!(line_text, text);
        let got: Vec<(usize, usize, String)> = line["spans"].as_array().unwrap().iter()
            .map(|s| {
                let (start, end) = (u(&s["start"]), u(&s["end"]));
                let sliced = slice_oracle(line_text, start, end);
                prop_assert_eq!(s["text"].as_str(), Some(sliced.as_str()));
                Ok((start, end, s["text"].as_str().unwrap().to_owned()))
            })
            .collect::<Result<_, TestCaseError>>()?;
        prop_assert_eq!(&got, &expected);

        // doccano: the text itself, and the triples' (or entities') offsets slice the quotes.
        let line: Value = serde_json::from_slice(&export(ExportFormat::Doccano, &document, &store).bytes).unwrap();
        let line_text = line["text"].as_str().unwrap();
        prop_assert_eq!(line_text, text);
        let got: Vec<(usize, usize, String)> = match line.get("label") {
            Some(triples) => triples.as_array().unwrap().iter()
                .map(|t| (u(&t[0]), u(&t[1]), slice_oracle(line_text, u(&t[0]), u(&t[1]))))
                .collect(),
            None => line["entities"].as_array().unwrap().iter()
                .map(|e| {
                    let (start, end) = (u(&e["start_offset"]), u(&e["end_offset"]));
                    (start, end, slice_oracle(line_text, start, end))
                })
                .collect(),
        };
        prop_assert_eq!(&got, &expected);

        // brat: NAME.txt is the text; each T line's fragments slice it to the text field, and
        // together they span the quote.
        let files = unzip(&export(ExportFormat::Brat, &document, &store).bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        prop_assert_eq!(names, ["doc.txt", "doc.ann", "annotation.conf"]);
        let txt = &files[0].1;
        prop_assert_eq!(txt.as_str(), text);
        let mut got = Vec::new();
        for line in files[1].1.lines().filter(|l| l.starts_with('T')) {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            let (_, offsets) = fields[1].split_once(' ').unwrap();
            let fragments: Vec<(usize, usize)> = offsets
                .split(';')
                .map(|f| {
                    let (s, e) = f.split_once(' ').unwrap();
                    (s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            let pieces: Vec<String> = fragments.iter().map(|&(s, e)| slice_oracle(txt, s, e).replace('\n', " ")).collect();
            prop_assert_eq!(pieces.join(" "), fields[2]);
            // Fragments are cut only at line breaks.
            for pair in fragments.windows(2) {
                let gap = slice_oracle(txt, pair[0].1, pair[1].0);
                prop_assert!(!gap.is_empty() && gap.chars().all(|c| c == '\n'), "gap {:?}", gap);
            }
            let start = fragments.iter().map(|f| f.0).min().unwrap();
            let end = fragments.iter().map(|f| f.1).max().unwrap();
            got.push((start, end, slice_oracle(txt, start, end)));
        }
        prop_assert_eq!(&got, &expected);
    }
}

// ---------------------------------------------------------------------------------------------
// No panics
// ---------------------------------------------------------------------------------------------

fn format_choice() -> impl Strategy<Value = ExportFormat> {
    select(ExportFormat::ALL.to_vec())
}

#[derive(Debug, Clone)]
enum Corruption {
    Truncate(Index),
    Flip(Index, u8),
    Delete(Index, usize),
    Insert(Index, Vec<u8>),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let junk = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..6),
        select(vec![
            b"\t".to_vec(),
            b"\n".to_vec(),
            b";".to_vec(),
            b"-1".to_vec(),
            b"99999999999999999999".to_vec(),
            b"\"".to_vec(),
            b"{".to_vec(),
            b"]".to_vec(),
            b"B-".to_vec(),
            b" 0 ".to_vec(),
            b"PK".to_vec(),
            "😀".as_bytes().to_vec(),
        ]),
    ];
    prop_oneof![
        any::<Index>().prop_map(Corruption::Truncate),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Corruption::Flip(i, b)),
        (any::<Index>(), 1usize..20).prop_map(|(i, n)| Corruption::Delete(i, n)),
        (any::<Index>(), junk).prop_map(|(i, j)| Corruption::Insert(i, j)),
    ]
}

fn corrupt(bytes: &mut Vec<u8>, corruption: &Corruption) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match corruption {
        Corruption::Truncate(i) => {
            let n = at(i, bytes.len());
            bytes.truncate(n);
        }
        Corruption::Flip(i, b) => {
            if !bytes.is_empty() {
                let n = i.index(bytes.len());
                bytes[n] = *b;
            }
        }
        Corruption::Delete(i, n) => {
            let start = at(i, bytes.len());
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        Corruption::Insert(i, junk) => {
            let start = at(i, bytes.len());
            bytes.splice(start..start, junk.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn import_never_panics_on_arbitrary_bytes(
        prefix in select(vec![&b""[..], b"PK\x03\x04", b"{", b"[", b"T1\t", b"w\tB-", b"{\"text\": \"", b"#1\tAnnotatorNotes "]),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        text in ".{0,200}",
    ) {
        let document = Document::from_raw("Hello wörld 😀\n\nSecond paragraph.");
        for input in [[prefix, &bytes[..]].concat(), [prefix, text.as_bytes()].concat()] {
            if let Ok(report) = import_fresh(&document, &input) {
                check_report(&document, &report)?;
            }
        }
    }

    #[test]
    fn import_never_panics_on_truncated_or_corrupted_exports(
        raw in raw_text(50),
        specs in specs(),
        orphans in orphan_specs(),
        format in format_choice(),
        corruptions in prop::collection::vec(corruption(), 1..4),
        other in raw_text(50),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs, &orphans);
        let mut bytes = export(format, &document, &store).bytes;
        for c in &corruptions {
            corrupt(&mut bytes, c);
        }
        for target in [&document, &Document::from_raw(&other)] {
            if let Ok(report) = import_fresh(target, &bytes) {
                check_report(target, &report)?;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sample article: golden files and spaCy's rules
// ---------------------------------------------------------------------------------------------

/// The code-point span of the `nth` occurrence of `quote` in `document`.
fn find(document: &Document, quote: &str, nth: usize) -> Span {
    let (byte, _) = document
        .text()
        .match_indices(quote)
        .nth(nth)
        .unwrap_or_else(|| panic!("{quote:?} is not in the sample"));
    let start = document.byte_to_char(byte);
    span(start, start + quote.chars().count())
}

/// A fixed set of annotations on the sample article: every tag, a note with a line break, a
/// nested span, two overlapping ones, one across paragraphs, one on the emoji, one at the very
/// start, one reaching the very end, a custom label, a non-UUID id, and an orphan; a flag, a
/// choice and a free-text attribute; relations of both default types, one with a note, one to
/// a span of a label the type does not name, one to the orphan.
fn sample_store(document: &Document) -> AnnotationStore {
    let at_end = span(
        find(document, "at the earliest.", 0).start,
        document.char_len(),
    );
    let across = span(
        find(document, "Similar structures already protect Rotterdam", 0).start,
        find(document, "Engineers from the consulting firm", 0).end,
    );
    let specs: Vec<(&str, Span, &str, &str)> = vec![
        ("not-a-uuid:headline", find(document, "Harbour city weighs tide barrier", 0), "claim", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d01", find(document, "412 million euros", 0), "claim", "Check against the feasibility study."),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d02", find(document, "“We are no longer talking about a once-in-a-century storm,” said Mayor Renée Castellanos", 0), "quote", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d03", find(document, "Renée Castellanos", 0), "person", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d04", find(document, "he would only support the project if the national government agreed to cover at least half of the cost", 0), "condition", "Ibáñez's condition.\nHalf, not all."),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d05", across, "claim", "Spans two paragraphs."),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d06", find(document, "🌊", 0), "place name", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d07", find(document, "If no funding decision arrives by March", 0), "condition", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d08", find(document, "by March, she said, the council would consider a smaller first phase", 0), "claim", ""),
        ("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d09", at_end, "quote", ""),
    ];
    let attributes = |id: &str| -> Attributes {
        let (name, value) = match id.chars().last() {
            Some('1') => ("hedged", AttributeValue::Flag(true)),
            Some('2') => ("kind", AttributeValue::Text("direct".into())),
            Some('6') => ("region", AttributeValue::Text("Tagus estuary".into())),
            _ => return Attributes::new(),
        };
        Attributes::from([(name.to_owned(), value)])
    };
    let mut store = AnnotationStore::new(document.char_len());
    for (i, (id, s, tag, note)) in specs.into_iter().enumerate() {
        let annotation = Annotation {
            id: id.into(),
            span: s,
            tag: Tag::from(tag),
            note: note.to_owned(),
            attributes: attributes(id),
            created: format!("2026-02-10T09:{i:02}:00.000Z"),
            modified: format!("2026-02-10T10:{i:02}:30.000Z"),
        };
        store.apply(Command::Create { annotation }).unwrap();
    }
    let orphan = Orphan {
        annotation: Annotation::new(
            "0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d10".into(),
            span(900, 926),
            Tag::Claim,
            "2026-02-10T11:00:00.000Z",
        ),
        quote: Some("a tunnel under the estuary".into()),
    };
    store.apply(Command::AddOrphan { orphan }).unwrap();
    let relations = [
        (
            "5c1e9a40-7d2b-4e8f-a1c3-000000000001",
            "attributed-to",
            "02",
            "03",
            "",
        ),
        (
            "5c1e9a40-7d2b-4e8f-a1c3-000000000002",
            "qualifies",
            "07",
            "08",
            "Only if Lisbon does not pay.",
        ),
        (
            "5c1e9a40-7d2b-4e8f-a1c3-000000000003",
            "attributed-to",
            "01",
            "10",
            "",
        ),
    ];
    for (id, kind, from, to, note) in relations {
        let end = |n: &str| AnnotationId::from(format!("0b7d2c8e-4f1a-4c3b-9e6d-5a8f7b2c1d{n}"));
        let relation = Relation {
            note: note.to_owned(),
            ..Relation::new(id.into(), kind, end(from), end(to))
        };
        store.apply(Command::CreateRelation { relation }).unwrap();
    }
    store
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn golden_exports_of_the_sample_article_match_byte_for_byte() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let store = sample_store(&document);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for format in ExportFormat::ALL {
        let exported = format::export(format, &document, SAMPLE_NAME, &store, &LabelSet::default());
        assert_eq!(exported.file_name, format.file_name("sample-article"));
        let path = golden_dir().join(&exported.file_name);
        if update {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &exported.bytes).unwrap();
            continue;
        }
        let golden = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_GOLDEN=1 to write it)",
                path.display()
            )
        });
        if golden != exported.bytes {
            let first = golden
                .iter()
                .zip(&exported.bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(golden.len().min(exported.bytes.len()));
            mismatches.push(format!("{} differs from byte {first}", exported.file_name));
        }
        // And each golden file imports back onto the sample.
        let report = import_fresh(&document, &golden).unwrap();
        assert!(report.reanchored.is_empty(), "{}", exported.file_name);
    }
    assert!(
        mismatches.is_empty(),
        "{mismatches:?}; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff"
    );
}

#[test]
fn golden_exports_say_what_the_lossy_formats_leave_out() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let store = sample_store(&document);
    let note =
        |format| format::export(format, &document, SAMPLE_NAME, &store, &LabelSet::default()).note;
    assert_eq!(note(ExportFormat::Marginalia), None);
    // The relation to the orphan is left out with it.
    for format in [ExportFormat::W3c, ExportFormat::Brat, ExportFormat::Prodigy] {
        assert_eq!(
            note(format),
            Some(format!(
                "1 relation left out of the {} file; \
                 1 annotation that could not be placed is kept only in the Marginalia format.",
                format.noun()
            ))
        );
    }
    assert_eq!(
        note(ExportFormat::LabelStudio).as_deref(),
        Some(
            "1 note left out of the Label Studio file; 1 relation left out of the Label Studio file; \
             1 annotation that could not be placed is kept only in the Marginalia format."
        )
    );
    assert_eq!(
        note(ExportFormat::Doccano).as_deref(),
        Some(
            "4 notes left out of the doccano file; 3 attributes left out of the doccano file; \
             1 relation left out of the doccano file; \
             1 annotation that could not be placed is kept only in the Marginalia format."
        )
    );
    assert_eq!(
        note(ExportFormat::Spacy).as_deref(),
        Some(
            "3 relations left out of the spaCy file; \
             1 annotation that could not be placed is kept only in the Marginalia format."
        )
    );
    assert_eq!(
        note(ExportFormat::Hf).as_deref(),
        Some(
            "2 nested or overlapping spans were left out of the Hugging Face file; \
             3 attributes left out of the Hugging Face file; \
             3 relations left out of the Hugging Face file; \
             1 annotation that could not be placed is kept only in the Marginalia format."
        )
    );
    assert_eq!(
        note(ExportFormat::Conll).as_deref(),
        Some(
            "2 nested or overlapping spans were left out of the CoNLL file; \
             3 attributes left out of the CoNLL file; \
             3 relations left out of the CoNLL file; \
             1 annotation that could not be placed is kept only in the Marginalia format."
        )
    );
}

#[test]
fn spacy_export_follows_spacys_rules_on_the_sample_article() {
    // CRLF input: the document (and so every offset) is the LF text.
    let crlf = SAMPLE_TEXT.replace('\n', "\r\n");
    let document = Document::from_raw(&crlf);
    assert_eq!(document.text(), SAMPLE_TEXT);
    let store = sample_store(&document);
    let bytes = format::export(
        ExportFormat::Spacy,
        &document,
        SAMPLE_NAME,
        &store,
        &LabelSet::default(),
    )
    .bytes;
    let text = String::from_utf8(bytes).unwrap();
    // JSON lines: one JSON object per line, each line ending in '\n'.
    assert_eq!(text.matches('\n').count(), 1);
    assert!(text.ends_with('\n'));
    let line: Value = serde_json::from_str(text.trim_end()).unwrap();
    // `nlp(text)` is run on exactly the document text.
    let doc_text = line["text"].as_str().unwrap();
    assert_eq!(doc_text, SAMPLE_TEXT);
    // Python str indexing: a list of code points.
    let py: Vec<char> = doc_text.chars().collect();
    let mut beyond_utf16 = 0;
    for span in line["spans"].as_array().unwrap() {
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= py.len(), "{span}");
        let sliced: String = py[start..end].iter().collect();
        assert_eq!(
            span["text"].as_str(),
            Some(sliced.as_str()),
            "text[start:end] for {span}"
        );
        let label = span["label"].as_str().unwrap();
        assert_eq!(label, label.to_uppercase(), "labels are upper case");
        assert!(!label.is_empty() && !label.contains(char::is_control));
        // Not bytes, not UTF-16: after the 🌊 those offsets would differ from ours.
        let utf16_start = doc_text
            .chars()
            .take(start)
            .map(char::len_utf16)
            .sum::<usize>();
        if utf16_start != start {
            beyond_utf16 += 1;
        }
    }
    assert!(
        beyond_utf16 > 0,
        "the sample has spans after a non-BMP character"
    );
    let labels: HashSet<&str> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    for built_in in ["CLAIM", "QUOTE", "CONDITION"] {
        assert!(labels.contains(built_in), "{built_in}");
    }
    // spaCy files from the LF and the CRLF file are the same.
    let lf = Document::from_raw(SAMPLE_TEXT);
    let again = format::export(
        ExportFormat::Spacy,
        &lf,
        SAMPLE_NAME,
        &sample_store(&lf),
        &LabelSet::default(),
    )
    .bytes;
    assert_eq!(again, text.as_bytes());
}

// ---------------------------------------------------------------------------------------------
// Foreign files
// ---------------------------------------------------------------------------------------------

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// (quote, tag, note) of the landed annotations, in file order.
fn landed(document: &Document, report: &ImportReport) -> Vec<(String, String, String)> {
    report
        .landed()
        .map(|a| {
            (
                document.slice(a.span).unwrap().to_owned(),
                a.tag.as_str().to_owned(),
                a.note.clone(),
            )
        })
        .collect()
}

fn triple(quote: &str, tag: &str, note: &str) -> (String, String, String) {
    (quote.to_owned(), tag.to_owned(), note.to_owned())
}

#[test]
fn a_recogito_w3c_file_is_placed_on_the_sample() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let report = import_fresh(&document, &fixture("recogito-sample-article.w3c.json")).unwrap();
    // Exactly at their positions (UTF-16 and code points agree before the 🌊).
    assert_eq!(
        landed(
            &document,
            &ImportReport {
                reanchored: vec![],
                ..report.clone()
            }
        ),
        [
            triple("412 million euros", "claim", ""),
            triple(
                "“We are no longer talking about a once-in-a-century storm,”",
                "quote",
                "The mayor's framing; compare with the 2023 floods."
            ),
            triple("Renée Castellanos", "Person", ""),
            triple(
                "Insurance claims from the harbour district reached 38 million euros in 2025",
                "claim",
                ""
            ),
        ]
    );
    // After the 🌊 Recogito's UTF-16 positions are one off; a quote-only target has none.
    assert_eq!(
        landed(&document, &ImportReport { placed: vec![], ..report.clone() }),
        [
            triple("would only decide on co-financing once the conditions of the European climate adaptation fund were clear", "condition", ""),
            triple("If no funding decision arrives by March", "condition", ""),
        ]
    );
    assert!(report.orphaned.is_empty());
    let first = &report.placed[0];
    assert_eq!(first.id.as_str(), "4f6f9b1c-2a3e-4d5b-9c8a-7e1f0d2b3c4a");
    assert_eq!(first.created, "2026-02-11T09:14:03.512Z");
    assert_eq!(report.placed[1].modified, "2026-02-11T09:21:12.300Z");
}

#[test]
fn a_hypothesis_export_is_reanchored_by_quote_and_context() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let report = import_fresh(&document, &fixture("hypothesis-sample-article.json")).unwrap();
    // Positions count the whole page (and UTF-16): every quote is placed by its context.
    assert!(report.placed.is_empty(), "{:?}", report.placed);
    assert_eq!(
        landed(&document, &report),
        [
            triple(
                "Insurance claims from the harbour district reached 38 million euros in 2025",
                "claim",
                "Check against the insurers' own figures."
            ),
            triple(
                "If Lisbon and Brussels put money on the table, I will vote yes",
                "quote",
                ""
            ),
            triple("he said", "condition", "Which \"he\"? Ibáñez."),
            triple(
                "54 percent of respondents supported the barrier",
                "untagged",
                ""
            ),
        ]
    );
    // "he said" occurs five times: the context picks the one after Ibáñez's quote.
    let lisbon = find(&document, "If Lisbon", 0).start;
    assert_eq!(report.reanchored[2].span, find(&document, "he said", 0));
    assert!(report.reanchored[2].span.start > lisbon);
    assert_eq!(report.reanchored[0].id.as_str(), "Xq3v9PKsEe-2bJcYt0m5Fg");
    assert_eq!(
        report.reanchored[0].modified,
        "2026-02-13T10:05:37.118302+00:00"
    );
    // The page note is kept as an orphan; the reply is not an annotation of the text.
    assert_eq!(report.orphaned.len(), 1);
    let note = &report.orphaned[0];
    assert_eq!(
        (
            note.annotation.tag.as_str(),
            note.annotation.note.as_str(),
            note.quote.as_deref()
        ),
        (
            "reading-list",
            "Useful background for the council story.",
            None
        )
    );
}

#[test]
fn a_doccano_file_with_extra_fields_uses_the_line_of_the_open_text() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let report = import_fresh(&document, &fixture("doccano-sample-article.jsonl")).unwrap();
    assert_eq!(report.placed.len(), 4, "{report:?}");
    assert_eq!(
        landed(&document, &report),
        [
            triple("412 million euros", "claim", ""),
            triple("“We are no longer talking about a once-in-a-century storm,”", "quote", ""),
            triple("only if the city funded an independent study of fish passage before construction began", "condition", ""),
            triple("🌊", "emoji", ""),
        ]
    );
    // On another text, the first line is used and its spans are re-anchored or orphaned.
    let other = Document::from_raw("Nothing to see.");
    let report = import_fresh(&other, &fixture("doccano-sample-article.jsonl")).unwrap();
    assert_eq!(report.orphaned.len(), 1);
    assert_eq!(report.orphaned[0].quote.as_deref(), Some("Short"));
}

// ---------------------------------------------------------------------------------------------
// Label Studio, Prodigy and `datasets` files as those tools write them
// (tests/consumers/write_fixtures.py wrote them with spaCy and `datasets`)
// ---------------------------------------------------------------------------------------------

const FIXTURE_SPANS: [(&str, &str); 4] = [
    ("412 million euros", "claim"),
    (
        "We are no longer talking about a once-in-a-century storm",
        "quote",
    ),
    ("Renée Castellanos", "source"),
    (
        "if the national government agreed to cover at least half of the cost",
        "condition",
    ),
];

#[test]
fn a_label_studio_export_reads_annotations_predictions_and_per_region_notes() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let file = fixture("label-studio-sample-article.json");
    assert_eq!(format::detect(&file).unwrap(), ExportFormat::LabelStudio);
    let report = import_fresh(&document, &file).unwrap();
    let mut expected: Vec<(String, String, String)> = FIXTURE_SPANS
        .iter()
        .map(|(quote, tag)| {
            let note = if *tag == "claim" {
                "check the figure"
            } else {
                ""
            };
            triple(quote, tag, note)
        })
        .collect();
    expected.push(triple("38 million euros", "claim", ""));
    assert_eq!(landed(&document, &report), expected);
    assert_eq!(report.placed.len(), 5, "placed at their offsets");
    assert_eq!(report.placed[0].id.as_str(), "reg0Xk3a9");
    assert_eq!(
        report.notes,
        ["1 result of other kinds (choices, ratings, …) left out"]
    );
    // Its relation: the quote attributed to its source.
    let relation = &report.relations[0];
    assert_eq!(
        (
            relation.kind.as_str(),
            relation.from.as_str(),
            relation.to.as_str()
        ),
        ("attributed-to", "reg1Xk3a9", "reg2Xk3a9")
    );
    // Open… makes a document of each task.
    let shared = format::corpus::shared_documents("project-3.json", &file).unwrap();
    let names: Vec<&str> = shared.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["project-3-1.txt", "project-3-2.txt"]);
    assert_eq!(shared[1].text, SAMPLE_TEXT);
}

#[test]
fn a_prodigy_ner_manual_line_with_spacy_tokens_is_placed_exactly() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let file = fixture("prodigy-sample-article.jsonl");
    assert_eq!(format::detect(&file).unwrap(), ExportFormat::Prodigy);
    let report = import_fresh(&document, &file).unwrap();
    let expected: Vec<_> = FIXTURE_SPANS
        .iter()
        .map(|(q, t)| triple(q, t, ""))
        .collect();
    assert_eq!(landed(&document, &report), expected);
    assert_eq!(report.placed.len(), 4);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

#[test]
fn datasets_json_lines_are_aligned_on_the_open_text() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let file = fixture("datasets-sample-article.jsonl");
    assert_eq!(format::detect(&file).unwrap(), ExportFormat::Hf);
    let report = import_fresh(&document, &file).unwrap();
    let expected: Vec<_> = FIXTURE_SPANS
        .iter()
        .map(|(q, t)| triple(q, t, ""))
        .collect();
    assert_eq!(landed(&document, &report), expected);
    // A ClassLabel feature's numbers need the dataset's names: refused, saying so.
    let error = import_fresh(&document, &fixture("datasets-class-numbers.jsonl"))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("line 1, ner_tags[0]: tags are class numbers"),
        "{error}"
    );
}

#[test]
fn a_brat_zip_deflated_by_pythons_zipfile_reads_like_our_stored_one() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let stored = std::fs::read(golden_dir().join("sample-article.brat.zip")).unwrap();
    let deflated = fixture("brat-deflate-python.zip");
    let from_stored = import_fresh(&document, &stored).unwrap();
    let from_deflated = import_fresh(&document, &deflated).unwrap();
    assert_eq!(from_deflated.placed.len(), from_stored.placed.len());
    assert_eq!(
        landed(&document, &from_deflated),
        landed(&document, &from_stored)
    );
    let shared = format::corpus::shared_documents("corpus.zip", &deflated).unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].name, "sample-article.txt");
}
