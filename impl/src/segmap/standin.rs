//! Stand-ins for what segmap calls outside its own state and the page
//! layer: the HAT (`hat_unload`, `hat_memload`, `hat_unlock`, `hat_probe`)
//! and the file system's `VOP_PUTPAGE`.
//!
//! None of them touches segmap's shared state or takes a lock segmap's
//! protocol orders against, so the slot-cache protocol does not depend on
//! them. Each records, as a trace note and a coverage point, what the real
//! call would do at that step. The HAT stand-ins are replaced by a HAT on
//! the MMU model (translations, TLB shootdown) when one is ported.

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

/// `hat_memload(kas.a_hat, addr, pp, prot, flag)`: would map page `pp` at
/// `addr`, locked in the TLB when `lock` (HAT_LOAD_LOCK).
#[track_caller]
pub(crate) fn hat_memload(addr: u64, pp: usize, lock: bool) {
    let what = if lock {
        "segmap.hat_memload_lock"
    } else {
        "segmap.hat_memload"
    };
    note(what, pp as u32, addr, pp as u64);
}

/// `hat_unlock(kas.a_hat, addr, len)`: would unlock translations loaded
/// with HAT_LOAD_LOCK.
#[track_caller]
pub(crate) fn hat_unlock(addr: u64, len: u64) {
    note("segmap.hat_unlock", 0, addr, len);
}

/// `hat_probe(kas.a_hat, vaddr)`: whether a translation exists. The
/// stand-in HAT keeps none, so the answer is always no.
pub(crate) fn hat_probe(_vaddr: u64) -> bool {
    false
}

/// `VOP_PUTPAGE(vp, off, MAXBSIZE, bflags)` after a release
/// (seg_map.c:2115-2117), with no segmap lock held.
#[track_caller]
pub(crate) fn vop_putpage(vp: u64, off: u64, bflags: u32) {
    note("segmap.vop_putpage", vp as u32, off, u64::from(bflags));
}
