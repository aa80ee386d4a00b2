//! Stand-in for what segmap calls outside its own state, the page layer
//! and the HAT: the file system's `VOP_PUTPAGE`.
//!
//! It touches no segmap state and takes no lock segmap's protocol orders
//! against, so the slot-cache protocol does not depend on it. It records,
//! as a trace note and a coverage point, what the real call would do at
//! that step, and logs its arguments in ghost state
//! ([`super::Segmap::putpages`]).

use super::windows::{Window, VOP_PUTPAGE};
use model::exec;
use model::trace::{ObjName, Op};
use std::panic::Location;

#[track_caller]
fn note(w: Window, index: u32, a: u64, b: u64) {
    model::cover(w.point);
    if let Some(e) = exec::current() {
        let obj = ObjName {
            kind: "standin",
            class: w.point,
            index,
        };
        e.event(exec::tid(), Op::Note, obj, a, b, Location::caller());
    }
}

/// `VOP_PUTPAGE(vp, off, MAXBSIZE, bflags)` after a release
/// (seg_map.c:2115-2117), with no segmap lock held.
#[track_caller]
pub(crate) fn vop_putpage(
    log: &std::sync::Mutex<Vec<(u64, u64, u32)>>,
    vp: u64,
    off: u64,
    bflags: u32,
) {
    note(VOP_PUTPAGE, vp as u32, off, u64::from(bflags));
    log.lock().expect("putpage log").push((vp, off, bflags));
}
