//! The walk against changes of the ring while it does not hold the vnode
//! page mutex: pages inserted at the head (created) and at the tail (a
//! `VMODSORT` page dirtied), and the page next to the marker destroyed
//! (vm_pvn.c:718-733, 825-829, 904-932).

use super::common::BASE;
use super::common::{off, run_threads, walk, world, write};
use harness::{Mutant, Scenario};
use subsys::pvn::{mutants, Pvn, PvnConfig, B_FREE, B_INVAL, B_TRUNC, PVN_V2};
use subsys::vm::vplist::VM_VPLIST;

/// fsync of a file whose page 0 is dirty while a CPU writes page 1, not
/// in memory: the fault reads it in, at the head of the ring, and maps it.
/// The walk must pass the new page if it is there before the walk ends.
fn head_body() {
    let pvn = world(PvnConfig::new(2), &[0], &[0]);
    run_threads(&pvn, vec![("fsync", walk(0)), ("cpu1", write(0, 1, 1))]);
}

pub const INSERT_AT_HEAD: Scenario = Scenario {
    id: "pvn/walk-vs-insert-head",
    summary: "fsync walks while a fault creates a page at the head of the ring and a CPU writes it",
    mutants: &[Mutant {
        name: mutants::MARKER_MOVED_LATE,
        catches: PVN_V2,
        summary: "the walk moves its marker only after pvn_getdirty and putapage (vm_pvn.c:915-916): the mutex is dropped with the page still before the marker",
    }],
    body: head_body,
    ..BASE
};

/// A page-out of a `VMODSORT` file (`B_FREE`, no early exit): page 1 is
/// clean and page 0 dirty; a CPU writes page 1, whose fault sets MOD and
/// moves it to the tail of the ring, behind the walk's end marker. The
/// walk must come round to it.
fn tail_body() {
    let mut cfg = PvnConfig::new(2);
    cfg.modsort = true;
    let pvn = world(cfg, &[0, 1], &[0]);
    run_threads(
        &pvn,
        vec![("pageout", walk(B_FREE)), ("cpu0", write(0, 1, 1))],
    );
}

pub const INSERT_AT_TAIL: Scenario = Scenario {
    id: "pvn/walk-vs-insert-tail",
    summary:
        "a B_FREE walk of a VMODSORT file while a CPU dirties a clean page, which moves to the tail",
    body: tail_body,
    ..BASE
};

/// fsync of two dirty pages while page 0 is truncated
/// (`VOP_PUTPAGE(B_INVAL | B_TRUNC)`: destroyed, its data thrown away):
/// the walk may have page 0 next to its marker, and re-derives its place
/// from the marker.
fn destroy_body() {
    let pvn = world(PvnConfig::new(2), &[0, 1], &[0, 1]);
    let trunc: super::common::Body = Box::new(|pvn: &Pvn| {
        pvn.putpage(off(0), B_INVAL | B_TRUNC);
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("truncate", trunc)]);
}

pub const DESTROY_NEXT: Scenario = Scenario {
    id: "pvn/walk-vs-destroy",
    summary: "fsync walks two dirty pages while one is truncated (destroyed) next to the marker",
    body: destroy_body,
    ..BASE
};

/// fsync of a one-page file while the page is truncated: the ring may be
/// empty before the walk takes the vnode page mutex, or lose its only
/// page under the walk.
fn truncate_body() {
    let pvn = world(PvnConfig::new(1), &[0], &[0]);
    let trunc: super::common::Body = Box::new(|pvn: &Pvn| {
        pvn.putpage(off(0), B_INVAL | B_TRUNC);
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("truncate", trunc)]);
}

pub const TRUNCATE_ONLY: Scenario = Scenario {
    id: "pvn/walk-vs-truncate",
    summary: "fsync of a one-page file while the page is truncated: the ring empties before or under the walk",
    body: truncate_body,
    ..BASE
};

/// A read-ahead of the file's block of two pages (page 0 and its
/// neighbour, both missing: `pvn_read_kluster` creates page 1 without
/// waiting and I/O-locks it holding page 0) and a CPU's fault on page 1
/// create the same missing page: one `page_create_va(PG_EXCL)` finds it
/// exists (vm_pvn.c:146-148, 187-190).
fn create_body() {
    let pvn = world(PvnConfig::new(2), &[], &[]);
    let ra: super::common::Body = Box::new(|pvn: &Pvn| pvn.read_ahead(off(0), 2));
    run_threads(&pvn, vec![("read-ahead", ra), ("cpu0", write(0, 1, 1))]);
}

pub const READ_AHEAD_VS_FAULT: Scenario = Scenario {
    id: "pvn/read-ahead-vs-fault",
    summary: "a read-ahead and a CPU's fault create the same page at the head of the ring",
    body: create_body,
    ..BASE
};

/// `pvn_vplist_setdirty` (no `VVMLOCK`) marks page 1 of a `VMODSORT` file
/// dirty and moves it to the tail while an fsync walks, its markers on the
/// ring.
fn setdirty_body() {
    let mut cfg = PvnConfig::new(2);
    cfg.modsort = true;
    let pvn = world(cfg, &[0, 1], &[0]);
    let set: super::common::Body = Box::new(|pvn: &Pvn| {
        pvn.pvn_vplist_setdirty(|o| o == off(1));
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("setdirty", set)]);
}

pub const SETDIRTY_VS_WALK: Scenario = Scenario {
    id: "pvn/setdirty-vs-walk",
    summary: "pvn_vplist_setdirty dirties a page of a VMODSORT file and moves it to the tail while fsync walks",
    mutants: &[Mutant {
        name: mutants::SETDIRTY_MOVES_MARKERS,
        catches: VM_VPLIST,
        summary: "pvn_vplist_setdirty treats the walk's markers as pages and moves them (vm_pvn.c:1017)",
    }],
    body: setdirty_body,
    ..BASE
};

/// An msync(MS_INVALIDATE) (`B_INVAL`) of a file whose page 1 a
/// read-ahead is creating: read in and, unmapped, released to the
/// cachelist, still on the ring; the walk destroys a free page with
/// `page_destroy_free`, a busy one after waiting for it. The thread then
/// prefetches page 1 again (`pvn_io_done`: in memory, in use).
fn free_body() {
    let pvn = world(PvnConfig::new(2), &[0], &[0]);
    let ra: super::common::Body = Box::new(|pvn: &Pvn| {
        pvn.read_ahead(off(1), 1);
        pvn.prefetch(off(1));
    });
    run_threads(
        &pvn,
        vec![("msync-inval", walk(B_INVAL)), ("read-ahead", ra)],
    );
}

pub const INVAL_MEETS_FREE: Scenario = Scenario {
    id: "pvn/inval-vs-read-ahead",
    summary: "a B_INVAL walk meets a page a read-ahead creates and frees to the cachelist: page_destroy_free",
    mutants: &[Mutant {
        name: mutants::WRITE_DONE_KEEPS_IOLOCK,
        catches: subsys::pvn::PVN_V5,
        summary: "pvn_write_done destroys a B_INVAL page without page_io_unlock (vm_pvn.c:440)",
    }],
    body: free_body,
    ..BASE
};
