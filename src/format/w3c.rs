//! W3C Web Annotation Data Model, JSON-LD (`NAME.w3c.jsonld`).
//!
//! Export: one `AnnotationCollection` whose `first` page holds every annotation:
//! ```json
//! {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
//!  "label": "sample-article.txt", "total": 1,
//!  "first": {"type": "AnnotationPage", "startIndex": 0, "items": [
//!    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:uuid:…", "type": "Annotation",
//!     "created": "…", "modified": "…", "motivation": "tagging",
//!     "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"},
//!              {"type": "TextualBody", "purpose": "commenting", "value": "the note"}],
//!     "target": {"source": "urn:sha256:<hex of the document text>",
//!                "selector": [{"type": "TextQuoteSelector", "exact": "…", "prefix": "…", "suffix": "…"},
//!                             {"type": "TextPositionSelector", "start": 0, "end": 5}]}}]}}
//! ```
//! `start`/`end` are code points, end exclusive; `prefix`/`suffix` are up to
//! [`crate::anchor::CONTEXT_CHARS`] code points. An id that is a UUID is written `urn:uuid:<id>`;
//! any other id `urn:marginalia:<id>` with every byte outside `A-Z a-z 0-9 - . _ ~`
//! percent-encoded. Empty timestamps are left out. Orphans are not exported (see the
//! marginalia format), nor the relations to them.
//!
//! - **Attributes** are the extension property `attributes` of the annotation, an object of
//!   values as in the marginalia file (`"attributes": {"kind": "indirect", "hedged": true}`),
//!   left out when empty. It is not a term of the Web Annotation context, so JSON-LD processors
//!   ignore it; plain JSON readers (and our import) read it.
//! - **Relations** follow the annotations, each an annotation of its own that links two of them,
//!   as RecogitoJS writes its relations: `motivation` `linking`, `target` the two annotations'
//!   ids (`from` first), a tagging body with the relation type and a commenting body with its
//!   note:
//!   ```json
//!   {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:uuid:…", "type": "Annotation",
//!    "motivation": "linking",
//!    "body": [{"type": "TextualBody", "purpose": "tagging", "value": "attributed-to"}],
//!    "target": [{"id": "urn:uuid:<from>"}, {"id": "urn:uuid:<to>"}]}
//!   ```
//!
//! Lossless for annotations and relations: ids, tags, notes, attributes and timestamps
//! round-trip.
//!
//! Import reads what Hypothesis and Recogito write as well as our own files:
//! - the file: an `AnnotationCollection` (its `first` page, and `next` pages embedded in it), an
//!   `AnnotationPage` (`items`), a bare array of annotations, one annotation, a Hypothesis client
//!   export (`{"export_date", …, "annotations": […]}`) or API search result (`rows`);
//! - `target`: a string (no selector), an object or an array (the first target with a text
//!   selector counts); `selector`: one object or an array. `TextQuoteSelector` and
//!   `TextPositionSelector` are read; any other selector (RangeSelector, XPathSelector, …) is
//!   ignored. Hypothesis and Recogito count positions in UTF-16 units of their page; where that
//!   differs from our code points the quote is checked at the position and, failing that, the
//!   annotation is re-anchored by its quote and context;
//! - ids: `urn:uuid:` and `urn:marginalia:` prefixes are removed, other ids kept as written;
//! - tag: the first body whose purpose is `tagging` (or `classifying`, `identifying`), then the
//!   first of Hypothesis's `tags`; a body without a purpose takes the annotation's `motivation`;
//!   a `TextualBody` with neither is the tag when nothing else is (Recogito-style bare tags),
//!   unless it is formatted text (`text/html`, `text/markdown`, as Hypothesis writes comments),
//!   and a note otherwise. A tag equal to a built-in one in any ASCII case (`Claim`) is that tag,
//!   any other is kept as written (so a custom label spelt like a built-in one, e.g. `CLAIM`,
//!   reads back as the built-in tag). An annotation with no tag at all gets the tag `untagged`,
//!   so nothing is lost. Further tags beyond the first are not kept (one tag per annotation);
//! - note: the bodies whose purpose is `commenting` (or `describing`, `replying`, …), then
//!   Hypothesis's `text`, joined by blank lines;
//! - `created`, and `modified` or Hypothesis's `updated`;
//! - Hypothesis replies (a non-empty `references`) are skipped: they annotate an annotation,
//!   not the text. An annotation without any text selector (a page note) is kept as an orphan;
//! - a relation is an annotation with the motivation `linking` whose target is two annotation
//!   ids (each a string, or an object with an `id` and no selector), ours or RecogitoJS's: its
//!   type is its tag as above (`untagged` when it has none) and its note its comments. One
//!   whose ids are not annotations of the file is left out, and the report says how many.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    checked_span, index, invalid, items_by_id, join, json_attributes, json_id, json_offset,
    json_str, place_items, placed_relations, tag_from_label, FormatError, ImportContext,
    ImportReport, Item, Parsed, RelationItem,
};
use crate::anchor::{self, Selectors, TextQuote};
use crate::model::{AnnotationStore, Attributes, Document, Span};

