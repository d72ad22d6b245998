//! File formats: each an adapter with `export` and `import`, and errors that name where the
//! problem is (the line of a line format, the JSON path of a JSON one). Imports never touch the
//! store: they return an [`ImportReport`] that the caller applies as one undoable command.
//!
//! **Offsets in every format are Unicode code points into the document text, end exclusive**
//! (Python's `text[start:end]`). [`import`] recognises the format from the content alone
//! ([`detect`] says which, for tools such as the command line):
//!
//! | content | format |
//! | --- | --- |
//! | starts with the zip magic `PK\x03\x04` | [`marginalia`] files in a zip, else [`brat`] (`NAME.txt` and `NAME.ann`); entries Stored or Deflate ([`stored_zip`]) |
//! | a JSON array of tasks (`data` beside `annotations`, `predictions` or `completions`), one task, or `tasks` | [`label_studio`] |
//! | one JSON object with `"format"` (or `"version"`, or `text` beside `annotations`) | [`marginalia`] |
//! | JSON lines whose first object has `tokens` and `ner_tags` and no `text` | [`hf`] |
//! | JSON lines whose first object has `text` and a list of `tokens` | [`prodigy`] |
//! | JSON lines whose first object has `spans` (or `ents`) | [`spacy`] |
//! | JSON lines whose first object has `label`, `labels` or `entities` | [`doccano`] |
//! | any other JSON: an array, an annotation, a page, a collection, a Hypothesis export | [`w3c`] |
//! | lines like `T1\tClaim 0 5\t…` | [`brat`] (a bare `.ann` file on the open text) |
//! | lines like `token\tB-CLAIM` | [`conll`] |
//!
//! Every importer turns its file into [`Item`]s, and the relations between them into
//! `RelationItem`s that name their ends by item, and hands them to one function,
//! [`place_items`], which refuses ids used twice, picks each annotation's id, anchors all of
//! them in one [`anchor_all`] call, sorts them into placed, re-anchored and orphaned, and gives
//! each relation the ids its ends got. Every export says what its format left out the same way
//! (`left_out`): notes, attributes and relations it has no place for, and orphans.

pub mod annotator;
pub mod brat;
pub mod conll;
pub mod corpus;
pub mod doccano;
pub mod hf;
pub mod label_studio;
pub mod marginalia;
pub mod prodigy;
pub mod spacy;
pub mod stored_zip;
pub mod stream;
pub mod validate;
pub mod w3c;

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use crate::anchor::{self, anchor_all, Placement, Selectors, TextQuote};
use crate::model::{
    limits, Annotation, AnnotationId, AnnotationStore, AttributeValue, Attributes, Command,
    Document, LabelSet, Orphan, Relation, Span, Tag,
};

/// The tag of an imported annotation that has none, and the type of a relation that has none.
pub const UNTAGGED: &str = "untagged";

/// The export formats offered, by their `export-format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ExportFormat {
    /// Marginalia's own lossless, versioned JSON (`NAME.marginalia.json`).
    Marginalia,
    /// W3C Web Annotation JSON-LD (`NAME.w3c.jsonld`).
    W3c,
    /// spaCy / Prodigy JSON lines (`NAME.spacy.jsonl`).
    Spacy,
    /// doccano sequence-labelling JSON lines (`NAME.doccano.jsonl`).
    Doccano,
    /// brat standoff, `NAME.txt` and `NAME.ann` in one zip (`NAME.brat.zip`).
    Brat,
    /// CoNLL-style BIO tokens (`NAME.conll`); keeps only the outermost spans.
    Conll,
    /// Label Studio tasks with `labels` results (`NAME.label-studio.json`).
    LabelStudio,
    /// Prodigy / spaCy lines with tokens and token-aligned spans (`NAME.prodigy.jsonl`).
    Prodigy,
    /// Hugging Face token classification, a line per sentence (`NAME.hf.jsonl`); keeps only
    /// the outermost spans.
    Hf,
}

impl ExportFormat {
    /// Every format, in menu order (the order of the ui-contract).
    pub const ALL: [ExportFormat; 9] = [
        ExportFormat::Marginalia,
        ExportFormat::W3c,
        ExportFormat::Spacy,
        ExportFormat::Doccano,
        ExportFormat::Brat,
        ExportFormat::Conll,
        ExportFormat::LabelStudio,
        ExportFormat::Prodigy,
        ExportFormat::Hf,
    ];

    /// The `export-format` value.
    pub fn value(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "marginalia",
            ExportFormat::W3c => "w3c",
            ExportFormat::Spacy => "spacy",
            ExportFormat::Doccano => "doccano",
            ExportFormat::Brat => "brat",
            ExportFormat::Conll => "conll",
            ExportFormat::LabelStudio => "label-studio",
            ExportFormat::Prodigy => "prodigy",
            ExportFormat::Hf => "hf",
        }
    }

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "Marginalia JSON",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Spacy => "spaCy / Prodigy JSONL",
            ExportFormat::Doccano => "doccano JSONL",
            ExportFormat::Brat => "brat standoff (zip)",
            ExportFormat::Conll => "CoNLL BIO",
            ExportFormat::LabelStudio => "Label Studio JSON",
            ExportFormat::Prodigy => "Prodigy / spaCy tokens JSONL",
            ExportFormat::Hf => "Hugging Face token classification JSONL",
        }
    }

    /// The downloaded file's name for a document whose name without extension is `stem`.
    pub fn file_name(self, stem: &str) -> String {
        let extension = match self {
            ExportFormat::Marginalia => "marginalia.json",
            ExportFormat::W3c => "w3c.jsonld",
            ExportFormat::Spacy => "spacy.jsonl",
            ExportFormat::Doccano => "doccano.jsonl",
            ExportFormat::Brat => "brat.zip",
            ExportFormat::Conll => "conll",
            ExportFormat::LabelStudio => "label-studio.json",
            ExportFormat::Prodigy => "prodigy.jsonl",
            ExportFormat::Hf => "hf.jsonl",
        };
        format!("{stem}.{extension}")
    }

    /// The MIME type of the download.
    pub fn mime_type(self) -> &'static str {
        match self {
            ExportFormat::Marginalia | ExportFormat::LabelStudio => "application/json",
            ExportFormat::W3c => "application/ld+json",
            ExportFormat::Spacy
            | ExportFormat::Doccano
            | ExportFormat::Prodigy
            | ExportFormat::Hf => "application/x-ndjson",
            ExportFormat::Brat => "application/zip",
            ExportFormat::Conll => "text/plain",
        }
    }

    /// The format with this `export-format` value.
    pub fn from_value(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.value() == value)
    }

    /// Its name in a sentence ("left out of the CoNLL file").
    pub fn noun(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "Marginalia",
            ExportFormat::W3c => "W3C",
            ExportFormat::Spacy => "spaCy",
            ExportFormat::Doccano => "doccano",
            ExportFormat::Brat => "brat",
            ExportFormat::Conll => "CoNLL",
            ExportFormat::LabelStudio => "Label Studio",
            ExportFormat::Prodigy => "Prodigy",
            ExportFormat::Hf => "Hugging Face",
        }
    }

    /// True when its files hold relations (between the annotations they hold).
    pub fn carries_relations(self) -> bool {
        !matches!(
            self,
            ExportFormat::Spacy | ExportFormat::Conll | ExportFormat::Hf
        )
    }

    /// True when its files hold annotations' attribute values.
    pub fn carries_attributes(self) -> bool {
        !matches!(
            self,
            ExportFormat::Doccano | ExportFormat::Conll | ExportFormat::Hf
        )
    }
}

