use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::format::ExportFormat;
use crate::ui::hooks::Theme;

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The current document's name.
    pub document_name: AttrValue,
    /// Whether undo and redo have a step.
    pub can_undo: bool,
    /// See `can_undo`.
    pub can_redo: bool,
    /// Undo.
    pub on_undo: Callback<()>,
    /// Redo.
    pub on_redo: Callback<()>,
    /// A file was chosen to open as a document.
    pub on_open: Callback<web_sys::File>,
    /// Open the paste dialog.
    pub on_paste: Callback<()>,
    /// A file was chosen to import annotations from.
    pub on_import: Callback<web_sys::File>,
    /// Annotators' files of this document, to compare.
    pub on_compare: Callback<Vec<web_sys::File>>,
    /// Export in a format.
    pub on_export: Callback<ExportFormat>,
    /// Export every document in a format.
    pub on_export_all: Callback<ExportFormat>,
    /// The current theme.
    pub theme: Theme,
    /// Switch light and dark.
    pub on_toggle_theme: Callback<()>,
    /// Whether selections snap to whole words.
    pub snap_words: bool,
    /// Turn snapping on or off.
    pub on_snap_words: Callback<bool>,
}

fn file_input_handler(callback: Callback<web_sys::File>) -> Callback<Event> {
    Callback::from(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        let file = input.files().and_then(|files| files.get(0));
        // Cleared, so choosing the same file again is a change too.
        input.set_value("");
        if let Some(file) = file {
            callback.emit(file);
        }
    })
}

/// The top bar: document name, undo/redo, open, import and export.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let format = use_state(|| ExportFormat::Marginalia);
    let on_format = {
        let format = format.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target().unwrap().unchecked_into();
            if let Some(chosen) = ExportFormat::from_value(&select.value()) {
                format.set(chosen);
            }
        })
    };
    // The select is the source of truth at click time: a change event and a click in the same
    // task (a script, a fast tool) must export the format just chosen, not the last rendered.
    let select_ref = use_node_ref();
    let chosen_format = {
        let (select_ref, format) = (select_ref.clone(), *format);
        move || {
            select_ref
                .cast::<web_sys::HtmlSelectElement>()
                .and_then(|select| ExportFormat::from_value(&select.value()))
                .unwrap_or(format)
        }
    };
    let on_export = {
        let (on_export, chosen) = (props.on_export.clone(), chosen_format.clone());
        Callback::from(move |_| on_export.emit(chosen()))
    };
    let on_export_all = {
        let on_export_all = props.on_export_all.clone();
        Callback::from(move |_| on_export_all.emit(chosen_format()))
    };
    let on_undo = props.on_undo.reform(|_: MouseEvent| ());
    let on_redo = props.on_redo.reform(|_: MouseEvent| ());
    html! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">{ "¶" }</span>
                <h1 class="brand-name">{ "Marginalia" }</h1>
                <span class="document-title" title={props.document_name.clone()}>{ props.document_name.clone() }</span>
            </div>
            <div class="header-actions" role="toolbar" aria-label="Document actions">
                <button type="button" data-testid="undo" onclick={on_undo} disabled={!props.can_undo}
                        title="Undo (Ctrl+Z)" aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                <button type="button" data-testid="redo" onclick={on_redo} disabled={!props.can_redo}
                        title="Redo (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z Control+Y">{ "Redo" }</button>
                <span class="divider" aria-hidden="true"></span>
                <label class="button file-button" title="Open a .txt, .md or .html file as a document; or documents with their annotations: a Marginalia file or zip, a brat zip, Label Studio JSON, spaCy, Prodigy, doccano or Hugging Face JSON lines">
                    { "Open…" }
                    <input type="file" data-testid="open-document" accept=".txt,.md,.markdown,.html,.htm,.json,.jsonl,.zip,text/plain,text/markdown,text/html"
                           onchange={file_input_handler(props.on_open.clone())} />
                </label>
                <button type="button" data-testid="paste-document" title="Paste a text as a document"
                        onclick={props.on_paste.reform(|_: MouseEvent| ())}>{ "Paste…" }</button>
                <label class="button file-button" title="Import annotations into this document">
                    { "Import…" }
                    <input type="file" data-testid="import-annotations"
                           onchange={file_input_handler(props.on_import.clone())} />
                </label>
                <label class="button file-button" title="Compare annotators: open their annotation files of this document, one layer each">
                    { "Compare…" }
                    <input type="file" multiple=true data-testid="compare-files"
                           onchange={{
                               let on_compare = props.on_compare.clone();
                               Callback::from(move |event: Event| {
                                   let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                                   let chosen: Vec<web_sys::File> = input
                                       .files()
                                       .map(|files| (0..files.length()).filter_map(|i| files.get(i)).collect())
                                       .unwrap_or_default();
                                   input.set_value("");
                                   if !chosen.is_empty() {
                                       on_compare.emit(chosen);
                                   }
                               })
                           }} />
                </label>
                <span class="export-group">
                    <select data-testid="export-format" aria-label="Export format" onchange={on_format} ref={select_ref}>
                        { for ExportFormat::ALL.iter().map(|f| html! {
                            <option value={f.value()} selected={*f == *format}>{ f.label() }</option>
                        }) }
                    </select>
                    <button type="button" class="primary" data-testid="export" onclick={on_export}
                            title="Export this document's annotations">{ "Export" }</button>
                    <button type="button" data-testid="export-all" onclick={on_export_all}
                            title="Export every document in one file (a line per document for spaCy, doccano and Prodigy, a line per sentence for Hugging Face, one array of tasks for Label Studio, a zip of files for the others)">{ "All" }</button>
                </span>
                <span class="divider" aria-hidden="true"></span>
                <label class="snap-toggle" title="Selections grow to whole words (hold Alt while selecting to skip once)">
                    <input type="checkbox" data-testid="snap-words" checked={props.snap_words}
                           onchange={props.on_snap_words.reform(|event: Event| {
                               event.target_unchecked_into::<web_sys::HtmlInputElement>().checked()
                           })} />
                    { "Snap to words" }
                </label>
                <span class="divider" aria-hidden="true"></span>
                <button type="button" class="theme-toggle" data-testid="theme-toggle"
                        aria-label={format!("Switch to the {} theme", props.theme.toggled().as_str())}
                        title={format!("Switch to the {} theme", props.theme.toggled().as_str())}
                        onclick={props.on_toggle_theme.reform(|_: MouseEvent| ())}>
                    { if props.theme == Theme::Dark { "☀" } else { "☾" } }
                </button>
            </div>
        </header>
    }
}
