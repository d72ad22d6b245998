//! brat standoff (`NAME.brat.zip`, holding `NAME.txt` and `NAME.ann`).
//!
//! `NAME.txt` is exactly the document text (UTF-8, `\n` line ends), so brat's offsets, which
//! count the characters (code points) of the `.txt` file as Python reads it, are our code-point
//! offsets, end exclusive. `NAME.ann` holds one text-bound annotation per span, in document
//! order, and one note line per annotation with a note:
//! ```text
//! (\t stands for a tab)
//! T1\tClaim 0 42\tthe span's text
//! #1\tAnnotatorNotes T1\tthe note
//! T2\tQuote 50 60;61 75\tfirst line second line
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
//! - **Notes** are brat's `AnnotatorNotes`, with `\` written `\\`, a newline `\n`, a tab `\t`
//!   and a carriage return `\r` (brat has no escapes of its own; a note from another tool that
//!   contains one of these two-character sequences is read with it unescaped).
//! - Not carried: ids (brat's `T1` numbers its own lines; imports get new ids), timestamps
//!   (the time of the import), orphans. Relations, events, attributes and other lines are
//!   ignored on import.
//!
//! Import takes the zip (recognised by its `PK` magic; entries must be Stored, as ours are),
//! whose `.txt` is the text the offsets refer to (spans are re-anchored by their quote in it
//! when the open text differs), or a bare `.ann` file, whose offsets then refer to the open
//! document and whose text fields are the quotes.

use std::collections::{HashMap, HashSet};

use super::stored_zip;
use super::w3c::percent_decode;
use super::{
    checked_span, invalid, place_items, selectors_in, source_text, tag_from_label, FormatError,
    ImportContext, ImportReport, Item,
};
use crate::model::{normalize_text, AnnotationStore, Document, Span, Tag};

/// The brat type of a tag (see the module doc).
pub fn brat_type(tag: &Tag) -> String {
    match tag {
        Tag::Claim | Tag::Quote | Tag::Condition => tag.display_name(),
        Tag::Other(name) => {
            let mut out = String::new();
            for ch in name.chars() {
                if ch.is_alphanumeric() || ch == '-' || ch == '_' {
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
    }
}

/// The tag of a brat type (see the module doc).
pub fn tag_from_brat_type(kind: &str) -> Tag {
    tag_from_label(&percent_decode(kind).unwrap_or_else(|| kind.to_owned()))
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

/// The `.ann` file of `store`'s annotations on `document`. O(n) in the spans' text.
pub fn ann(document: &Document, store: &AnnotationStore) -> String {
    let mut out = String::new();
    let mut note_number = 0;
    for (i, annotation) in store.in_document_order().enumerate() {
        let number = i + 1;
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
            "T{number}\t{} {}\t{}\n",
            brat_type(&annotation.tag),
            offsets.join(";"),
            texts.join(" ")
        ));
        if !annotation.note.is_empty() {
            note_number += 1;
            out.push_str(&format!(
                "#{note_number}\tAnnotatorNotes T{number}\t{}\n",
                escape_note(&annotation.note)
            ));
        }
    }
    out
}

/// The zip holding `{stem}.txt` (the document text) and `{stem}.ann`. Entries are Stored
/// (uncompressed) and dated 1980-01-01, so the same annotations give the same bytes.
pub fn export(document: &Document, stem: &str, store: &AnnotationStore) -> Vec<u8> {
    let ann = ann(document, store);
    stored_zip::write(&[
        (&format!("{stem}.txt"), document.text().as_bytes()),
        (&format!("{stem}.ann"), ann.as_bytes()),
    ])
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
    let items = read_ann(
        document,
        &pair.ann,
        pair.txt.as_ref().map(|(_, text)| text.as_str()),
        Some(&pair.ann_name),
    )?;
    place_items(document, items, context)
}

/// Reads a bare `.ann` file whose offsets refer to the open document.
pub fn import_ann(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let items = read_ann(document, input, None, None)?;
    place_items(document, items, context)
}

/// A text-bound annotation being read.
struct Entity {
    line: usize,
    tag: Tag,
    fragments: Vec<Span>,
    text: Option<String>,
    note: Vec<String>,
}

/// The items of an `.ann` file; `txt` is the text its offsets refer to, when known.
fn read_ann(
    document: &Document,
    ann: &str,
    txt: Option<&str>,
    file_name: Option<&str>,
) -> Result<Vec<Item>, FormatError> {
    let at = |line: usize| match file_name {
        Some(name) => format!("{name}, line {line}"),
        None => format!("line {line}"),
    };
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut ids = HashSet::new();
    let mut notes: Vec<(&str, String)> = Vec::new();
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
                });
            }
            Some('#') => {
                if let Some(target) = middle.strip_prefix("AnnotatorNotes ") {
                    notes.push((target.trim(), unescape_note(rest.unwrap_or_default())));
                }
            }
            _ => {} // relations, events, attributes, normalisations: not spans
        }
    }
    for (target, note) in notes {
        if let Some(&index) = by_id.get(target) {
            entities[index].note.push(note);
        }
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
            attributes: Default::default(),
            created: None,
            modified: None,
        });
    }
    Ok(items)
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
        let zip = export(&document, "doc", &store);
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