/// One export, ready to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// `NAME.<format extension>`, NAME being the document's name without its extension.
    pub file_name: String,
    /// The MIME type of the download.
    pub mime_type: &'static str,
    /// The file's content (UTF-8 text, or a zip for brat).
    pub bytes: Vec<u8>,
    /// What the format could not carry, in words, when it left something out.
    pub note: Option<String>,
}

/// A document name without its last extension (`sample-article.txt` -> `sample-article`); the
/// whole name when it has none, or when nothing would be left.
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// Exports `store`'s annotations on `document` (whose file name is `name`) in `format`, with no
/// annotator named: [`export_by`].
pub fn export(
    format: ExportFormat,
    document: &Document,
    name: &str,
    store: &AnnotationStore,
    labels: &LabelSet,
) -> Exported {
    export_by(format, document, name, store, labels, "")
}

/// Exports `store`'s annotations on `document` (whose file name is `name`) in `format`, made by
/// `annotator` (empty for nobody named), who is written where the format has a place for it:
/// marginalia `annotator`, W3C `creator`, Label Studio `completed_by`. O(n) in the text plus
/// the annotations (brat and CoNLL add an O(n log n) sort).
pub fn export_by(
    format: ExportFormat,
    document: &Document,
    name: &str,
    store: &AnnotationStore,
    labels: &LabelSet,
    annotator: &str,
) -> Exported {
    // Names are anything a person typed: the download and the files inside a zip get a name
    // that is no path and not too long.
    let safe_stem = stored_zip::safe_stem(stem(name));
    let stem = safe_stem.as_str();
    let mut notes = Vec::new();
    let bytes = match format {
        ExportFormat::Marginalia => {
            marginalia::export(document, name, store, labels, annotator).into_bytes()
        }
        ExportFormat::W3c => w3c::export(document, name, store, annotator).into_bytes(),
        ExportFormat::Spacy => spacy::export(document, store).into_bytes(),
        ExportFormat::Doccano => doccano::export(document, store).into_bytes(),
        ExportFormat::Brat => brat::export(document, stem, store, labels),
        ExportFormat::Conll => {
            let conll = conll::export(document, store);
            note_untaggable(&mut notes, conll.overlapping, conll.blank, format);
            conll.text.into_bytes()
        }
        ExportFormat::Hf => {
            let hf = hf::export(document, stem, store);
            note_untaggable(&mut notes, hf.overlapping, hf.blank, format);
            hf.text.into_bytes()
        }
        ExportFormat::LabelStudio => {
            label_studio::export(document, name, store, labels, annotator).into_bytes()
        }
        ExportFormat::Prodigy => prodigy::export(document, store).into_bytes(),
    };
    notes.extend(left_out(format, store));
    Exported {
        file_name: format.file_name(stem),
        mime_type: format.mime_type(),
        bytes,
        note: sentence(&notes),
    }
}

/// What `format` has no place for in a file of `store`, in words: notes, attribute values and
/// relations, and the annotations that could not be placed (kept only in the Marginalia
/// format). Empty for the Marginalia format. O(annotations + relations).
pub(crate) fn left_out(format: ExportFormat, store: &AnnotationStore) -> Vec<String> {
    if format == ExportFormat::Marginalia {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let mut note = |n: usize, what: &str| {
        if n > 0 {
            notes.push(format!(
                "{} left out of the {} file",
                plural(n, what),
                format.noun()
            ));
        }
    };
    let written_relations = if format.carries_relations() {
        placed_relations(store).count()
    } else {
        0
    };
    let relation_notes = || {
        placed_relations(store)
            .filter(|r| !r.note.is_empty())
            .count()
    };
    let dropped_notes = match format {
        ExportFormat::Doccano => {
            store
                .in_document_order()
                .filter(|a| !a.note.is_empty())
                .count()
                + relation_notes()
        }
        ExportFormat::LabelStudio => relation_notes(),
        _ => 0,
    };
    note(dropped_notes, "note");
    if !format.carries_attributes() {
        note(
            store.in_document_order().map(|a| a.attributes.len()).sum(),
            "attribute",
        );
    }
    note(
        live_relations(store).count() - written_relations,
        "relation",
    );
    let orphans = store.orphans().len();
    if orphans > 0 {
        notes.push(format!(
            "{} that could not be placed {} kept only in the Marginalia format",
            plural(orphans, "annotation"),
            if orphans == 1 { "is" } else { "are" }
        ));
    }
    notes
}

/// The relations of `store` whose ends are there (annotations or orphans): what the Marginalia
/// format writes. A relation whose end is gone is kept by the store but never exported. By id.
/// O(relations).
pub fn live_relations(store: &AnnotationStore) -> impl Iterator<Item = &Relation> {
    store
        .relations()
        .filter(|r| store.relation_ends_exist(r))
        .map(|r| &**r)
}

/// The relations of `store` whose ends are both placed annotations: what a format that
/// carries relations but not orphans writes. By id. O(relations).
pub(crate) fn placed_relations(store: &AnnotationStore) -> impl Iterator<Item = &Relation> {
    store
        .relations()
        .filter(|r| store.get(&r.from).is_some() && store.get(&r.to).is_some())
        .map(|r| &**r)
}

/// Notes joined into one capitalised sentence ending in a full stop; `None` when there are none.
pub(crate) fn sentence(notes: &[String]) -> Option<String> {
    (!notes.is_empty()).then(|| {
        let mut text = notes.join("; ");
        text.push('.');
        capitalise(&text)
    })
}

/// What a token-tag export (CoNLL, Hugging Face) could not tag, in words.
fn note_untaggable(
    notes: &mut Vec<String>,
    overlapping: usize,
    blank: usize,
    format: ExportFormat,
) {
    if overlapping > 0 {
        notes.push(format!(
            "{overlapping} nested or overlapping {} left out of the {} file",
            if overlapping == 1 {
                "span was"
            } else {
                "spans were"
            },
            format.noun()
        ));
    }
    if blank > 0 {
        notes.push(format!(
            "{} of only spaces or line breaks {} no token to tag",
            plural(blank, "span"),
            if blank == 1 { "has" } else { "have" }
        ));
    }
}

/// `n word` or `n words` (`1 note`, `3 notes`), for messages.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What an import found: each annotation is in exactly one list, in file order. Serialised
/// only between the app and its worker ([`crate::tasks`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    /// Found at their recorded offsets with their quote there.
    pub placed: Vec<Annotation>,
    /// Placed elsewhere, by their quote.
    pub reanchored: Vec<Annotation>,
    /// Not placed.
    pub orphaned: Vec<Orphan>,
    /// The relations between the annotations and orphans above (by their ids here, which may
    /// differ from the file's), in file order.
    pub relations: Vec<Relation>,
    /// The labels the file carried (a marginalia file's), to add to the document set's.
    pub labels: Option<LabelSet>,
    /// What the file held that was left out or read with a doubt, in words (relations,
    /// spans off token boundaries, offsets converted from another unit), for the status.
    pub notes: Vec<String>,
}

