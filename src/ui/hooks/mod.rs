//! One `use_*` hook per file. Hooks call services and expose verbs to components.

mod use_actions;
mod use_comparison_store;
mod use_documents;
mod use_focus_trap;
mod use_highlights;
mod use_hover;
mod use_keyboard_caret;
mod use_latest;
mod use_overlay;
mod use_persistence;
mod use_resize_handles;
mod use_shortcuts;
mod use_suggestions;
mod use_text_selection;
mod use_theme;
mod use_transfer;
mod use_update_ready;
mod use_window;

pub use use_actions::{use_actions, Actions};
pub use use_comparison_store::use_comparison_store;
pub use use_documents::{load_startup, use_documents, Documents, Startup};
pub use use_focus_trap::use_focus_trap;
pub use use_highlights::{use_highlights, Highlights};
pub use use_hover::{use_hover, Hovered};
pub use use_keyboard_caret::{use_keyboard_caret, CaretBox};
use use_latest::use_latest;
pub use use_overlay::{
    use_compare_lanes, use_connectors, use_suggestion_marks, Connector, Lanes, SuggestionMark,
};
pub use use_persistence::use_persistence;
pub use use_resize_handles::{grab, use_resize_handles, HandleBox, ResizeHandles};
pub use use_shortcuts::use_shortcuts;
pub use use_suggestions::use_suggestions;
pub use use_text_selection::{use_text_selection, ToolbarAnchor};
pub use use_theme::{use_theme, Theme};
pub use use_transfer::{use_transfer, Transfer};
pub use use_update_ready::use_update_ready;
pub use use_window::{use_window, ListWindow};
