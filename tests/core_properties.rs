#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the pure core (model, anchor, format), each checked against a naive oracle.
//!
//! Sizes are kept modest (texts of up to ~300 code points, 64 cases for the heavier properties)
//! so the whole file runs in seconds in a debug build.

mod common;

use common::{place, shape, slice_oracle, span, Shape};

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};

use marginalia::format::marginalia::export;
use marginalia::format::{self, FormatError, ImportContext, ImportReport};
use marginalia::model::{
    Annotation, AnnotationId, AnnotationStore, Command, Document, History, LabelColour, LabelEdit,
    LabelSet, Orphan, Relation, Span, SpanSet, Tag,
};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Generators and oracles shared by several properties
// ---------------------------------------------------------------------------------------------

/// The pieces random texts are made of: ASCII letters and words, spaces, every newline flavour,
/// a precomposed and a combining accent, CJK, non-BMP characters (two UTF-16 units each) and a
/// stray BOM (only a *leading* one is dropped by normalisation).
const ATOMS: &[&str] = &[
    "a", "b", "c", "x", "Y", "Z", "the ", "cat", "sat", " ", " ", " ", "\n", "\n", "\n\n",
    "\n\n\n", "\r", "\r\n", "\r\n\r\n", "é", "e\u{301}", "中", "文", "字", "😀", "🌊", "𝔸",
    "\u{feff}",
];

/// A raw file text of up to `max_atoms` atoms (at most ~2 code points each), sometimes with a BOM.
fn raw_text(max_atoms: usize) -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.2),
        prop::collection::vec(select(ATOMS), 0..max_atoms),
    )
        .prop_map(|(bom, atoms)| {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            atoms.into_iter().for_each(|atom| text.push_str(atom));
            text
        })
}

/// A text over a tiny alphabet: quotes recur, so contexts compete and tie.
fn repetitive_text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(&["a", "b", "ab", " ", "😀"][..]), 0..40)
        .prop_map(|atoms| atoms.concat())
}