impl ImportReport {
    /// Every annotation that landed in the document.
    pub fn landed(&self) -> impl Iterator<Item = &Annotation> {
        self.placed.iter().chain(&self.reanchored)
    }

    /// The commands that add what it found to a document's store: the placed and re-anchored
    /// annotations, and the orphans (kept, listed, exported, never dropped), in the store's
    /// order of orphans so each one is added at the end of the list (no quadratic shifting);
    /// then the relations, whose ends are those. One batch of them is one undoable step.
    pub fn commands(&self) -> Vec<Command> {
        let mut orphans: Vec<&Orphan> = self.orphaned.iter().collect();
        orphans.sort_by(|a, b| {
            (a.annotation.span.start, &a.annotation.id)
                .cmp(&(b.annotation.span.start, &b.annotation.id))
        });
        self.landed()
            .cloned()
            .map(|annotation| Command::Create { annotation })
            .chain(orphans.into_iter().map(|orphan| Command::AddOrphan {
                orphan: orphan.clone(),
            }))
            .chain(
                self.relations
                    .iter()
                    .map(|relation| Command::CreateRelation {
                        relation: relation.clone(),
                    }),
            )
            .collect()
    }

    /// A new store on `document` (the text the report was placed on) holding what it found:
    /// a document opened from a shared file.
    pub fn store_on(
        &self,
        document: &Document,
    ) -> Result<AnnotationStore, crate::model::StoreError> {
        let mut store = AnnotationStore::new(document.char_len());
        store.apply(Command::Batch {
            commands: self.commands(),
        })?;
        Ok(store)
    }

    /// A one-line summary for the status region.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "Imported: {} placed exactly, {} re-anchored, {} could not be placed",
            self.placed.len(),
            self.reanchored.len(),
            self.orphaned.len()
        );
        if !self.relations.is_empty() {
            text.push_str(&format!(", {}", plural(self.relations.len(), "relation")));
        }
        let quotes: Vec<String> = self
            .orphaned
            .iter()
            .take(3)
            .filter_map(|o| o.quote.as_ref().map(|q| format!("“{}”", shorten(q, 40))))
            .collect();
        if !quotes.is_empty() {
            text.push_str(&format!(" ({})", quotes.join(", ")));
        }
        text.push('.');
        for note in &self.notes {
            text.push(' ');
            text.push_str(&capitalise(note));
            text.push('.');
        }
        text
    }
}

/// Why an import file was refused; the document is unchanged after any of these. Each names
/// where the first problem is: a JSON path (`annotations[3].start`), a line (`line 4`), or both
/// for JSON lines (`line 4, spans[0].end`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The file has no content.
    #[error("the file is empty")]
    Empty,
    /// The bytes are not UTF-8 text (and not a zip).
    #[error("the file is not UTF-8 text (invalid byte at position {byte})")]
    NotUtf8 {
        /// 0-based byte position of the first invalid byte.
        byte: usize,
    },
    /// The content is not any format we read.
    #[error("this is not an annotation file Marginalia can read ({0})")]
    NotRecognised(String),
    /// The JSON is malformed or has the wrong shape at `path`.
    #[error("{path}: {message} (line {line}, column {column})")]
    Json {
        /// JSON path of the problem, e.g. `annotations[3].start`.
        path: String,
        /// What is wrong there.
        message: String,
        /// 1-based line of the file.
        line: usize,
        /// 1-based column (in bytes of that line, as serde_json counts).
        column: usize,
    },
    /// A value or line that is well-formed but wrong where it is.
    #[error("{at}: {message}")]
    Invalid {
        /// Where: a JSON path, `line N`, or `line N, <JSON path>`.
        at: String,
        /// What is wrong there.
        message: String,
    },
    /// Written by a newer Marginalia than this one.
    #[error("the file is format version {found}; this Marginalia reads up to version {supported}")]
    NewerVersion {
        /// The file's version.
        found: u64,
        /// The newest we read.
        supported: u64,
    },
    /// Two annotations in the file share an id.
    #[error("{path}: the id {id} is used twice in the file")]
    DuplicateId {
        /// Where the second one is.
        path: String,
        /// The id.
        id: String,
    },
    /// An annotation ends before it starts, or is empty.
    #[error("{path}: end {end} is not after start {start}")]
    EndBeforeStart {
        /// Where.
        path: String,
        /// Its start.
        start: usize,
        /// Its end.
        end: usize,
    },
    /// A zip that cannot be read, or that lacks the `.ann` file.
    #[error("the zip file cannot be read: {0}")]
    Zip(String),
    /// A name, label or note longer than Marginalia keeps ([`crate::model::limits`]).
    #[error("{at}: the {what} is {length} characters long; at most {max} are kept")]
    TooLong {
        /// Where it is.
        at: String,
        /// What it is: `note`, `label`, `document name`.
        what: &'static str,
        /// Its length in code points.
        length: usize,
        /// The most kept.
        max: usize,
    },
}

/// A [`FormatError::TooLong`] when `text` (a `what` at `at`) is longer than `max` code points.
pub(crate) fn check_length(
    text: &str,
    max: usize,
    what: &'static str,
    at: impl FnOnce() -> String,
) -> Result<(), FormatError> {
    match limits::too_long(text, max) {
        Some(length) => Err(FormatError::TooLong {
            at: at(),
            what,
            length,
            max,
        }),
        None => Ok(()),
    }
}

/// What an importer needs besides the file: ids already used and a way to make new ones.
pub struct ImportContext<'a> {
    /// True for ids already used in the document, by an annotation, an orphan **or a
    /// relation**: an imported annotation or relation whose file id it answers true for gets a
    /// new id (annotations and relations are asked alike; a needless new id costs nothing).
    pub id_in_use: &'a dyn Fn(&AnnotationId) -> bool,
    /// Makes a fresh id (a UUID in the app).
    pub new_id: &'a mut dyn FnMut() -> AnnotationId,
    /// RFC 3339 time used where the file has no timestamps.
    pub now: &'a str,
}