/// The JSON-LD context of the Web Annotation vocabulary.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
pub use super::UNTAGGED;

#[derive(Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    /// Who made the annotations: the library's annotator name, left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<CreatorOut<'a>>,
    total: usize,
    first: PageOut<'a>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<ItemOut<'a>>,
}

/// A person, as the Web Annotation model names a creator.
#[derive(Serialize)]
struct CreatorOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

/// An item of the page: an annotation of a span, or a relation between two of them.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemOut<'a> {
    Span(AnnotationOut<'a>),
    Link(LinkOut<'a>),
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    created: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    modified: &'a str,
    motivation: &'static str,
    body: Vec<BodyOut<'a>>,
    target: TargetOut<'a>,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<BodyOut<'a>>,
    target: [LinkTargetOut; 2],
}

/// A target that is another annotation, named by its id.
#[derive(Serialize)]
struct LinkTargetOut {
    id: String,
}

#[derive(Serialize)]
struct BodyOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    source: &'a str,
    selector: (QuoteOut, PositionOut),
}

#[derive(Serialize)]
struct QuoteOut {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: String,
    prefix: String,
    suffix: String,
}

#[derive(Serialize)]
struct PositionOut {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// The collection of `store`'s annotations on `document` (named `name`). O(n) in the text plus
/// the annotations' quotes and contexts.
pub fn export(document: &Document, name: &str, store: &AnnotationStore, annotator: &str) -> String {
    let source = format!("urn:sha256:{}", document.sha256());
    let items: Vec<ItemOut> = store
        .in_document_order()
        .map(|a| {
            let quote = anchor::describe(document, a.span)
                .quote
                .unwrap_or_else(|| TextQuote {
                    exact: String::new(),
                    prefix: String::new(),
                    suffix: String::new(),
                });
            ItemOut::Span(AnnotationOut {
                context: CONTEXT,
                id: id_to_iri(a.id.as_str()),
                kind: "Annotation",
                created: &a.created,
                modified: &a.modified,
                motivation: "tagging",
                body: bodies(a.tag.as_str(), &a.note),
                target: TargetOut {
                    source: &source,
                    selector: (
                        QuoteOut {
                            kind: "TextQuoteSelector",
                            exact: quote.exact,
                            prefix: quote.prefix,
                            suffix: quote.suffix,
                        },
                        PositionOut {
                            kind: "TextPositionSelector",
                            start: a.span.start,
                            end: a.span.end,
                        },
                    ),
                },
                attributes: &a.attributes,
            })
        })
        .chain(placed_relations(store).map(|r| {
            ItemOut::Link(LinkOut {
                context: CONTEXT,
                id: id_to_iri(r.id.as_str()),
                kind: "Annotation",
                motivation: "linking",
                body: bodies(&r.kind, &r.note),
                target: [&r.from, &r.to].map(|end| LinkTargetOut {
                    id: id_to_iri(end.as_str()),
                }),
            })
        }))
        .collect();
    let collection = CollectionOut {
        context: CONTEXT,
        kind: "AnnotationCollection",
        label: name,
        creator: (!annotator.is_empty()).then_some(CreatorOut {
            kind: "Person",
            name: annotator,
        }),
        total: items.len(),
        first: PageOut {
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    // Written into a buffer sized for the whole file (about 1.2 KB an annotation), so a large
    // export is not built by repeated doubling: in the browser that peak stays in wasm memory.
    let mut out = Vec::with_capacity(collection.first.items.len() * 1_300 + 1_024);
    serde_json::to_writer_pretty(&mut out, &collection).expect("plain structs always serialise");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A tagging body holding `tag`, and a commenting body holding `note` unless it is empty.
fn bodies<'a>(tag: &'a str, note: &'a str) -> Vec<BodyOut<'a>> {
    let mut body = vec![BodyOut {
        kind: "TextualBody",
        purpose: "tagging",
        value: tag,
    }];
    if !note.is_empty() {
        body.push(BodyOut {
            kind: "TextualBody",
            purpose: "commenting",
            value: note,
        });
    }
    body
}

/// `urn:uuid:<id>` for a UUID, else `urn:marginalia:<percent-encoded id>`.
pub fn id_to_iri(id: &str) -> String {
    if is_uuid(id) {
        format!("urn:uuid:{id}")
    } else {
        let mut iri = String::from("urn:marginalia:");
        for byte in id.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                iri.push(byte as char);
            } else {
                iri.push_str(&format!("%{byte:02X}"));
            }
        }
        iri
    }
}

/// The annotation id of an imported `id`: without a `urn:uuid:` prefix, or decoded from a
/// `urn:marginalia:` one; any other id as written.
pub fn id_from_iri(iri: &str) -> String {
    if let Some(uuid) = iri.strip_prefix("urn:uuid:") {
        uuid.to_owned()
    } else if let Some(encoded) = iri.strip_prefix("urn:marginalia:") {
        percent_decode(encoded).unwrap_or_else(|| encoded.to_owned())
    } else {
        iri.to_owned()
    }
}

/// Decodes `%XX` escapes; `None` when one is malformed or the result is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_uuid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Reads W3C (or Hypothesis) annotations and the relations between them from an already parsed
/// JSON value and places them on `document`. O(annotations) plus the anchoring.
pub fn import_value(
    document: &Document,
    value: &Value,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let mut items = Vec::new();
    let mut links = Vec::new();
    for (path, annotation) in annotations_in(value)? {
        let Some(object) = annotation.as_object() else {
            return Err(invalid(
                display_path(&path),
                format!(
                    "expected an annotation (a JSON object), found {}",
                    super::quoted_json(annotation)
                ),
            ));
        };
        if let Some(targets) = link_targets(object) {
            links.push(read_link(object, &path, targets)?);
        } else if let Some(item) = read_annotation(object, &path)? {
            items.push(item);
        }
    }
    let by_id = items_by_id(&items);
    let relations = links
        .into_iter()
        .map(|link| RelationItem {
            from: by_id.get(link.from.as_str()).copied(),
            to: by_id.get(link.to.as_str()).copied(),
            ..link.relation
        })
        .collect();
    let parsed = Parsed {
        items,
        relations,
        notes: Vec::new(),
    };
    place_items(document, parsed, context)
}

/// A linking annotation as read: the relation, and the ids of the annotations it links.
struct Link {
    relation: RelationItem,
    from: String,
    to: String,
}

/// The two annotation ids a linking annotation targets (`from` first, as they are written):
/// when its motivation is `linking` and its target is two IRIs (strings, or objects with an
/// `id` and no selector), as RecogitoJS and our exports write relations. `None` for anything
/// else, such as a linking annotation on a span of text.
pub(crate) fn link_targets(object: &Map<String, Value>) -> Option<[&str; 2]> {
    if first_string(object.get("motivation")) != Some("linking") {
        return None;
    }
    match object.get("target")?.as_array()?.as_slice() {
        [from, to] => Some([target_iri(from)?, target_iri(to)?]),
        _ => None,
    }
}

/// A target that is only an IRI: a string, or an object with an `id` and no selector.
fn target_iri(target: &Value) -> Option<&str> {
    match target {
        Value::String(iri) => Some(iri),
        Value::Object(target) if !target.contains_key("selector") => {
            target.get("id").and_then(Value::as_str)
        }
        _ => None,
    }
}

/// A linking annotation (see [`link_targets`]) as a relation: its type is its tag, its note
/// its comments.
fn read_link(
    object: &Map<String, Value>,
    path: &str,
    [from, to]: [&str; 2],
) -> Result<Link, FormatError> {
    let (id_key, id) = read_id(object, path)?;
    let (kind, notes) = read_bodies(object, path)?;
    Ok(Link {
        relation: RelationItem {
            id_at: join(path, id_key),
            id: id.map(|id| id_from_iri(&id)),
            kind: kind.unwrap_or_else(|| UNTAGGED.to_owned()),
            from: None,
            to: None,
            note: notes.join("\n\n"),
        },
        from: id_from_iri(from),
        to: id_from_iri(to),
    })
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "(top level)".to_owned()
    } else {
        path.to_owned()
    }
}

/// The annotations of any accepted file shape, each with its JSON path.
fn annotations_in(value: &Value) -> Result<Vec<(String, &Value)>, FormatError> {
    let object = match value {
        Value::Array(_) => return list(value, String::new()),
        Value::Object(object) => object,
        other => {
            return Err(FormatError::NotRecognised(format!(
                "it is the JSON value {}, not annotations",
                super::quoted_json(other)
            )))
        }
    };
    if let Some(items) = object.get("items") {
        return list(items, "items".into());
    }
    if let Some(first) = object.get("first") {
        // A collection: its first page, and the pages it embeds after it.
        let mut found = Vec::new();
        let (mut page, mut path) = (first, "first".to_owned());
        loop {
            let Some(page_object) = page.as_object() else {
                return Err(invalid(
                    path,
                    "the collection's page is only a link; export it with its items embedded",
                ));
            };
            if let Some(items) = page_object.get("items") {
                found.extend(list(items, join(&path, "items"))?);
            }
            match page_object.get("next") {
                Some(next @ Value::Object(_)) => {
                    page = next;
                    path = join(&path, "next");
                }
                _ => break,
            }
        }
        return Ok(found);
    }
    if let Some(annotations) = object.get("annotations") {
        return list(annotations, "annotations".into());
    }
    if let Some(rows) = object.get("rows") {
        return list(rows, "rows".into());
    }
    if object.contains_key("target")
        || object.get("type").and_then(Value::as_str) == Some("Annotation")
    {
        return Ok(vec![(String::new(), value)]);
    }
    Err(FormatError::NotRecognised(
        "a JSON object with no annotations: no \"format\", \"items\", \"first\", \"annotations\" or \"target\""
            .into(),
    ))
}

/// The elements of a list of annotations at `path`.
fn list(items: &Value, path: String) -> Result<Vec<(String, &Value)>, FormatError> {
    match items {
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, item)| (index(&path, i), item))
            .collect()),
        other => Err(invalid(
            path,
            format!(
                "expected a list of annotations, found {}",
                super::quoted_json(other)
            ),
        )),
    }
}

