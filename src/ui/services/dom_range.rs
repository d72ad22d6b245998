//! The one place where UTF-16 offsets exist: the browser's Selection and Range boundaries are
//! converted here to and from code-point offsets of the document.
//!
//! The article's children are blocks of [`PARAGRAPHS_PER_BLOCK`] paragraph elements, in order;
//! each paragraph element holds one text node with exactly the paragraph's text and carries
//! `data-offset` (its first code point).

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use crate::model::{Document, Paragraph, Span};
use crate::ui::PARAGRAPHS_PER_BLOCK;

/// Which end of a range a boundary is: they map differently between paragraphs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// The span of the browser's current selection inside `article`, clamped to it; `None` when
/// the selection is collapsed, absent or outside the article.
pub fn selection_span(article: &Element, document: &Document) -> Option<Span> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let whole = gloo_utils::document().create_range().ok()?;
    whole.select_node_contents(article).ok()?;
    if !range.intersects_node(article).unwrap_or(false) {
        return None;
    }
    let starts_before = range
        .compare_boundary_points(Range::START_TO_START, &whole)
        .ok()?
        <= 0;
    let ends_after = range
        .compare_boundary_points(Range::END_TO_END, &whole)
        .ok()?
        >= 0;
    let start = if starts_before {
        0
    } else {
        boundary_to_char(
            article,
            document,
            &range.start_container().ok()?,
            range.start_offset().ok()?,
            Edge::Start,
        )?
    };
    let end = if ends_after {
        document.char_len()
    } else {
        boundary_to_char(
            article,
            document,
            &range.end_container().ok()?,
            range.end_offset().ok()?,
            Edge::End,
        )?
    };
    Span::new(start, end)
}

/// The caret's code-point offset when the selection is collapsed inside the article.
pub fn caret_offset(article: &Element, document: &Document) -> Option<usize> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 || !selection.is_collapsed() {
        return None;
    }
    let node = selection.anchor_node()?;
    if !article.contains(Some(&node)) {
        return None;
    }
    boundary_to_char(
        article,
        document,
        &node,
        selection.anchor_offset(),
        Edge::Start,
    )
}

/// The code-point boundary nearest viewport point (`x`, `y`) in the article's text (where the
/// browser would put a caret there), if the point is over its text.
pub fn boundary_at_point(article: &Element, document: &Document, x: f64, y: f64) -> Option<usize> {
    let caret = gloo_utils::document().caret_position_from_point(x as f32, y as f32)?;
    let node = caret.offset_node()?;
    if node.node_type() != Node::TEXT_NODE || !article.contains(Some(&node)) {
        return None;
    }
    boundary_to_char(article, document, &node, caret.offset(), Edge::Start)
}

/// The code point under viewport point (`x`, `y`) in the article, if it is over its text: the
/// character whose box holds the point (the caret position the browser finds there, moved back
/// one when the point is on the right half of that character).
pub fn char_at_point(article: &Element, document: &Document, x: f64, y: f64) -> Option<usize> {
    let offset = boundary_at_point(article, document, x, y)?;
    // The caret sits before the nearest boundary; the character under the point is the one
    // whose box contains it: check the one after the caret, else the one before.
    let range = range_for_span(article, document, Span::new(offset, offset + 1)?)?;
    let rect = range.get_bounding_client_rect();
    let inside = x >= rect.left() && x <= rect.right() && y >= rect.top() && y <= rect.bottom();
    if inside {
        Some(offset)
    } else {
        offset.checked_sub(1)
    }
}

/// Makes the browser's selection cover `span` (e.g. a selection snapped to words).
pub fn select_span(article: &Element, document: &Document, span: Span) {
    let Some(range) = range_for_span(article, document, span) else {
        return;
    };
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = selection.remove_all_ranges();
        let _ = selection.add_range(&range);
    }
}

/// Collapses the browser's selection (after tagging it, or on Esc).
pub fn clear_selection() {
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = selection.remove_all_ranges();
    }
}

/// A DOM Range covering `span`. A boundary in a gap between paragraphs moves to the nearest
/// paragraph edge inside the span. O(log P + A).
pub fn range_for_span(article: &Element, document: &Document, span: Span) -> Option<Range> {
    let paragraphs = document.paragraphs();
    let first = paragraphs.partition_point(|p| p.end <= span.start);
    let last = paragraphs
        .partition_point(|p| p.start < span.end)
        .checked_sub(1)?;
    if first > last {
        return None; // the span covers only newlines between paragraphs
    }
    let (start_paragraph, end_paragraph) = (&paragraphs[first], &paragraphs[last]);
    let start = span.start.max(start_paragraph.start) - start_paragraph.start;
    let end = span.end.min(end_paragraph.end) - end_paragraph.start;
    let range = gloo_utils::document().create_range().ok()?;
    range
        .set_start(
            &text_node(article, first)?,
            start_paragraph.char_to_utf16(start) as u32,
        )
        .ok()?;
    range
        .set_end(
            &text_node(article, last)?,
            end_paragraph.char_to_utf16(end) as u32,
        )
        .ok()?;
    Some(range)
}

