//! brat standoff (`NAME.brat.zip`, holding `NAME.txt`, `NAME.ann` and `annotation.conf`).
//!
//! `NAME.txt` is exactly the document text (UTF-8, `\n` line ends), so brat's offsets, which
//! count the characters (code points) of the `.txt` file as Python reads it, are our code-point
//! offsets, end exclusive. `NAME.ann` holds one text-bound annotation per span, in document
//! order, each followed by its note and its attributes; then the relations:
//! ```text
//! (\t stands for a tab)
//! T1\tQuote 0 42\tthe span's text
//! #1\tAnnotatorNotes T1\tthe note
//! A1\tKind T1 indirect
//! T2\tClaim 50 60;61 75\tfirst line second line
//! A2\tHedged T2
//! T3\tsource 80 87\tMacron
//! R1\tattributed_to Arg1:T1 Arg2:T3
//! #2\tAnnotatorNotes R1\tthe relation's note
//! ```
//! - **Types**: the built-in tags are `Claim`, `Quote`, `Condition`; a custom label is its id
//!   with every character other than a letter, digit, `-` or `_` percent-encoded as UTF-8
//!   (`place name` -> `place%20name`), since brat types cannot hold spaces. On import a type equal
//!   to a built-in tag in any ASCII case is that tag, any other is percent-decoded. (So a custom
//!   label spelt like a built-in one, e.g. `Claim`, reads back as the built-in tag.)
//! - **Spans crossing a line break**: a `.ann` line cannot hold a newline, so such a span is
//!   written as brat's discontinuous fragments, cut at each run of `\n` inside it (`0 5;7 12`),
//!   with the fragments' texts joined by one space as brat does. A line break at a span's very
//!   start or end (or a span of nothing but line breaks) stays in its fragment and is written as
//!   a space in the text field. On import the span runs from the smallest fragment start to the
//!   largest fragment end, so every span round-trips.
//! - **Notes** are brat's `AnnotatorNotes` (on a span or a relation), with `\` written `\\`, a
//!   newline `\n`, a tab `\t` and a carriage return `\r` (brat has no escapes of its own; a note
//!   from another tool that contains one of these two-character sequences is read with it
//!   unescaped).
//! - **Relations** are `R` lines, `Arg1` the span the relation starts from and `Arg2` the one it
//!   points to. brat type names cannot hold `-`, so a relation type's `-` is written `_`
//!   (`attributed-to` -> `attributed_to`); its own `_` and any character other than a letter or
//!   digit is percent-encoded (`%5F`), and import reads `_` as `-`, then percent-decodes.
//! - **Attributes** are `A` lines: a set flag `A1\tHedged T2`, a choice or a text
//!   `A2\tKind T1 indirect`. The name is capitalised as brat's types are (`kind` -> `Kind`; a
//!   name that starts with a capital has it percent-encoded, `Kind` -> `%4Bind`, so import can
//!   give back the lower-case letter of the others), its other characters encoded as a custom
//!   label's. A value is one field, so free text is percent-encoded the same way
//!   (`in part` -> `in%20part`). A flag that is not set is not written.
//! - **`annotation.conf`** declares the `[entities]` (every label, and any other tag used),
//!   the `[relations]` (each relation type with `Arg1:` and `Arg2:` from its labels, or
//!   `<ENTITY>` for any, widened to the labels its relations link), the `[attributes]` (each
//!   attribute name with `Arg:` the labels that have it and `Value:` its choices and the values
//!   used; a flag has none) and an empty `[events]`, so brat itself opens the export.
//! - Not carried: ids (brat's `T1` and `R1` number its own lines; imports get new ids),
//!   timestamps (the time of the import), orphans and the relations to them. Events,
//!   normalisations, equivalences and attributes of anything but a span are left out on
//!   import, and the report says how many lines that was.
//!
//! Import takes the zip (recognised by its `PK` magic; entries must be Stored, as ours are),
//! whose `.txt` is the text the offsets refer to (spans are re-anchored by their quote in it
//! when the open text differs), or a bare `.ann` file, whose offsets then refer to the open
//! document and whose text fields are the quotes.

use std::collections::{HashMap, HashSet};

use super::stored_zip;
use super::w3c::percent_decode;
use super::{
    checked_span, invalid, place_items, placed_relations, selectors_in, source_text,
    tag_from_label, FormatError, ImportContext, ImportReport, Item, Parsed, RelationItem,
};
use crate::model::{
    normalize_text, AnnotationId, AnnotationStore, AttributeKind, AttributeValue, Attributes,
    Document, LabelSet, Span, Tag,
};

/// The name of the configuration file brat reads beside the documents.
pub const CONF_NAME: &str = "annotation.conf";