/// What a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Tag,
    Note,
    /// A plain textual body with no purpose: the tag if nothing else is, else a note.
    Either,
}

/// One annotation as an [`Item`]; `None` for a Hypothesis reply.
fn read_annotation(object: &Map<String, Value>, path: &str) -> Result<Option<Item>, FormatError> {
    if object
        .get("references")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty())
    {
        return Ok(None);
    }
    let (id_key, id) = read_id(object, path)?;
    let (position, quote) = match object.get("target") {
        Some(target) => read_target(target, &join(path, "target"))?,
        None => (None, None),
    };
    let (tag, notes) = read_bodies(object, path)?;
    let created = json_str(object, "created", path)?.map(str::to_owned);
    let modified = match json_str(object, "modified", path)? {
        Some(modified) => Some(modified.to_owned()),
        None => json_str(object, "updated", path)?.map(str::to_owned),
    };
    Ok(Some(Item {
        id_at: join(path, id_key),
        id: id.map(|id| id_from_iri(&id)),
        recorded: position,
        selectors: Selectors { position, quote },
        tag: tag_from_label(tag.as_deref().unwrap_or(UNTAGGED)),
        note: notes.join("\n\n"),
        attributes: json_attributes(object, "attributes", path)?,
        created,
        modified,
    }))
}