/// Oracle of normalisation: one leading BOM dropped, CRLF and lone CR turned into LF.
fn normalize_oracle(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\r' {
            out.push('\n');
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Oracle of paragraphs: split on runs of two or more '\n', strip '\n' at both ends of each
/// piece, drop empty pieces. Code-point start, end, and text of each.
fn paragraphs_oracle(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let (mut piece_start, mut i) = (0, 0);
    while i < chars.len() {
        if chars[i] == '\n' {
            let mut j = i;
            while j < chars.len() && chars[j] == '\n' {
                j += 1;
            }
            if j - i >= 2 {
                pieces.push((piece_start, i));
                piece_start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    pieces.push((piece_start, chars.len()));
    pieces
        .into_iter()
        .filter_map(|(mut start, mut end)| {
            while start < end && chars[start] == '\n' {
                start += 1;
            }
            while end > start && chars[end - 1] == '\n' {
                end -= 1;
            }
            (start < end).then(|| (start, end, chars[start..end].iter().collect()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Document: normalisation, paragraphs, and every offset conversion
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn document_text_is_the_normalised_input(raw in raw_text(150)) {
        let document = Document::from_raw(&raw);
        let expected = normalize_oracle(&raw);
        prop_assert_eq!(document.text(), expected.as_str());
        prop_assert_eq!(document.char_len(), expected.chars().count());
        prop_assert!(!document.text().contains('\r'));
        prop_assert_eq!(Document::from_raw_owned(raw.clone()), document);
    }

    #[test]
    fn document_paragraphs_match_the_split_on_blank_lines_oracle(raw in raw_text(150)) {
        let document = Document::from_raw(&raw);
        let expected = paragraphs_oracle(document.text());
        let actual: Vec<(usize, usize, String)> = document
            .paragraphs()
            .iter()
            .map(|p| (p.start, p.end, document.paragraph_text(p).to_owned()))
            .collect();
        prop_assert_eq!(&actual, &expected);
        for (paragraph, (_, _, text)) in document.paragraphs().iter().zip(&actual) {
            prop_assert!(!text.contains("\n\n"), "paragraph {:?} holds a blank line", text);
            prop_assert!(!text.starts_with('\n') && !text.ends_with('\n'), "{:?}", text);
            prop_assert_eq!(paragraph.char_len(), text.chars().count());
            prop_assert_eq!(paragraph.char_to_utf16(paragraph.char_len()), text.encode_utf16().count());
        }
    }

    #[test]
    fn paragraph_utf16_offsets_match_the_prefix_sum_oracle(raw in raw_text(150)) {
        let document = Document::from_raw(&raw);
        for paragraph in document.paragraphs() {
            let chars: Vec<char> = document.paragraph_text(paragraph).chars().collect();
            // prefix[c] = UTF-16 length of the first c chars.
            let prefix: Vec<usize> = (0..=chars.len())
                .map(|c| chars.iter().take(c).map(|ch| ch.len_utf16()).sum())
                .collect();
            for (c, &units) in prefix.iter().enumerate() {
                prop_assert_eq!(paragraph.char_to_utf16(c), units, "char_to_utf16({})", c);
                prop_assert_eq!(paragraph.utf16_to_char(units), c, "utf16_to_char({})", units);
            }
            // Past the end clamps.
            prop_assert_eq!(paragraph.char_to_utf16(chars.len() + 3), prefix[chars.len()]);
            // Every UTF-16 offset, including those between the halves of a surrogate pair (which
            // round down to the start of that char) and those past the end (clamped).
            for utf16 in 0..=prefix[chars.len()] + 3 {
                let expected = (0..=chars.len()).rev().find(|&c| prefix[c] <= utf16).unwrap();
                prop_assert_eq!(paragraph.utf16_to_char(utf16), expected, "utf16_to_char({})", utf16);
                if expected < chars.len() && prefix[expected] < utf16 && utf16 < prefix[expected + 1] {
                    prop_assert!(chars[expected] as u32 > 0xFFFF, "only astral chars are split");
                }
            }
        }
    }

    #[test]
    fn document_byte_offsets_round_trip_and_match_char_indices(raw in raw_text(150)) {
        let document = Document::from_raw(&raw);
        let text = document.text();
        let char_len = text.chars().count();
        for c in 0..=char_len {
            let expected = text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
            prop_assert_eq!(document.char_to_byte(c), expected, "char_to_byte({})", c);
            prop_assert_eq!(document.byte_to_char(expected), c, "byte_to_char({})", expected);
        }
        prop_assert_eq!(document.char_to_byte(char_len + 5), text.len());
        prop_assert_eq!(document.byte_to_char(text.len() + 5), char_len);
    }

    #[test]
    fn document_slice_matches_the_code_point_oracle(
        raw in raw_text(150),
        pairs in prop::collection::vec((0usize..360, 0usize..360), 0..24),
    ) {
        let document = Document::from_raw(&raw);
        let text = document.text();
        let n = document.char_len();
        let mut spans: Vec<Span> = pairs
            .into_iter()
            .filter_map(|(a, b)| Span::new(a.min(b), a.max(b)))
            .collect();
        if n > 0 {
            spans.extend([span(0, n), span(0, 1), span(n - 1, n)]);
        }
        spans.extend([span(n, n + 1), span(0, n + 1)]);
        for s in spans {
            if s.end <= n {
                let expected = slice_oracle(text, s.start, s.end);
                prop_assert_eq!(document.slice(s), Some(expected.as_str()), "slice({:?})", s);
            } else {
                prop_assert_eq!(document.slice(s), None, "slice({:?}) past the end ({})", s, n);
            }
        }
    }

    #[test]
    fn paragraph_index_at_is_the_first_paragraph_ending_after(raw in raw_text(150)) {
        let document = Document::from_raw(&raw);
        let paragraphs = document.paragraphs();
        for c in 0..=document.char_len() + 1 {
            let expected = paragraphs.iter().position(|p| p.end > c);
            prop_assert_eq!(document.paragraph_index_at(c), expected, "paragraph_index_at({})", c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. SpanSet against a plain vector
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum SetOp {
    Insert { start: usize, len: usize, id: usize },
    RemoveExisting(Index),
    RemoveAbsent { start: usize, len: usize, id: usize },
}

fn set_op() -> impl Strategy<Value = SetOp> {
    // Starts often collide (exercising the end and id tie-breaks); lengths are short or long.
    let start = prop_oneof![0usize..8, 0usize..199];
    let len = prop_oneof![1usize..6, 1usize..200];
    prop_oneof![
        5 => (start.clone(), len.clone(), 0usize..=50)
            .prop_map(|(start, len, id)| SetOp::Insert { start, len, id }),
        2 => any::<Index>().prop_map(SetOp::RemoveExisting),
        1 => (start, len, 0usize..=50).prop_map(|(start, len, id)| SetOp::RemoveAbsent { start, len, id }),
    ]
}

fn sorted_oracle(oracle: &[(Span, String)]) -> Vec<(Span, String)> {
    let mut sorted = oracle.to_vec();
    sorted.sort_by_key(|(s, id)| (s.start, Reverse(s.end), id.clone()));
    sorted
}

fn set_entries(set: &SpanSet) -> Vec<(Span, String)> {
    set.iter()
        .map(|e| (e.span, e.id.as_str().to_owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn span_set_matches_a_sorted_vector(
        ops in prop::collection::vec(set_op(), 0..80),
        queries in prop::collection::vec((0usize..205, 1usize..60), 1..12),
    ) {
        let mut set = SpanSet::new();
        let mut oracle: Vec<(Span, String)> = Vec::new();
        for op in ops {
            match op {
                SetOp::Insert { start, len, id } => {
                    let id = format!("a{id}");
                    if oracle.iter().any(|(_, other)| *other == id) {
                        continue; // ids are unique in a document
                    }
                    let s = span(start, (start + len).min(200));
                    set.insert(s, AnnotationId::from(id.as_str()));
                    oracle.push((s, id));
                }
                SetOp::RemoveExisting(index) => {
                    if oracle.is_empty() {
                        continue;
                    }
                    let (s, id) = oracle.remove(index.index(oracle.len()));
                    prop_assert!(set.remove(s, &AnnotationId::from(id.as_str())), "remove {:?} {}", s, id);
                }
                SetOp::RemoveAbsent { start, len, id } => {
                    let s = span(start, (start + len).min(200));
                    let id = format!("a{id}");
                    if oracle.iter().any(|(os, oid)| *os == s && *oid == id) {
                        continue;
                    }
                    prop_assert!(!set.remove(s, &AnnotationId::from(id.as_str())));
                }
            }
            prop_assert_eq!(set.len(), oracle.len());
            prop_assert_eq!(set_entries(&set), sorted_oracle(&oracle));
        }

        let sorted = sorted_oracle(&oracle);
        // Positions and get.
        for (i, (s, id)) in sorted.iter().enumerate() {
            prop_assert_eq!(set.position(*s, &AnnotationId::from(id.as_str())), Ok(i));
            prop_assert_eq!(set.get(i).map(|e| (e.span, e.id.as_str().to_owned())), Some((*s, id.clone())));
        }
        // Depths: earlier entries (document order) whose end is after this start.
        let expected_depths: Vec<usize> = sorted
            .iter()
            .enumerate()
            .map(|(i, (s, _))| sorted[..i].iter().filter(|(e, _)| e.end > s.start).count())
            .collect();
        prop_assert_eq!(set.depths(), expected_depths.clone());
        let one_by_one: Vec<usize> = set.iter().map(|e| set.depth_of(e)).collect();
        prop_assert_eq!(one_by_one, expected_depths);
        // Overlap queries.
        for (start, len) in queries {
            let range = span(start, start + len);
            let expected: Vec<_> = sorted.iter().filter(|(s, _)| s.overlaps(range)).cloned().collect();
            let actual: Vec<_> = set.overlapping(range).map(|e| (e.span, e.id.as_str().to_owned())).collect();
            prop_assert_eq!(actual, expected, "overlapping({:?})", range);
        }
        // Covering every code point, and the first span starting at or after it.
        for c in 0..=201 {
            let expected: Vec<_> = sorted
                .iter()
                .filter(|(s, _)| s.start <= c && c < s.end)
                .cloned()
                .collect();
            let actual: Vec<_> = set.covering(c).map(|e| (e.span, e.id.as_str().to_owned())).collect();
            prop_assert_eq!(actual, expected, "covering({})", c);
            let first = sorted.iter().filter(|(s, _)| s.start < c).count();
            prop_assert_eq!(set.first_starting_at_or_after(c), first);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. AnnotationStore + History against a map model and a stack-of-snapshots model
// ---------------------------------------------------------------------------------------------

const TAGS: &[&str] = &[
    "claim",
    "quote",
    "condition",
    "person",
    "place name",
    "étiquette 😀",
];
const NOTES: &[&str] = &[
    "",
    "h",
    "he",
    "hey",
    "a \"quoted\"\nnote",
    "e\u{301} 𝔸 😀",
    " padded\r\n",
];

#[derive(Debug, Clone)]
enum StoreOp {
    Create {
        start: usize,
        len: usize,
        tag: usize,
    },
    /// A create reusing an existing id: refused.
    CreateDuplicate(Index),
    /// A create reaching past the end of the text: refused.
    CreateOutOfBounds {
        start: usize,
        over: usize,
    },
    Retag(Index, usize),
    SetNote(Index, usize),
    /// An update that moves the span (as a resize does).
    Resize(Index, usize, usize),
    Delete(Index),
    /// A delete of an id that is not in the store: refused.
    DeleteUnknown,
    /// Keeps an orphan: recorded span anywhere (even past the end of the text), quote or none.
    AddOrphan {
        start: usize,
        len: usize,
        tag: usize,
        quote: Option<usize>,
    },
    /// An orphan reusing an id of an annotation or an orphan: refused.
    AddOrphanDuplicate(Index, bool),
    RemoveOrphan(Index),
    /// A removal of an orphan id that is not there (or is an annotation's): refused.
    RemoveOrphanUnknown(Index),
    /// `AnnotationStore::place_orphan`: the orphan becomes an annotation at a chosen span.
    PlaceOrphan(Index, usize, usize),
    /// Placing an orphan past the end of the text: the whole batch is refused.
    PlaceOrphanOutOfBounds(Index, usize),
    /// `AnnotationStore::relate` between two ids of annotations or orphans (none when the ends
    /// are one, or the same link exists).
    Relate(Index, Index, usize),
    /// A relation made by hand: to an id not in the store, to itself, or reusing a relation id
    /// (all refused), or a fine one.
    RelateRaw(Index, Index, usize),
    /// Retype or note a relation (`update_relation`).
    RetypeRelation(Index, usize),
    /// An update that moves a relation's end: refused.
    MoveRelationEnd(Index),
    DeleteRelation(Index),
    /// `AnnotationStore::delete`: the annotation and every relation it is an end of.
    DeleteWithRelations(Index),
    /// `AnnotationStore::discard_orphan`: the orphan and its relations.
    DiscardOrphan(Index),
    /// Rejects a suggestion (refused when it already is), or takes a rejection back.
    Reject(usize, usize, usize, bool),
    Batch(Vec<StoreOp>),
    Undo,
    Redo,
}

fn store_op(with_undo: bool) -> impl Strategy<Value = StoreOp> {
    let leaf = prop_oneof![
        6 => (any::<usize>(), any::<usize>(), 0..TAGS.len())
            .prop_map(|(start, len, tag)| StoreOp::Create { start, len, tag }),
        1 => any::<Index>().prop_map(StoreOp::CreateDuplicate),
        1 => (any::<usize>(), 1usize..5).prop_map(|(start, over)| StoreOp::CreateOutOfBounds { start, over }),
        3 => (any::<Index>(), 0..TAGS.len()).prop_map(|(i, t)| StoreOp::Retag(i, t)),
        4 => (any::<Index>(), 0..NOTES.len()).prop_map(|(i, n)| StoreOp::SetNote(i, n)),
        2 => (any::<Index>(), any::<usize>(), any::<usize>()).prop_map(|(i, s, l)| StoreOp::Resize(i, s, l)),
        3 => any::<Index>().prop_map(StoreOp::Delete),
        1 => Just(StoreOp::DeleteUnknown),
        3 => (any::<usize>(), any::<usize>(), 0..TAGS.len(), prop::option::of(0..NOTES.len()))
            .prop_map(|(start, len, tag, quote)| StoreOp::AddOrphan { start, len, tag, quote }),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(i, a)| StoreOp::AddOrphanDuplicate(i, a)),
        2 => any::<Index>().prop_map(StoreOp::RemoveOrphan),
        1 => any::<Index>().prop_map(StoreOp::RemoveOrphanUnknown),
        2 => (any::<Index>(), any::<usize>(), any::<usize>()).prop_map(|(i, s, l)| StoreOp::PlaceOrphan(i, s, l)),
        1 => (any::<Index>(), 1usize..5).prop_map(|(i, over)| StoreOp::PlaceOrphanOutOfBounds(i, over)),
        4 => (any::<Index>(), any::<Index>(), 0..RELATION_TYPES.len()).prop_map(|(a, b, t)| StoreOp::Relate(a, b, t)),
        1 => (any::<Index>(), any::<Index>(), 0..4usize).prop_map(|(a, b, k)| StoreOp::RelateRaw(a, b, k)),
        2 => (any::<Index>(), 0..RELATION_TYPES.len()).prop_map(|(i, t)| StoreOp::RetypeRelation(i, t)),
        1 => any::<Index>().prop_map(StoreOp::MoveRelationEnd),
        2 => any::<Index>().prop_map(StoreOp::DeleteRelation),
        2 => any::<Index>().prop_map(StoreOp::DeleteWithRelations),
        1 => any::<Index>().prop_map(StoreOp::DiscardOrphan),
        2 => (any::<usize>(), any::<usize>(), 0..TAGS.len(), any::<bool>()).prop_map(|(s, l, t, back)| StoreOp::Reject(s, l, t, back)),
    ];
    let with_batches = leaf.prop_recursive(2, 24, 5, |inner| {
        prop::collection::vec(inner, 0..5).prop_map(StoreOp::Batch)
    });
    if with_undo {
        prop_oneof![
            8 => with_batches,
            2 => Just(StoreOp::Undo),
            1 => Just(StoreOp::Redo),
        ]
        .boxed()
    } else {
        with_batches.boxed()
    }
}

const RELATION_TYPES: &[&str] = &["attributed-to", "qualifies", "cites"];

/// The oracle's state: annotations, orphans and relations, each in a plain map by id.
#[derive(Debug, Clone, Default, PartialEq)]
struct Model {
    annotations: BTreeMap<String, Annotation>,
    orphans: BTreeMap<String, Orphan>,
    relations: BTreeMap<String, Relation>,
    rejections: std::collections::BTreeSet<(Span, Tag)>,
}

impl Model {
    fn id_in_use(&self, id: &str) -> bool {
        self.annotations.contains_key(id) || self.orphans.contains_key(id)
    }
}

/// Oracle of the reducer on plain maps; `false` (and the model unchanged) when refused.
fn model_apply(model: &mut Model, command: &Command, text_len: usize) -> bool {
    let in_bounds = |a: &Annotation| a.span.start < a.span.end && a.span.end <= text_len;
    match command {
        Command::Create { annotation } => {
            if model.id_in_use(annotation.id.as_str()) || !in_bounds(annotation) {
                return false;
            }
            model
                .annotations
                .insert(annotation.id.as_str().to_owned(), annotation.clone());
            true
        }
        Command::Update { annotation } => {
            if !model.annotations.contains_key(annotation.id.as_str()) || !in_bounds(annotation) {
                return false;
            }
            model
                .annotations
                .insert(annotation.id.as_str().to_owned(), annotation.clone());
            true
        }
        Command::Delete { id } => model.annotations.remove(id.as_str()).is_some(),
        Command::AddOrphan { orphan } => {
            // Orphans keep the offsets of the text they came from: no bounds check.
            let id = orphan.annotation.id.as_str();
            if model.id_in_use(id) {
                return false;
            }
            model.orphans.insert(id.to_owned(), orphan.clone());
            true
        }
        Command::RemoveOrphan { id } => model.orphans.remove(id.as_str()).is_some(),
        Command::CreateRelation { relation } => {
            // The store takes a relation to an end that is gone (only `relate` checks ends).
            let ok =
                !model.relations.contains_key(relation.id.as_str()) && relation.from != relation.to;
            if ok {
                model
                    .relations
                    .insert(relation.id.as_str().to_owned(), relation.clone());
            }
            ok
        }
        Command::UpdateRelation { relation } => {
            let same_ends = model
                .relations
                .get(relation.id.as_str())
                .is_some_and(|old| old.from == relation.from && old.to == relation.to);
            if same_ends {
                model
                    .relations
                    .insert(relation.id.as_str().to_owned(), relation.clone());
            }
            same_ends
        }
        Command::DeleteRelation { id } => model.relations.remove(id.as_str()).is_some(),
        Command::Reject { span, tag } => model.rejections.insert((*span, tag.clone())),
        Command::Unreject { span, tag } => model.rejections.remove(&(*span, tag.clone())),
        Command::Batch { commands } => {
            let mut scratch = model.clone();
            if commands
                .iter()
                .all(|c| model_apply(&mut scratch, c, text_len))
            {
                *model = scratch;
                true
            } else {
                false
            }
        }
    }
}

fn model_of(store: &AnnotationStore) -> Model {
    Model {
        annotations: store
            .in_document_order()
            .map(|a| (a.id.as_str().to_owned(), Annotation::clone(a)))
            .collect(),
        orphans: store
            .orphans()
            .iter()
            .map(|o| (o.annotation.id.as_str().to_owned(), Orphan::clone(o)))
            .collect(),
        relations: store
            .relations()
            .map(|r| (r.id.as_str().to_owned(), Relation::clone(r)))
            .collect(),
        rejections: store.rejections().iter().cloned().collect(),
    }
}

struct Harness {
    text_len: usize,
    store: AnnotationStore,
    model: Model,
    history: History,
    /// Per undo step: the store it restores, and its merge key (steps pushed by redo have none).
    undo_model: Vec<(AnnotationStore, Option<AnnotationId>)>,
    /// Per redo step: the store it restores.
    redo_model: Vec<AnnotationStore>,
    next_id: usize,
    clock: usize,
}

impl Harness {
    fn new(text_len: usize) -> Self {
        Self {
            text_len,
            store: AnnotationStore::new(text_len),
            model: Model::default(),
            history: History::default(),
            undo_model: Vec::new(),
            redo_model: Vec::new(),
            next_id: 0,
            clock: 0,
        }
    }

    fn pick(store: &AnnotationStore, index: &Index) -> Option<Annotation> {
        (!store.is_empty()).then(|| {
            Annotation::clone(
                store
                    .in_document_order()
                    .nth(index.index(store.len()))
                    .unwrap(),
            )
        })
    }

    fn pick_orphan(store: &AnnotationStore, index: &Index) -> Option<Orphan> {
        let orphans = store.orphans();
        (!orphans.is_empty()).then(|| Orphan::clone(&orphans[index.index(orphans.len())]))
    }

    /// An id of an annotation or an orphan.
    fn pick_end(store: &AnnotationStore, index: &Index) -> Option<AnnotationId> {
        let ids: Vec<AnnotationId> = store
            .in_document_order()
            .map(|a| a.id.clone())
            .chain(store.orphans().iter().map(|o| o.annotation.id.clone()))
            .collect();
        (!ids.is_empty()).then(|| ids[index.index(ids.len())].clone())
    }

    fn pick_relation(store: &AnnotationStore, index: &Index) -> Option<Relation> {
        let relations: Vec<_> = store.relations().collect();
        (!relations.is_empty()).then(|| Relation::clone(relations[index.index(relations.len())]))
    }

    fn random_span(&self, start: usize, len: usize) -> Span {
        let start = start % self.text_len;
        span(start, start + 1 + len % (self.text_len - start))
    }

    /// The command for `op` on `store` (and its merge key), or `None` when it makes no sense.
    fn resolve(
        &mut self,
        op: &StoreOp,
        store: &AnnotationStore,
    ) -> Option<(Command, Option<AnnotationId>)> {
        self.clock += 1;
        let now = format!("2026-01-01T00:00:{:02}Z", self.clock % 60);
        match op {
            StoreOp::Create { start, len, tag } => {
                self.next_id += 1;
                let id = AnnotationId::from(format!("n{}", self.next_id));
                let annotation = Annotation::new(
                    id,
                    self.random_span(*start, *len),
                    Tag::from(TAGS[*tag]),
                    &now,
                );
                Some((Command::Create { annotation }, None))
            }
            StoreOp::CreateDuplicate(index) => {
                let existing = Self::pick(store, index)?;
                let annotation = Annotation::new(existing.id, span(0, 1), Tag::Claim, &now);
                Some((Command::Create { annotation }, None))
            }
            StoreOp::CreateOutOfBounds { start, over } => {
                self.next_id += 1;
                let start = start % self.text_len;
                let annotation = Annotation::new(
                    AnnotationId::from(format!("n{}", self.next_id)),
                    span(start, self.text_len + over),
                    Tag::Claim,
                    &now,
                );
                Some((Command::Create { annotation }, None))
            }
            StoreOp::Retag(index, tag) => {
                let existing = Self::pick(store, index)?;
                store
                    .retag(&existing.id, Tag::from(TAGS[*tag]), &now)
                    .map(|c| (c, None))
            }
            StoreOp::SetNote(index, note) => {
                let existing = Self::pick(store, index)?;
                let key = Some(existing.id.clone());
                store
                    .set_note(&existing.id, NOTES[*note], &now)
                    .map(|c| (c, key))
            }
            StoreOp::Resize(index, start, len) => {
                let existing = Self::pick(store, index)?;
                let annotation = Annotation {
                    span: self.random_span(*start, *len),
                    modified: now,
                    ..existing
                };
                Some((Command::Update { annotation }, None))
            }
            StoreOp::Delete(index) => {
                let existing = Self::pick(store, index)?;
                Some((Command::Delete { id: existing.id }, None))
            }
            StoreOp::DeleteUnknown => Some((
                Command::Delete {
                    id: AnnotationId::from("no-such-id"),
                },
                None,
            )),
            StoreOp::Batch(ops) => {
                // Resolve each part against the state the parts before it leave.
                let mut scratch = store.clone();
                let mut commands = Vec::new();
                for op in ops {
                    if let Some((command, _)) = self.resolve(op, &scratch) {
                        let _ = scratch.apply(command.clone());
                        commands.push(command);
                    }
                }
                Some((Command::Batch { commands }, None))
            }
            StoreOp::AddOrphan {
                start,
                len,
                tag,
                quote,
            } => {
                self.next_id += 1;
                // Recorded offsets refer to another text: anywhere up to twice this one.
                let start = start % (2 * self.text_len + 10);
                let annotation = Annotation {
                    note: NOTES[*tag % NOTES.len()].to_owned(),
                    ..Annotation::new(
                        AnnotationId::from(format!("o{}", self.next_id)),
                        span(start, start + 1 + len % 20),
                        Tag::from(TAGS[*tag]),
                        &now,
                    )
                };
                let orphan = Orphan {
                    annotation,
                    quote: quote.map(|q| NOTES[q].to_owned()),
                };
                Some((Command::AddOrphan { orphan }, None))
            }
            StoreOp::AddOrphanDuplicate(index, of_annotation) => {
                let id = if *of_annotation {
                    Self::pick(store, index)?.id
                } else {
                    Self::pick_orphan(store, index)?.annotation.id
                };
                let orphan = Orphan {
                    annotation: Annotation::new(id, span(0, 1), Tag::Claim, &now),
                    quote: None,
                };
                Some((Command::AddOrphan { orphan }, None))
            }
            StoreOp::RemoveOrphan(index) => {
                let orphan = Self::pick_orphan(store, index)?;
                Some((
                    Command::RemoveOrphan {
                        id: orphan.annotation.id,
                    },
                    None,
                ))
            }
            StoreOp::RemoveOrphanUnknown(index) => {
                // An annotation's id is not an orphan's; neither is an id never used.
                let id =
                    Self::pick(store, index).map_or(AnnotationId::from("no-such-orphan"), |a| a.id);
                Some((Command::RemoveOrphan { id }, None))
            }
            StoreOp::PlaceOrphan(index, start, len) => {
                let orphan = Self::pick_orphan(store, index)?;
                let target = self.random_span(*start, *len);
                let command = store.place_orphan(&orphan.annotation.id, target, &now)?;
                Some((command, None))
            }
            StoreOp::PlaceOrphanOutOfBounds(index, over) => {
                let orphan = Self::pick_orphan(store, index)?;
                let target = span(0, self.text_len + over);
                let command = store.place_orphan(&orphan.annotation.id, target, &now)?;
                Some((command, None))
            }
            StoreOp::Relate(a, b, kind) => {
                self.next_id += 1;
                let (from, to) = (Self::pick_end(store, a)?, Self::pick_end(store, b)?);
                let id = AnnotationId::from(format!("r{}", self.next_id));
                let command = store.relate(id, RELATION_TYPES[*kind], &from, &to)?;
                Some((command, None))
            }
            StoreOp::RelateRaw(a, b, flavour) => {
                self.next_id += 1;
                let from = Self::pick_end(store, a)?;
                let (id, to) = match flavour {
                    0 => (
                        format!("r{}", self.next_id),
                        AnnotationId::from("no-such-end"),
                    ),
                    1 => (format!("r{}", self.next_id), from.clone()),
                    2 => (
                        Self::pick_relation(store, b)?.id.to_string(),
                        Self::pick_end(store, b)?,
                    ),
                    _ => (format!("r{}", self.next_id), Self::pick_end(store, b)?),
                };
                let relation = Relation::new(id.into(), "qualifies", from, to);
                Some((Command::CreateRelation { relation }, None))
            }
            StoreOp::RetypeRelation(index, kind) => {
                let relation = Self::pick_relation(store, index)?;
                let key = Some(relation.id.clone());
                store
                    .update_relation(&relation.id, |r| {
                        r.kind = RELATION_TYPES[*kind].to_owned();
                        r.note = NOTES[*kind].to_owned();
                    })
                    .map(|c| (c, key))
            }
            StoreOp::MoveRelationEnd(index) => {
                let relation = Self::pick_relation(store, index)?;
                let relation = Relation {
                    to: AnnotationId::from("elsewhere"),
                    ..relation
                };
                Some((Command::UpdateRelation { relation }, None))
            }
            StoreOp::DeleteRelation(index) => {
                let relation = Self::pick_relation(store, index)?;
                Some((Command::DeleteRelation { id: relation.id }, None))
            }
            StoreOp::DeleteWithRelations(index) => {
                let existing = Self::pick(store, index)?;
                Some((store.delete(&existing.id)?, None))
            }
            StoreOp::DiscardOrphan(index) => {
                let orphan = Self::pick_orphan(store, index)?;
                Some((store.discard_orphan(&orphan.annotation.id)?, None))
            }
            StoreOp::Reject(start, len, tag, back) => {
                let (span, tag) = (self.random_span(*start, *len), Tag::from(TAGS[*tag]));
                let command = if *back {
                    Command::Unreject { span, tag }
                } else {
                    Command::Reject { span, tag }
                };
                Some((command, None))
            }
            StoreOp::Undo | StoreOp::Redo => None,
        }
    }

    fn check_store_matches_model(&self) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.store.len(), self.model.annotations.len());
        for (id, annotation) in &self.model.annotations {
            let got = self.store.get(&AnnotationId::from(id.as_str()));
            prop_assert_eq!(got.map(|a| &**a), Some(annotation));
            prop_assert!(self
                .store
                .orphan(&AnnotationId::from(id.as_str()))
                .is_none());
        }
        // Orphans: the same set, kept sorted by recorded start, then id.
        let mut expected_orphans: Vec<&Orphan> = self.model.orphans.values().collect();
        expected_orphans.sort_by_key(|o| (o.annotation.span.start, o.annotation.id.clone()));
        let orphans: Vec<&Orphan> = self.store.orphans().iter().map(|o| &**o).collect();
        prop_assert_eq!(orphans, expected_orphans);
        for id in self.model.orphans.keys() {
            let id = AnnotationId::from(id.as_str());
            prop_assert!(self.store.id_in_use(&id) && self.store.get(&id).is_none());
        }
        let mut expected: Vec<&Annotation> = self.model.annotations.values().collect();
        expected.sort_by_key(|a| (a.span.start, Reverse(a.span.end), a.id.clone()));
        let actual: Vec<&Annotation> = self.store.in_document_order().map(|a| &**a).collect();
        prop_assert_eq!(actual, expected);
        // Relations: the same, by id; each annotation's and orphan's, either direction.
        let rejections: Vec<&(Span, Tag)> = self.store.rejections().iter().collect();
        prop_assert_eq!(rejections, self.model.rejections.iter().collect::<Vec<_>>());
        let relations: Vec<&Relation> = self.store.relations().map(|r| &**r).collect();
        prop_assert_eq!(relations, self.model.relations.values().collect::<Vec<_>>());
        let ends = self
            .model
            .annotations
            .keys()
            .chain(self.model.orphans.keys());
        for end in ends {
            let id = AnnotationId::from(end.as_str());
            let of: Vec<&Relation> = self
                .store
                .relations_of(&id)
                .into_iter()
                .map(|r| &**r)
                .collect();
            let expected: Vec<&Relation> = self
                .model
                .relations
                .values()
                .filter(|r| r.touches(&id))
                .collect();
            prop_assert_eq!(of, expected);
        }
        Ok(())
    }

    fn step(&mut self, op: &StoreOp) -> Result<(), TestCaseError> {
        match op {
            StoreOp::Undo => {
                let current = self.store.clone();
                let did = self
                    .history
                    .undo(&mut self.store)
                    .expect("undo of a recorded step applies");
                prop_assert_eq!(did, !self.undo_model.is_empty());
                if let Some((restored, _)) = self.undo_model.pop() {
                    prop_assert_eq!(&self.store, &restored);
                    self.redo_model.push(current);
                }
                self.model = model_of(&self.store);
            }
            StoreOp::Redo => {
                let current = self.store.clone();
                let did = self
                    .history
                    .redo(&mut self.store)
                    .expect("redo of an undone step applies");
                prop_assert_eq!(did, !self.redo_model.is_empty());
                if let Some(restored) = self.redo_model.pop() {
                    prop_assert_eq!(&self.store, &restored);
                    self.undo_model.push((current, None));
                }
                self.model = model_of(&self.store);
            }
            _ => {
                let store = self.store.clone();
                let Some((command, key)) = self.resolve(op, &store) else {
                    return Ok(());
                };
                let before = self.store.clone();
                let expected_ok = model_apply(&mut self.model, &command, self.text_len);
                let result = self.store.apply(command.clone());
                prop_assert_eq!(
                    result.is_ok(),
                    expected_ok,
                    "{:?} gave {:?}",
                    command,
                    result
                );
                self.check_store_matches_model()?;
                if let (StoreOp::DeleteWithRelations(_) | StoreOp::DiscardOrphan(_), Ok(_)) =
                    (op, &result)
                {
                    // Nothing is left pointing at what was deleted.
                    let last = match &command {
                        Command::Batch { commands } => commands.last(),
                        command => Some(command),
                    };
                    if let Some(Command::Delete { id } | Command::RemoveOrphan { id }) = last {
                        prop_assert!(self.store.relations_of(id).is_empty());
                    }
                }
                match result {
                    Err(_) => {
                        prop_assert_eq!(&self.store, &before, "a refused command changed the store")
                    }
                    Ok(change) => {
                        // The inverse restores the store as it was.
                        let mut reverted = self.store.clone();
                        reverted
                            .apply(change.inverse.clone())
                            .expect("an inverse always applies");
                        prop_assert_eq!(&reverted, &before, "inverse of {:?}", command);
                        // The history model: a step with the same merge key as the top merges.
                        let merges =
                            key.is_some() && self.undo_model.last().is_some_and(|(_, k)| *k == key);
                        if !merges {
                            self.undo_model.push((before, key.clone()));
                        }
                        self.redo_model.clear();
                        self.history.record(change, key);
                    }
                }
            }
        }
        Ok(())
    }

    /// Undoes every step (checking each restored state), then redoes every step.
    fn undo_all_then_redo_all(&mut self) -> Result<(), TestCaseError> {
        let latest = self.store.clone();
        let redo_was_empty = self.redo_model.is_empty();
        while !self.undo_model.is_empty() {
            self.step(&StoreOp::Undo)?;
        }
        prop_assert!(!self.history.can_undo());
        prop_assert!(!self.history.undo(&mut self.store).unwrap());
        prop_assert_eq!(
            &self.store,
            &AnnotationStore::new(self.text_len),
            "undoing everything"
        );
        // Redo back to the state before the undos (and beyond, over steps undone earlier).
        let mut back_at_latest = self.store == latest;
        while !self.redo_model.is_empty() {
            self.step(&StoreOp::Redo)?;
            back_at_latest |= self.store == latest;
        }
        prop_assert!(
            back_at_latest,
            "redoing everything passes through the state before the undos"
        );
        prop_assert!(!self.history.can_redo());
        prop_assert!(!self.history.redo(&mut self.store).unwrap());
        if redo_was_empty {
            prop_assert_eq!(&self.store, &latest, "redoing everything");
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn store_commands_and_inverses_match_the_map_model_and_undo_redo_round_trips(
        text_len in 1usize..200,
        ops in prop::collection::vec(store_op(false), 0..40),
    ) {
        let mut harness = Harness::new(text_len);
        for op in &ops {
            harness.step(op)?;
        }
        harness.undo_all_then_redo_all()?;
    }

    #[test]
    fn interleaved_undo_and_redo_match_the_snapshot_model(
        text_len in 1usize..200,
        ops in prop::collection::vec(store_op(true), 0..50),
    ) {
        let mut harness = Harness::new(text_len);
        for op in &ops {
            harness.step(op)?;
        }
        harness.undo_all_then_redo_all()?;
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Marginalia format: lossless round trip, safe re-anchoring, and no panics
// ---------------------------------------------------------------------------------------------

const ID_PREFIXES: &[&str] = &[
    "a",
    "id with space ",
    "ü-",
    "😀",
    "\"q\"",
    "550e8400-e29b-41d4-a716-",
];
const TIMES: &[&str] = &[
    "2026-01-01T00:00:00Z",
    "2026-02-03T04:05:06.789+01:00",
    "t0",
    "",
];

#[derive(Debug, Clone)]
struct AnnotationSpec {
    shape: Shape,
    tag: usize,
    note: usize,
    created: usize,
    modified: usize,
    id_prefix: usize,
}

fn annotation_specs() -> impl Strategy<Value = Vec<AnnotationSpec>> {
    prop::collection::vec(
        (
            shape(),
            0..TAGS.len(),
            0..NOTES.len(),
            0..TIMES.len(),
            0..TIMES.len(),
            0..ID_PREFIXES.len(),
        )
            .prop_map(
                |(shape, tag, note, created, modified, id_prefix)| AnnotationSpec {
                    shape,
                    tag,
                    note,
                    created,
                    modified,
                    id_prefix,
                },
            ),
        0..12,
    )
}

/// A store of annotations built from `specs` (none when the document is empty).
fn build_store(document: &Document, specs: &[AnnotationSpec]) -> AnnotationStore {
    let n = document.char_len();
    let mut store = AnnotationStore::new(n);
    if n == 0 {
        return store;
    }
    let mut previous = None;
    for (i, spec) in specs.iter().enumerate() {
        let s = place(&spec.shape, document, previous);
        previous = Some(s);
        let annotation = Annotation {
            id: AnnotationId::from(format!("{}{i}", ID_PREFIXES[spec.id_prefix])),
            span: s,
            tag: Tag::from(TAGS[spec.tag]),
            note: NOTES[spec.note].to_owned(),
            attributes: Default::default(),
            created: TIMES[spec.created].to_owned(),
            modified: TIMES[spec.modified].to_owned(),
        };
        store
            .apply(Command::Create { annotation })
            .expect("generated annotations are valid");
    }
    store
}

/// `format::import` with no id in use and fresh ids that no file id can equal.
fn import_fresh(document: &Document, input: &str) -> Result<ImportReport, FormatError> {
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        AnnotationId::from(format!("\u{1}fresh-{n}"))
    };
    format::import(
        document,
        input.as_bytes(),
        ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: "2030-01-01T00:00:00Z",
        },
    )
}

/// Invariants of any successful import: every landed span is a valid span of the document, no
/// id is used twice, and the placed ones hold their quote when there is one.
fn check_report(document: &Document, report: &ImportReport) -> Result<(), TestCaseError> {
    let mut ids = HashSet::new();
    for annotation in report.landed() {
        prop_assert!(
            annotation.span.start < annotation.span.end,
            "{:?}",
            annotation
        );
        prop_assert!(
            document.slice(annotation.span).is_some(),
            "landed out of bounds: {:?}",
            annotation
        );
    }
    let all = report
        .landed()
        .map(|a| a.id.as_str())
        .chain(report.orphaned.iter().map(|o| o.annotation.id.as_str()));
    for id in all {
        prop_assert!(ids.insert(id.to_owned()), "id {:?} used twice", id);
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, Vec<&'static str>),
    Delete(Index, usize),
    Replace(Index, usize, Vec<&'static str>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let atoms = prop::collection::vec(select(ATOMS), 1..12);
    prop_oneof![
        (any::<Index>(), atoms.clone()).prop_map(|(i, a)| Edit::Insert(i, a)),
        (any::<Index>(), 1usize..20).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<Index>(), 1usize..20, atoms).prop_map(|(i, n, a)| Edit::Replace(i, n, a)),
    ]
}

fn apply_edit(text: &str, edit: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (at, removed, inserted) = match edit {
        Edit::Insert(i, atoms) => (i.index(chars.len() + 1), 0, atoms.concat()),
        Edit::Delete(i, n) => (i.index(chars.len() + 1), *n, String::new()),
        Edit::Replace(i, n, atoms) => (i.index(chars.len() + 1), *n, atoms.concat()),
    };
    let end = (at + removed).min(chars.len());
    chars[..at].iter().collect::<String>() + &inserted + &chars[end..].iter().collect::<String>()
}

#[derive(Debug, Clone)]
enum TextMutation {
    Truncate(Index),
    DeleteRange(Index, usize),
    Insert(Index, &'static str),
}

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\\u",
    "\\ud83d",
    "0",
    "1",
    "-1",
    "1.5",
    "1e400",
    "18446744073709551615",
    "18446744073709551616",
    "null",
    "true",
    "\"format\"",
    "\"marginalia\"",
    "\"version\"",
    "\"annotations\"",
    "\"start\"",
    "\"end\"",
    "\"tag\"",
    "\"quote\"",
    "\"id\"",
    "\"text\"",
    "\"note\"",
    "\"😀\"",
    " ",
    "\n",
    "\u{feff}",
];

fn text_mutation() -> impl Strategy<Value = TextMutation> {
    prop_oneof![
        any::<Index>().prop_map(TextMutation::Truncate),
        (any::<Index>(), 1usize..30).prop_map(|(i, n)| TextMutation::DeleteRange(i, n)),
        (any::<Index>(), select(JSON_TOKENS)).prop_map(|(i, t)| TextMutation::Insert(i, t)),
    ]
}

fn mutate_text(input: &str, mutation: &TextMutation) -> String {
    let boundaries: Vec<usize> = input
        .char_indices()
        .map(|(b, _)| b)
        .chain([input.len()])
        .collect();
    let at = |i: &Index| boundaries[i.index(boundaries.len())];
    match mutation {
        TextMutation::Truncate(i) => input[..at(i)].to_owned(),
        TextMutation::DeleteRange(i, n) => {
            let start_index = i.index(boundaries.len());
            let end = boundaries[(start_index + n).min(boundaries.len() - 1)];
            format!("{}{}", &input[..boundaries[start_index]], &input[end..])
        }
        TextMutation::Insert(i, token) => {
            let b = at(i);
            format!("{}{token}{}", &input[..b], &input[b..])
        }
    }
}

#[derive(Debug, Clone)]
enum ValueMutation {
    SetField(Index, &'static str, Value),
    RemoveField(Index, &'static str),
    DuplicateAnnotation(Index),
    SetTop(&'static str, Value),
    RemoveTop(&'static str),
    SetText(String),
}

fn weird_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..400).prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(-1)),
        Just(json!(1.5)),
        Just(Value::Null),
        Just(json!("")),
        Just(json!([])),
        Just(json!({})),
        raw_text(10).prop_map(Value::String),
    ]
}

fn value_mutation() -> impl Strategy<Value = ValueMutation> {
    let field = select(
        &[
            "id", "start", "end", "tag", "quote", "note", "created", "modified",
        ][..],
    );
    let top = select(&["format", "version", "annotations", "text", "name", "sha256"][..]);
    prop_oneof![
        4 => (any::<Index>(), field.clone(), weird_value()).prop_map(|(i, f, v)| ValueMutation::SetField(i, f, v)),
        1 => (any::<Index>(), field).prop_map(|(i, f)| ValueMutation::RemoveField(i, f)),
        1 => any::<Index>().prop_map(ValueMutation::DuplicateAnnotation),
        1 => (top.clone(), weird_value()).prop_map(|(f, v)| ValueMutation::SetTop(f, v)),
        1 => top.prop_map(ValueMutation::RemoveTop),
        2 => raw_text(60).prop_map(ValueMutation::SetText),
    ]
}

fn mutate_value(file: &mut Value, mutation: &ValueMutation) {
    let object = file.as_object_mut().expect("an export is an object");
    match mutation {
        ValueMutation::SetTop(field, value) => {
            object.insert((*field).to_owned(), value.clone());
        }
        ValueMutation::RemoveTop(field) => {
            object.remove(*field);
        }
        ValueMutation::SetText(text) => {
            object.insert("text".to_owned(), Value::String(text.clone()));
        }
        ValueMutation::SetField(index, field, value) => {
            if let Some(Value::Array(items)) = object.get_mut("annotations") {
                if !items.is_empty() {
                    let i = index.index(items.len());
                    if let Some(item) = items[i].as_object_mut() {
                        item.insert((*field).to_owned(), value.clone());
                    }
                }
            }
        }
        ValueMutation::RemoveField(index, field) => {
            if let Some(Value::Array(items)) = object.get_mut("annotations") {
                if !items.is_empty() {
                    let i = index.index(items.len());
                    if let Some(item) = items[i].as_object_mut() {
                        item.remove(*field);
                    }
                }
            }
        }
        ValueMutation::DuplicateAnnotation(index) => {
            if let Some(Value::Array(items)) = object.get_mut("annotations") {
                if !items.is_empty() {
                    let copy = items[index.index(items.len())].clone();
                    items.push(copy);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn marginalia_export_then_import_is_lossless(
        raw in raw_text(150),
        specs in annotation_specs(),
        name in raw_text(8),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs);
        let file = export(&document, &name, &store, &LabelSet::default(), "");

        // The JSON: the text, and each quote equal to the code-point slice.
        let json: Value = serde_json::from_str(&file).expect("an export is JSON");
        prop_assert_eq!(json["text"].as_str(), Some(document.text()));
        let items = json["annotations"].as_array().expect("annotations array");
        prop_assert_eq!(items.len(), store.len());
        for (item, annotation) in items.iter().zip(store.in_document_order()) {
            let expected = slice_oracle(document.text(), annotation.span.start, annotation.span.end);
            prop_assert_eq!(item["quote"].as_str(), Some(expected.as_str()), "{:?}", annotation);
            prop_assert_eq!(item["start"].as_u64(), Some(annotation.span.start as u64));
            prop_assert_eq!(item["end"].as_u64(), Some(annotation.span.end as u64));
            prop_assert_eq!(item["id"].as_str(), Some(annotation.id.as_str()));
        }

        // Back in, on the same document: everything placed exactly, nothing lost.
        let report = import_fresh(&document, &file).expect("an export imports");
        let expected: Vec<Annotation> = store.in_document_order().map(|a| Annotation::clone(a)).collect();
        prop_assert_eq!(&report.placed, &expected);
        prop_assert!(report.reanchored.is_empty(), "reanchored: {:?}", report.reanchored);
        prop_assert!(report.orphaned.is_empty(), "orphaned: {:?}", report.orphaned);
    }

    /// On an edited document every annotation is reported once, keeps its data, and an exact
    /// placement is its recorded offsets with its quote there. (Where moved annotations land is
    /// checked against edit scripts in tests/reanchor_quality.rs: approximate matching may
    /// rightly land on text that differs from the quote.)
    #[test]
    fn marginalia_import_on_an_edited_document_keeps_every_annotation(
        raw in prop_oneof![raw_text(120), repetitive_text()],
        specs in annotation_specs(),
        edit in edit(),
    ) {
        let original = Document::from_raw(&raw);
        let store = build_store(&original, &specs);
        let file = export(&original, "doc", &store, &LabelSet::default(), "");
        let edited = Document::from_raw(&apply_edit(original.text(), &edit));

        let report = import_fresh(&edited, &file).expect("an export imports");
        check_report(&edited, &report)?;
        prop_assert_eq!(
            report.placed.len() + report.reanchored.len() + report.orphaned.len(),
            store.len()
        );
        for annotation in store.in_document_order() {
            let quote = original.slice(annotation.span).unwrap();
            let id = &annotation.id;
            let placed = report.placed.iter().find(|a| a.id == *id);
            let moved = report.reanchored.iter().find(|a| a.id == *id);
            let orphan = report.orphaned.iter().find(|o| o.annotation.id == *id);
            prop_assert_eq!(
                usize::from(placed.is_some()) + usize::from(moved.is_some()) + usize::from(orphan.is_some()),
                1
            );
            if let Some(a) = placed.or(moved) {
                prop_assert_eq!(&a.tag, &annotation.tag);
                prop_assert_eq!(&a.note, &annotation.note);
                prop_assert_eq!((&a.created, &a.modified), (&annotation.created, &annotation.modified));
            }
            if let Some(a) = placed {
                prop_assert_eq!(a.span, annotation.span);
                prop_assert_eq!(edited.slice(a.span), Some(quote), "exact means the quote is there");
            }
            if let Some(o) = orphan {
                prop_assert_eq!(o.quote.as_deref(), Some(quote));
            }
        }
    }

    #[test]
    fn marginalia_import_never_panics_on_text_mutations_of_an_export(
        raw in raw_text(60),
        specs in annotation_specs(),
        mutations in prop::collection::vec(text_mutation(), 1..6),
        other in raw_text(60),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs);
        let mut file = export(&document, "doc", &store, &LabelSet::default(), "");
        for mutation in &mutations {
            file = mutate_text(&file, mutation);
        }
        for target in [&document, &Document::from_raw(&other)] {
            if let Ok(report) = import_fresh(target, &file) {
                check_report(target, &report)?;
            }
        }
    }

    #[test]
    fn marginalia_import_never_panics_on_structural_mutations_of_an_export(
        raw in raw_text(60),
        specs in annotation_specs(),
        mutations in prop::collection::vec(value_mutation(), 1..5),
        other in raw_text(60),
    ) {
        let document = Document::from_raw(&raw);
        let store = build_store(&document, &specs);
        let mut file: Value = serde_json::from_str(&export(&document, "doc", &store, &LabelSet::default(), "")).unwrap();
        for mutation in &mutations {
            mutate_value(&mut file, mutation);
        }
        let input = serde_json::to_string(&file).unwrap();
        let count = file["annotations"].as_array().map(Vec::len);
        for target in [&document, &Document::from_raw(&other)] {
            if let Ok(report) = import_fresh(target, &input) {
                check_report(target, &report)?;
                let total = report.placed.len() + report.reanchored.len() + report.orphaned.len();
                prop_assert_eq!(Some(total), count, "every annotation in the file is reported");
            }
        }
    }
}

fn tiny_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(&["a", "b", "😀"][..]), 0..max).prop_map(|atoms| atoms.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The anchoring chain on texts where quotes recur and contexts tie often: the batch entry
    /// point agrees with the single one, an exact placement is the recorded position holding the
    /// quote, every placement is a non-empty span inside the text, and an empty quote is never
    /// placed.
    #[test]
    fn anchoring_is_consistent_on_repetitive_texts(
        text in repetitive_text(),
        position in prop::option::weighted(0.8, (0usize..45, 1usize..5)),
        quote in tiny_string(4),
        prefix in tiny_string(4),
        suffix in tiny_string(4),
    ) {
        use marginalia::anchor::{anchor, anchor_all, Placement, Selectors, TextQuote};
        let document = Document::from_raw(&text);
        let position = position.map(|(start, len)| span(start, start + len));
        let selectors = Selectors {
            position,
            quote: Some(TextQuote { exact: quote.clone(), prefix, suffix }),
        };
        let single = anchor(&document, &selectors);
        prop_assert_eq!(anchor_all(&document, std::slice::from_ref(&selectors)), vec![single]);
        match single {
            Placement::Exact(s) => {
                prop_assert_eq!(Some(s), position);
                prop_assert_eq!(document.slice(s), Some(quote.as_str()));
            }
            Placement::Moved(s) => {
                prop_assert!(!quote.is_empty());
                prop_assert!(s.start < s.end && s.end <= document.char_len(), "{:?}", s);
            }
            Placement::Orphan => {}
        }
    }

    #[test]
    fn format_import_never_panics_on_arbitrary_strings(input in any::<String>()) {
        let document = Document::from_raw("Hello wörld 😀\n\nSecond paragraph.");
        let _ = import_fresh(&document, &input);
        let _ = import_fresh(&document, &format!("{{{input}"));
    }

    #[test]
    fn format_import_never_panics_on_json_token_soup(
        tokens in prop::collection::vec(select(JSON_TOKENS), 0..60),
    ) {
        let document = Document::from_raw("Hello wörld 😀\n\nSecond paragraph.");
        let input = format!("{{{}", tokens.concat());
        if let Ok(report) = import_fresh(&document, &input) {
            check_report(&document, &report)?;
        }
    }
}

// Regression: the file's own text is read as written, not normalised again. A document whose
// text begins with U+FEFF (its raw file began with two BOMs) exports that character in `text`;
// dropping it on import read every prefix/suffix one code point off, and "q" below went to the
// wrong occurrence (8..9) instead of 2..3, where its context is unchanged.
#[test]
fn import_reads_context_at_the_recorded_offsets_of_a_text_starting_with_a_bom() {
    let original = Document::from_raw("\u{feff}\u{feff}zcqwe");
    assert_eq!(original.text(), "\u{feff}zcqwe");
    let mut store = AnnotationStore::new(original.char_len());
    let annotation = Annotation::new("q".into(), span(3, 4), Tag::Claim, "t0");
    store.apply(Command::Create { annotation }).unwrap();
    assert_eq!(original.slice(span(3, 4)), Some("q"));
    let file = export(&original, "doc", &store, &LabelSet::default(), "");

    let edited = Document::from_raw("zcqwe__qqe");
    let report = import_fresh(&edited, &file).unwrap();
    let moved: Vec<Span> = report.reanchored.iter().map(|a| a.span).collect();
    assert_eq!(moved, [span(2, 3)], "report: {report:?}");
}

/// A label edit drawn from a few names, the built-in tags and the ids those names give.
fn label_edit() -> impl Strategy<Value = LabelEdit> {
    let names = select(vec![
        "Source",
        "source",
        "Claim",
        "Größe",
        "  ",
        "Named source",
        "!!",
    ]);
    let tags = select(vec![
        "claim",
        "quote",
        "condition",
        "source",
        "named-source",
        "größe",
        "label",
        "person",
    ])
    .prop_map(Tag::from);
    let colours = select(LabelColour::ALL.to_vec());
    prop_oneof![
        names.clone().prop_map(|n| LabelEdit::Add(n.to_owned())),
        (tags.clone(), names).prop_map(|(t, n)| LabelEdit::Rename(t, n.to_owned())),
        (tags.clone(), colours).prop_map(|(t, c)| LabelEdit::Recolour(t, c)),
        (tags.clone(), prop::option::of(0u8..=10)).prop_map(|(t, k)| LabelEdit::Rekey(t, k)),
        tags.clone().prop_map(LabelEdit::Remove),
        tags.prop_map(LabelEdit::Restore),
    ]
}

proptest! {
    /// Whatever the edits, refused or not: one label per id, no key on two active labels or
    /// outside 1-9, no two active labels of one name, at least one active label, and no label
    /// once in the set ever leaves it (a removed one is kept, so its tags keep their name).
    #[test]
    fn label_edits_keep_the_label_set_consistent(edits in prop::collection::vec(label_edit(), 0..40)) {
        let mut labels = LabelSet::default();
        for edit in edits {
            let before: Vec<Tag> = labels.all().iter().map(|l| l.tag.clone()).collect();
            let _ = labels.edit(edit);
            let all = labels.all();
            for tag in &before {
                prop_assert!(labels.get(tag).is_some(), "{tag} left the set");
            }
            for (i, label) in all.iter().enumerate() {
                prop_assert!(all[i + 1..].iter().all(|other| other.tag != label.tag));
            }
            let active: Vec<_> = labels.active().collect();
            prop_assert!(!active.is_empty());
            for (i, label) in active.iter().enumerate() {
                prop_assert!(label.key.is_none_or(|k| (1..=9).contains(&k)));
                prop_assert!(!label.name.trim().is_empty());
                for other in &active[i + 1..] {
                    prop_assert!(label.key.is_none() || label.key != other.key, "key shared");
                    prop_assert!(label.name.to_lowercase() != other.name.to_lowercase(), "name shared");
                }
            }
            prop_assert!(labels.removed().all(|l| l.key.is_none()));
        }
    }
}