/// The brat type of a tag (see the module doc).
pub fn brat_type(tag: &Tag) -> String {
    match tag {
        Tag::Claim | Tag::Quote | Tag::Condition => tag.display_name(),
        Tag::Other(name) => encoded(name, |c| c == '-' || c == '_'),
    }
}

/// The tag of a brat type (see the module doc).
pub fn tag_from_brat_type(kind: &str) -> Tag {
    tag_from_label(&decoded(kind))
}

/// The brat type of a relation type: `-` written `_`, any other character that is not a
/// letter or digit percent-encoded (see the module doc).
pub fn brat_relation_type(kind: &str) -> String {
    kind.split('-')
        .map(|part| encoded(part, |_| false))
        .collect::<Vec<_>>()
        .join("_")
}

/// The relation type of a brat relation type: `_` read as `-`, then percent-decoded.
pub fn relation_type_from_brat(kind: &str) -> String {
    decoded(&kind.replace('_', "-"))
}

/// The brat name of an attribute: capitalised (see the module doc).
pub fn brat_attribute(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() => {
            first.to_ascii_uppercase().to_string()
                + &encoded(chars.as_str(), |c| c == '-' || c == '_')
        }
        Some(first) if first.is_ascii_uppercase() => {
            format!("%{:02X}", first as u8) + &encoded(chars.as_str(), |c| c == '-' || c == '_')
        }
        _ => encoded(name, |c| c == '-' || c == '_'),
    }
}

/// The attribute name of a brat attribute: its capital read as lower case, then decoded.
pub fn attribute_from_brat(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_ascii_uppercase() => {
            decoded(&(first.to_ascii_lowercase().to_string() + chars.as_str()))
        }
        _ => decoded(name),
    }
}

/// An attribute value as one `.ann` field (see the module doc).
fn brat_value(value: &str) -> String {
    encoded(value, |c| c == '-' || c == '_')
}

