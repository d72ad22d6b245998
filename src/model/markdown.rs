//! Markdown documents are annotated as the plain text a reader sees: headings, paragraphs,
//! list items and quotes become paragraphs; emphasis, code spans, links and images keep only
//! their words. Nothing is rendered as markup, so nothing in the file can run.

/// The readable text of a Markdown document, paragraphs separated by blank lines (each list
/// item and heading its own paragraph). Fenced and indented code keeps its lines. O(n).
pub fn markdown_to_text(markdown: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut in_fence = false;
    let flush = |current: &mut Vec<String>, paragraphs: &mut Vec<String>| {
        if !current.is_empty() {
            paragraphs.push(current.join("\n"));
            current.clear();
        }
    };
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut current, &mut paragraphs);
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            current.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut current, &mut paragraphs);
            continue;
        }
        if is_rule(trimmed) || is_setext_underline(trimmed, &current) {
            flush(&mut current, &mut paragraphs);
            continue;
        }
        let (block, text) = block_prefix(trimmed);
        if block {
            flush(&mut current, &mut paragraphs);
        }
        let text = inline_text(text);
        if !text.trim().is_empty() {
            current.push(text.trim_end().to_owned());
        }
        if block {
            flush(&mut current, &mut paragraphs);
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

/// `***`, `---`, `___` (three or more, spaces allowed).
fn is_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ["*", "-", "_"]
            .iter()
            .any(|mark| marks.chars().all(|c| c.to_string() == *mark))
}

/// `===` or `---` under a line of text (a Setext heading's underline).
fn is_setext_underline(line: &str, current: &[String]) -> bool {
    !current.is_empty() && !line.is_empty() && line.chars().all(|c| c == '=' || c == '-')
}

/// Strips a heading, list or quote marker: (true, the rest) when the line is such a block of
/// its own (a heading or a list item), (false, the rest) for quote lines and plain text.
fn block_prefix(line: &str) -> (bool, &str) {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        return (true, line[hashes..].trim().trim_end_matches('#').trim_end());
    }
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return (true, rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return (true, &line[digits + 2..]);
    }
    let mut rest = line;
    while let Some(inner) = rest.strip_prefix('>') {
        rest = inner.trim_start();
    }
    (false, rest)
}

/// The words of a line: `![alt](src)` -> alt, `[text](url)` -> text, emphasis and code marks
/// dropped, backslash escapes resolved.
fn inline_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '!' if chars.get(i + 1) == Some(&'[') => i += 1,
            '[' => match link_end(&chars, i) {
                Some((text_end, after)) => {
                    out.push_str(&inline_text(
                        &chars[i + 1..text_end].iter().collect::<String>(),
                    ));
                    i = after;
                }
                None => {
                    out.push('[');
                    i += 1;
                }
            },
            '*' | '`' => i += 1,
            '_' if is_emphasis_underscore(&chars, i) => i += 1,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// For `[text](url)` starting at `open`: the index of `]` and the index after `)`.
fn link_end(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let close = open + chars[open..].iter().position(|c| *c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let paren = close + 1 + chars[close + 1..].iter().position(|c| *c == ')')?;
    Some((close, paren + 1))
}

/// An underscore at a word's edge marks emphasis; inside a word (`snake_case`) it is text.
fn is_emphasis_underscore(chars: &[char], at: usize) -> bool {
    let before = at
        .checked_sub(1)
        .and_then(|i| chars.get(i))
        .is_some_and(|c| c.is_alphanumeric());
    let after = chars.get(at + 1).is_some_and(|c| c.is_alphanumeric());
    !(before && after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_in_markdown_reads_as_its_words() {
        let markdown = "# Harbour city weighs *tide barrier*\n\n\
                        PORT ALDER — The council will **vote** next month.\n\
                        It would cost [412 million euros](https://example.org/budget).\n\n\
                        > “We are no longer talking about a once-in-a-century storm,”\n\
                        > said Mayor Renée Castellanos.\n\n\
                        - first point\n- second `point`\n\n\
                        ---\n\n\
                        ![a flood map](map.png) <script>alert(1)</script>\n";
        assert_eq!(
            markdown_to_text(markdown),
            "Harbour city weighs tide barrier\n\n\
             PORT ALDER — The council will vote next month.\nIt would cost 412 million euros.\n\n\
             “We are no longer talking about a once-in-a-century storm,”\nsaid Mayor Renée Castellanos.\n\n\
             first point\n\nsecond point\n\n\
             a flood map <script>alert(1)</script>"
        );
    }

    #[test]
    fn code_setext_headings_and_snake_case_stay_readable() {
        let markdown = "Title\n=====\n\n```\nlet x = a_b * 2;\n```\n\nuse snake_case, _not this_ \\*literal\\*\n\n1. one\n2) two";
        assert_eq!(
            markdown_to_text(markdown),
            "Title\n\nlet x = a_b * 2;\n\nuse snake_case, not this *literal*\n\none\n\ntwo"
        );
    }
}
