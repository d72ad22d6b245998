//! The visible text of an `.html` document, read with the browser's own parser into an inert
//! document (`DOMParser`: no script runs, nothing loads) and walked for its text. The page
//! never shows the markup itself.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// Elements whose content is never visible text.
const HIDDEN: [&str; 9] = [
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "SVG", "IFRAME", "OBJECT", "CANVAS",
];

/// Elements that start and end a paragraph of their own.
const BLOCKS: [&str; 30] = [
    "P",
    "DIV",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "LI",
    "BLOCKQUOTE",
    "PRE",
    "TR",
    "TD",
    "TH",
    "SECTION",
    "ARTICLE",
    "HEADER",
    "FOOTER",
    "ASIDE",
    "NAV",
    "MAIN",
    "FIGURE",
    "FIGCAPTION",
    "DT",
    "DD",
    "TABLE",
    "UL",
    "OL",
    "ADDRESS",
    "HR",
];

/// The text a reader sees in `html`: paragraphs (one per block element) separated by blank
/// lines, spaces collapsed as the browser renders them (kept inside `<pre>`), `<br>` as a line
/// break. Hidden elements (`hidden`, `display: none`, scripts, styles) contribute nothing.
pub fn visible_text(html: &str) -> Result<String, String> {
    let parser = web_sys::DomParser::new().map_err(|e| format!("{e:?}"))?;
    let parsed = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|e| format!("{e:?}"))?;
    let Some(body) = parsed.body() else {
        return Ok(String::new());
    };
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    walk(&body, false, &mut current, &mut paragraphs);
    end_paragraph(&mut current, &mut paragraphs);
    Ok(paragraphs.join("\n\n"))
}

fn end_paragraph(current: &mut String, paragraphs: &mut Vec<String>) {
    let text = current
        .split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    if !text.is_empty() {
        paragraphs.push(text);
    }
    current.clear();
}

fn walk(node: &Node, preformatted: bool, current: &mut String, paragraphs: &mut Vec<String>) {
    let children = node.child_nodes();
    for index in 0..children.length() {
        let Some(child) = children.item(index) else {
            continue;
        };
        if child.node_type() == Node::TEXT_NODE {
            let text = child.text_content().unwrap_or_default();
            if preformatted {
                current.push_str(&text);
            } else {
                for (i, word) in text.split_whitespace().enumerate() {
                    let starts_with_space = i > 0 || text.starts_with(char::is_whitespace);
                    if starts_with_space && !current.is_empty() && !current.ends_with([' ', '\n']) {
                        current.push(' ');
                    }
                    current.push_str(word);
                }
                if text.ends_with(char::is_whitespace) && !current.is_empty() {
                    current.push(' ');
                }
            }
            continue;
        }
        let Some(element) = child.dyn_ref::<Element>() else {
            continue;
        };
        let tag = element.tag_name().to_ascii_uppercase();
        let hidden_by_style = element
            .get_attribute("style")
            .is_some_and(|style| style.replace(' ', "").contains("display:none"));
        if HIDDEN.contains(&tag.as_str()) || element.has_attribute("hidden") || hidden_by_style {
            continue;
        }
        if tag == "BR" {
            current.push('\n');
            continue;
        }
        let block = BLOCKS.contains(&tag.as_str());
        if block {
            end_paragraph(current, paragraphs);
        }
        walk(&child, preformatted || tag == "PRE", current, paragraphs);
        if block {
            end_paragraph(current, paragraphs);
        }
    }
}