/// Reads an annotation file of any supported format, recognised by its content ([`detect`]),
/// and places its annotations on `document`. Refused whole, naming the first problem, when
/// the file is malformed. O(file + annotations x anchoring).
pub fn import(
    document: &Document,
    input: &[u8],
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    if input.starts_with(stored_zip::MAGIC) {
        return match corpus::file_for(document, input)? {
            Some(file) => marginalia::import(document, &file, context),
            None => brat::import_zip(document, input, context),
        };
    }
    let text = decoded(input)?;
    let (format, value) = detect_text(text)?;
    // A file that is one JSON value was parsed once, to recognise it; reuse that value.
    let value = || value.map_or_else(|| parse_json::<Value>(text, 0), Ok);
    match format {
        ExportFormat::Marginalia => marginalia::import(document, text, context),
        ExportFormat::W3c => w3c::import_value(document, &value()?, context),
        ExportFormat::LabelStudio => label_studio::import_value(document, &value()?, context),
        ExportFormat::Spacy => spacy::import(document, text, context),
        ExportFormat::Prodigy => prodigy::import(document, text, context),
        ExportFormat::Doccano => doccano::import(document, text, context),
        ExportFormat::Hf => hf::import(document, text, context),
        ExportFormat::Brat => brat::import_ann(document, text, context),
        ExportFormat::Conll => conll::import(document, text, context),
    }
}

/// The format of a file, recognised from its content alone (whatever its name), as
/// [`import`] reads it (see the module doc): a zip is [`ExportFormat::Marginalia`] when it
/// holds `.marginalia.json` files, else [`ExportFormat::Brat`]. An error says why the
/// content is none of them (empty, not UTF-8, broken JSON with its path). O(file).
pub fn detect(input: &[u8]) -> Result<ExportFormat, FormatError> {
    if input.starts_with(stored_zip::MAGIC) {
        let entries = stored_zip::entries(input).map_err(|e| FormatError::Zip(e.to_string()))?;
        return Ok(
            if entries.iter().any(|e| e.name.ends_with(".marginalia.json")) {
                ExportFormat::Marginalia
            } else {
                ExportFormat::Brat
            },
        );
    }
    detect_text(decoded(input)?).map(|(format, _)| format)
}

/// The input as text: UTF-8, a leading BOM dropped, not blank.
fn decoded(input: &[u8]) -> Result<&str, FormatError> {
    let text = std::str::from_utf8(input).map_err(|e| FormatError::NotUtf8 {
        byte: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(text)
}

/// [`detect`] for text; with the parsed value when the text is one JSON value.
fn detect_text(text: &str) -> Result<(ExportFormat, Option<Value>), FormatError> {
    if text.trim_start().starts_with(['{', '[']) {
        return detect_json(text);
    }
    let first = first_content_line(text).unwrap_or_default();
    if brat::looks_like_ann_line(first) {
        Ok((ExportFormat::Brat, None))
    } else if conll::looks_like_token_line(first) {
        Ok((ExportFormat::Conll, None))
    } else {
        Err(FormatError::NotRecognised(
            "it is not JSON, and its first line is neither a brat annotation (T1<tab>Claim 0 5<tab>…) \
             nor a CoNLL token (word<tab>B-CLAIM)"
                .into(),
        ))
    }
}

/// The first line with something other than whitespace on it (CoNLL's `-DOCSTART-` skipped).
fn first_content_line(text: &str) -> Option<&str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .find(|line| !line.trim().is_empty() && !line.starts_with("-DOCSTART-"))
}

/// JSON of any shape: one value (marginalia, Label Studio, W3C, a one-line JSON-lines file),
/// returned with it, or JSON lines (spaCy, Prodigy, doccano, Hugging Face).
fn detect_json(text: &str) -> Result<(ExportFormat, Option<Value>), FormatError> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let format = if label_studio::looks_like_label_studio(&value) {
                ExportFormat::LabelStudio
            } else if value.as_object().is_some_and(looks_like_marginalia) {
                ExportFormat::Marginalia
            } else {
                jsonl_kind(&value).unwrap_or(ExportFormat::W3c)
            };
            Ok((format, Some(value)))
        }
        Err(whole) => {
            // Not one JSON value: JSON lines, when the first line is an object of its own.
            let first = first_content_line(text).unwrap_or_default();
            let format = match serde_json::from_str::<Value>(first) {
                Ok(value) => jsonl_kind(&value).ok_or_else(|| {
                    FormatError::NotRecognised(
                        "its first line is JSON, but not a line of a format Marginalia reads: \
                         spaCy (text and spans), Prodigy (text and tokens), doccano (text and \
                         label or entities) or Hugging Face (tokens and ner_tags)"
                            .into(),
                    )
                }),
                // A CoNLL file of a text that starts with a bracket: `{<TAB>O`.
                Err(_) if conll::looks_like_token_line(first) => Ok(ExportFormat::Conll),
                Err(_) if text.contains("\"format\"") => Ok(ExportFormat::Marginalia),
                // Broken JSON: name where it breaks (the path is found by reading it again).
                Err(_) => Err(parse_json::<Value>(text, 0)
                    .err()
                    .unwrap_or_else(|| json_error("(top level)".into(), &whole, 0))),
            };
            format.map(|format| (format, None))
        }
    }
}

/// A marginalia file, or one that lost its `format` (so its import names what is missing):
/// `format` or `version` at the top, or a `text` beside `annotations`.
fn looks_like_marginalia(object: &serde_json::Map<String, Value>) -> bool {
    object.contains_key("format")
        || object.contains_key("version")
        || (object.contains_key("annotations") && object.contains_key("text"))
}

/// Which line format a JSON object is a line of, if any.
fn jsonl_kind(value: &Value) -> Option<ExportFormat> {
    let object = value.as_object()?;
    if hf::is_hf_line(object) {
        return Some(ExportFormat::Hf);
    }
    if !object.contains_key("text") || object.contains_key("annotations") {
        return None;
    }
    if prodigy::is_prodigy_line(object) {
        Some(ExportFormat::Prodigy)
    } else if ["label", "labels", "entities"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        Some(ExportFormat::Doccano)
    } else {
        // `spans`, `ents`, or a text with nothing tagged yet.
        Some(ExportFormat::Spacy)
    }
}

// ---------------------------------------------------------------------------------------------
// What every importer shares
// ---------------------------------------------------------------------------------------------

/// One annotation read from a file, before it is placed.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Where its id is in the file, for the duplicate-id error (`annotations[2].id`, `line 3`).
    pub id_at: String,
    /// Its id in the file, if it has one.
    pub id: Option<String>,
    /// Its offsets in the file's text, if it has them.
    pub recorded: Option<Span>,
    /// What anchoring places it by.
    pub selectors: Selectors,
    /// Its tag.
    pub tag: Tag,
    /// Its note (empty when none).
    pub note: String,
    /// Its attribute values (empty when none).
    pub attributes: Attributes,
    /// Creation time, if the file has it.
    pub created: Option<String>,
    /// Time of the last change, if the file has it.
    pub modified: Option<String>,
}

/// One relation read from a file. Its ends are indices into the file's [`Item`]s, since the
/// annotations' ids are only known once they are placed ([`place_items`]).
#[derive(Debug, Clone)]
pub(crate) struct RelationItem {
    /// Where its id is in the file (`relations[2].id`, `line 7`), for the duplicate-id error.
    pub id_at: String,
    /// Its id in the file, if it has one.
    pub id: Option<String>,
    /// Its type.
    pub kind: String,
    /// The item it starts from; `None` when the file names no annotation of its own there.
    pub from: Option<usize>,
    /// The item it points to; `None` as for `from`.
    pub to: Option<usize>,
    /// Its note (empty when none).
    pub note: String,
}