/// `text` with every character that is not alphanumeric or `kept` percent-encoded as UTF-8.
fn encoded(text: &str, kept: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_alphanumeric() || kept(ch) {
            out.push(ch);
        } else {
            let mut buf = [0; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// `text` percent-decoded, or as it is when it is not valid percent-encoding.
fn decoded(text: &str) -> String {
    percent_decode(text).unwrap_or_else(|| text.to_owned())
}

/// The fragments of `span` in `document`: the span cut at every run of `\n` that has other
/// characters on both sides within the span. A line break at the span's start or end stays in
/// the first or last fragment (and a span of nothing but line breaks is one fragment), so the
/// fragments run from the span's start to its end. Code points.
pub fn fragments(document: &Document, span: Span) -> Vec<Span> {
    let chars: Vec<char> = document.slice(span).unwrap_or_default().chars().collect();
    let (Some(first), Some(last)) = (
        chars.iter().position(|&c| c != '\n'),
        chars.iter().rposition(|&c| c != '\n'),
    ) else {
        return vec![span];
    };
    let mut out = Vec::new();
    let mut start = span.start;
    let mut i = first;
    while i <= last {
        if chars[i] == '\n' {
            let run_end = i + chars[i..].iter().take_while(|&&c| c == '\n').count();
            out.push(Span {
                start,
                end: span.start + i,
            });
            start = span.start + run_end;
            i = run_end;
        } else {
            i += 1;
        }
    }
    out.push(Span {
        start,
        end: span.end,
    });
    out
}

/// The `.ann` file of `store`'s annotations and relations on `document`. O(n) in the spans'
/// text plus the relations.
pub fn ann(document: &Document, store: &AnnotationStore) -> String {
    let mut out = String::new();
    let (mut note_number, mut attribute_number) = (0, 0);
    let mut note = |out: &mut String, target: &str, note: &str| {
        if !note.is_empty() {
            note_number += 1;
            out.push_str(&format!(
                "#{note_number}\tAnnotatorNotes {target}\t{}\n",
                escape_note(note)
            ));
        }
    };
    let mut entities: HashMap<&AnnotationId, String> = HashMap::with_capacity(store.len());
    for (i, annotation) in store.in_document_order().enumerate() {
        let entity = format!("T{}", i + 1);
        let pieces = fragments(document, annotation.span);
        let offsets: Vec<String> = pieces
            .iter()
            .map(|f| format!("{} {}", f.start, f.end))
            .collect();
        let texts: Vec<String> = pieces
            .iter()
            .map(|f| document.slice(*f).unwrap_or_default().replace('\n', " "))
            .collect();
        out.push_str(&format!(
            "{entity}\t{} {}\t{}\n",
            brat_type(&annotation.tag),
            offsets.join(";"),
            texts.join(" ")
        ));
        note(&mut out, &entity, &annotation.note);
        for (name, value) in &annotation.attributes {
            let value = match value {
                AttributeValue::Flag(true) => String::new(),
                AttributeValue::Flag(false) => continue,
                AttributeValue::Text(text) => format!(" {}", brat_value(text)),
            };
            attribute_number += 1;
            out.push_str(&format!(
                "A{attribute_number}\t{} {entity}{value}\n",
                brat_attribute(name)
            ));
        }
        entities.insert(&annotation.id, entity);
    }
    for (i, relation) in placed_relations(store).enumerate() {
        let id = format!("R{}", i + 1);
        out.push_str(&format!(
            "{id}\t{} Arg1:{} Arg2:{}\n",
            brat_relation_type(&relation.kind),
            entities[&relation.from],
            entities[&relation.to]
        ));
        note(&mut out, &id, &relation.note);
    }
    out
}

/// The zip holding `{stem}.txt` (the document text), `{stem}.ann` and the `annotation.conf`
/// of `labels` and what `store` uses. Entries are Stored (uncompressed) and dated 1980-01-01,
/// so the same annotations give the same bytes.
pub fn export(
    document: &Document,
    stem: &str,
    store: &AnnotationStore,
    labels: &LabelSet,
) -> Vec<u8> {
    let ann = ann(document, store);
    let conf = annotation_conf(labels, &[store]);
    stored_zip::write(&[
        (&format!("{stem}.txt"), document.text().as_bytes()),
        (&format!("{stem}.ann"), ann.as_bytes()),
        (CONF_NAME, conf.as_bytes()),
    ])
}

/// Names in the order first met, each once, with what is gathered for it.
struct Declared<T> {
    names: Vec<String>,
    by_name: HashMap<String, T>,
}

impl<T: Default> Declared<T> {
    fn new() -> Self {
        Declared {
            names: Vec::new(),
            by_name: HashMap::new(),
        }
    }

    /// What is gathered for `name`, listed from now on.
    fn entry(&mut self, name: String) -> &mut T {
        if !self.by_name.contains_key(&name) {
            self.names.push(name.clone());
        }
        self.by_name.entry(name).or_default()
    }

    /// Each name with what was gathered for it, in order.
    fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.names.iter().map(|name| (name, &self.by_name[name]))
    }
}

/// Distinct values in the order first added; adding one is O(1), so thousands of free-text
/// values cost no more than a few.
#[derive(Default)]
struct Choices {
    values: Vec<String>,
    seen: HashSet<String>,
}

impl Choices {
    fn of(values: impl IntoIterator<Item = String>) -> Self {
        let mut choices = Choices::default();
        for value in values {
            choices.add(value);
        }
        choices
    }

    fn add(&mut self, value: String) {
        if self.seen.insert(value.clone()) {
            self.values.push(value);
        }
    }

    /// `A|B`, or `any` when there are none.
    fn joined(&self, any: &str) -> String {
        if self.values.is_empty() {
            any.to_owned()
        } else {
            self.values.join("|")
        }
    }
}

/// A relation type's argument types: `None` for any (`<ENTITY>`).
#[derive(Default)]
struct Arguments {
    from: Option<Choices>,
    to: Option<Choices>,
}

/// An attribute's spans' types and values (none for a flag).
#[derive(Default)]
struct AttributeUse {
    types: Choices,
    values: Choices,
}

/// brat's `annotation.conf` for files of `stores` annotated with `labels` (see the module
/// doc): every label and every tag used, each relation type and each type used, each attribute
/// of a label and each one used. O(labels + annotations + relations).
pub fn annotation_conf(labels: &LabelSet, stores: &[&AnnotationStore]) -> String {
    let mut entities = Choices::default();
    let mut relations: Declared<Arguments> = Declared::new();
    let mut attributes: Declared<AttributeUse> = Declared::new();
    let types = |tags: &[Tag]| -> Option<Choices> {
        (!tags.is_empty()).then(|| Choices::of(tags.iter().map(brat_type)))
    };
    for label in labels.all() {
        let kind = brat_type(&label.tag);
        entities.add(kind.clone());
        for attribute in &label.attributes {
            let entry = attributes.entry(brat_attribute(&attribute.name));
            entry.types.add(kind.clone());
            if let AttributeKind::Choice { values } = &attribute.kind {
                for value in values {
                    entry.values.add(brat_value(value));
                }
            }
        }
    }
    for kind in labels.relation_types() {
        let entry = relations.entry(brat_relation_type(&kind.id));
        entry.from = types(&kind.from);
        entry.to = types(&kind.to);
    }
    for store in stores {
        for annotation in store.in_document_order() {
            let kind = brat_type(&annotation.tag);
            entities.add(kind.clone());
            for (name, value) in &annotation.attributes {
                let entry = attributes.entry(brat_attribute(name));
                entry.types.add(kind.clone());
                if let AttributeValue::Text(text) = value {
                    entry.values.add(brat_value(text));
                }
            }
        }
        for relation in placed_relations(store) {
            // A type that no relation type declares links any spans (`<ENTITY>`); a declared
            // one is widened to the spans its relations link.
            let entry = relations.entry(brat_relation_type(&relation.kind));
            for (side, end) in [
                (&mut entry.from, &relation.from),
                (&mut entry.to, &relation.to),
            ] {
                if let (Some(types), Some(annotation)) = (side.as_mut(), store.get(end)) {
                    types.add(brat_type(&annotation.tag));
                }
            }
        }
    }
    let mut conf = String::from("[entities]\n");
    for kind in &entities.values {
        conf.push_str(kind);
        conf.push('\n');
    }
    conf.push_str("\n[relations]\n");
    for (name, arguments) in relations.iter() {
        let side = |types: &Option<Choices>| {
            types
                .as_ref()
                .map_or_else(|| "<ENTITY>".to_owned(), |t| t.joined("<ENTITY>"))
        };
        conf.push_str(&format!(
            "{name}\tArg1:{}, Arg2:{}\n",
            side(&arguments.from),
            side(&arguments.to)
        ));
    }
    conf.push_str("\n[events]\n\n[attributes]\n");
    for (name, used) in attributes.iter() {
        conf.push_str(&format!("{name}\tArg:{}", used.types.joined("<ENTITY>")));
        if !used.values.values.is_empty() {
            conf.push_str(&format!(", Value:{}", used.values.joined("")));
        }
        conf.push('\n');
    }
    conf
}

fn escape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for ch in note.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out
}

fn unescape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    let mut chars = note.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// True when `line` looks like a brat annotation line: an id (`T1`, `#2`, `R3`, `*`), a tab,
/// and a field with a space or a colon in it (`Claim 0 5`, `Move:T3`).
pub fn looks_like_ann_line(line: &str) -> bool {
    let mut fields = line.split('\t');
    let (Some(id), Some(second)) = (fields.next(), fields.next()) else {
        return false;
    };
    let mut id_chars = id.chars();
    let id_ok = match id_chars.next() {
        Some('*') => id_chars.next().is_none(),
        Some('T' | 'R' | 'E' | 'A' | 'M' | 'N' | '#') => {
            let rest = id_chars.as_str();
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    id_ok && (second.contains(' ') || second.contains(':'))
}

/// One document of a brat zip: its `.ann` file and, when the zip has it, its `.txt`.
pub struct BratPair {
    /// The `.ann` file's path in the zip.
    pub ann_name: String,
    /// The `.ann` file.
    pub ann: String,
    /// The `.txt` file's path and text, when there is one of the same stem (in a zip of one
    /// `.ann`, any `.txt`).
    pub txt: Option<(String, String)>,
}

/// The `.ann` files of a brat zip, in the zip's order, each with its `.txt` (macOS `__MACOSX/` entries
/// left out). Refused when the zip cannot be read or holds no `.ann` file.
pub fn pairs(input: &[u8]) -> Result<Vec<BratPair>, FormatError> {
    let zip_error = |e: stored_zip::ZipError| FormatError::Zip(e.to_string());
    let entries = stored_zip::entries(input).map_err(zip_error)?;
    let names: Vec<String> = entries
        .iter()
        .map(|entry| entry.name.clone())
        .filter(|name| !name.starts_with("__MACOSX/"))
        .collect();
    let is = |name: &str, extension: &str| {
        let (name, extension) = (name.as_bytes(), extension.as_bytes());
        name.len() > extension.len()
            && name[name.len() - extension.len()..].eq_ignore_ascii_case(extension)
    };
    let ann_names: Vec<&String> = names.iter().filter(|n| is(n, ".ann")).collect();
    if ann_names.is_empty() {
        return Err(FormatError::Zip("it holds no .ann file".into()));
    }
    let by_name: HashMap<&str, &stored_zip::Entry> =
        entries.iter().map(|e| (e.name.as_str(), e)).collect();
    let read = |name: &str| -> Result<String, FormatError> {
        let entry = by_name[name];
        let bytes = stored_zip::read(input, entry).map_err(zip_error)?;
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            FormatError::Zip(format!(
                "{name} is not UTF-8 text (invalid byte at position {})",
                e.utf8_error().valid_up_to()
            ))
        })
    };
    let single = ann_names.len() == 1;
    // Each `.txt` by its stem, so pairing n files is O(n), not O(n²).
    let txt_by_stem: HashMap<&str, &String> = names
        .iter()
        .filter(|n| is(n, ".txt"))
        .map(|n| (&n[..n.len() - 4], n))
        .rev() // the first of two with one stem wins
        .collect();
    ann_names
        .into_iter()
        .map(|ann_name| {
            let stem = &ann_name[..ann_name.len() - 4];
            let txt_name = txt_by_stem.get(stem).copied().or_else(|| {
                single
                    .then(|| names.iter().find(|n| is(n, ".txt")))
                    .flatten()
            });
            let txt = match txt_name {
                Some(name) => Some((name.clone(), read(name)?)),
                None => None,
            };
            Ok(BratPair {
                ann_name: ann_name.clone(),
                ann: read(ann_name)?,
                txt,
            })
        })
        .collect()
}

/// Reads a brat zip onto `document`: the `.ann` whose `.txt` is this document's text (a zip
/// of several documents, as "export all" writes), else the first `.ann` by path.
pub fn import_zip(
    document: &Document,
    input: &[u8],
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let pairs = pairs(input)?;
    let this_text = |pair: &&BratPair| {
        pair.txt
            .as_ref()
            .is_some_and(|(_, text)| normalize_text(text) == document.text())
    };
    let first_by_path = pairs
        .iter()
        .min_by(|a, b| a.ann_name.cmp(&b.ann_name))
        .expect("pairs refuses a zip without an .ann");
    let pair = pairs.iter().find(this_text).unwrap_or(first_by_path);
    let parsed = read_ann(
        document,
        &pair.ann,
        pair.txt.as_ref().map(|(_, text)| text.as_str()),
        Some(&pair.ann_name),
    )?;
    place_items(document, parsed, context)
}

/// Reads a bare `.ann` file whose offsets refer to the open document.
pub fn import_ann(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let parsed = read_ann(document, input, None, None)?;
    place_items(document, parsed, context)
}

/// A text-bound annotation being read.
struct Entity {
    line: usize,
    tag: Tag,
    fragments: Vec<Span>,
    text: Option<String>,
    note: Vec<String>,
    attributes: Attributes,
}

/// A relation being read: its line, type and the ids of its arguments (`T3`).
struct BratRelation<'a> {
    line: usize,
    kind: String,
    from: &'a str,
    to: &'a str,
    note: Vec<String>,
}

