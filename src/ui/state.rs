//! The app state as Yew holds it: a thin `Reducible` adapter over the core's
//! [`Workspace::apply`], which holds every rule and is tested natively.

use std::rc::Rc;

use yew::Reducible;

pub use crate::workspace::{
    Action, LoadedDocument, Notice, OpenDocument, Status, StatusKind, Workspace,
};

/// What the app's reducer holds.
pub type AppState = Workspace;

impl Reducible for Workspace {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.apply(action)
    }
}