/// An annotation's id and the key it is under (`id`, else JSON-LD's `@id`).
fn read_id(
    object: &Map<String, Value>,
    path: &str,
) -> Result<(&'static str, Option<String>), FormatError> {
    Ok(match json_id(object, "id", path)? {
        Some(id) => ("id", Some(id)),
        None => ("@id", json_id(object, "@id", path)?),
    })
}

/// An annotation's tag (its first tag, if any) and notes, from its bodies and Hypothesis's
/// `tags` and `text` (see the module doc).
fn read_bodies(
    object: &Map<String, Value>,
    path: &str,
) -> Result<(Option<String>, Vec<String>), FormatError> {
    let motivation = first_string(object.get("motivation"));
    let mut roles: Vec<(Role, String)> = Vec::new();
    let bodies: Vec<(String, &Value)> = match object.get("body") {
        Some(Value::Array(bodies)) => bodies
            .iter()
            .enumerate()
            .map(|(i, b)| (index(&join(path, "body"), i), b))
            .collect(),
        Some(body) => vec![(join(path, "body"), body)],
        None => Vec::new(),
    };
    for (body_path, body) in bodies {
        let Some(body) = body.as_object() else {
            continue; // an IRI body: nothing to read
        };
        let Some(value) = json_str(body, "value", &body_path)?.filter(|v| !v.is_empty()) else {
            continue;
        };
        let purpose = first_string(body.get("purpose")).or(motivation);
        let role = match purpose {
            Some("tagging" | "classifying" | "identifying") => Role::Tag,
            Some(
                "commenting" | "describing" | "replying" | "questioning" | "assessing" | "editing"
                | "linking",
            ) => Role::Note,
            _ => match body.get("format").and_then(Value::as_str) {
                Some("text/html" | "text/markdown") => Role::Note,
                _ => Role::Either,
            },
        };
        roles.push((role, value.to_owned()));
    }
    if let Some(body_value) = json_str(object, "bodyValue", path)? {
        roles.push((Role::Either, body_value.to_owned()));
    }
    // Hypothesis's own fields.
    if let Some(tags) = object.get("tags") {
        let Value::Array(tags) = tags else {
            return Err(invalid(
                join(path, "tags"),
                format!(
                    "expected a list of tags, found {}",
                    super::quoted_json(tags)
                ),
            ));
        };
        for tag in tags
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            roles.push((Role::Tag, tag.to_owned()));
        }
    }
    if let Some(text) = json_str(object, "text", path)?.filter(|t| !t.is_empty()) {
        roles.push((Role::Note, text.to_owned()));
    }
    let has_tag = roles.iter().any(|(role, _)| *role == Role::Tag);
    let mut tag = None;
    let mut notes = Vec::new();
    for (role, value) in roles {
        match role {
            Role::Tag if tag.is_none() => tag = Some(value),
            Role::Either if !has_tag && tag.is_none() => tag = Some(value),
            Role::Tag => {}
            Role::Note | Role::Either => notes.push(value),
        }
    }
    Ok((tag, notes))
}