/// The items and relations of an `.ann` file; `txt` is the text its offsets refer to, when
/// known.
fn read_ann(
    document: &Document,
    ann: &str,
    txt: Option<&str>,
    file_name: Option<&str>,
) -> Result<Parsed, FormatError> {
    let at = |line: usize| match file_name {
        Some(name) => format!("{name}, line {line}"),
        None => format!("line {line}"),
    };
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut relations: Vec<BratRelation> = Vec::new();
    let mut relation_by_id: HashMap<&str, usize> = HashMap::new();
    let mut ids = HashSet::new();
    let mut notes: Vec<(&str, String)> = Vec::new();
    // (what it is on, name, value) of each attribute line.
    let mut attributes: Vec<(&str, &str, Option<&str>)> = Vec::new();
    let mut left_out = 0;
    for (number, line) in super::numbered_lines(ann) {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let Some(middle) = fields.next() else {
            return Err(invalid(
                at(number),
                "not a brat annotation line (expected an id, a tab and the annotation)",
            ));
        };
        let rest = fields.next();
        if !ids.insert(id) && id != "*" {
            return Err(FormatError::DuplicateId {
                path: at(number),
                id: id.to_owned(),
            });
        }
        match id.chars().next() {
            Some('T') => {
                let (kind, offsets) = middle.split_once(' ').ok_or_else(|| {
                    invalid(
                        at(number),
                        "expected a type and offsets, like \"Claim 0 5\"",
                    )
                })?;
                let mut fragments = Vec::new();
                for fragment in offsets.split(';') {
                    let numbers: Vec<&str> = fragment.split_whitespace().collect();
                    let [start, end] = numbers[..] else {
                        return Err(invalid(
                            at(number),
                            format!(
                                "expected \"start end\" offsets, found \"{}\"",
                                super::quoted(fragment)
                            ),
                        ));
                    };
                    let parse = |n: &str| {
                        n.parse::<usize>().map_err(|_| {
                            invalid(
                                at(number),
                                format!(
                                    "expected an offset (a whole number from 0), found \"{}\"",
                                    super::quoted(n)
                                ),
                            )
                        })
                    };
                    let (start, end) = (parse(start)?, parse(end)?);
                    if end < start {
                        return Err(FormatError::EndBeforeStart {
                            path: at(number),
                            start,
                            end,
                        });
                    }
                    fragments.push(Span { start, end });
                }
                by_id.insert(id, entities.len());
                entities.push(Entity {
                    line: number,
                    tag: tag_from_brat_type(kind),
                    fragments,
                    text: rest.map(str::to_owned),
                    note: Vec::new(),
                    attributes: Default::default(),
                });
            }
            Some('R') => {
                let (kind, from, to) = relation_arguments(middle).ok_or_else(|| {
                    invalid(
                        at(number),
                        "expected a relation type and two arguments, like \
                         \"attributed_to Arg1:T1 Arg2:T2\"",
                    )
                })?;
                relation_by_id.insert(id, relations.len());
                relations.push(BratRelation {
                    line: number,
                    kind: relation_type_from_brat(kind),
                    from,
                    to,
                    note: Vec::new(),
                });
            }
            Some('A' | 'M') => {
                let mut parts = middle.split_whitespace();
                let (Some(name), Some(target)) = (parts.next(), parts.next()) else {
                    return Err(invalid(
                        at(number),
                        "expected an attribute name and what it is on, like \"Hedged T1\"",
                    ));
                };
                attributes.push((target, name, parts.next()));
            }
            Some('#') => {
                if let Some(target) = middle.strip_prefix("AnnotatorNotes ") {
                    notes.push((target.trim(), unescape_note(rest.unwrap_or_default())));
                }
            }
            _ => left_out += 1, // events, normalisations, equivalences
        }
    }
    for (target, note) in notes {
        if let Some(&index) = by_id.get(target) {
            entities[index].note.push(note);
        } else if let Some(&index) = relation_by_id.get(target) {
            relations[index].note.push(note);
        }
    }
    for (target, name, value) in attributes {
        let Some(&index) = by_id.get(target) else {
            left_out += 1; // on an event or a relation
            continue;
        };
        let value = match value {
            None => AttributeValue::Flag(true),
            Some(value) => AttributeValue::Text(decoded(value)),
        };
        entities[index]
            .attributes
            .insert(attribute_from_brat(name), value);
    }

    let reference = txt.map(|txt| Document::from_normalized(txt.to_owned()));
    let source = txt.and_then(|txt| source_text(document, txt));
    let mut items = Vec::with_capacity(entities.len());
    for entity in entities {
        let start = entity.fragments.iter().map(|f| f.start).min().unwrap_or(0);
        let end = entity.fragments.iter().map(|f| f.end).max().unwrap_or(0);
        let recorded = checked_span(start, end, at(entity.line))?;
        let quote = match &reference {
            Some(reference) => reference.slice(recorded).map(str::to_owned),
            None => bare_quote(document, &entity, recorded),
        };
        items.push(Item {
            id_at: at(entity.line),
            id: None,
            recorded: Some(recorded),
            selectors: selectors_in(source.as_ref(), recorded, quote.or(entity.text)),
            tag: entity.tag,
            note: entity.note.join("\n"),
            attributes: entity.attributes,
            created: None,
            modified: None,
        });
    }
    let relations = relations
        .into_iter()
        .map(|relation| RelationItem {
            id_at: at(relation.line),
            id: None,
            kind: relation.kind,
            from: by_id.get(relation.from).copied(),
            to: by_id.get(relation.to).copied(),
            note: relation.note.join("\n"),
        })
        .collect();
    let notes = if left_out > 0 {
        vec![format!(
            "{} left out (events, normalisations, equivalences, attributes of anything but a span)",
            super::plural(left_out, "brat line")
        )]
    } else {
        Vec::new()
    };
    Ok(Parsed {
        items,
        relations,
        notes,
    })
}

