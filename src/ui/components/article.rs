use std::rc::Rc;

use yew::prelude::*;

use crate::model::Document;
use crate::ui::PARAGRAPHS_PER_BLOCK;

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

/// Blocks rendered in the first frame of a newly opened document, and added in each frame after
/// it: a 1,000,000-word article (1,400 blocks) is complete within a dozen frames, each short
/// enough that the tab keeps answering input, and its first screen is there at once.
const BLOCKS_PER_FRAME: usize = 128;

/// The document text: one keyed block per [`PARAGRAPHS_PER_BLOCK`] paragraphs, one paragraph
/// element per paragraph inside. Highlights are drawn by the CSS Custom Highlight API, so the
/// text nodes hold exactly the document text. A long document is put in the page a few
/// blocks per frame, with a progress bar above it until it is complete.
#[component]
pub fn Article(props: &ArticleProps) -> Html {
    let total = props
        .document
        .paragraphs()
        .len()
        .div_ceil(PARAGRAPHS_PER_BLOCK);
    // How many blocks are in the page, for which document (a new one starts again).
    let shown = use_state(|| (Rc::clone(&props.document), BLOCKS_PER_FRAME.min(total)));
    let count = if Rc::ptr_eq(&shown.0, &props.document) {
        shown.1
    } else {
        BLOCKS_PER_FRAME.min(total)
    };
    let next_frame = use_mut_ref(|| None::<gloo_render::AnimationFrame>);
    {
        let (shown, document) = (shown.clone(), props.document.clone());
        use_effect_with((Rc::as_ptr(&props.document) as usize, count), move |_| {
            *next_frame.borrow_mut() = (count < total).then(|| {
                gloo_render::request_animation_frame(move |_| {
                    shown.set((document, (count + BLOCKS_PER_FRAME).min(total)));
                })
            });
        });
    }
    let blocks = (0..count).map(|block| {
        html! { <ParagraphBlock key={block} document={props.document.clone()} {block} /> }
    });
    let percent = (count * 100).checked_div(total).unwrap_or(100);
    html! {
        <>
            if count < total {
                <div class="opening-progress" role="progressbar" aria-label="Opening the document"
                     aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}
                     style={format!("width: {percent}%")}></div>
            }
            <div data-testid="article" id="article-text" class="article" ref={props.node_ref.clone()}
                 role="document" aria-label={props.name.clone()} tabindex="0"
                 aria-busy={(count < total).then_some("true")}>
                { for blocks }
            </div>
        </>
    }
}

/// Props of [`ParagraphBlock`]: a run of paragraphs of a shared document, compared by pointer.
#[derive(Properties, Clone)]
pub struct BlockProps {
    /// The document.
    pub document: Rc<Document>,
    /// Which block: paragraphs `block * PARAGRAPHS_PER_BLOCK ..` up to the next block.
    pub block: usize,
}

impl PartialEq for BlockProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document) && self.block == other.block
    }
}

/// Estimated height of a block before it is first laid out, in px: lines of about 68
/// characters at the article's 30.6 px line height, plus each paragraph's margin. Chromium
/// remembers the real height once the block has been on screen (`contain-intrinsic-size: auto`).
fn estimated_height_px(document: &Document, paragraphs: std::ops::Range<usize>) -> f64 {
    paragraphs
        .map(|index| {
            let chars = document.paragraphs()[index].char_len();
            (chars.div_ceil(68).max(1) as f64) * 30.6 + 18.9
        })
        .sum()
}

/// A run of paragraphs that the browser lays out and paints only near the view
/// (`content-visibility: auto`). Blocks, not paragraphs, carry it: Chromium checks every such
/// element's intersection with the view on each frame, which at one per paragraph cost ~70 ms
/// a frame in a 1,000,000-word document (22,000 paragraphs); per block of 16 it is ~1,400
/// checks, while a block that scrolls into view is still small enough to lay out within a frame
/// (blocks of 32 and 64 dropped frames while scrolling fast in the browser benchmark).
#[component]
pub fn ParagraphBlock(props: &BlockProps) -> Html {
    let first = props.block * PARAGRAPHS_PER_BLOCK;
    let end = (first + PARAGRAPHS_PER_BLOCK).min(props.document.paragraphs().len());
    let style = format!(
        "contain-intrinsic-size: auto {:.0}px",
        estimated_height_px(&props.document, first..end)
    );
    let paragraphs = (first..end).map(|index| {
        html! { <ParagraphView key={index} document={props.document.clone()} {index} /> }
    });
    html! {
        <div class="paragraph-block" {style}>
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
