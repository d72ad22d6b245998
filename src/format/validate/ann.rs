//! brat `.ann` files: each line's id, type and offsets; spans and their quotes against the
//! `.txt` (in a zip) or the given text; ids used once; notes, relations (two arguments) and
//! attributes naming annotations of the file. Problems are `FILE:LINE: message`.

use std::collections::HashMap;

use super::spans::shorten;
use super::{Expected, Problem};
use crate::format::brat::tag_from_brat_type;
use crate::model::{Document, Span};

/// Every problem of an `.ann` file; `txt` is its zip's `.txt`, when it has one (else the
/// expected text, if any, is what its offsets refer to).
pub fn problems(ann: &str, expected: Expected<'_>, txt: Option<&Document>) -> Vec<Problem> {
    let text = txt.or(expected.text);
    let mut problems = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut references: Vec<(usize, &str)> = Vec::new();
    for (index, line) in ann.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut problem = |message: String| problems.push(Problem::on_line(number, message));
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let Some(middle) = fields.next() else {
            problem("not a brat annotation line (expected an id, a tab and the annotation)".into());
            continue;
        };
        let rest = fields.next();
        if id != "*" {
            if let Some(first) = ids.get(id) {
                problem(format!(
                    "the id {} is used twice (first on line {first})",
                    shorten(id)
                ));
            } else {
                ids.insert(id, number);
            }
        }
        match id.chars().next() {
            Some('T') => {
                for message in check_text_bound(middle, rest, text, &expected) {
                    problem(message);
                }
            }
            Some('#') => {
                if let Some(target) = middle.strip_prefix("AnnotatorNotes ") {
                    references.push((number, target.trim()));
                }
            }
            Some('R') => {
                let arguments: Vec<&str> = middle.split_whitespace().skip(1).collect();
                if arguments.len() < 2 {
                    problem(
                        "a relation needs a type and two arguments, like \
                         \"attributed_to Arg1:T1 Arg2:T2\""
                            .into(),
                    );
                }
                for argument in arguments {
                    match argument.split_once(':') {
                        Some((_, target)) => references.push((number, target)),
                        None => problem(format!(
                            "a relation's arguments are Name:T1, found \"{}\"",
                            shorten(argument)
                        )),
                    }
                }
            }
            Some('A' | 'M') => match middle.split_whitespace().nth(1) {
                Some(target) => references.push((number, target)),
                None => problem(
                    "an attribute needs a name and what it is on, like \"Hedged T1\"".into(),
                ),
            },
            Some('E' | 'N' | '*') => {}
            _ => problem(format!(
                "not a brat annotation line: ids start with T, R, E, A, M, N, # or *, found \"{}\"",
                shorten(id)
            )),
        }
    }
    for (number, target) in references {
        if !ids.contains_key(target) {
            problems.push(Problem::on_line(
                number,
                format!("{} is not an annotation of this file", shorten(target)),
            ));
        }
    }
    problems.sort_by_key(|p| p.line);
    problems
}

/// The problems of a text-bound annotation's `Type start end[;start end…]` and text field.
fn check_text_bound(
    middle: &str,
    quote: Option<&str>,
    text: Option<&Document>,
    expected: &Expected<'_>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((kind, offsets)) = middle.split_once(' ') else {
        return vec!["expected a type and offsets, like \"Claim 0 5\"".into()];
    };
    if let Some(message) = expected.unknown_label(tag_from_brat_type(kind).as_str()) {
        problems.push(message);
    }
    let mut fragments = Vec::new();
    for fragment in offsets.split(';') {
        let numbers: Vec<&str> = fragment.split_whitespace().collect();
        let [start, end] = numbers[..] else {
            problems.push(format!(
                "expected \"start end\" offsets, found \"{}\"",
                shorten(fragment)
            ));
            continue;
        };
        let parsed: Vec<Option<usize>> = [start, end]
            .into_iter()
            .map(|n| {
                let parsed = n.parse::<usize>().ok();
                if parsed.is_none() {
                    problems.push(format!(
                        "expected an offset (a whole number from 0), found \"{}\"",
                        shorten(n)
                    ));
                }
                parsed
            })
            .collect();
        let (Some(start), Some(end)) = (parsed[0], parsed[1]) else {
            continue;
        };
        match Span::new(start, end) {
            Some(span) => fragments.push(span),
            None => problems.push(format!("end {end} is not after start {start}")),
        }
    }
    let Some(text) = text else {
        return problems;
    };
    let mut pieces = Vec::new();
    for fragment in &fragments {
        match text.slice(*fragment) {
            Some(piece) => pieces.push(piece.replace('\n', " ")),
            None => {
                problems.push(format!(
                    "end {} is beyond the end of the text ({} code points)",
                    fragment.end,
                    text.char_len()
                ));
                return problems;
            }
        }
    }
    let at = pieces.join(" ");
    if let Some(quote) = quote {
        if !fragments.is_empty() && quote != at && quote.trim() != at.trim() {
            problems.push(format!(
                "the text field \"{}\" is not the text at {offsets}, which is \"{}\"",
                shorten(quote),
                shorten(&at)
            ));
        }
    }
    problems
}