/// The code points worth drawing: the blocks from the first that reaches down to one
/// view-height above the article's scrolling parent to the last that starts within one
/// view-height below it. Two binary searches over the blocks' boxes (blocks are laid out even
/// when their content is skipped): O(log B) layout reads. `None` for an empty document.
pub fn visible_window(article: &Element, document: &Document) -> Option<Span> {
    let (first, last) = blocks_near_view(article, 1.0)?;
    let paragraphs = document.paragraphs();
    let first = paragraphs.get(first * PARAGRAPHS_PER_BLOCK)?;
    let last = paragraphs.get(((last + 1) * PARAGRAPHS_PER_BLOCK).min(paragraphs.len()) - 1)?;
    Span::new(first.start, last.end)
}

/// The first paragraph element whose box reaches into the article's view, if any: a binary
/// search over the blocks, then over that block's paragraphs.
pub fn first_paragraph_in_view(article: &Element) -> Option<Element> {
    let (block, _) = blocks_near_view(article, 0.0)?;
    let paragraphs = article.children().item(block as u32)?.children();
    let top = article.parent_element()?.get_bounding_client_rect().top();
    let index = partition(paragraphs.length() as usize, |i| {
        paragraphs
            .item(i as u32)
            .is_some_and(|p| p.get_bounding_client_rect().bottom() <= top)
    });
    paragraphs.item(index.min(paragraphs.length().saturating_sub(1) as usize) as u32)
}

/// Indices of the first and last block within `margin` view-heights of the article's
/// scrolling parent (at least one block when there is any).
fn blocks_near_view(article: &Element, margin: f64) -> Option<(usize, usize)> {
    let scroller = article.parent_element()?;
    let view = scroller.get_bounding_client_rect();
    let (above, below) = (
        view.top() - margin * view.height(),
        view.bottom() + margin * view.height(),
    );
    let blocks = article.children();
    let count = blocks.length() as usize;
    let rect = |index: usize| {
        blocks
            .item(index as u32)
            .map(|e| e.get_bounding_client_rect())
    };
    let first = partition(count, |i| rect(i).is_some_and(|r| r.bottom() < above));
    let last = partition(count, |i| rect(i).is_some_and(|r| r.top() <= below));
    let last = last.checked_sub(1)?.max(first.min(count - 1));
    Some((first.min(last), last))
}

/// The first index in `0..len` where `before` turns false (it must be true, then false).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = (low + high) / 2;
        if before(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// The paragraph element at `index` (its block, then its place in the block).
pub fn paragraph_element(article: &Element, index: usize) -> Option<Element> {
    article
        .children()
        .item((index / PARAGRAPHS_PER_BLOCK) as u32)?
        .children()
        .item((index % PARAGRAPHS_PER_BLOCK) as u32)
}

fn text_node(article: &Element, index: usize) -> Option<Node> {
    paragraph_element(article, index)?.first_child()
}

/// Maps one boundary point (node, offset in the DOM's units) to a code-point offset.
fn boundary_to_char(
    article: &Element,
    document: &Document,
    node: &Node,
    offset: u32,
    edge: Edge,
) -> Option<usize> {
    let offset = offset as usize;
    let paragraphs = document.paragraphs();
    // A boundary between paragraph elements: between blocks (offset counts blocks) or between
    // the paragraphs of one block (offset counts paragraphs from the block's first).
    let between = if node.is_same_node(Some(article)) {
        Some(offset * PARAGRAPHS_PER_BLOCK)
    } else if node
        .parent_node()
        .is_some_and(|p| p.is_same_node(Some(article)))
    {
        let first = paragraph_of(document, &node.dyn_ref::<Element>()?.first_element_child()?)?;
        Some(document.paragraph_index_at(first.start)? + offset)
    } else {
        None
    };
    if let Some(index) = between {
        return Some(match edge {
            Edge::End if index > 0 => paragraphs.get(index - 1).map_or(0, |p| p.end),
            _ => paragraphs
                .get(index)
                .map_or(document.char_len(), |p| p.start),
        });
    }
    if node.node_type() == Node::TEXT_NODE {
        let paragraph = paragraph_of(document, &node.parent_element()?)?;
        return Some(paragraph.start + paragraph.utf16_to_char(offset));
    }
    let element: &Element = node.dyn_ref()?;
    let paragraph = paragraph_of(document, element)?;
    Some(if offset == 0 {
        paragraph.start
    } else {
        paragraph.end
    })
}

/// The paragraph an element stands for, by its `data-offset`.
fn paragraph_of<'d>(document: &'d Document, element: &Element) -> Option<&'d Paragraph> {
    let offset: usize = element.get_attribute("data-offset")?.parse().ok()?;
    let index = document.paragraph_index_at(offset)?;
    document
        .paragraphs()
        .get(index)
        .filter(|p| p.start == offset)
}
