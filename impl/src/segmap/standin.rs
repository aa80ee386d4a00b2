//! Stand-ins for what segmap calls outside its own state: the HAT
//! (`hat_unload`), the page layer (`segmap_pagefree`'s
//! `page_lookup_nowait` / `page_release`) and the file system
//! (`VOP_GETPAGE` / `VOP_PUTPAGE` and the prefault of `segmap_fault`).
//!
//! None of them touches segmap's shared state, and with segkpm off none
//! takes a lock segmap's protocol orders against, so the slot-cache
//! protocol does not depend on them. Each records, as a trace note and a
//! coverage point, what the real call would do at that step, so traces
//! show where translations would be unloaded and pages freed. They are
//! replaced by the MMU model (hat_unload with TLB shootdown) and the page
//! lock primitive when those land.

use model::exec;
use model::trace::{ObjName, Op};
use std::panic::Location;

#[track_caller]
fn note(what: &'static str, index: u32, a: u64, b: u64) {
    model::cover(what);
    if let Some(e) = exec::current() {
        let obj = ObjName {
            kind: "standin",
            class: what,
            index,
        };
        e.event(exec::tid(), Op::Note, obj, a, b, Location::caller());
    }
}

/// `hat_unload(kas.a_hat, addr, MAXBSIZE, HAT_UNLOAD)` of slot `slot`'s
/// window: would remove the window's translations and shoot down TLBs.
#[track_caller]
pub(crate) fn hat_unload(slot: usize, addr: u64, len: u64) {
    note("segmap.hat_unload", slot as u32, addr, len);
}

/// `hat_probe(kas.a_hat, vaddr)`: whether a translation exists. The
/// stand-in HAT never loads one, so the answer is always no.
pub(crate) fn hat_probe(_vaddr: u64) -> bool {
    false
}

/// `segmap_pagefree(vp, off)` (seg_map.c:1094-1117): would try to free the
/// old identity's pages with `page_lookup_nowait` + `page_release`.
#[track_caller]
pub(crate) fn pagefree(vp: u64, off: u64) {
    note("segmap.pagefree", vp as u32, vp, off);
}

/// `VOP_PUTPAGE(vp, off, MAXBSIZE, bflags)` after a release
/// (seg_map.c:2115-2117), with no segmap lock held.
#[track_caller]
pub(crate) fn vop_putpage(vp: u64, off: u64, bflags: u32) {
    note("segmap.vop_putpage", vp as u32, off, u64::from(bflags));
}

/// The rest of the prefault `segmap_fault(kas.a_hat, seg, addr, len,
/// F_INVAL, rw)` of seg_map.c:1964-1972, for file offset `off` of slot
/// `slot`'s vnode: would `VOP_GETPAGE` the pages and `hat_memload` them
/// into the window (seg_map.c:706-768).
#[track_caller]
pub(crate) fn prefault(slot: usize, off: u64, len: u64) {
    note("segmap.prefault", slot as u32, off, len);
}