/// Everything an importer read from its file, before it is placed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The annotations, in file order.
    pub items: Vec<Item>,
    /// The relations between them.
    pub relations: Vec<RelationItem>,
    /// What the file held that was left out or read with a doubt, in words.
    pub notes: Vec<String>,
}

impl From<Vec<Item>> for Parsed {
    fn from(items: Vec<Item>) -> Self {
        Parsed {
            items,
            ..Parsed::default()
        }
    }
}

/// Each file id of `items` with the index of the first item that has it: how a format whose
/// relations name annotations by their ids finds the items they link.
pub(crate) fn items_by_id(items: &[Item]) -> HashMap<&str, usize> {
    let mut by_id = HashMap::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        if let Some(id) = item.id.as_deref() {
            by_id.entry(id).or_insert(index);
        }
    }
    by_id
}

/// Places what a file holds on `document`: refuses the file if two items (or two relations)
/// share an id, or if a label, note or attribute is too long; gives each item its file id, or a
/// new one when it has none or the id is already used (in the document or by an earlier item);
/// anchors all of them in one [`anchor_all`] call; sorts them into placed, re-anchored and
/// orphaned, in file order; and links the relations to the ids their ends got (a relation
/// whose ends are not two annotations of the file is left out, and a note says how many).
/// O(n) plus the anchoring.
pub(crate) fn place_items(
    document: &Document,
    parsed: Parsed,
    mut context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let Parsed {
        items,
        relations,
        notes,
    } = parsed;
    check_items(&items)?;
    check_relations(&relations)?;
    let selectors: Vec<Selectors> = items.iter().map(|item| item.selectors.clone()).collect();
    let placements = anchor_all(document, &selectors);
    let mut report = ImportReport {
        notes,
        ..ImportReport::default()
    };
    let mut taken: HashSet<AnnotationId> = HashSet::new();
    let mut final_ids = Vec::with_capacity(items.len());
    for (item, placement) in items.into_iter().zip(placements) {
        let id = fresh_unless_free(item.id, &taken, &mut context);
        taken.insert(id.clone());
        final_ids.push(id.clone());
        let annotation = |span: Span| Annotation {
            id: id.clone(),
            span,
            tag: item.tag.clone(),
            note: item.note.clone(),
            attributes: item.attributes.clone(),
            created: item
                .created
                .clone()
                .unwrap_or_else(|| context.now.to_owned()),
            modified: item
                .modified
                .clone()
                .unwrap_or_else(|| context.now.to_owned()),
        };
        match placement {
            Placement::Exact(span) => report.placed.push(annotation(span)),
            Placement::Moved(span) => report.reanchored.push(annotation(span)),
            Placement::Orphan => {
                let quote = item.selectors.quote.map(|q| q.exact);
                // Without recorded offsets (a quote-only W3C target) the orphan keeps a span
                // as long as its quote from 0: orphans' spans are never placed as they are.
                let recorded = item.recorded.unwrap_or(Span {
                    start: 0,
                    end: quote.as_deref().map_or(1, |q| q.chars().count().max(1)),
                });
                report.orphaned.push(Orphan {
                    annotation: annotation(recorded),
                    quote,
                });
            }
        }
    }
    let mut left_out = 0;
    let mut relation_ids = HashSet::new();
    for relation in relations {
        let end = |index: Option<usize>| index.and_then(|i| final_ids.get(i)).cloned();
        let (Some(from), Some(to)) = (end(relation.from), end(relation.to)) else {
            left_out += 1;
            continue;
        };
        if from == to {
            left_out += 1;
            continue;
        }
        let id = fresh_unless_free(relation.id, &relation_ids, &mut context);
        relation_ids.insert(id.clone());
        report.relations.push(Relation {
            id,
            kind: relation.kind,
            from,
            to,
            note: relation.note,
        });
    }
    if left_out > 0 {
        report.notes.push(format!(
            "{} left out: {} not between two annotations of the file",
            plural(left_out, "relation"),
            if left_out == 1 { "it is" } else { "they are" }
        ));
    }
    Ok(report)
}

/// `id` from a file as the id to give, unless it is empty, used in the document or `taken`
/// by an earlier one of the file: then a new one.
fn fresh_unless_free(
    id: Option<String>,
    taken: &HashSet<AnnotationId>,
    context: &mut ImportContext<'_>,
) -> AnnotationId {
    id.filter(|id| !id.is_empty())
        .map(AnnotationId::from)
        .filter(|id| !(context.id_in_use)(id) && !taken.contains(id))
        .unwrap_or_else(|| (context.new_id)())
}

/// Refuses items whose ids repeat or whose tag, note or attributes are too long.
fn check_items(items: &[Item]) -> Result<(), FormatError> {
    let mut seen = HashSet::new();
    for item in items {
        let at = || without_id(&item.id_at);
        check_length(item.tag.as_str(), limits::MAX_LABEL_CHARS, "label", at)?;
        check_length(&item.note, limits::MAX_NOTE_CHARS, "note", at)?;
        check_attributes(&item.attributes, at)?;
        check_unique(&mut seen, item.id.as_deref(), &item.id_at)?;
    }
    Ok(())
}

/// Refuses relations whose ids repeat or whose type or note is too long.
fn check_relations(relations: &[RelationItem]) -> Result<(), FormatError> {
    let mut seen = HashSet::new();
    for relation in relations {
        let at = || without_id(&relation.id_at);
        check_length(&relation.kind, limits::MAX_LABEL_CHARS, "relation type", at)?;
        check_length(&relation.note, limits::MAX_NOTE_CHARS, "note", at)?;
        check_unique(&mut seen, relation.id.as_deref(), &relation.id_at)?;
    }
    Ok(())
}

/// Refuses a file id (at `id_at`) already `seen` in the file; an empty id is none.
fn check_unique<'a>(
    seen: &mut HashSet<&'a str>,
    id: Option<&'a str>,
    id_at: &str,
) -> Result<(), FormatError> {
    match id.filter(|id| !id.is_empty()) {
        Some(id) if !seen.insert(id) => Err(FormatError::DuplicateId {
            path: id_at.to_owned(),
            id: quoted(id),
        }),
        _ => Ok(()),
    }
}

/// Where an item is, from where its id is (`annotations[2].id` -> `annotations[2]`).
fn without_id(id_at: &str) -> String {
    id_at.strip_suffix(".id").unwrap_or(id_at).to_owned()
}

/// Refuses attribute names longer than a label, or text values longer than a note.
fn check_attributes(attributes: &Attributes, at: impl Fn() -> String) -> Result<(), FormatError> {
    for (name, value) in attributes {
        check_length(name, limits::MAX_LABEL_CHARS, "attribute name", &at)?;
        if let AttributeValue::Text(text) = value {
            check_length(text, limits::MAX_NOTE_CHARS, "attribute value", &at)?;
        }
    }
    Ok(())
}

