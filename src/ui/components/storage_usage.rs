use yew::prelude::*;

use crate::ui::services::storage::Usage;

/// Props of [`StorageUsage`].
#[derive(Properties, PartialEq)]
pub struct StorageUsageProps {
    /// The latest estimate, once read.
    pub usage: Option<Usage>,
}

/// Kilobytes below a megabyte, megabytes with one decimal, gigabytes past a thousand of them.
fn size(bytes: f64) -> String {
    let megabytes = bytes / 1_000_000.0;
    if megabytes >= 1_000.0 {
        format!("{:.1} GB", megabytes / 1_000.0)
    } else if megabytes >= 1.0 {
        format!("{megabytes:.1} MB")
    } else {
        format!("{:.0} KB", bytes / 1_000.0)
    }
}

/// How much of the browser's storage the library uses, whether the browser keeps it for good,
/// and a warning past 90% of the quota (see the contract's Storage section).
#[component]
pub fn StorageUsage(props: &StorageUsageProps) -> Html {
    let Some(usage) = props.usage else {
        return html! {};
    };
    let warning = usage.nearly_full();
    let kept = if usage.persisted {
        "kept by the browser"
    } else {
        "the browser may clear it when space runs low"
    };
    html! {
        <p class={classes!("storage-usage", warning.then_some("is-warning"))} data-testid="storage-usage"
           data-used={format!("{}", usage.used)} data-quota={format!("{}", usage.quota)}
           data-persisted={usage.persisted.to_string()} data-warning={warning.to_string()}
           role={warning.then_some("alert")}
           title={format!("Saved in this browser's storage (IndexedDB); {kept}.")}>
            { format!("Storage: {} of {}", size(usage.used), size(usage.quota)) }
            if warning {
                { " — nearly full: export a copy and delete documents you no longer need." }
            }
        </p>
    }
}
