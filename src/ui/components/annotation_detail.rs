use std::rc::Rc;

use yew::prelude::*;

use super::LabelButtons;
use crate::model::{limits, Annotation, AnnotationId, Tag};

/// Props of [`AnnotationDetail`].
#[derive(Properties, PartialEq)]
pub struct AnnotationDetailProps {
    /// The selected annotation.
    pub annotation: Rc<Annotation>,
    /// Its quoted text.
    pub quote: AttrValue,
    /// Retag it.
    pub on_tag: Callback<Tag>,
    /// Set its note.
    pub on_note: Callback<String>,
    /// Delete it.
    pub on_delete: Callback<()>,
    /// Its attributes and relations, shown between the quote and the note.
    #[prop_or_default]
    pub children: Html,
}

/// The selected annotation: its tag (changeable), quote, attributes and relations, note and a
/// delete button.
#[component]
pub fn AnnotationDetail(props: &AnnotationDetailProps) -> Html {
    let annotation = &props.annotation;
    // While the note has focus, it shows what is typed there: another tab's edit of the same
    // note is not written in under the cursor (the next keystroke saves this one, which then
    // wins); it shows once the field is left.
    let typing = use_mut_ref(|| None::<(AnnotationId, String)>);
    let rerender = use_force_update();
    let note = match &*typing.borrow() {
        Some((id, typed)) if *id == annotation.id => typed.clone(),
        _ => annotation.note.clone(),
    };
    let on_note = {
        let (typing, id) = (typing.clone(), annotation.id.clone());
        props.on_note.reform(move |event: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            *typing.borrow_mut() = Some((id.clone(), area.value()));
            area.value()
        })
    };
    let on_focus = {
        let (typing, id) = (typing.clone(), annotation.id.clone());
        Callback::from(move |event: FocusEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            *typing.borrow_mut() = Some((id.clone(), area.value()));
        })
    };
    let on_blur = Callback::from(move |_: FocusEvent| {
        typing.borrow_mut().take();
        rerender.force_update();
    });
    let on_delete = props.on_delete.reform(|_: MouseEvent| ());
    html! {
        <section class="panel detail" aria-label="Selected annotation">
            <div class="retag" role="group" aria-label="Tag">
                <LabelButtons on_tag={props.on_tag.clone()} pressed={annotation.tag.clone()} />
            </div>
            <blockquote class="detail-quote">{ props.quote.clone() }</blockquote>
            { props.children.clone() }
            <label class="note-label" for="annotation-note">{ "Note" }</label>
            <textarea id="annotation-note" data-testid="note" rows="3" placeholder="Add a note…" maxlength={limits::MAX_NOTE_CHARS.to_string()}
                      value={note} oninput={on_note} onfocus={on_focus} onblur={on_blur} />
            <div class="detail-footer">
                <span class="offsets" title="Code-point offsets">{ format!("{}–{}", annotation.span.start, annotation.span.end) }</span>
                <button type="button" class="danger" data-testid="delete-annotation" onclick={on_delete}
                        title="Delete (Delete key)">{ "Delete" }</button>
            </div>
        </section>
    }
}
