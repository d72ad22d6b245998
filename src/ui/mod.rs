//! The Yew app (wasm32 only). Dependencies point one way:
//! components -> hooks -> state -> model/anchor/format; only hooks and `app.rs` call services.

pub mod app;
pub mod components;
pub mod hooks;
pub mod services;
pub mod state;
pub mod words;

use crate::model::{LabelColour, LabelSet, Tag};

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

/// The CSS class that draws `tag` in its label's colour (`label-blue`, matching
/// `::highlight(mg-blue-0)`); `label-none` (grey) for a removed or unknown label.
pub fn label_class(labels: &LabelSet, tag: &Tag) -> &'static str {
    colour_class(labels.colour_of(tag))
}

/// The CSS class of a palette colour; `label-none` for none.
pub fn colour_class(colour: Option<LabelColour>) -> &'static str {
    match colour {
        Some(LabelColour::Blue) => "label-blue",
        Some(LabelColour::Orange) => "label-orange",
        Some(LabelColour::Purple) => "label-purple",
        Some(LabelColour::Green) => "label-green",
        Some(LabelColour::Vermilion) => "label-vermilion",
        Some(LabelColour::Sky) => "label-sky",
        Some(LabelColour::Yellow) => "label-yellow",
        None => "label-none",
    }
}
