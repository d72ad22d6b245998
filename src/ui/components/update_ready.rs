use yew::prelude::*;

/// Props of [`UpdateReady`].
#[derive(Properties, PartialEq)]
pub struct UpdateReadyProps {
    /// Reloads the page into the new version.
    pub on_reload: Callback<()>,
}

/// The `update-ready` banner: a newer version of the app has been fetched and waits. It takes
/// over only when the user chooses Reload, never in the middle of their work.
#[component]
pub fn UpdateReady(props: &UpdateReadyProps) -> Html {
    html! {
        <div class="update-ready" data-testid="update-ready" role="status">
            { "A new version of Marginalia is ready. " }
            <button type="button" class="primary" onclick={props.on_reload.reform(|_: MouseEvent| ())}>
                { "Reload" }
            </button>
        </div>
    }
}
