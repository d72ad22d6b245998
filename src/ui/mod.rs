//! The Yew app (wasm32 only). Dependencies point one way:
//! components -> hooks -> state -> model/anchor/format; only hooks and `app.rs` call services.

pub mod app;
pub mod components;
pub mod hooks;
pub mod services;
pub mod state;

use crate::model::Tag;

/// Paragraphs per block of the article (`.article > .paragraph-block > .paragraph`): the
/// block is the unit the browser skips off screen; `ui::services::dom_range` maps a paragraph
/// index to its element through it.
pub const PARAGRAPHS_PER_BLOCK: usize = 16;

/// Mounts the app on `<body>`, with a panic hook that tells the user (and keeps stored work).
pub fn start() {
    services::crash::install_panic_hook();
    wasm_bindgen_futures::spawn_local(async {
        let props = app::AppProps::load().await;
        yew::Renderer::<app::App>::with_props(props).render();
    });
}

/// The CSS class suffix a tag is drawn with (`other` for custom labels): `tag-claim`,
/// `::highlight(mg-claim-0)`.
pub fn tag_class(tag: &Tag) -> &'static str {
    match tag {
        Tag::Claim => "claim",
        Tag::Quote => "quote",
        Tag::Condition => "condition",
        Tag::Other(_) => "other",
    }
}
