use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Document, Span, SpanEdge};
use crate::ui::hooks::{grab, use_resize_handles, Highlights};

/// Props of [`SpanHandles`].
#[derive(Properties, Clone)]
pub struct SpanHandlesProps {
    /// The selected annotation's extent, if one is selected.
    pub span: Option<Span>,
    /// The document it is in.
    pub document: Rc<Document>,
    /// Whether drags snap to whole words.
    pub snap_words: bool,
    /// The article element.
    pub article: NodeRef,
    /// The drawn highlights (for the preview while dragging).
    pub highlights: Highlights,
    /// A handle let go: the annotation's new extent.
    pub on_resize: Callback<Span>,
}

impl PartialEq for SpanHandlesProps {
    fn eq(&self, other: &Self) -> bool {
        self.span == other.span
            && Rc::ptr_eq(&self.document, &other.document)
            && self.snap_words == other.snap_words
            && self.article == other.article
            && self.highlights == other.highlights
            && self.on_resize == other.on_resize
    }
}

/// The selected annotation's resize handles, a component of their own so that placing them
/// (which reads the layout after the article renders) and dragging re-render only them, never
/// the app. Mouse, pen and touch affordances: the keyboard resizes with Shift+Alt+arrows, so
/// they stay out of the tab order.
#[component]
pub fn SpanHandles(props: &SpanHandlesProps) -> Html {
    let handles = use_resize_handles(
        props.span,
        props.document.clone(),
        props.snap_words,
        props.article.clone(),
        props.highlights.clone(),
        props.on_resize.clone(),
    );
    let Some(handles) = handles else {
        return html! {};
    };
    let ends = [
        (SpanEdge::Start, handles.start, "resize-start", "is-start"),
        (SpanEdge::End, handles.end, "resize-end", "is-end"),
    ];
    html! {
        <>
            { for ends.into_iter().map(|(edge, at, testid, class)| html! {
                <div class={classes!("resize-handle", class)} aria-hidden="true"
                    style={format!("left: {:.1}px; top: {:.1}px; height: {:.1}px;", at.left, at.top, at.height)}>
                    // Only the knob takes the pointer: text beside the bar stays selectable.
                    <span class="resize-knob" data-testid={testid}
                        title="Drag to resize (whole words; hold Alt for single characters)"
                        onpointerdown={grab(&handles, edge)}></span>
                </div>
            }) }
        </>
    }
}