/// A string, or the first string of an array.
fn first_string(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(s) => Some(s),
        Value::Array(values) => values.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// The position and quote of the first target that has a text selector.
fn read_target(
    target: &Value,
    path: &str,
) -> Result<(Option<Span>, Option<TextQuote>), FormatError> {
    let targets: Vec<(String, &Value)> = match target {
        Value::Array(targets) => targets
            .iter()
            .enumerate()
            .map(|(i, t)| (index(path, i), t))
            .collect(),
        other => vec![(path.to_owned(), other)],
    };
    let mut found = (None, None);
    for (target_path, target) in targets {
        let Some(selector) = target.as_object().and_then(|t| t.get("selector")) else {
            continue; // a bare source IRI
        };
        let selector_path = join(&target_path, "selector");
        let selectors: Vec<(String, &Value)> = match selector {
            Value::Array(selectors) => selectors
                .iter()
                .enumerate()
                .map(|(i, s)| (index(&selector_path, i), s))
                .collect(),
            other => vec![(selector_path, other)],
        };
        let (mut position, mut quote) = (None, None);
        for (path, selector) in selectors {
            let Some(selector) = selector.as_object() else {
                continue;
            };
            match selector.get("type").and_then(Value::as_str) {
                Some("TextQuoteSelector") if quote.is_none() => {
                    let Some(exact) = json_str(selector, "exact", &path)? else {
                        return Err(invalid(
                            join(&path, "exact"),
                            "a TextQuoteSelector needs its exact text",
                        ));
                    };
                    let context = |key| {
                        json_str(selector, key, &path).map(|s| s.unwrap_or_default().to_owned())
                    };
                    let (prefix, suffix) = (context("prefix")?, context("suffix")?);
                    if !exact.is_empty() {
                        quote = Some(TextQuote {
                            exact: exact.to_owned(),
                            prefix,
                            suffix,
                        });
                    }
                }
                Some("TextPositionSelector") if position.is_none() => {
                    let offset = |key: &str| {
                        let at = join(&path, key);
                        match selector.get(key) {
                            Some(value) => json_offset(value, || at),
                            None => Err(invalid(at, "a TextPositionSelector needs start and end")),
                        }
                    };
                    let (start, end) = (offset("start")?, offset("end")?);
                    position = Some(checked_span(start, end, join(&path, "end"))?);
                }
                _ => {} // RangeSelector, XPathSelector, CssSelector, …: not for plain text
            }
        }
        if found == (None, None) && (position.is_some() || quote.is_some()) {
            found = (position, quote);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn export_is_a_collection_with_tagging_and_commenting_bodies() {
        let document = Document::from_raw("Hello wörld 😀 again");
        let store = store(
            &document,
            &[
                (
                    "550e8400-e29b-41d4-a716-446655440000",
                    6,
                    11,
                    "claim",
                    "check",
                ),
                ("my id", 12, 13, "quote", ""),
            ],
        );
        let file: Value = serde_json::from_str(&export(&document, "doc.txt", &store, "")).unwrap();
        assert_eq!(file["type"], "AnnotationCollection");
        assert_eq!(file["total"], 2);
        let items = file["first"]["items"].as_array().unwrap();
        assert_eq!(
            items[0]["id"],
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000"
        );
        assert_eq!(items[1]["id"], "urn:marginalia:my%20id");
        assert_eq!(items[0]["body"][1]["purpose"], "commenting");
        assert_eq!(items[0]["body"][1]["value"], "check");
        assert_eq!(items[1]["body"].as_array().unwrap().len(), 1);
        let selector = &items[1]["target"]["selector"];
        assert_eq!(selector[0]["exact"], "😀");
        assert_eq!(selector[0]["prefix"], "Hello wörld ");
        assert_eq!(selector[0]["suffix"], " again");
        assert_eq!(
            (selector[1]["start"].as_u64(), selector[1]["end"].as_u64()),
            (Some(12), Some(13))
        );
        assert_eq!(
            items[0]["target"]["source"].as_str().unwrap(),
            format!("urn:sha256:{}", document.sha256())
        );
    }

    #[test]
    fn relations_are_linking_annotations_and_attributes_an_extension_property() {
        use crate::format::test_support::{quote_and_source, relate, set_attribute};
        use crate::model::AttributeValue;
        let (document, mut store) = quote_and_source();
        set_attribute(&mut store, "q", "hedged", AttributeValue::Flag(true));
        relate(
            &mut store,
            ("r 1", "attributed-to", "q", "s", "said at the summit"),
        );
        let file: Value = serde_json::from_str(&export(&document, "d.txt", &store, "")).unwrap();
        assert_eq!(file["total"], 3);
        let items = file["first"]["items"].as_array().unwrap();
        assert_eq!(
            items[1]["attributes"],
            serde_json::json!({"hedged": true, "kind": "indirect"})
        );
        assert_eq!(items[0].get("attributes"), None);
        assert_eq!(
            items[2],
            serde_json::json!({
                "@context": CONTEXT,
                "id": "urn:marginalia:r%201",
                "type": "Annotation",
                "motivation": "linking",
                "body": [
                    {"type": "TextualBody", "purpose": "tagging", "value": "attributed-to"},
                    {"type": "TextualBody", "purpose": "commenting", "value": "said at the summit"}
                ],
                "target": [{"id": "urn:marginalia:q"}, {"id": "urn:marginalia:s"}]
            })
        );
        let report = import_bytes(&document, file.to_string().as_bytes()).unwrap();
        assert_eq!(report.store_on(&document).unwrap(), store);
    }

    #[test]
    fn recogito_relations_link_its_annotations_by_id() {
        use crate::format::test_support::relations;
        // As RecogitoJS writes them: `#` ids, targets as objects with an id; and a relation
        // whose targets are bare IRIs.
        let document = Document::from_raw("Macron said no.");
        let file = br##"[
            {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#a1", "type": "Annotation",
             "body": [{"type": "TextualBody", "value": "quote", "purpose": "tagging"}],
             "target": {"selector": [{"type": "TextQuoteSelector", "exact": "said no"}, {"type": "TextPositionSelector", "start": 7, "end": 14}]}},
            {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#a2", "type": "Annotation",
             "body": [{"type": "TextualBody", "value": "source", "purpose": "tagging"}],
             "target": {"selector": [{"type": "TextQuoteSelector", "exact": "Macron"}, {"type": "TextPositionSelector", "start": 0, "end": 6}]}},
            {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "#r1", "type": "Annotation", "motivation": "linking",
             "body": [{"type": "TextualBody", "value": "attributed-to", "purpose": "tagging"}],
             "target": [{"id": "#a1"}, {"id": "#a2"}]},
            {"id": "#r2", "type": "Annotation", "motivation": "linking", "target": ["#a2", "#a1"]},
            {"id": "#r3", "type": "Annotation", "motivation": "linking", "target": ["#a2", "#gone"]}
        ]"##;
        let report = import_bytes(&document, file).unwrap();
        assert_eq!(report.landed().count(), 2);
        assert_eq!(
            relations(&report),
            [
                (
                    "attributed-to".into(),
                    "#a1".into(),
                    "#a2".into(),
                    String::new()
                ),
                (UNTAGGED.into(), "#a2".into(), "#a1".into(), String::new())
            ]
        );
        assert_eq!(report.relations[0].id.as_str(), "#r1");
        assert_eq!(
            report.notes,
            ["1 relation left out: it is not between two annotations of the file"]
        );
    }

    #[test]
    fn ids_round_trip_through_iris() {
        for id in [
            "550e8400-e29b-41d4-a716-446655440000",
            "a",
            "id with space",
            "😀%",
            "urn:uuid:x",
        ] {
            assert_eq!(id_from_iri(&id_to_iri(id)), id);
        }
        assert_eq!(
            id_from_iri("https://hypothes.is/a/abc"),
            "https://hypothes.is/a/abc"
        );
    }

    #[test]
    fn a_single_annotation_with_only_a_quote_and_no_body_is_untagged() {
        let document = Document::from_raw("The mayor said no.");
        let report = import_bytes(
            &document,
            br#"{"type": "Annotation", "target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "mayor"}}}"#,
        )
        .unwrap();
        assert_eq!(landed(&report), [(4, 9, "untagged".to_owned())]);
    }

    #[test]
    fn bare_textual_bodies_are_tags_unless_a_tag_is_there() {
        let document = Document::from_raw("The mayor said no.");
        let report = import_bytes(
            &document,
            br#"[{"body": [{"type": "TextualBody", "value": "quote"}],
                  "target": [{"selector": [{"type": "RangeSelector"}, {"type": "TextPositionSelector", "start": 10, "end": 14}]}]},
                 {"body": [{"type": "TextualBody", "value": "A comment", "format": "text/markdown"},
                           {"type": "TextualBody", "value": "Claim", "purpose": "tagging"}],
                  "target": {"selector": {"type": "TextPositionSelector", "start": 0, "end": 3}}}]"#,
        )
        .unwrap();
        assert_eq!(
            landed(&report),
            [(10, 14, "quote".to_owned()), (0, 3, "claim".to_owned())]
        );
        assert_eq!(report.placed[1].note, "A comment");
    }

    #[test]
    fn bad_offsets_name_their_json_path() {
        let document = Document::from_raw("The mayor said no.");
        let error = import_bytes(
            &document,
            br#"{"items": [{"target": {"selector": [{"type": "TextPositionSelector", "start": 1.5, "end": 3}]}}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "items[0].target.selector[0].start: expected an offset (a whole number from 0), found 1.5"
        );
        let error = import_bytes(
            &document,
            br#"[{"target": {"selector": {"type": "TextPositionSelector", "start": 5, "end": 3}}}]"#,
        )
        .unwrap_err();
        assert!(
            matches!(error, FormatError::EndBeforeStart { ref path, .. } if path == "[0].target.selector.end"),
            "{error:?}"
        );
        let error = import_bytes(
            &document,
            br#"[{"id": "a", "target": "x"}, {"id": "a", "target": "y"}]"#,
        )
        .unwrap_err();
        assert!(
            matches!(error, FormatError::DuplicateId { ref path, .. } if path == "[1].id"),
            "{error:?}"
        );
    }

    #[test]
    fn hypothesis_replies_are_skipped_and_page_notes_are_orphans() {
        let document = Document::from_raw("The mayor said no.");
        let report = import_bytes(
            &document,
            br#"{"rows": [{"id": "r1", "references": ["p"], "text": "agreed", "target": [{"source": "x"}]},
                          {"id": "p", "text": "About the page", "tags": [], "target": [{"source": "x"}]}]}"#,
        )
        .unwrap();
        assert!(report.landed().next().is_none());
        assert_eq!(report.orphaned.len(), 1);
        assert_eq!(report.orphaned[0].annotation.note, "About the page");
        assert_eq!(report.orphaned[0].annotation.tag.as_str(), UNTAGGED);
    }
}
