//! Exhaustive exploration with loom, within a preemption bound.

use super::execute;
use model::exec::{Backend, RunShared};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// loom stops a single execution after this many scheduling decisions; the
/// scenarios' retry loops yield, so a larger count means a livelock.
const MAX_BRANCHES: usize = 10_000;

pub(super) fn run(shared: &Arc<RunShared>, body: fn(), bound: usize, max: Option<usize>) {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = (bound != crate::scenario::UNBOUNDED).then_some(bound);
    b.max_branches = MAX_BRANCHES;
    b.max_permutations = max;
    // loom 0.7.2 tests `max_permutations` only every `checkpoint_interval`
    // executions (20,000 unless LOOM_CHECKPOINT_INTERVAL says otherwise),
    // so a smaller cap was never applied: test it after every execution.
    if max.is_some() {
        b.checkpoint_interval = 1;
    }
    b.checkpoint_file = None;
    b.log = false;
    // The patched loom's exploration refinements (vendor/loom/VMSPEC-PATCH.md)
    // are part of the reduced exploration; `reduce=off` explores as loom
    // 0.7.2 does.
    b.refined = shared.reduced();
    let run = shared.clone();
    // A violation ends loom's exploration with a panic; it is recorded.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        b.check(move || {
            execute(Backend::Loom, &run, body);
        })
    }));
}