/// A relation line's type and its arguments' ids, `Arg1` (from) and `Arg2` (to), else its
/// first two arguments in order: `attributed_to Arg1:T3 Arg2:T4`.
fn relation_arguments(middle: &str) -> Option<(&str, &str, &str)> {
    let mut parts = middle.split_whitespace();
    let kind = parts.next()?;
    let arguments: Vec<(&str, &str)> = parts.map(|a| a.split_once(':')).collect::<Option<_>>()?;
    let named = |name: &str| {
        arguments
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
    };
    match (named("Arg1"), named("Arg2"), arguments.as_slice()) {
        (Some(from), Some(to), _) => Some((kind, from, to)),
        (_, _, [(_, from), (_, to), ..]) => Some((kind, from, to)),
        _ => None,
    }
}

/// The quote of an entity from a bare `.ann` file: the open text at its offsets when the
/// text field matches it there; else the text field, its fragments rejoined by `\n` (the line
/// break our exports split at).
fn bare_quote(document: &Document, entity: &Entity, recorded: Span) -> Option<String> {
    let text = entity.text.as_deref()?;
    let there: Option<Vec<&str>> = entity
        .fragments
        .iter()
        .map(|f| document.slice(*f))
        .collect();
    if let Some(there) = there {
        let joined = there.join(" ");
        if joined == text || joined.replace('\n', " ") == text {
            return document.slice(recorded).map(str::to_owned);
        }
    }
    if entity.fragments.len() == 1 {
        return Some(text.to_owned());
    }
    // Cut the text field by the fragments' lengths (code points), one space between them.
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut at: usize = 0;
    for fragment in &entity.fragments {
        let piece = chars.get(at..at.checked_add(fragment.len())?)?;
        pieces.push(piece.iter().collect::<String>());
        at = at.saturating_add(fragment.len()).saturating_add(1);
    }
    Some(pieces.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn thousands_of_ann_and_txt_files_pair_by_name() {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..3_000 {
            // `.txt` files listed before and after their `.ann`, and one upper-case extension.
            let txt = format!("doc{i}.{}", if i == 7 { "TXT" } else { "txt" });
            let ann = (format!("doc{i}.ann"), b"T1\tClaim 0 3\tdoc\n".to_vec());
            let text = (txt, format!("doc {i}").into_bytes());
            if i % 2 == 0 {
                files.extend([text, ann]);
            } else {
                files.extend([ann, text]);
            }
        }
        let entries: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let archive = stored_zip::write(&entries);
        let pairs = pairs(&archive).unwrap();
        assert_eq!(pairs.len(), 3_000);
        for (i, pair) in pairs.iter().enumerate() {
            let (name, text) = pair.txt.as_ref().unwrap();
            assert_eq!(pair.ann_name, format!("doc{i}.ann"));
            assert_eq!(name.to_lowercase(), format!("doc{i}.txt"));
            assert_eq!(text, &format!("doc {i}"));
        }
    }

    #[test]
    fn ann_lines_split_spans_at_line_breaks_and_escape_notes() {
        let document = Document::from_raw("Rain fell.\n\nThe mayor 😀 said\nno.");
        let store = store(
            &document,
            &[
                ("a", 0, 4, "claim", "line one\nline\\two"),
                ("b", 5, 16, "place name", ""),
                ("c", 10, 12, "quote", ""),
                ("d", 27, 31, "condition", ""),
            ],
        );
        assert_eq!(
            ann(&document, &store),
            "T1\tClaim 0 4\tRain\n\
             #1\tAnnotatorNotes T1\tline one\\nline\\\\two\n\
             T2\tplace%20name 5 10;12 16\tfell. The \n\
             T3\tQuote 10 12\t  \n\
             T4\tCondition 27 28;29 31\td no\n"
        );
    }

    #[test]
    fn relations_are_r_lines_and_attributes_a_lines_with_their_notes() {
        use crate::format::test_support::{relate, set_attribute};
        let document = Document::from_raw("Macron said no, in part.");
        let mut store = store(
            &document,
            &[
                ("s", 0, 6, "source", ""),
                ("q", 7, 14, "quote", ""),
                ("c", 16, 23, "claim", ""),
            ],
        );
        set_attribute(
            &mut store,
            "q",
            "kind",
            AttributeValue::Text("in part".into()),
        );
        set_attribute(&mut store, "c", "hedged", AttributeValue::Flag(true));
        set_attribute(&mut store, "c", "Seen", AttributeValue::Flag(false));
        relate(
            &mut store,
            ("r1", "attributed-to", "q", "s", "at the summit"),
        );
        relate(&mut store, ("r2", "cites_source", "c", "q", ""));
        assert_eq!(
            ann(&document, &store),
            "T1\tsource 0 6\tMacron\n\
             T2\tQuote 7 14\tsaid no\n\
             A1\tKind T2 in%20part\n\
             T3\tClaim 16 23\tin part\n\
             A2\tHedged T3\n\
             R1\tattributed_to Arg1:T2 Arg2:T1\n\
             #1\tAnnotatorNotes R1\tat the summit\n\
             R2\tcites%5Fsource Arg1:T3 Arg2:T2\n"
        );
        let report = import_bytes(
            &document,
            &export(&document, "d", &store, &LabelSet::default()),
        )
        .unwrap();
        let ids: Vec<&str> = report.placed.iter().map(|a| a.id.as_str()).collect();
        let relations: Vec<(&str, &str, &str, &str)> = report
            .relations
            .iter()
            .map(|r| {
                (
                    r.kind.as_str(),
                    r.from.as_str(),
                    r.to.as_str(),
                    r.note.as_str(),
                )
            })
            .collect();
        assert_eq!(
            relations,
            [
                ("attributed-to", ids[1], ids[0], "at the summit"),
                ("cites_source", ids[2], ids[1], "")
            ]
        );
        assert_eq!(
            report.placed[1].attributes["kind"],
            AttributeValue::Text("in part".into())
        );
        // A flag that is not set is not written.
        assert_eq!(
            report.placed[2].attributes.keys().collect::<Vec<_>>(),
            ["hedged"]
        );
    }

    #[test]
    fn names_map_to_brat_and_back() {
        assert_eq!(brat_relation_type("attributed-to"), "attributed_to");
        assert_eq!(brat_relation_type("a-_b c"), "a_%5Fb%20c");
        for kind in ["attributed-to", "a-_b c", "Über-réf 😀", "50%"] {
            assert_eq!(relation_type_from_brat(&brat_relation_type(kind)), kind);
        }
        assert_eq!(brat_attribute("kind"), "Kind");
        assert_eq!(brat_attribute("Kind"), "%4Bind");
        assert_eq!(brat_attribute("said by"), "Said%20by");
        for name in ["kind", "Kind", "said by", "é 😀", "_x", "9lives"] {
            assert_eq!(attribute_from_brat(&brat_attribute(name)), name);
        }
    }

    #[test]
    fn the_conf_declares_labels_relation_types_and_attributes_and_what_is_used() {
        use crate::format::test_support::{relate, set_attribute};
        let document = Document::from_raw("Macron said no.");
        let mut store = store(
            &document,
            &[("s", 0, 6, "person", ""), ("q", 7, 14, "quote", "")],
        );
        set_attribute(
            &mut store,
            "s",
            "role",
            AttributeValue::Text("head of state".into()),
        );
        relate(&mut store, ("r1", "attributed-to", "q", "s", ""));
        relate(&mut store, ("r2", "mentions", "q", "s", ""));
        assert_eq!(
            annotation_conf(&LabelSet::default(), &[&store]),
            "[entities]\nClaim\nQuote\nCondition\nsource\nperson\n\n\
             [relations]\n\
             attributed_to\tArg1:Quote|Claim, Arg2:source|person\n\
             qualifies\tArg1:Condition, Arg2:Claim|Quote\n\
             mentions\tArg1:<ENTITY>, Arg2:<ENTITY>\n\n\
             [events]\n\n\
             [attributes]\n\
             Hedged\tArg:Claim\n\
             Kind\tArg:Quote, Value:direct|indirect|partial\n\
             Role\tArg:person, Value:head%20of%20state\n"
        );
    }

    #[test]
    fn events_and_normalisations_are_left_out_with_a_note() {
        let document = Document::from_raw("Rain fell.");
        let input = "T1\tClaim 0 4\tRain\nE1\tFall:T1\nN1\tReference T1 Wikipedia:534366\tRain\nA1\tNegated E1\n*\tEquiv T1 T1\n";
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(report.placed.len(), 1);
        assert_eq!(
            report.notes,
            ["4 brat lines left out (events, normalisations, equivalences, attributes of anything but a span)"]
        );
        let error =
            import_bytes(&document, b"T1\tClaim 0 4\tRain\nR1\tCause Arg1:T1\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("line 2: expected a relation type and two arguments"),
            "{error}"
        );
    }

    #[test]
    fn the_zip_round_trips_on_the_same_document() {
        let document = Document::from_raw("Rain fell.\n\nThe mayor 😀 said\nno.");
        let store = store(
            &document,
            &[
                ("a", 0, 4, "claim", "a\nnote"),
                ("b", 5, 16, "étiquette 😀", ""),
                ("c", 10, 12, "quote", ""),
            ],
        );
        let zip = export(&document, "doc", &store, &LabelSet::default());
        let names: Vec<String> = stored_zip::entries(&zip)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["doc.txt", "doc.ann", CONF_NAME]);
        assert!(zip.starts_with(b"PK\x03\x04"));
        let report = import_bytes(&document, &zip).unwrap();
        assert_eq!(
            landed(&report),
            [
                (0, 4, "claim".to_owned()),
                (5, 16, "étiquette 😀".to_owned()),
                (10, 12, "quote".to_owned())
            ]
        );
        assert_eq!(report.placed[0].note, "a\nnote");
        assert_eq!(report.placed.len(), 3);
    }

    #[test]
    fn a_bare_ann_file_is_read_against_the_open_text() {
        let document = Document::from_raw("Rain fell.\n\nThe mayor said no.");
        let input = "T1\tCLAIM 0 4\tRain\nR1\tCause Arg1:T1 Arg2:T2\nT2\tquote 5 10;12 15\tfell. The\nA1\tNegated T1\n#1\tAnnotatorNotes T2\tsee\n";
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [(0, 4, "claim".to_owned()), (5, 15, "quote".to_owned())]
        );
        assert_eq!(report.placed[1].note, "see");
        assert_eq!(report.placed.len(), 2);
    }

    #[test]
    fn bad_lines_are_named() {
        let document = Document::from_raw("Rain fell.");
        let error =
            import_bytes(&document, b"T1\tClaim 0 4\tRain\nT1\tClaim 5 9\tfell\n").unwrap_err();
        assert!(
            matches!(error, FormatError::DuplicateId { ref path, .. } if path == "line 2"),
            "{error:?}"
        );
        let error = import_bytes(&document, b"T1\tClaim 0 x\tRain\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1: expected an offset (a whole number from 0), found \"x\""
        );
        let error = import_bytes(&document, b"T1\tClaim 4 0\tRain\n").unwrap_err();
        assert!(
            matches!(error, FormatError::EndBeforeStart { .. }),
            "{error:?}"
        );
        assert!(!looks_like_ann_line("T1\tO"));
        assert!(looks_like_ann_line("E1\tMove:T3"));
    }
}
