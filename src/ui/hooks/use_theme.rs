use yew::prelude::*;

use crate::ui::services::storage;

/// Light or dark, written as `data-theme` on `<html>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on paper.
    Light,
    /// Light text on a dark ground.
    Dark,
}

impl Theme {
    /// The `data-theme` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Self {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

fn apply(theme: Theme) {
    if let Some(root) = gloo_utils::document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// The theme (the user's last choice, else the system's) and a callback that switches it.
/// `data-theme` is set during the first render, before anything is painted.
#[hook]
pub fn use_theme() -> (Theme, Callback<()>) {
    let theme = use_state_eq(|| {
        let theme = match storage::load_setting("theme").as_deref() {
            Some("dark") => Theme::Dark,
            Some("light") => Theme::Light,
            _ => system_theme(),
        };
        apply(theme);
        theme
    });
    let toggle = {
        let theme = theme.clone();
        Callback::from(move |_| {
            let next = theme.toggled();
            apply(next);
            // A theme that cannot be saved still applies for this visit.
            let _ = storage::save_setting("theme", next.as_str());
            theme.set(next);
        })
    };
    (*theme, toggle)
}