/// The selectors of a span recorded at `recorded` in a file whose own text is `source` (when
/// the file carries one that differs from the open text): the position, the quote (`quote`, or
/// the source's text there) and [`anchor::CONTEXT_CHARS`] code points of context from the
/// source. Without a source, the position and `quote` alone.
pub(crate) fn selectors_in(
    source: Option<&Document>,
    recorded: Span,
    quote: Option<String>,
) -> Selectors {
    match source {
        Some(source) if source.slice(recorded).is_some() => {
            let mut selectors = anchor::describe(source, recorded);
            if let (Some(described), Some(exact)) = (&mut selectors.quote, quote) {
                described.exact = exact;
            }
            selectors
        }
        _ => Selectors {
            position: Some(recorded),
            quote: quote.map(|exact| TextQuote {
                exact,
                prefix: String::new(),
                suffix: String::new(),
            }),
        },
    }
}

/// The file's own text as a document, when it differs from the open one (its offsets refer to
/// it exactly as written, so it is not normalised: a `\r` in it is a character).
pub(crate) fn source_text(document: &Document, text: &str) -> Option<Document> {
    (text != document.text()).then(|| Document::from_normalized(text.to_owned()))
}

/// A label from a foreign file as a tag: the built-in tags whatever their ASCII case (`CLAIM`,
/// `Claim`), any other label as written.
pub(crate) fn tag_from_label(label: &str) -> Tag {
    Tag::BUILT_IN
        .into_iter()
        .find(|tag| tag.as_str().eq_ignore_ascii_case(label))
        .unwrap_or_else(|| Tag::from(label))
}

/// A span from a file's `start` and `end`, refused when it is empty or reversed.
pub(crate) fn checked_span(start: usize, end: usize, path: String) -> Result<Span, FormatError> {
    Span::new(start, end).ok_or(FormatError::EndBeforeStart { path, start, end })
}

/// `base.key`, or `key` at the top level.
pub(crate) fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        format!("{base}.{key}")
    }
}

/// `base[index]`.
pub(crate) fn index(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// A path inside line `line` of a line format: `line 3, spans[0].start`.
pub(crate) fn at_line(line: usize, path: &str) -> String {
    if path.is_empty() {
        format!("line {line}")
    } else {
        format!("line {line}, {path}")
    }
}

/// An [`FormatError::Invalid`] at `at`.
pub(crate) fn invalid(at: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError::Invalid {
        at: at.into(),
        message: message.into(),
    }
}

/// A JSON offset: a whole number from 0, as `usize`.
pub(crate) fn json_offset(
    value: &Value,
    at: impl FnOnce() -> String,
) -> Result<usize, FormatError> {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            invalid(
                at(),
                format!(
                    "expected an offset (a whole number from 0), found {}",
                    quoted_json(value)
                ),
            )
        })
}

/// A string field of a JSON object, if present; an error when it is there but not a string.
pub(crate) fn json_str<'v>(
    object: &'v serde_json::Map<String, Value>,
    key: &str,
    base: &str,
) -> Result<Option<&'v str>, FormatError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(
            join(base, key),
            format!("expected a string, found {}", quoted_json(other)),
        )),
    }
}

/// An id field: a string, or a number written as text.
pub(crate) fn json_id(
    object: &serde_json::Map<String, Value>,
    key: &str,
    base: &str,
) -> Result<Option<String>, FormatError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(invalid(
            join(base, key),
            format!("expected an id (a string), found {}", quoted_json(other)),
        )),
    }
}

/// The attribute values at `key` of a JSON object (`{"kind": "indirect", "hedged": true}`):
/// empty when absent; an error naming the path when it is not an object of texts and `true` or
/// `false`.
pub(crate) fn json_attributes(
    object: &serde_json::Map<String, Value>,
    key: &str,
    base: &str,
) -> Result<Attributes, FormatError> {
    let at = join(base, key);
    let values = match object.get(key) {
        None | Some(Value::Null) => return Ok(Attributes::new()),
        Some(Value::Object(values)) => values,
        Some(other) => {
            return Err(invalid(
                at,
                format!(
                    "expected attributes (an object of values), found {}",
                    quoted_json(other)
                ),
            ))
        }
    };
    values
        .iter()
        .map(|(name, value)| match value {
            Value::Bool(flag) => Ok((name.clone(), AttributeValue::Flag(*flag))),
            Value::String(text) => Ok((name.clone(), AttributeValue::Text(text.clone()))),
            other => Err(invalid(
                join(&at, name),
                format!(
                    "expected an attribute value (text, true or false), found {}",
                    quoted_json(other)
                ),
            )),
        })
        .collect()
}

/// Parses JSON into `T`, naming the path, line and column of the first problem. `line_offset`
/// is added to the line (for a line of a JSON-lines file: its line number minus one).
pub(crate) fn parse_json<'de, T: Deserialize<'de>>(
    input: &'de str,
    line_offset: usize,
) -> Result<T, FormatError> {
    let mut deserializer = serde_json::Deserializer::from_str(input);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." {
            "(top level)".to_owned()
        } else {
            path
        };
        json_error(path, error.inner(), line_offset)
    })?;
    deserializer
        .end()
        .map_err(|e| json_error("(top level)".into(), &e, line_offset))?;
    Ok(value)
}

fn json_error(path: String, error: &serde_json::Error, line_offset: usize) -> FormatError {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the path and position are given apart.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    // serde_json quotes the offending value in full ("invalid type: string \"…\""): cut it.
    let message = shorten(message, 2 * MAX_QUOTED_CHARS);
    FormatError::Json {
        path,
        message,
        line: error.line() + line_offset,
        column: error.column(),
    }
}

/// Reads a JSON-lines file of `{"text": …, …}` objects (spaCy, Prodigy, doccano):
/// `read_line` turns one line's object (with its text and 1-based line number) into what it
/// holds; what the line whose text is the open document's holds is placed (else the first
/// line's). Every line is read, so a malformed one anywhere refuses the file. O(file).
pub(crate) fn import_json_lines(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
    read_line: impl Fn(&serde_json::Map<String, Value>, &str, usize) -> Result<Parsed, FormatError>,
) -> Result<ImportReport, FormatError> {
    let mut lines = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = parse_json(line, number - 1)?;
        let Value::Object(object) = value else {
            return Err(invalid(at_line(number, ""), "expected a JSON object"));
        };
        let Some(Value::String(text)) = object.get("text") else {
            return Err(invalid(
                at_line(number, "text"),
                "expected the document text (a string)",
            ));
        };
        let read = read_line(&object, text, number)?;
        lines.push((text.clone(), read));
    }
    let chosen = lines
        .iter()
        .position(|(text, _)| text == document.text())
        .unwrap_or(0);
    let parsed = lines
        .into_iter()
        .nth(chosen)
        .map(|(_, read)| read)
        .unwrap_or_default();
    place_items(document, parsed, context)
}

/// The lines of a line format with their 1-based numbers (a trailing `\r` dropped).
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
}

