//! Where spans are on screen, for the overlays drawn over the article: line boxes in px inside
//! the article's scrolling parent (so they scroll with the text).

use web_sys::Element;

use crate::model::{Document, Span};
use crate::ui::services::dom_range;

/// One line of a span, in px inside the article's scrolling parent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// From the scroller content's left edge.
    pub left: f64,
    /// From the scroller content's top edge.
    pub top: f64,
    /// Its width.
    pub width: f64,
    /// The line's height.
    pub height: f64,
}

/// The boxes of the lines `span` takes, as the article lays it out now (none when it is not in
/// the page). One range layout.
pub fn line_boxes(article: &Element, document: &Document, span: Span) -> Vec<LineBox> {
    let (Some(range), Some(scroller)) = (
        dom_range::range_for_span(article, document, span),
        article.parent_element(),
    ) else {
        return Vec::new();
    };
    let Some(rects) = range.get_client_rects() else {
        return Vec::new();
    };
    let view = scroller.get_bounding_client_rect();
    let (dx, dy) = (
        f64::from(scroller.scroll_left()) - view.left(),
        f64::from(scroller.scroll_top()) - view.top(),
    );
    (0..rects.length())
        .filter_map(|i| rects.get(i))
        .filter(|rect| rect.width() > 0.0)
        .map(|rect| LineBox {
            left: rect.left() + dx,
            top: rect.top() + dy,
            width: rect.width(),
            height: rect.height(),
        })
        .collect()
}

/// The code points worth drawing: those within a view-height of the screen.
pub fn near_view(article: &Element, document: &Document) -> Option<Span> {
    dom_range::visible_window(article, document)
}
