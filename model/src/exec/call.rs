//! Operation spans in the trace: a port marks the seed function it runs
//! (`let _f = model::exec::call("segmap_getmapflt", "seg_map.c:1599");`)
//! and the trace gets an [`Op::Call`] event there and an [`Op::Return`]
//! when the guard drops (not when it unwinds), carrying the seed line the
//! thread had reached.
//! `vmspec replay --story` and `--perfetto` read the spans; nothing
//! decides on them (ghost only: no scheduling point, so schedules are
//! unchanged by adding one).

use super::{current, tid};
use crate::trace::{ObjName, Op};
use std::panic::Location;

/// The object name a call event carries: kind `fn`, the function's name
/// as its class.
pub fn call_name(function: &'static str) -> ObjName {
    ObjName {
        kind: "fn",
        class: function,
        index: 0,
    }
}

/// A traced activation of a seed function; logs its return when dropped.
#[must_use = "the span ends when the guard drops"]
pub struct Call {
    name: ObjName,
    site: &'static Location<'static>,
}

/// Logs that the calling thread enters `function` (at `seed_line` of the
/// seed, which becomes the thread's current seed line).
#[track_caller]
pub fn call(function: &'static str, seed_line: &'static str) -> Call {
    let name = call_name(function);
    let site = Location::caller();
    if let Some(exec) = current() {
        let me = tid();
        exec.set_seed(me, seed_line);
        exec.event(me, Op::Call, name, 0, 0, site);
    }
    Call { name, site }
}

impl Drop for Call {
    fn drop(&mut self) {
        // Unwinding (a violation, a backend tearing an execution down) is
        // no return, and a backend may not be asked anything then.
        if std::thread::panicking() {
            return;
        }
        if let Some(exec) = current() {
            exec.event(tid(), Op::Return, self.name, 0, 0, self.site);
        }
    }
}
