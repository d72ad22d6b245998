use yew::prelude::*;

use crate::ui::state::{Status, StatusKind};
use crate::ui::words::notice_words;

/// Props of [`StatusRegion`].
#[derive(Properties, PartialEq)]
pub struct StatusRegionProps {
    /// The message, if any.
    pub status: Option<Status>,
    /// Set while changes cannot be saved.
    pub storage_fault: Option<String>,
    /// Exports a copy of the work (offered while it cannot be saved).
    pub on_export_copy: Callback<()>,
}

/// The status region (`role="status"`, or `role="alert"` for bad input) with the import counts,
/// and the storage warning while saving fails.
#[component]
pub fn StatusRegion(props: &StatusRegionProps) -> Html {
    let (role, text, counts) = match &props.status {
        Some(status) => (
            if status.kind == StatusKind::Error {
                "alert"
            } else {
                "status"
            },
            notice_words(&status.notice),
            status.import_counts,
        ),
        None => ("status", String::new(), None),
    };
    let count = |n: Option<usize>| n.map(|n| n.to_string());
    html! {
        <>
            if let Some(fault) = &props.storage_fault {
                <div class="storage-warning" data-testid="storage-warning" role="alert">
                    { format!("Changes are not being saved: {fault}. Your work is kept in this tab; export it to keep a copy. ") }
                    <button type="button" data-testid="storage-export"
                        onclick={props.on_export_copy.reform(|_: MouseEvent| ())}>
                        { "Export a copy" }
                    </button>
                </div>
            }
            <div data-testid="status" class={classes!("status", (role == "alert").then_some("is-error"))}
                 {role} aria-live={if role == "alert" { "assertive" } else { "polite" }}
                 data-placed={count(counts.map(|c| c.0))}
                 data-reanchored={count(counts.map(|c| c.1))}
                 data-orphaned={count(counts.map(|c| c.2))}>
                { text }
            </div>
        </>
    }
}
