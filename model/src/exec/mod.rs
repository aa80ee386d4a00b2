//! Execution context: which backend an execution runs on, which model thread
//! is running, and the instrumentation ("ghost") state that checks read.
//!
//! Ghost state never influences behaviour: loom prunes interleavings by the
//! objects two operations touch, so anything a thread *decides* on must live
//! in a backend primitive. Ghost state only feeds checks, traces and reports.
//!
//! loom and shuttle run every model thread as a coroutine on the runner's OS
//! thread, so the runner's `thread_local!` holds the current [`Exec`] for all
//! of them; std threads inherit it at spawn.

mod backend;
mod call;
mod current;
mod params;
mod run;
mod state;
mod violation;

pub use backend::Backend;
pub use call::{call, call_name, Call};
pub(crate) use current::set_tid;
pub use current::{backend, current, enter_execution, exit_execution, in_model, tid, Tid};
pub use params::{ParamDoc, MODEL_PARAMS};
pub use run::{Captured, RunConfig, RunShared};
pub use state::{Exec, Held, ObjId, Spin, ThreadSnapshot, WaitFor};
pub use violation::Violation;

/// Called when the event numbered `step` (as `vmspec replay --trace` and
/// `--story` number them) is logged, if the run asked for it
/// (`vmspec replay FILE --break-at STEP`): a place for a debugger's
/// breakpoint (`break vmspec_break` in rust-gdb), with the port's code
/// that made the step a few frames up (`up`, `info locals`).
#[inline(never)]
pub fn vmspec_break(step: usize, event: &crate::trace::Event) {
    std::hint::black_box((step, event));
}

/// Marks a coverage point: a branch or race window the scenario reached.
/// Counters are per run and shown by `vmspec check --coverage`.
pub fn cover(point: &'static str) {
    if let Some(exec) = current() {
        exec.run.cover(point);
    }
}

/// The value of run parameter `key` (`--param key=value`, or the
/// scenario's declared parameters), if set.
pub fn param(key: &str) -> Option<String> {
    current().and_then(|exec| exec.run.param(key).map(String::from))
}

/// Whether one model thread runs at a time in the current execution
/// ([`Exec::serialized`]): a point check that reads another thread's
/// ghost state is exact only then (on real threads the ghost copy lags
/// the word it mirrors).
pub fn serialized() -> bool {
    current().is_some_and(|e| e.serialized())
}

/// Whether a port checks its invariants after every operation (its
/// "step" checks) in the current execution: only where one model thread
/// runs at a time (ghost state equals modelled state between two steps,
/// [`Exec::serialized`]) and unless the run parameter `checks=end` keeps
/// them to the end of the scenario.
pub fn step_checks() -> bool {
    current().is_some_and(|e| e.serialized() && e.run.param("checks") != Some("end"))
}

/// Whether the current execution explores the reduced state space
/// ([`RunShared::reduced`]; false outside any execution).
pub fn reduced() -> bool {
    current().is_some_and(|e| e.run.reduced())
}

/// Whether the named mutant (an injected bug) is enabled for this run.
pub fn mutant(name: &str) -> bool {
    current().is_some_and(|exec| exec.run.config.mutant.as_deref() == Some(name))
}

/// Annotates the calling thread's next operations with a seed line, shown
/// in traces and reports (e.g. `seed("seg_map.c:1671")`).
pub fn seed(line: &'static str) {
    if let Some(exec) = current() {
        exec.set_seed(tid(), line);
    }
}
