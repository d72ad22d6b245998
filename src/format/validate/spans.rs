//! The checks every format's spans share: offsets, their order, their place in the text, the
//! quote and the label. Messages quote at most [`QUOTED_CHARS`] code points of a value.

use serde_json::Value;

use super::{Expected, Problem};
use crate::model::{Document, Span};

/// The longest piece of a value or text quoted in a message, in code points.
pub const QUOTED_CHARS: usize = 60;

/// `text`, cut to [`QUOTED_CHARS`] code points with `…` when longer.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// A JSON value for a message, shortened.
pub fn shown(value: &Value) -> String {
    shorten(&value.to_string())
}

/// A path as the importers write it (`annotations[3].start`, `(top level)`) as a JSON path
/// (`$.annotations[3].start`, `$`).
pub fn json_path(path: &str) -> String {
    match path {
        "" | "(top level)" | "." => "$".to_owned(),
        // serde_path_to_error's `?` stands for a key it could not read.
        path if path.contains('?') => json_path(
            path.split('?')
                .next()
                .unwrap_or_default()
                .trim_end_matches('.'),
        ),
        path if path.starts_with('[') => format!("${path}"),
        path => format!("$.{path}"),
    }
}

/// `base.key`.
pub fn key(base: &str, key: &str) -> String {
    format!("{base}.{key}")
}

/// `base[index]`.
pub fn item(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// Where problems found go: the line of a JSON-lines file, if any.
pub struct Found {
    /// The line the problems are on (JSON lines), or `None` (one JSON value).
    pub line: Option<usize>,
    /// The problems so far.
    pub problems: Vec<Problem>,
}

impl Found {
    /// Problems on `line` (JSON lines) or of a JSON value (`None`).
    pub fn new(line: Option<usize>) -> Self {
        Found {
            line,
            problems: Vec::new(),
        }
    }

    /// Adds a problem at `path`.
    pub fn add(&mut self, path: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::at_path(self.line, path, message));
    }

    /// An offset at `path`: a whole number from 0, or a problem.
    pub fn offset(&mut self, value: Option<&Value>, path: &str) -> Option<usize> {
        match value {
            None => {
                self.add(path, "missing: a span needs a start and an end");
                None
            }
            Some(value) => match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(n) => Some(n),
                None => {
                    self.add(
                        path,
                        format!(
                            "expected an offset (a whole number from 0), found {}",
                            shown(value)
                        ),
                    );
                    None
                }
            },
        }
    }

    /// The span `start..end` (paths `start_path`, `end_path`) checked against `text` (when
    /// known) and `quote` (when the file gives one): the end after the start, inside the text,
    /// the quote equal to the text there. The span when it is well-formed.
    pub fn span(
        &mut self,
        (start, end): (Option<usize>, Option<usize>),
        end_path: &str,
        text: Option<&Document>,
        quote: Option<(&str, &str)>,
    ) -> Option<Span> {
        let (start, end) = (start?, end?);
        let Some(span) = Span::new(start, end) else {
            self.add(end_path, format!("end {end} is not after start {start}"));
            return None;
        };
        let text = text?;
        let Some(at) = text.slice(span) else {
            self.add(
                end_path,
                format!(
                    "end {end} is beyond the end of the text ({} code points)",
                    text.char_len()
                ),
            );
            return None;
        };
        if let Some((quote_path, quote)) = quote {
            if quote != at {
                self.add(
                    quote_path,
                    format!(
                        "the quote \"{}\" is not the text at {start}..{end}, which is \"{}\"",
                        shorten(quote),
                        shorten(at)
                    ),
                );
            }
        }
        Some(span)
    }

    /// A label at `path`: a non-empty string among the labels `expected` allows.
    pub fn label(&mut self, value: Option<&Value>, path: &str, expected: &Expected<'_>) {
        match value {
            None => self.add(path, "missing: a span needs a label"),
            Some(Value::String(label)) if label.is_empty() => self.add(path, "the label is empty"),
            Some(Value::String(label)) => {
                if let Some(message) = expected.unknown_label(label) {
                    self.add(path, message);
                }
            }
            Some(other) => self.add(
                path,
                format!("expected a label (a string), found {}", shown(other)),
            ),
        }
    }

    /// A string at `path`, if present; a problem when it is there but not a string.
    pub fn string<'v>(&mut self, value: Option<&'v Value>, path: &str) -> Option<&'v str> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.add(path, format!("expected a string, found {}", shown(other)));
                None
            }
        }
    }

    /// Attribute values at `path`, if present: an object of texts, `true` and `false`.
    pub fn attributes(&mut self, value: Option<&Value>, path: &str) {
        match value {
            None | Some(Value::Null) => {}
            Some(Value::Object(values)) => {
                for (name, value) in values {
                    if !matches!(value, Value::String(_) | Value::Bool(_)) {
                        self.add(
                            &key(path, name),
                            format!(
                                "expected an attribute value (text, true or false), found {}",
                                shown(value)
                            ),
                        );
                    }
                }
            }
            Some(other) => self.add(
                path,
                format!(
                    "expected attributes (an object of values), found {}",
                    shown(other)
                ),
            ),
        }
    }

    /// A relation's end at `path`: an id (a string or a number) that `known` says names an
    /// annotation of the file.
    pub fn relation_end(
        &mut self,
        value: Option<&Value>,
        path: &str,
        known: impl Fn(&str) -> bool,
    ) {
        let id = match value {
            None | Some(Value::Null) => {
                return self.add(path, "missing: a relation needs both its ends")
            }
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                return self.add(
                    path,
                    format!("expected an annotation's id, found {}", shown(other)),
                )
            }
        };
        if !known(&id) {
            self.add(
                path,
                format!("\"{}\" is no annotation of this file", shorten(&id)),
            );
        }
    }

    /// A list at `path`, if present; a problem when it is there but not a list.
    pub fn list<'v>(&mut self, value: Option<&'v Value>, path: &str, what: &str) -> &'v [Value] {
        match value {
            None | Some(Value::Null) => &[],
            Some(Value::Array(list)) => list,
            Some(other) => {
                self.add(
                    path,
                    format!("expected a list of {what}, found {}", shown(other)),
                );
                &[]
            }
        }
    }
}

/// True when `quote` is the text at `start..end` counted in UTF-16 units (as browsers, Label
/// Studio, Hypothesis and Recogito count) but not in code points: such a file counts in the
/// other unit, which the importers accept by checking the quote. O(text) when it is tried.
pub fn quote_in_utf16(text: &Document, start: usize, end: usize, quote: &str) -> bool {
    let in_code_points = Span::new(start, end).and_then(|span| text.slice(span)) == Some(quote);
    if in_code_points {
        return false;
    }
    let mut units = 0;
    let mut start_byte = None;
    for (byte, c) in text.text().char_indices() {
        if units == start {
            start_byte = Some(byte);
        }
        if units == end {
            return start_byte.is_some_and(|s| &text.text()[s..byte] == quote);
        }
        units += c.len_utf16();
    }
    units == end && start_byte.is_some_and(|s| &text.text()[s..] == quote)
}
