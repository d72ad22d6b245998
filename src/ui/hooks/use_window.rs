use yew::prelude::*;

/// Rows rendered beyond each edge of the view.
const OVERSCAN_ROWS: usize = 8;

/// A windowed list: only the rows in view (plus a margin) are rendered, whatever the count,
/// while the list keeps its full height so scrolling reaches every row.
#[derive(Clone, PartialEq)]
pub struct ListWindow {
    /// The scrolling element (its `ref`).
    pub wrap: NodeRef,
    /// Its `onscroll`.
    pub onscroll: Callback<Event>,
    /// The first row to render.
    pub first: usize,
    /// One past the last row to render.
    pub last: usize,
    /// The list's style: its full height, and the rows above the first as padding.
    pub style: String,
}

/// The window of a list of `count` rows of `row_px` each (CSS gives every row that pitch),
/// keeping row `selected` in view when it changes.
#[hook]
pub fn use_window(count: usize, row_px: f64, selected: Option<usize>) -> ListWindow {
    let wrap = use_node_ref();
    // (scroll top, view height) of the scrolling element, in px.
    let view = use_state_eq(|| (0.0_f64, 1200.0_f64));
    let measure = {
        let (wrap, view) = (wrap.clone(), view.clone());
        move || {
            if let Some(element) = wrap.cast::<web_sys::Element>() {
                let height = f64::from(element.client_height());
                view.set((
                    f64::from(element.scroll_top()),
                    if height > 0.0 { height } else { 1200.0 },
                ));
            }
        }
    };
    let onscroll = {
        let measure = measure.clone();
        Callback::from(move |_: Event| measure())
    };
    use_effect_with((), move |_| measure());
    let (top, height) = *view;
    {
        let wrap = wrap.clone();
        use_effect_with(selected, move |index| {
            let (Some(index), Some(element)) = (*index, wrap.cast::<web_sys::Element>()) else {
                return;
            };
            let row_top = index as f64 * row_px;
            if row_top < top || row_top + row_px > top + height {
                element.set_scroll_top((row_top - height / 3.0).max(0.0) as i32);
            }
        });
    }
    let first = ((top / row_px) as usize)
        .saturating_sub(OVERSCAN_ROWS)
        .min(count);
    let last = (((top + height) / row_px).ceil() as usize + OVERSCAN_ROWS).min(count);
    ListWindow {
        wrap,
        onscroll,
        first,
        last,
        style: format!(
            "height: {}px; padding-top: {}px;",
            count as f64 * row_px,
            first as f64 * row_px
        ),
    }
}
