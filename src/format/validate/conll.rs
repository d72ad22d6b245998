//! CoNLL token lines (`token<TAB>…<TAB>TAG`, a blank line between sentences, `-DOCSTART-`
//! between documents): each line's shape and tag (IOB or IOBES), and, with the text given, each
//! token found next in it. Problems are `FILE:LINE: message`.

use super::spans::shorten;
use super::{Expected, Problem};

/// Every problem of a CoNLL file.
pub fn problems(text: &str, expected: Expected<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let document = expected.text;
    // Where the next token is looked for in the text, in bytes; `None` once it is lost (a
    // second document, or a token not found), as its offsets then mean nothing.
    let mut cursor = document.map(|_| 0usize);
    let mut documents = 0;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            documents += 1;
            if documents > 1 {
                cursor = None;
            }
            continue;
        }
        let columns: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        let (Some(token), Some(tag)) = (columns.first(), columns.last()) else {
            continue;
        };
        if columns.len() < 2 {
            problems.push(Problem::on_line(
                number,
                "expected a token and its tag (token<TAB>B-CLAIM)",
            ));
            continue;
        }
        if let Some(message) = tag_problem(tag, &expected) {
            problems.push(Problem::on_line(number, message));
        }
        if let (Some(at), Some(document)) = (cursor, document) {
            let rest = &document.text()[at..];
            let skipped = rest.len() - rest.trim_start().len();
            if rest[skipped..].starts_with(token) {
                cursor = Some(at + skipped + token.len());
            } else {
                let found: String = rest[skipped..]
                    .chars()
                    .take(token.chars().count())
                    .collect();
                problems.push(Problem::on_line(
                    number,
                    format!(
                        "the token \"{}\" is not next in the text, which has \"{}\" at code point {}",
                        shorten(token),
                        shorten(&found),
                        document.byte_to_char(at + skipped)
                    ),
                ));
                cursor = None;
            }
        }
    }
    problems
}

/// What is wrong with a tag: not `O` nor `B-`, `I-`, `E-`, `S-` (or `L-`, `U-`) and a label, or
/// a label not allowed.
fn tag_problem(tag: &str, expected: &Expected<'_>) -> Option<String> {
    if tag == "O" {
        return None;
    }
    match tag.split_once('-') {
        Some(("B" | "I" | "E" | "S" | "L" | "U", label)) if !label.is_empty() => {
            expected.unknown_label(label)
        }
        _ => Some(format!(
            "the tag \"{}\" is not O, B-LABEL or I-LABEL (or IOBES)",
            shorten(tag)
        )),
    }
}