fn shorten(text: &str, max_chars: usize) -> String {
    let mut chars = text.char_indices();
    match chars.nth(max_chars) {
        None => text.to_owned(),
        Some(_) => {
            let cut: String = text.chars().take(max_chars - 1).collect();
            format!("{cut}…")
        }
    }
}

/// The most code points of a value from a file that a message quotes: a refused 15 MB string
/// must not become a 15 MB status line.
pub const MAX_QUOTED_CHARS: usize = 100;

/// `text` as a message quotes it: at most [`MAX_QUOTED_CHARS`] code points, cut with `…`.
/// O(MAX_QUOTED_CHARS), whatever the text's length.
pub fn quoted(text: &str) -> String {
    shorten(text, MAX_QUOTED_CHARS)
}

/// A JSON value as a message quotes it: its JSON text, cut like [`quoted`]. Strings and
/// arrays are cut before they are written out, so a huge value costs no more than a small one.
pub fn quoted_json(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", quoted(s)),
        Value::Array(items) if items.len() > MAX_QUOTED_CHARS => {
            let head: Vec<Value> = items.iter().take(3).cloned().collect();
            quoted(&format!(
                "{} … ({} items)",
                quoted_json(&Value::Array(head)),
                items.len()
            ))
        }
        Value::Object(map) if map.len() > MAX_QUOTED_CHARS => {
            format!("an object of {} fields", map.len())
        }
        other => quoted(&other.to_string()),
    }
}

