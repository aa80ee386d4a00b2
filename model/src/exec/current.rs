use super::{Backend, Exec};
use std::cell::{Cell, RefCell};
use std::sync::Arc;

/// A model thread's number within one execution: 0 is the scenario's main
/// thread, the others count up in spawn order (as shuttle numbers tasks).
pub type Tid = usize;

std::thread_local! {
    static CURRENT: RefCell<Option<Arc<Exec>>> = const { RefCell::new(None) };
    /// The current execution's backend, so that `tid()` need not clone
    /// the execution on every operation.
    static BACKEND: Cell<Option<Backend>> = const { Cell::new(None) };
    static STD_TID: Cell<Tid> = const { Cell::new(0) };
}
loom::thread_local! {
    static LOOM_TID: Cell<Tid> = Cell::new(0);
}

/// The execution the calling thread belongs to, if any.
pub fn current() -> Option<Arc<Exec>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether the caller runs inside a model execution.
pub fn in_model() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

/// Installs `exec` as the current execution of this OS thread.
pub fn enter_execution(exec: Arc<Exec>) {
    BACKEND.with(|b| b.set(Some(exec.backend)));
    CURRENT.with(|c| *c.borrow_mut() = Some(exec));
}

/// Clears the current execution of this OS thread.
pub fn exit_execution() {
    BACKEND.with(|b| b.set(None));
    CURRENT.with(|c| *c.borrow_mut() = None);
}

/// The backend of the calling thread's execution, if any (cheap).
pub fn backend() -> Option<Backend> {
    BACKEND.with(Cell::get)
}

/// The calling model thread's id (0 outside a model).
pub fn tid() -> Tid {
    match backend() {
        Some(Backend::Loom) => LOOM_TID.with(Cell::get),
        // shuttle numbers tasks in spawn order from 0, as `spawn` numbers
        // model threads; this lookup never panics, even between steps.
        Some(Backend::Shuttle) => shuttle::current::try_get_current_task().map_or(0, usize::from),
        _ => STD_TID.with(Cell::get),
    }
}

/// Sets the calling model thread's id (at the start of a spawned thread).
pub(crate) fn set_tid(backend: Backend, id: Tid) {
    match backend {
        Backend::Loom => LOOM_TID.with(|c| c.set(id)),
        Backend::Shuttle => debug_assert_eq!(
            shuttle::current::try_get_current_task().map(usize::from),
            Some(id),
            "shuttle task ids must follow spawn order"
        ),
        Backend::Std => STD_TID.with(|c| c.set(id)),
    }
}
