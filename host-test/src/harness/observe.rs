//! Observers of every call this process makes through any harness: each sees the call's
//! capture and the value it returned, as text. The integration tests install one that fails
//! on any leaked secret, so the whole suite is scanned, not a sample.

use std::fmt::Debug;
use std::sync::RwLock;

use super::capture::Capture;

/// Sees one call: the activity's name and everything it produced, as text.
pub type Observer = fn(activity: &str, text: &str);

static OBSERVERS: RwLock<Vec<Observer>> = RwLock::new(Vec::new());

/// Adds `observer` for every later call; adding the same function twice has no effect.
pub fn observe_every_call(observer: Observer) {
    let mut observers = OBSERVERS.write().unwrap_or_else(|e| e.into_inner());
    if !observers.iter().any(|o| std::ptr::fn_addr_eq(*o, observer)) {
        observers.push(observer);
    }
}

/// Shows a call's capture and value to every observer. The capture is taken only when
/// someone observes, so calls pay nothing otherwise.
pub(crate) fn notify(activity: &str, capture: impl FnOnce() -> Capture, value: &dyn Debug) {
    let observers = OBSERVERS.read().unwrap_or_else(|e| e.into_inner()).clone();
    if observers.is_empty() {
        return;
    }
    let text = format!("{}\n{value:?}", capture());
    for observer in observers {
        observer(activity, &text);
    }
}
