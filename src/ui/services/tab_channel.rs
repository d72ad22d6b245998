//! Tells the other tabs of this site which records this tab committed, through a
//! `BroadcastChannel`; they read those records and apply the newer ones. Messages carry keys
//! only, never values: storage stays the one source of what is true.

use gloo_events::EventListener;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "marginalia-records";

/// One committed change, as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// The tab that committed it.
    pub tab: u64,
    /// The keys it wrote.
    pub keys: Vec<String>,
}

/// This tab's end of the channel; dropping it stops listening.
pub struct TabChannel {
    channel: Option<BroadcastChannel>,
    _listener: Option<EventListener>,
}

impl TabChannel {
    /// Opens the channel; `on_message` gets each other tab's announcement. Without
    /// BroadcastChannel (very old browsers) the tab works alone.
    pub fn open(on_message: impl Fn(Announcement) + 'static) -> Self {
        let Ok(channel) = BroadcastChannel::new(CHANNEL) else {
            return Self {
                channel: None,
                _listener: None,
            };
        };
        let listener = EventListener::new(&channel, "message", move |event| {
            let data = event
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string());
            if let Some(announcement) = data.and_then(|d| serde_json::from_str(&d).ok()) {
                on_message(announcement);
            }
        });
        Self {
            channel: Some(channel),
            _listener: Some(listener),
        }
    }

    /// Announces keys this tab committed.
    pub fn announce(&self, announcement: &Announcement) {
        if let Some(channel) = &self.channel {
            let message = serde_json::to_string(announcement).expect("announcements serialise");
            let _ = channel.post_message(&message.into());
        }
    }
}
