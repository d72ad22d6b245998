use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// A cell that always holds `value` as of the latest render, for listeners and callbacks that
/// are installed once (so they never act on a stale state handle).
#[hook]
pub fn use_latest<T: Clone + 'static>(value: &T) -> Rc<RefCell<T>> {
    let latest = use_mut_ref(|| value.clone());
    *latest.borrow_mut() = value.clone();
    latest
}