/// Helpers shared by the format modules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Imports `input` with no id in use and fresh ids `new-1`, `new-2`, …
    pub fn import_bytes(document: &Document, input: &[u8]) -> Result<ImportReport, FormatError> {
        let mut n = 0;
        let mut new_id = || {
            n += 1;
            AnnotationId::from(format!("new-{n}"))
        };
        import(
            document,
            input,
            ImportContext {
                id_in_use: &|_| false,
                new_id: &mut new_id,
                now: "2026-11-25T00:00:00Z",
            },
        )
    }

    /// A store holding annotations `(id, start, end, tag, note)` on `document`.
    pub fn store(
        document: &Document,
        specs: &[(&str, usize, usize, &str, &str)],
    ) -> AnnotationStore {
        let mut store = AnnotationStore::new(document.char_len());
        for &(id, start, end, tag, note) in specs {
            let mut annotation = Annotation::new(
                id.into(),
                Span::new(start, end).unwrap(),
                Tag::from(tag),
                "2026-01-02T03:04:05Z",
            );
            annotation.note = note.to_owned();
            store.apply(Command::Create { annotation }).unwrap();
        }
        store
    }

    /// "Macron said no.": the quote "said no." (`q`, its `kind` indirect) and its source
    /// "Macron" (`s`), not yet related: what each format's test of relations starts from.
    pub fn quote_and_source() -> (Document, AnnotationStore) {
        let document = Document::from_raw("Macron said no.");
        let mut store = store(
            &document,
            &[("q", 7, 14, "quote", ""), ("s", 0, 6, "source", "")],
        );
        set_attribute(
            &mut store,
            "q",
            "kind",
            AttributeValue::Text("indirect".into()),
        );
        (document, store)
    }

    /// Adds relation `id` of type `kind` from `from` to `to`, with `note`, to `store`.
    pub fn relate(
        store: &mut AnnotationStore,
        (id, kind, from, to, note): (&str, &str, &str, &str, &str),
    ) {
        let relation = Relation {
            note: note.to_owned(),
            ..Relation::new(id.into(), kind, from.into(), to.into())
        };
        store.apply(Command::CreateRelation { relation }).unwrap();
    }

    /// Sets the attribute `name` of annotation `id` in `store` to `value`.
    pub fn set_attribute(store: &mut AnnotationStore, id: &str, name: &str, value: AttributeValue) {
        let mut annotation = Annotation::clone(store.get(&id.into()).unwrap());
        annotation.attributes.insert(name.to_owned(), value);
        store.apply(Command::Update { annotation }).unwrap();
    }

    /// `(type, from, to, note)` of the relations of a report, in file order.
    pub fn relations(report: &ImportReport) -> Vec<(String, String, String, String)> {
        report
            .relations
            .iter()
            .map(|r| {
                (
                    r.kind.clone(),
                    r.from.to_string(),
                    r.to.to_string(),
                    r.note.clone(),
                )
            })
            .collect()
    }

    /// `(start, end, tag)` of the annotations that landed, in file order.
    pub fn landed(report: &ImportReport) -> Vec<(usize, usize, String)> {
        report
            .landed()
            .map(|a| (a.span.start, a.span.end, a.tag.as_str().to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn formats_are_listed_in_contract_order_with_contract_file_names() {
        let values: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.value()).collect();
        assert_eq!(
            values,
            [
                "marginalia",
                "w3c",
                "spacy",
                "doccano",
                "brat",
                "conll",
                "label-studio",
                "prodigy",
                "hf"
            ]
        );
        let names: Vec<String> = ExportFormat::ALL
            .iter()
            .map(|f| f.file_name("seed-article"))
            .collect();
        assert_eq!(
            names,
            [
                "seed-article.marginalia.json",
                "seed-article.w3c.jsonld",
                "seed-article.spacy.jsonl",
                "seed-article.doccano.jsonl",
                "seed-article.brat.zip",
                "seed-article.conll",
                "seed-article.label-studio.json",
                "seed-article.prodigy.jsonl",
                "seed-article.hf.jsonl"
            ]
        );
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_value(format.value()), Some(format));
        }
        assert_eq!(ExportFormat::from_value("csv"), None);
    }

    #[test]
    fn export_names_the_file_after_the_documents_stem() {
        let document = Document::from_raw("Hello world");
        let store = store(&document, &[]);
        let exported = export(
            ExportFormat::Brat,
            &document,
            "seed-article.txt",
            &store,
            &LabelSet::default(),
        );
        assert_eq!(exported.file_name, "seed-article.brat.zip");
        assert_eq!(exported.mime_type, "application/zip");
        assert_eq!(stem("notes"), "notes");
        assert_eq!(stem(".txt"), ".txt");
        assert_eq!(stem("a.b.txt"), "a.b");
    }

    #[test]
    fn lossy_exports_say_what_they_left_out() {
        let document = Document::from_raw("Alpha beta gamma");
        let store = store(
            &document,
            &[
                ("a", 0, 10, "claim", "a note"),
                ("b", 6, 10, "quote", ""),
                ("c", 5, 6, "quote", ""),
            ],
        );
        let conll = export(
            ExportFormat::Conll,
            &document,
            "d.txt",
            &store,
            &LabelSet::default(),
        );
        assert_eq!(
            conll.note.as_deref(),
            Some(
                "1 nested or overlapping span was left out of the CoNLL file; \
                 1 span of only spaces or line breaks has no token to tag."
            )
        );
        let doccano = export(
            ExportFormat::Doccano,
            &document,
            "d.txt",
            &store,
            &LabelSet::default(),
        );
        assert_eq!(
            doccano.note.as_deref(),
            Some("1 note left out of the doccano file.")
        );
        let marginalia = export(
            ExportFormat::Marginalia,
            &document,
            "d.txt",
            &store,
            &LabelSet::default(),
        );
        assert_eq!(marginalia.note, None);
    }

    #[test]
    fn empty_and_undecodable_input_is_refused_with_the_byte_position() {
        let document = Document::from_raw("Hello");
        assert_eq!(import_bytes(&document, b""), Err(FormatError::Empty));
        assert_eq!(import_bytes(&document, b" \n\t"), Err(FormatError::Empty));
        assert_eq!(
            import_bytes(&document, b"{\"a\": \"\xff\"}"),
            Err(FormatError::NotUtf8 { byte: 7 })
        );
        assert!(matches!(
            import_bytes(&document, b"just some prose\nand more"),
            Err(FormatError::NotRecognised(_))
        ));
    }

    #[test]
    fn broken_json_names_its_position() {
        let document = Document::from_raw("Hello");
        let error =
            import_bytes(&document, b"[{\"type\": \"Annotation\",\n  \"target\": }]").unwrap_err();
        let FormatError::Json { path, line, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((path.as_str(), *line), ("[0].target", 2), "{error}");
    }

    #[test]
    fn an_id_used_twice_is_refused_and_a_used_id_is_replaced() {
        let document = Document::from_raw("Hello world");
        let item = |id: &str, at: &str| Item {
            id_at: at.into(),
            id: Some(id.into()),
            recorded: Span::new(0, 5),
            selectors: Selectors {
                position: Span::new(0, 5),
                quote: None,
            },
            tag: Tag::Claim,
            note: String::new(),
            attributes: Default::default(),
            created: None,
            modified: None,
        };
        let mut fresh = || AnnotationId::from("fresh");
        let error = place_items(
            &document,
            vec![item("a", "x[0].id"), item("a", "x[1].id")].into(),
            ImportContext {
                id_in_use: &|_| false,
                new_id: &mut fresh,
                now: "now",
            },
        )
        .unwrap_err();
        assert_eq!(
            error,
            FormatError::DuplicateId {
                path: "x[1].id".into(),
                id: "a".into()
            }
        );
        let report = place_items(
            &document,
            vec![item("a", "x[0].id"), item("b", "x[1].id")].into(),
            ImportContext {
                id_in_use: &|id| id.as_str() == "b",
                new_id: &mut fresh,
                now: "now",
            },
        )
        .unwrap();
        let ids: Vec<&str> = report.placed.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "fresh"]);
        assert_eq!(report.placed[0].created, "now");
    }

    #[test]
    fn relations_link_the_ids_their_ends_got_and_those_without_two_ends_are_counted() {
        let document = Document::from_raw("Hello world");
        let item = |id: &str, start: usize| Item {
            id_at: format!("{id}.id"),
            id: Some(id.into()),
            recorded: Span::new(start, start + 5),
            selectors: Selectors {
                position: Span::new(start, start + 5),
                quote: None,
            },
            tag: Tag::Quote,
            note: String::new(),
            attributes: Default::default(),
            created: None,
            modified: None,
        };
        let relation = |id: &str, from: Option<usize>, to: Option<usize>| RelationItem {
            id_at: format!("{id}.id"),
            id: Some(id.into()),
            kind: "attributed-to".into(),
            from,
            to,
            note: "n".into(),
        };
        let parsed = Parsed {
            items: vec![item("a", 0), item("b", 6)],
            relations: vec![
                relation("taken", Some(0), Some(1)),
                relation("dangling", Some(0), None),
                relation("loop", Some(1), Some(1)),
            ],
            notes: vec!["read with a doubt".into()],
        };
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            AnnotationId::from(format!("fresh-{n}"))
        };
        // `b` and the relation id `taken` are used in the document already.
        let in_use = |id: &AnnotationId| ["b", "taken"].contains(&id.as_str());
        let report = place_items(
            &document,
            parsed,
            ImportContext {
                id_in_use: &in_use,
                new_id: &mut fresh,
                now: "now",
            },
        )
        .unwrap();
        assert_eq!(
            report.relations,
            [Relation {
                note: "n".into(),
                ..Relation::new(
                    "fresh-2".into(),
                    "attributed-to",
                    "a".into(),
                    "fresh-1".into()
                )
            }]
        );
        assert_eq!(
            report.notes,
            [
                "read with a doubt",
                "2 relations left out: they are not between two annotations of the file"
            ]
        );
        // Relations are created after their ends, in the same batch.
        let commands = report.commands();
        assert!(matches!(
            commands.last(),
            Some(Command::CreateRelation { .. })
        ));
        let store = report.store_on(&document).unwrap();
        assert_eq!(store.relation_count(), 1);
        assert!(
            report
                .summary()
                .contains("could not be placed, 1 relation."),
            "{}",
            report.summary()
        );
    }

    #[test]
    fn a_relation_id_used_twice_in_a_file_is_refused() {
        let document = Document::from_raw("Hello world");
        let relation = |at: &str| RelationItem {
            id_at: at.into(),
            id: Some("r".into()),
            kind: "k".into(),
            from: None,
            to: None,
            note: String::new(),
        };
        let parsed = Parsed {
            relations: vec![relation("relations[0].id"), relation("relations[1].id")],
            ..Parsed::default()
        };
        let mut fresh = || AnnotationId::from("fresh");
        let error = place_items(
            &document,
            parsed,
            ImportContext {
                id_in_use: &|_| false,
                new_id: &mut fresh,
                now: "now",
            },
        )
        .unwrap_err();
        assert_eq!(
            error,
            FormatError::DuplicateId {
                path: "relations[1].id".into(),
                id: "r".into()
            }
        );
    }

    #[test]
    fn a_huge_value_is_quoted_in_at_most_a_hundred_characters() {
        let document = Document::from_raw("Hello world");
        let huge = "x".repeat(15_000_000);
        let file = format!(
            r#"{{"text": "Hello world", "spans": [{{"start": "{huge}", "end": 2, "label": "A"}}]}}"#
        );
        let error = import_bytes(&document, file.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(error.len() < 300, "{} characters", error.len());
        assert!(
            error.contains("found \"xxx") && error.contains("…\""),
            "{error}"
        );
        let marginalia = format!(
            r#"{{"format": "marginalia", "version": 1, "annotations": [{{"start": "{huge}", "end": 2, "tag": "a"}}]}}"#
        );
        let error = import_bytes(&document, marginalia.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            error.len() < 400,
            "{} characters: {}",
            error.len(),
            &error[..200]
        );
        let conll = format!("{huge}\tB-X\n");
        let error = import_bytes(&document, conll.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(error.len() < 300, "{} characters", error.len());
    }

    #[test]
    fn labels_of_foreign_files_match_built_in_tags_in_any_case() {
        assert_eq!(tag_from_label("CLAIM"), Tag::Claim);
        assert_eq!(tag_from_label("Condition"), Tag::Condition);
        assert_eq!(tag_from_label("Person"), Tag::from("Person"));
    }
}
