use std::rc::Rc;

use yew::prelude::*;

use crate::model::Document;

/// Props of [`Article`]: only the document, so annotation edits never re-render it.
#[derive(Properties, Clone)]
pub struct ArticleProps {
    /// The document to show.
    pub document: Rc<Document>,
    /// Its accessible name (the document's name).
    pub name: AttrValue,
    /// The element the hooks read selections from.
    pub node_ref: NodeRef,
}

impl PartialEq for ArticleProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.name == other.name
            && self.node_ref == other.node_ref
    }
}

/// The document text, one keyed paragraph element per paragraph. Highlights are drawn by the
/// CSS Custom Highlight API, so the text nodes hold exactly the document text.
#[component]
pub fn Article(props: &ArticleProps) -> Html {
    let paragraphs = (0..props.document.paragraphs().len()).map(|index| {
        html! { <ParagraphView key={index} document={props.document.clone()} {index} /> }
    });
    html! {
        <div data-testid="article" class="article" ref={props.node_ref.clone()}
             role="document" aria-label={props.name.clone()} tabindex="0">
            { for paragraphs }
        </div>
    }
}

/// Props of [`ParagraphView`]: a paragraph of a shared document, compared by pointer.
#[derive(Properties, Clone)]
pub struct ParagraphProps {
    /// The document.
    pub document: Rc<Document>,
    /// Which paragraph.
    pub index: usize,
}

impl PartialEq for ParagraphProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document) && self.index == other.index
    }
}

/// Longest first paragraph (in code points) still set as a headline.
const TITLE_MAX_CHARS: usize = 140;

/// One paragraph: `data-offset` is its first code point; its only child is its text.
#[component]
pub fn ParagraphView(props: &ParagraphProps) -> Html {
    let paragraph = &props.document.paragraphs()[props.index];
    let text = props.document.paragraph_text(paragraph).to_owned();
    // A short first paragraph reads as the headline; a long one is body text like the rest.
    let title = props.index == 0 && paragraph.char_len() <= TITLE_MAX_CHARS;
    html! {
        <p class={classes!("paragraph", title.then_some("title"))} data-offset={paragraph.start.to_string()}>
            { text }
        </p>
    }
}
